//! Admin: the reserve's parameters; guardian or admin: pause buying and deposits.
use anchor_lang::prelude::*;

use crate::{
    errors::ReserveError,
    seeds,
    state::{ReserveConfig, ReserveParams},
};

#[derive(Accounts)]
pub struct SetParams<'info> {
    pub admin: Signer<'info>,
    #[account(mut, seeds = [seeds::CONFIG], bump = config.bump, has_one = admin)]
    pub config: Box<Account<'info, ReserveConfig>>,
}

#[derive(Accounts)]
pub struct SetPaused<'info> {
    pub authority: Signer<'info>,
    #[account(mut, seeds = [seeds::CONFIG], bump = config.bump)]
    pub config: Box<Account<'info, ReserveConfig>>,
}

#[event]
pub struct ParamsChanged {
    pub previous: ReserveParams,
    pub params: ReserveParams,
}

#[event]
pub struct PauseChanged {
    pub paused: bool,
    pub by: Pubkey,
}

/// Every parameter at once, each within its bounds (`InvalidExitCurve`, `InvalidParams`).
pub fn handle_set_params(ctx: Context<SetParams>, params: ReserveParams) -> Result<()> {
    let config = &mut ctx.accounts.config;
    let previous = config.params;
    config.params = params;
    config.invariant()?;
    emit!(ParamsChanged { previous, params });
    Ok(())
}

/// The guardian or the admin pause buying, deposits and stakes; only the admin unpauses.
/// Withdrawals, unstaking, collection, cover and cranks never pause.
pub fn handle_set_paused(ctx: Context<SetPaused>, paused: bool) -> Result<()> {
    let by = ctx.accounts.authority.key();
    let config = &mut ctx.accounts.config;
    require!(
        rwa_guard::pause::may_set_pause(&by, &config.admin, &config.guardian, paused),
        ReserveError::Unauthorized
    );
    config.paused = paused;
    config.invariant()?;
    emit!(PauseChanged { paused, by });
    Ok(())
}
