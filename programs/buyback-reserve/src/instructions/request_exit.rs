//! A depositor or staker starts the cooldown of an exit.
use anchor_lang::prelude::*;

use crate::{
    errors::ReserveError,
    seeds,
    state::{Position, PositionKind, ReserveBook, ReserveConfig},
};

#[derive(Accounts)]
pub struct RequestExit<'info> {
    pub owner: Signer<'info>,
    #[account(seeds = [seeds::CONFIG], bump = config.bump)]
    pub config: Box<Account<'info, ReserveConfig>>,
    #[account(seeds = [seeds::BOOK], bump = book.bump)]
    pub book: Box<Account<'info, ReserveBook>>,
    #[account(
        mut,
        seeds = [seeds::POSITION, &[position.kind as u8], owner.key().as_ref()],
        bump = position.bump,
        has_one = owner @ ReserveError::AccountMismatch,
    )]
    pub position: Box<Account<'info, Position>>,
}

#[event]
pub struct ExitRequested {
    pub owner: Pubkey,
    pub kind: PositionKind,
    pub shares: u64,
    /// The withdrawal window: from `opens_at` to `closes_at` inclusive.
    pub opens_at: i64,
    pub closes_at: i64,
}

/// Starts (or restarts) the cooldown for `shares` of the position, replacing any earlier
/// request; 0 cancels it. The shares keep bearing gains and losses until withdrawn.
pub fn handler(ctx: Context<RequestExit>, shares: u64) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let p = ctx.accounts.config.params;
    let position = &mut ctx.accounts.position;
    position.sync_generation(ctx.accounts.book.insurance_generation);
    require!(shares <= position.shares, ReserveError::InvalidAmount);
    let (cooldown, window) = match position.kind {
        PositionKind::Deposit => (p.deposit_cooldown_secs, p.deposit_window_secs),
        PositionKind::Insurance | PositionKind::Protocol => {
            (p.stake_cooldown_secs, p.stake_window_secs)
        }
    };
    position.exiting = shares;
    position.exit_requested_at = if shares == 0 { 0 } else { now };
    position.invariant()?;
    let opens_at = now + cooldown as i64;
    emit!(ExitRequested {
        owner: position.owner,
        kind: position.kind,
        shares,
        opens_at,
        closes_at: opens_at + window as i64,
    });
    Ok(())
}
