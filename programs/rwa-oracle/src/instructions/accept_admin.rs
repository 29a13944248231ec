//! The proposed admin: takes the admin role (second step of the handover).
use anchor_lang::prelude::*;
use rwa_guard::authority::AdminRole;

use crate::{seeds, state::OracleConfig};

#[derive(Accounts)]
pub struct AcceptAdmin<'info> {
    /// Must be the config's pending admin (`NotPendingAdmin`; `NoPendingAdmin` if none).
    pub pending_admin: Signer<'info>,
    #[account(mut, seeds = [seeds::CONFIG], bump = config.bump)]
    pub config: Account<'info, OracleConfig>,
}

/// The admin role passed from `previous_admin` to `admin`.
#[event]
pub struct AdminAccepted {
    pub previous_admin: Pubkey,
    pub admin: Pubkey,
}

pub fn handler(ctx: Context<AcceptAdmin>) -> Result<()> {
    let config = &mut ctx.accounts.config;
    let previous_admin = config.admin;
    let role = AdminRole { admin: config.admin, pending_admin: config.pending_admin }
        .accept(ctx.accounts.pending_admin.key)?;
    config.admin = role.admin;
    config.pending_admin = role.pending_admin;
    config.invariant()?;
    emit!(AdminAccepted { previous_admin, admin: config.admin });
    Ok(())
}
