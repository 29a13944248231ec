//! A holder sells units of a listed pool to the reserve at the pricer's fresh price less the
//! exit curve's discount.
use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};
use dcf_pricer::state::{PoolPricing, PricerConfig};
use receivables::state::{Pool, PoolStatus};

use crate::{
    errors::{math_err, ReserveError},
    math, seeds,
    state::{add, sub, ListedPool, ReserveBook, ReserveConfig},
    token_ops,
};

#[derive(Accounts)]
pub struct SellToReserve<'info> {
    pub seller: Signer<'info>,
    #[account(
        mut,
        token::mint = unit_mint,
        token::authority = seller,
        token::token_program = unit_token_program,
    )]
    pub seller_units: Box<InterfaceAccount<'info, TokenAccount>>,
    /// Where the payout goes (any account of the reserve stablecoin).
    #[account(mut, token::mint = stable_mint, token::token_program = token_program)]
    pub seller_stable: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(seeds = [seeds::CONFIG], bump = config.bump)]
    pub config: Box<Account<'info, ReserveConfig>>,
    #[account(mut, seeds = [seeds::BOOK], bump = book.bump)]
    pub book: Box<Account<'info, ReserveBook>>,
    #[account(
        seeds = [seeds::LISTED_POOL, pool.key().as_ref()],
        bump = listed_pool.bump,
        has_one = pricing @ ReserveError::AccountMismatch,
        has_one = unit_mint @ ReserveError::AccountMismatch,
        has_one = units_vault @ ReserveError::AccountMismatch,
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
    pub unit_mint: Box<InterfaceAccount<'info, Mint>>,
    #[account(mut)]
    pub units_vault: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(address = config.stable_mint @ ReserveError::AccountMismatch)]
    pub stable_mint: Box<InterfaceAccount<'info, Mint>>,
    #[account(mut, address = config.stable_vault @ ReserveError::AccountMismatch)]
    pub stable_vault: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(mut, address = config.insurance_vault @ ReserveError::AccountMismatch)]
    pub insurance_vault: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(address = listed_pool.unit_token_program @ ReserveError::AccountMismatch)]
    pub unit_token_program: Interface<'info, TokenInterface>,
    #[account(address = config.token_program @ ReserveError::AccountMismatch)]
    pub token_program: Interface<'info, TokenInterface>,
}

#[event]
pub struct SoldToReserve {
    pub seller: Pubkey,
    pub pool: Pubkey,
    pub units: u64,
    /// The pricer's unit price (Fixed raw).
    pub price: u128,
    /// `floor(units x price)`, the discount (rounded up) and what was paid.
    pub value: u64,
    pub discount: u64,
    pub paid: u64,
    /// The discount's share paid to the insurance pool.
    pub to_insurance: u64,
    /// The epoch budget's usage before and after, and the budget.
    pub used_before: u64,
    pub used_after: u64,
    pub budget: u64,
}

/// Pays `value - D` for `units`, where `value = floor(units x fresh price)` and `D` is the exit
/// curve's integral over the utilisation the sale spans (rwa_math::exit_curve), rounded up.
/// Refused by name, saying what fits, past the epoch budget, the pool's cap or the idle cash;
/// below them always priced.
pub fn handler<'info>(
    mut ctx: Context<'info, SellToReserve<'info>>,
    units: u64,
    min_out: u64,
) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let remaining = ctx.remaining_accounts;
    let a = &mut ctx.accounts;
    let params = a.config.params;
    require!(!a.config.paused, ReserveError::Paused);
    require!(units > 0, ReserveError::InvalidAmount);
    require!(a.pool.status != PoolStatus::Defaulted, ReserveError::PoolInDefault);
    let price = a.pricing.fresh_unit_price(
        &a.pricer_config,
        &a.pool.key(),
        &a.pool,
        now,
        params.max_price_age_secs,
    )?;
    let slot = a.listed_pool.slot as usize;
    let book = &mut a.book;
    book.roll_epoch(now, params.epoch_secs);

    let value = price.mul_u64_floor(units).map_err(math_err)?;
    require!(value > 0, ReserveError::RoundsToZero);
    let left = params.sale_budget.saturating_sub(book.sale_used);
    if value > left {
        msg!("epoch budget: {} units fit ({} of value)", math::units_for(left, price)?, left);
        return err!(ReserveError::EpochBudgetExceeded);
    }
    let held = book.holdings[slot].units;
    let held_after = add(held, units)?;
    if price.mul_u64_floor(held_after).map_err(math_err)? > a.listed_pool.cap {
        let fits = math::units_for(a.listed_pool.cap, price)?.saturating_sub(held);
        msg!("pool cap: {} units fit", fits);
        return err!(ReserveError::PoolCapExceeded);
    }
    let curve = params.curve(a.listed_pool.grade)?;
    let sale = curve.sale(params.sale_budget, book.sale_used, value).map_err(math_err)?;
    // the insurance pool's share, while it has stakers (else it stays with the depositors)
    let to_insurance = if book.insurance_shares > 0 {
        math::bps_floor(sale.discount, params.discount_to_insurance_bps)?
    } else {
        0
    };
    let cost = add(sale.paid, to_insurance)?;
    if cost > book.cash {
        msg!("idle cash: {} of cost fits", book.cash);
        return err!(ReserveError::InsufficientCash);
    }
    require!(sale.paid > 0, ReserveError::RoundsToZero);
    require!(sale.paid >= min_out, ReserveError::SlippageExceeded);

    let used_before = book.sale_used;
    book.sale_used = add(book.sale_used, value)?;
    book.cash = sub(book.cash, cost)?;
    book.insurance_cash = add(book.insurance_cash, to_insurance)?;
    book.holdings[slot].units = held_after;
    book.mark(slot, price, a.pricing.rate.updated_at, a.pool.version)?;
    book.invariant()?;
    a.move_tokens(units, sale.paid, to_insurance, remaining)?;
    emit!(SoldToReserve {
        seller: a.seller.key(),
        pool: a.pool.key(),
        units,
        price: price.raw(),
        value,
        discount: sale.discount,
        paid: sale.paid,
        to_insurance,
        used_before,
        used_after: a.book.sale_used,
        budget: params.sale_budget,
    });
    Ok(())
}

impl<'info> SellToReserve<'info> {
    /// Units in from the seller (all of them must arrive), the payout out, and the insurance
    /// pool's share of the discount across. `extra`: the transfer hook's extra accounts, for
    /// permissioned units.
    fn move_tokens(
        &mut self,
        units: u64,
        paid: u64,
        to_insurance: u64,
        extra: &[AccountInfo<'info>],
    ) -> Result<()> {
        let received = rwa_guard::token::transfer_units(
            &self.unit_token_program,
            &self.seller_units,
            &mut self.units_vault,
            &self.unit_mint,
            self.seller.to_account_info(),
            &[],
            extra,
            units,
        )?;
        require!(received == units, ReserveError::NothingReceived);
        let config = &self.config;
        token_ops::transfer(
            &self.token_program,
            &self.stable_vault,
            &mut self.seller_stable,
            &self.stable_mint,
            config.to_account_info(),
            Some(config),
            paid,
        )?;
        if to_insurance > 0 {
            token_ops::transfer(
                &self.token_program,
                &self.stable_vault,
                &mut self.insurance_vault,
                &self.stable_mint,
                config.to_account_info(),
                Some(config),
                to_insurance,
            )?;
        }
        Ok(())
    }
}
