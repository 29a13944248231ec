use anchor_lang::prelude::*;

use crate::{events::PauseChanged, seeds, state::OracleConfig};

#[derive(Accounts)]
pub struct SetPaused<'info> {
    pub authority: Signer<'info>,
    #[account(mut, seeds = [seeds::CONFIG], bump = config.bump)]
    pub config: Account<'info, OracleConfig>,
}

pub fn handler(ctx: Context<SetPaused>, paused: bool) -> Result<()> {
    let by = ctx.accounts.authority.key();
    let config = &mut ctx.accounts.config;
    config.check_pause_authority(&by, paused)?;
    config.paused = paused;
    config.invariant()?;
    emit!(PauseChanged { feed: None, paused, by });
    Ok(())
}
