//! Admin: accepts a receivables pool's units as collateral, and sets its intake.
use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};
use dcf_pricer::state::PoolPricing;
use receivables::state::Pool;

use crate::{
    errors::AnchorTokenError,
    seeds,
    state::{AcceptedPool, AnchorConfig, Backing, PoolParams, MAX_POOLS},
};

#[derive(Accounts)]
pub struct AcceptPool<'info> {
    #[account(mut)]
    pub admin: Signer<'info>,
    #[account(seeds = [seeds::CONFIG], bump = config.bump, has_one = admin)]
    pub config: Box<Account<'info, AnchorConfig>>,
    #[account(mut, seeds = [seeds::BACKING], bump = backing.bump)]
    pub backing: Box<Account<'info, Backing>>,
    /// The receivables pool (owner-checked); its currency must be the reserve stablecoin.
    #[account(
        constraint = pool.currency_mint == config.reserve_mint @ AnchorTokenError::CurrencyMismatch,
    )]
    pub pool: Box<Account<'info, Pool>>,
    /// The pricer's account for this pool (owner-checked; PDA of dcf-pricer).
    #[account(
        seeds = [dcf_pricer::seeds::POOL_PRICING, pool.key().as_ref()],
        seeds::program = dcf_pricer::ID,
        bump = pricing.bump,
        constraint = pricing.pool == pool.key() @ AnchorTokenError::PricingMismatch,
    )]
    pub pricing: Box<Account<'info, PoolPricing>>,
    #[account(
        address = pool.unit_mint @ AnchorTokenError::AccountMismatch,
        mint::token_program = unit_token_program,
    )]
    pub unit_mint: Box<InterfaceAccount<'info, Mint>>,
    #[account(
        init,
        payer = admin,
        space = 8 + AcceptedPool::INIT_SPACE,
        seeds = [seeds::ACCEPTED_POOL, pool.key().as_ref()],
        bump,
    )]
    pub accepted_pool: Box<Account<'info, AcceptedPool>>,
    #[account(
        init,
        payer = admin,
        seeds = [seeds::COLLATERAL, pool.key().as_ref()],
        bump,
        token::mint = unit_mint,
        token::authority = config,
        token::token_program = unit_token_program,
    )]
    pub collateral: Box<InterfaceAccount<'info, TokenAccount>>,
    pub unit_token_program: Interface<'info, TokenInterface>,
    pub system_program: Program<'info, System>,
}

#[derive(Accounts)]
pub struct SetPoolParams<'info> {
    pub admin: Signer<'info>,
    #[account(seeds = [seeds::CONFIG], bump = config.bump, has_one = admin)]
    pub config: Box<Account<'info, AnchorConfig>>,
    #[account(
        mut,
        seeds = [seeds::ACCEPTED_POOL, accepted_pool.pool.as_ref()],
        bump = accepted_pool.bump,
    )]
    pub accepted_pool: Box<Account<'info, AcceptedPool>>,
}

#[event]
pub struct PoolAccepted {
    pub pool: Pubkey,
    pub slot: u8,
    pub collateral: Pubkey,
    pub params: PoolParams,
}

#[event]
pub struct PoolParamsChanged {
    pub pool: Pubkey,
    pub params: PoolParams,
    pub intake_open: bool,
}

/// Accepts `pool` (in the reserve stablecoin, priced by dcf-pricer) with its haircut,
/// ceiling and capacity; intake opens at once. Takes the next backing slot.
pub fn handle_accept_pool(ctx: Context<AcceptPool>, params: PoolParams) -> Result<()> {
    params.validate()?;
    rwa_guard::mint::check_unit_mint(&ctx.accounts.unit_mint.to_account_info())?;
    let backing = &mut ctx.accounts.backing;
    let slot = backing.pool_count;
    require!((slot as usize) < MAX_POOLS, AnchorTokenError::TooManyPools);
    let pool = ctx.accounts.pool.key();
    backing.entries[slot as usize].pool = pool;
    backing.pool_count += 1;
    backing.invariant()?;

    let accepted = &mut ctx.accounts.accepted_pool;
    accepted.set_inner(AcceptedPool {
        pool,
        pricing: ctx.accounts.pricing.key(),
        unit_mint: ctx.accounts.unit_mint.key(),
        unit_token_program: ctx.accounts.unit_token_program.key(),
        collateral: ctx.accounts.collateral.key(),
        slot,
        params,
        intake_open: true,
        usage: 0,
        usage_at: 0,
        bump: ctx.bumps.accepted_pool,
        collateral_bump: ctx.bumps.collateral,
    });
    accepted.invariant()?;
    emit!(PoolAccepted { pool, slot, collateral: accepted.collateral, params });
    Ok(())
}

/// Replaces a pool's haircut, ceiling and capacity, and opens or stops its intake.
pub fn handle_set_pool_params(
    ctx: Context<SetPoolParams>,
    params: PoolParams,
    intake_open: bool,
) -> Result<()> {
    let accepted = &mut ctx.accounts.accepted_pool;
    accepted.params = params;
    accepted.intake_open = intake_open;
    accepted.invariant()?;
    emit!(PoolParamsChanged { pool: accepted.pool, params, intake_open });
    Ok(())
}
