use anchor_lang::prelude::*;
use receivables::state::{Pool, PoolStatus};
use rwa_oracle::state::{Feed, FeedKind, GradeRisk};

use crate::{
    errors::PricerError,
    seeds,
    state::{PoolPricing, PricerConfig, PricingParams, RedemptionRate},
};

#[derive(Accounts)]
pub struct CreatePoolPricing<'info> {
    #[account(mut)]
    pub admin: Signer<'info>,
    #[account(seeds = [seeds::CONFIG], bump = config.bump, has_one = admin)]
    pub config: Box<Account<'info, PricerConfig>>,
    /// The receivables pool (owner-checked: a receivables `Pool`).
    pub pool: Box<Account<'info, Pool>>,
    /// The oracle grade of the pool's grade index: an rwa-oracle `GradeRisk` at its PDA
    /// `["grade", index]` (seeds checked against the oracle program with the stored bump).
    #[account(
        seeds = [rwa_oracle::seeds::GRADE, &[grade_risk.grade]],
        bump = grade_risk.bump,
        seeds::program = rwa_oracle::ID,
        constraint = grade_risk.grade == pool.grade @ PricerError::GradeMismatch,
    )]
    pub grade_risk: Box<Account<'info, GradeRisk>>,
    /// A benchmark-rate feed of the oracle, at its PDA `["feed", feed_id]`.
    #[account(
        seeds = [rwa_oracle::seeds::FEED, benchmark_feed.feed_id.as_ref()],
        bump = benchmark_feed.bump,
        seeds::program = rwa_oracle::ID,
        constraint = benchmark_feed.params.kind == FeedKind::BenchmarkRate @ PricerError::FeedKindMismatch,
    )]
    pub benchmark_feed: Box<Account<'info, Feed>>,
    #[account(
        init,
        payer = admin,
        space = 8 + PoolPricing::INIT_SPACE,
        seeds = [seeds::POOL_PRICING, pool.key().as_ref()],
        bump,
    )]
    pub pool_pricing: Box<Account<'info, PoolPricing>>,
    pub system_program: Program<'info, System>,
}

#[event]
pub struct PoolPricingCreated {
    pub pool: Pubkey,
    pub grade: u8,
    pub grade_risk: Pubkey,
    pub benchmark_feed: Pubkey,
    pub params: PricingParams,
}

/// Accepts a live (Active, Late or Defaulted) `pool` for pricing: binds its grade to the oracle's grade account for that index
/// and a benchmark-rate feed. Nothing is published
/// until the first `refresh_rate`.
pub fn handler(ctx: Context<CreatePoolPricing>, params: PricingParams) -> Result<()> {
    params.validate()?;
    let pool = &ctx.accounts.pool;
    // Only live pools: a Draft's schedule could still grow after acceptance.
    require!(
        matches!(pool.status, PoolStatus::Active | PoolStatus::Late | PoolStatus::Defaulted),
        PricerError::PoolNotPriceable
    );
    let pricing = &mut ctx.accounts.pool_pricing;
    pricing.set_inner(PoolPricing {
        pool: pool.key(),
        vault: pool.vault,
        unit_mint: pool.unit_mint,
        benchmark_feed: ctx.accounts.benchmark_feed.key(),
        grade_risk: ctx.accounts.grade_risk.key(),
        grade: pool.grade,
        params,
        rate: RedemptionRate::default(),
        reference_price: 0,
        reference_at: 0,
        bump: ctx.bumps.pool_pricing,
        previous_low: 0,
    });
    pricing.invariant()?;
    emit!(PoolPricingCreated {
        pool: pricing.pool,
        grade: pricing.grade,
        grade_risk: pricing.grade_risk,
        benchmark_feed: pricing.benchmark_feed,
        params,
    });
    Ok(())
}
