//! Admin: offers the admin role to another key (first step of the handover).
use anchor_lang::prelude::*;
use rwa_guard::authority::AdminRole;

use crate::{seeds, state::OracleConfig};

#[derive(Accounts)]
pub struct ProposeAdmin<'info> {
    /// Must be the config's admin (`NotAdmin`).
    pub admin: Signer<'info>,
    #[account(mut, seeds = [seeds::CONFIG], bump = config.bump)]
    pub config: Account<'info, OracleConfig>,
}

/// The admin offered its role to `pending_admin`; `Pubkey::default()` withdrew the offer.
#[event]
pub struct AdminProposed {
    pub admin: Pubkey,
    pub pending_admin: Pubkey,
}

pub fn handler(ctx: Context<ProposeAdmin>, new_admin: Pubkey) -> Result<()> {
    let config = &mut ctx.accounts.config;
    let role = AdminRole { admin: config.admin, pending_admin: config.pending_admin }
        .propose(ctx.accounts.admin.key, new_admin)?;
    config.pending_admin = role.pending_admin;
    config.invariant()?;
    emit!(AdminProposed { admin: config.admin, pending_admin: config.pending_admin });
    Ok(())
}
