use anchor_lang::prelude::*;

use crate::{
    seeds,
    state::{PoolPricing, PricerConfig, PricingParams},
};

#[derive(Accounts)]
pub struct SetPricingParams<'info> {
    pub admin: Signer<'info>,
    #[account(seeds = [seeds::CONFIG], bump = config.bump, has_one = admin)]
    pub config: Box<Account<'info, PricerConfig>>,
    #[account(
        mut,
        seeds = [seeds::POOL_PRICING, pool_pricing.pool.as_ref()],
        bump = pool_pricing.bump,
    )]
    pub pool_pricing: Box<Account<'info, PoolPricing>>,
}

#[event]
pub struct PricingParamsChanged {
    pub pool: Pubkey,
    pub params: PricingParams,
}

/// Replaces a pool's input age and rise bound; the published rate is untouched until the next
/// refresh.
pub fn handler(ctx: Context<SetPricingParams>, params: PricingParams) -> Result<()> {
    params.validate()?;
    let pricing = &mut ctx.accounts.pool_pricing;
    pricing.params = params;
    pricing.invariant()?;
    emit!(PricingParamsChanged { pool: pricing.pool, params });
    Ok(())
}
