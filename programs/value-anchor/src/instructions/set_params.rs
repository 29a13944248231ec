//! Admin: global parameters; guardian or admin: pause minting.
use anchor_lang::prelude::*;

use crate::{
    errors::AnchorTokenError,
    seeds,
    state::{AnchorConfig, AnchorParams},
};

#[derive(Accounts)]
pub struct SetParams<'info> {
    pub admin: Signer<'info>,
    #[account(mut, seeds = [seeds::CONFIG], bump = config.bump, has_one = admin)]
    pub config: Box<Account<'info, AnchorConfig>>,
}

#[derive(Accounts)]
pub struct SetPaused<'info> {
    pub authority: Signer<'info>,
    #[account(mut, seeds = [seeds::CONFIG], bump = config.bump)]
    pub config: Box<Account<'info, AnchorConfig>>,
}

#[event]
pub struct ParamsChanged {
    pub params: AnchorParams,
}

#[event]
pub struct MintPauseChanged {
    pub paused: bool,
    pub by: Pubkey,
}

pub fn handle_set_params(ctx: Context<SetParams>, params: AnchorParams) -> Result<()> {
    let config = &mut ctx.accounts.config;
    config.params = params;
    config.invariant()?;
    emit!(ParamsChanged { params });
    Ok(())
}

/// The guardian or the admin pause minting (exchange, PSM mint); only the admin unpauses.
/// Redemptions are never paused: minting stops before redemption does.
pub fn handle_set_paused(ctx: Context<SetPaused>, paused: bool) -> Result<()> {
    let by = ctx.accounts.authority.key();
    let config = &mut ctx.accounts.config;
    require!(
        rwa_guard::pause::may_set_pause(&by, &config.admin, &config.guardian, paused),
        AnchorTokenError::Unauthorized
    );
    config.paused = paused;
    config.invariant()?;
    emit!(MintPauseChanged { paused, by });
    Ok(())
}
