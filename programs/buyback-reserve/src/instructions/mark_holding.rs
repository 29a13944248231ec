//! Anyone: re-prices the reserve's holding of one pool at the pricer's fresh price.
use anchor_lang::prelude::*;
use dcf_pricer::state::{PoolPricing, PricerConfig};
use receivables::state::Pool;

use crate::{
    errors::ReserveError,
    seeds,
    state::{ListedPool, ReserveBook, ReserveConfig},
};

#[derive(Accounts)]
pub struct MarkHolding<'info> {
    #[account(seeds = [seeds::CONFIG], bump = config.bump)]
    pub config: Box<Account<'info, ReserveConfig>>,
    #[account(mut, seeds = [seeds::BOOK], bump = book.bump)]
    pub book: Box<Account<'info, ReserveBook>>,
    #[account(
        seeds = [seeds::LISTED_POOL, pool.key().as_ref()],
        bump = listed_pool.bump,
        has_one = pricing @ ReserveError::AccountMismatch,
    )]
    pub listed_pool: Box<Account<'info, ListedPool>>,
    pub pool: Box<Account<'info, Pool>>,
    pub pricing: Box<Account<'info, PoolPricing>>,
    #[account(
        seeds = [dcf_pricer::seeds::CONFIG],
        seeds::program = dcf_pricer::ID,
        bump = pricer_config.bump,
    )]
    pub pricer_config: Box<Account<'info, PricerConfig>>,
}

#[event]
pub struct HoldingMarked {
    pub pool: Pubkey,
    pub units: u64,
    /// Fixed raw.
    pub price: u128,
    pub value_before: u64,
    pub value: u64,
}

/// Marks the holding at `PoolPricing::fresh_unit_price` (refused by the pricer's errors when
/// stale, paused, the pool changed since the refresh, or the pool is not exitable).
pub fn handler(mut ctx: Context<MarkHolding>) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let a = &mut ctx.accounts;
    let max_age = a.config.params.max_price_age_secs;
    let price =
        a.pricing.fresh_unit_price(&a.pricer_config, &a.pool.key(), &a.pool, now, max_age)?;
    let slot = a.listed_pool.slot as usize;
    let value_before = a.book.holdings[slot].value;
    a.book.mark(slot, price, a.pricing.rate.updated_at, a.pool.version)?;
    a.book.invariant()?;
    let h = a.book.holdings[slot];
    emit!(HoldingMarked {
        pool: h.pool,
        units: h.units,
        price: h.price,
        value_before,
        value: h.value
    });
    Ok(())
}
