//! Admin: replaces the guardian (the key that may pause immediately).
use anchor_lang::prelude::*;
use rwa_guard::authority::require_admin;

use crate::{seeds, state::ReserveConfig};

#[derive(Accounts)]
pub struct SetGuardian<'info> {
    /// Must be the config's admin (`NotAdmin`).
    pub admin: Signer<'info>,
    #[account(mut, seeds = [seeds::CONFIG], bump = config.bump)]
    pub config: Account<'info, ReserveConfig>,
}

#[event]
pub struct GuardianChanged {
    pub previous_guardian: Pubkey,
    pub guardian: Pubkey,
}

pub fn handler(ctx: Context<SetGuardian>, guardian: Pubkey) -> Result<()> {
    let config = &mut ctx.accounts.config;
    require_admin(&config.admin, ctx.accounts.admin.key)?;
    let previous_guardian = config.guardian;
    config.guardian = guardian;
    // Refuses the default pubkey (`InvalidGuardian`).
    config.invariant()?;
    emit!(GuardianChanged { previous_guardian, guardian });
    Ok(())
}
