use anchor_lang::prelude::*;

use crate::{errors::PricerError, seeds, state::PricerConfig};

#[derive(Accounts)]
pub struct SetPaused<'info> {
    pub authority: Signer<'info>,
    #[account(mut, seeds = [seeds::CONFIG], bump = config.bump)]
    pub config: Account<'info, PricerConfig>,
}

#[event]
pub struct PricerPauseChanged {
    pub paused: bool,
    pub by: Pubkey,
}

/// The guardian or the admin pause; only the admin unpauses. While paused no rate is refreshed
/// and `fresh_unit_price` refuses, so every exit that reads a price stops.
pub fn handler(ctx: Context<SetPaused>, paused: bool) -> Result<()> {
    let by = ctx.accounts.authority.key();
    let config = &mut ctx.accounts.config;
    require!(
        rwa_guard::pause::may_set_pause(&by, &config.admin, &config.guardian, paused),
        PricerError::Unauthorized
    );
    config.paused = paused;
    config.invariant()?;
    emit!(PricerPauseChanged { paused, by });
    Ok(())
}
