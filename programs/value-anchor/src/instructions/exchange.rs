use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};
use dcf_pricer::state::{PoolPricing, PricerConfig};
use receivables::state::Pool;

use crate::{
    errors::AnchorTokenError,
    math, seeds,
    state::{AcceptedPool, AnchorConfig, AppliedPrice, Backing},
    token_ops,
};

/// The accounts that give an accepted pool's fresh unit price.
#[derive(Accounts)]
pub struct PoolPrice<'info> {
    #[account(
        mut,
        seeds = [seeds::ACCEPTED_POOL, accepted_pool.pool.as_ref()],
        bump = accepted_pool.bump,
        has_one = pricing @ AnchorTokenError::PricingMismatch,
    )]
    pub accepted_pool: Box<Account<'info, AcceptedPool>>,
    pub pricing: Box<Account<'info, PoolPricing>>,
    /// The receivables pool (owner-checked): the price must be of its current version.
    #[account(address = accepted_pool.pool @ AnchorTokenError::AccountMismatch)]
    pub pool: Box<Account<'info, Pool>>,
    #[account(
        seeds = [dcf_pricer::seeds::CONFIG],
        seeds::program = dcf_pricer::ID,
        bump = pricer_config.bump,
    )]
    pub pricer_config: Box<Account<'info, PricerConfig>>,
}

impl PoolPrice<'_> {
    /// The pricer's fresh unit price (`PoolPricing::fresh_unit_price`), with its uncapped
    /// price, time and the pool version it is for.
    pub fn fresh(&self, now: i64, max_age: u32) -> Result<AppliedPrice> {
        let pool_key = self.pool.key();
        let price = self.pricing.fresh_unit_price(
            &self.pricer_config,
            &pool_key,
            &self.pool,
            now,
            max_age,
        )?;
        let rate = &self.pricing.rate;
        Ok(AppliedPrice {
            price,
            computed: rwa_math::Fixed::from_raw(rate.computed_price),
            priced_at: rate.updated_at,
            pool_version: rate.pool_version,
        })
    }
}

#[derive(Accounts)]
pub struct Exchange<'info> {
    pub holder: Signer<'info>,
    #[account(
        seeds = [seeds::CONFIG],
        bump = config.bump,
        constraint = !config.paused @ AnchorTokenError::Paused,
    )]
    pub config: Box<Account<'info, AnchorConfig>>,
    #[account(mut, seeds = [seeds::BACKING], bump = backing.bump)]
    pub backing: Box<Account<'info, Backing>>,
    pub price: PoolPrice<'info>,
    #[account(
        address = price.accepted_pool.unit_mint @ AnchorTokenError::AccountMismatch,
        mint::token_program = unit_token_program,
    )]
    pub unit_mint: Box<InterfaceAccount<'info, Mint>>,
    #[account(
        mut,
        token::mint = unit_mint,
        token::authority = holder,
        token::token_program = unit_token_program,
    )]
    pub holder_units: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(mut, address = price.accepted_pool.collateral @ AnchorTokenError::AccountMismatch)]
    pub collateral: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(mut, address = config.anchor_mint @ AnchorTokenError::AccountMismatch)]
    pub anchor_mint: Box<InterfaceAccount<'info, Mint>>,
    #[account(
        mut,
        token::mint = anchor_mint,
        token::token_program = config.anchor_token_program,
    )]
    pub holder_anchor: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(address = config.stable_reserve @ AnchorTokenError::AccountMismatch)]
    pub stable_reserve: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(address = price.accepted_pool.unit_token_program @ AnchorTokenError::AccountMismatch)]
    pub unit_token_program: Interface<'info, TokenInterface>,
    /// The anchor mint's token program.
    #[account(
        address = config.anchor_token_program @ AnchorTokenError::AnchorTokenProgramMismatch
    )]
    pub anchor_token_program: Interface<'info, TokenInterface>,
}

#[event]
pub struct Exchanged {
    pub pool: Pubkey,
    pub holder: Pubkey,
    pub units: u64,
    pub unit_price: u128,
    /// `floor(units x price)`: the value added to the backing.
    pub value: u64,
    /// Anchor tokens minted: `floor(value x (1 - haircut))`.
    pub minted: u64,
}

/// The holder's `units` go into the pool's collateral account; the holder receives
/// `floor(floor(units x price) x (1 - haircut))` anchor tokens at the pricer's fresh price.
/// Refused below `min_out`, past the pool's ceiling, the global ceiling or the pool's
/// capacity, when intake is stopped, the pool is in default, minting is paused, or the backing
/// is stale or short. The remaining accounts are every accepted pool's account, in backing-slot
/// order (the mint check needs each entry's pool unchanged since it was priced); after them,
/// for permissioned units, the transfer hook's extra accounts.
pub fn handler<'info>(
    mut ctx: Context<'info, Exchange<'info>>,
    units: u64,
    min_out: u64,
) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let remaining = ctx.remaining_accounts;
    let a = &mut ctx.accounts;
    let params = a.config.params;
    let accepted = &a.price.accepted_pool;
    require!(accepted.intake_open, AnchorTokenError::IntakeStopped);
    require!(units > 0, AnchorTokenError::InvalidAmount);
    require!(
        a.price.pool.status != receivables::state::PoolStatus::Defaulted,
        AnchorTokenError::PoolInDefault
    );
    let applied = a.price.fresh(now, params.max_price_age_secs)?;
    let price = applied.price;

    let received = rwa_guard::token::transfer_units(
        &a.unit_token_program,
        &a.holder_units,
        &mut a.collateral,
        &a.unit_mint,
        a.holder.to_account_info(),
        &[],
        remaining,
        units,
    )?;
    require!(received > 0, AnchorTokenError::NothingReceived);
    let (value, minted) = math::exchange_out(received, price, accepted.params.haircut_bps)?;
    require!(minted > 0, AnchorTokenError::RoundsToZero);
    require!(minted >= min_out, AnchorTokenError::SlippageExceeded);
    let mut usage = accepted.usage();
    usage.take(value, now)?;

    let slot = accepted.slot as usize;
    let backing = &mut a.backing;
    backing.entries[slot].units =
        backing.entries[slot].units.checked_add(received).ok_or(AnchorTokenError::MathOverflow)?;
    backing.price_entry(slot, applied)?;
    require!(
        backing.entries[slot].value <= accepted.params.ceiling,
        AnchorTokenError::PoolCeilingExceeded
    );
    let program = &a.anchor_token_program;
    token_ops::mint_anchor(program, &a.anchor_mint, &a.holder_anchor, &a.config, minted)?;
    a.anchor_mint.reload()?;
    let backing = &mut a.backing;
    backing.settle(a.stable_reserve.amount, a.anchor_mint.supply, now)?;
    require!(backing.pools_value <= params.global_ceiling, AnchorTokenError::GlobalCeilingExceeded);
    let current = backing.current(remaining)?;
    backing.require_backed(now, params.max_entry_age_secs, params.overcollateral_bps, &current)?;
    backing.invariant()?;

    let pool = a.price.accepted_pool.pool;
    a.price.accepted_pool.set_usage(usage);
    emit!(Exchanged {
        pool,
        holder: a.holder.key(),
        units: received,
        unit_price: price.raw(),
        value,
        minted,
    });
    Ok(())
}
