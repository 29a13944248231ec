use anchor_lang::prelude::*;

use crate::state::ApprovalStatus;

/// An approved servicer. PDA: `[seeds::SERVICER, authority]`.
#[account]
#[derive(InitSpace)]
pub struct Servicer {
    pub authority: Pubkey,
    pub status: ApprovalStatus,
    pub bump: u8,
}
