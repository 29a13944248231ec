use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount};

use crate::{
    errors::AnchorTokenError,
    instructions::exchange::*,
    seeds,
    state::{AnchorConfig, Backing},
};

#[derive(Accounts)]
pub struct RefreshBacking<'info> {
    #[account(seeds = [seeds::CONFIG], bump = config.bump)]
    pub config: Box<Account<'info, AnchorConfig>>,
    #[account(mut, seeds = [seeds::BACKING], bump = backing.bump)]
    pub backing: Box<Account<'info, Backing>>,
    pub price: PoolPrice<'info>,
    #[account(address = config.anchor_mint @ AnchorTokenError::AccountMismatch)]
    pub anchor_mint: Box<InterfaceAccount<'info, Mint>>,
    #[account(address = config.stable_reserve @ AnchorTokenError::AccountMismatch)]
    pub stable_reserve: Box<InterfaceAccount<'info, TokenAccount>>,
}

#[event]
pub struct BackingUpdated {
    pub pool: Pubkey,
    pub units: u64,
    pub unit_price: u128,
    pub priced_at: i64,
    pub value: u64,
    pub total_backing: u64,
    pub anchor_supply: u64,
    pub ratio_bps: u64,
}

/// Permissionless: re-prices the pool's backing entry at the pricer's fresh price and
/// recomputes the totals. A fall reaches the backing (and so every redemption) here; mints
/// need every entry fresh.
pub fn handler(mut ctx: Context<RefreshBacking>) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let a = &mut ctx.accounts;
    let applied = a.price.fresh(now, a.config.params.max_price_age_secs)?;
    let slot = a.price.accepted_pool.slot as usize;
    let backing = &mut a.backing;
    backing.price_entry(slot, applied)?;
    backing.settle(a.stable_reserve.amount, a.anchor_mint.supply, now)?;
    backing.invariant()?;
    let e = backing.entries[slot];
    emit!(BackingUpdated {
        pool: e.pool,
        units: e.units,
        unit_price: e.price,
        priced_at: applied.priced_at,
        value: e.value,
        total_backing: backing.total_backing,
        anchor_supply: backing.anchor_supply,
        ratio_bps: backing.ratio_bps,
    });
    Ok(())
}
