use anchor_lang::prelude::*;

use crate::{errors::ReceivablesError, state::ApprovalStatus};

/// An approved servicer. PDA: `[seeds::SERVICER, authority]`.
#[account]
#[derive(InitSpace)]
pub struct Servicer {
    pub authority: Pubkey,
    pub status: ApprovalStatus,
    pub bump: u8,
}

impl Servicer {
    /// A suspended servicer keeps no power over any pool.
    pub fn require_approved(&self) -> Result<()> {
        require!(self.status == ApprovalStatus::Approved, ReceivablesError::ServicerNotApproved);
        Ok(())
    }
}
