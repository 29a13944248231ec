//! Admin: lists a receivables pool the reserve buys, and sets its cap.
use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};
use dcf_pricer::state::PoolPricing;
use receivables::state::Pool;

use crate::{
    errors::ReserveError,
    seeds,
    state::{Holding, ListedPool, ReserveBook, ReserveConfig, MAX_HOLDINGS},
};

#[derive(Accounts)]
pub struct ListPool<'info> {
    #[account(mut)]
    pub admin: Signer<'info>,
    #[account(seeds = [seeds::CONFIG], bump = config.bump, has_one = admin)]
    pub config: Box<Account<'info, ReserveConfig>>,
    #[account(mut, seeds = [seeds::BOOK], bump = book.bump)]
    pub book: Box<Account<'info, ReserveBook>>,
    /// The receivables pool (owner-checked); its currency must be the reserve stablecoin.
    #[account(
        constraint = pool.currency_mint == config.stable_mint @ ReserveError::CurrencyMismatch,
    )]
    pub pool: Box<Account<'info, Pool>>,
    /// The pricer's account for this pool (PDA of dcf-pricer): sales read its price.
    #[account(
        seeds = [dcf_pricer::seeds::POOL_PRICING, pool.key().as_ref()],
        seeds::program = dcf_pricer::ID,
        bump = pricing.bump,
    )]
    pub pricing: Box<Account<'info, PoolPricing>>,
    #[account(
        address = pool.unit_mint @ ReserveError::AccountMismatch,
        mint::token_program = unit_token_program,
    )]
    pub unit_mint: Box<InterfaceAccount<'info, Mint>>,
    #[account(
        init,
        payer = admin,
        space = 8 + ListedPool::INIT_SPACE,
        seeds = [seeds::LISTED_POOL, pool.key().as_ref()],
        bump,
    )]
    pub listed_pool: Box<Account<'info, ListedPool>>,
    #[account(
        init,
        payer = admin,
        seeds = [seeds::UNITS, pool.key().as_ref()],
        bump,
        token::mint = unit_mint,
        token::authority = config,
        token::token_program = unit_token_program,
    )]
    pub units_vault: Box<InterfaceAccount<'info, TokenAccount>>,
    pub unit_token_program: Interface<'info, TokenInterface>,
    pub system_program: Program<'info, System>,
}

impl ListPool<'_> {
    pub fn validate(&self) -> Result<()> {
        require!((self.book.holding_count as usize) < MAX_HOLDINGS, ReserveError::TooManyPools);
        rwa_guard::mint::check_unit_mint(&self.unit_mint.to_account_info())
    }
}

#[derive(Accounts)]
pub struct SetPoolCap<'info> {
    pub admin: Signer<'info>,
    #[account(seeds = [seeds::CONFIG], bump = config.bump, has_one = admin)]
    pub config: Box<Account<'info, ReserveConfig>>,
    #[account(
        mut,
        seeds = [seeds::LISTED_POOL, listed_pool.pool.as_ref()],
        bump = listed_pool.bump,
    )]
    pub listed_pool: Box<Account<'info, ListedPool>>,
}

#[event]
pub struct PoolListed {
    pub pool: Pubkey,
    pub slot: u8,
    pub grade: u8,
    pub cap: u64,
}

#[event]
pub struct PoolCapChanged {
    pub pool: Pubkey,
    pub previous: u64,
    pub cap: u64,
}

/// Takes the next holding slot for `pool` and creates the reserve's unit account for it.
#[access_control(ctx.accounts.validate())]
pub fn handle_list_pool(mut ctx: Context<ListPool>, cap: u64) -> Result<()> {
    let a = &mut ctx.accounts;
    let slot = a.book.holding_count;
    a.book.holdings[slot as usize] = Holding { pool: a.pool.key(), ..Holding::default() };
    a.book.holding_count += 1;
    a.listed_pool.set_inner(ListedPool {
        pool: a.pool.key(),
        pricing: a.pricing.key(),
        unit_mint: a.unit_mint.key(),
        unit_token_program: a.unit_token_program.key(),
        units_vault: a.units_vault.key(),
        slot,
        grade: a.pool.grade,
        cap,
        bump: ctx.bumps.listed_pool,
    });
    a.config.params.curve(a.pool.grade)?;
    a.book.invariant()?;
    emit!(PoolListed { pool: a.pool.key(), slot, grade: a.pool.grade, cap });
    Ok(())
}

/// The most value of this pool's units the reserve may hold (0 stops buying it).
pub fn handle_set_pool_cap(ctx: Context<SetPoolCap>, cap: u64) -> Result<()> {
    let listed = &mut ctx.accounts.listed_pool;
    let previous = listed.cap;
    listed.cap = cap;
    emit!(PoolCapChanged { pool: listed.pool, previous, cap });
    Ok(())
}
