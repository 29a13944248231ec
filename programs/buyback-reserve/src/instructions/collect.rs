//! Anyone: redeems the reserve's units of a matured (or finished) pool through receivables.
use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};
use receivables::{program::Receivables, state::Pool};

use crate::{
    errors::ReserveError,
    seeds,
    state::{add, sub, ListedPool, ReserveBook, ReserveConfig},
};

#[derive(Accounts)]
pub struct Collect<'info> {
    #[account(seeds = [seeds::CONFIG], bump = config.bump)]
    pub config: Box<Account<'info, ReserveConfig>>,
    #[account(mut, seeds = [seeds::BOOK], bump = book.bump)]
    pub book: Box<Account<'info, ReserveBook>>,
    #[account(
        seeds = [seeds::LISTED_POOL, pool.key().as_ref()],
        bump = listed_pool.bump,
        has_one = unit_mint @ ReserveError::AccountMismatch,
        has_one = units_vault @ ReserveError::AccountMismatch,
    )]
    pub listed_pool: Box<Account<'info, ListedPool>>,
    pub pool: Box<Account<'info, Pool>>,
    /// CHECK: the receivables registry config, checked by the receivables program.
    pub receivables_config: UncheckedAccount<'info>,
    #[account(mut)]
    pub unit_mint: Box<InterfaceAccount<'info, Mint>>,
    #[account(mut)]
    pub units_vault: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(mut, address = pool.vault @ ReserveError::AccountMismatch)]
    pub pool_vault: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(address = config.stable_mint @ ReserveError::AccountMismatch)]
    pub stable_mint: Box<InterfaceAccount<'info, Mint>>,
    #[account(mut, address = config.stable_vault @ ReserveError::AccountMismatch)]
    pub stable_vault: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(address = listed_pool.unit_token_program @ ReserveError::AccountMismatch)]
    pub unit_token_program: Interface<'info, TokenInterface>,
    #[account(address = config.token_program @ ReserveError::AccountMismatch)]
    pub token_program: Interface<'info, TokenInterface>,
    pub receivables_program: Program<'info, Receivables>,
}

#[event]
pub struct Collected {
    pub pool: Pubkey,
    pub units: u64,
    /// What the holding was booked at, and what the pool paid: the difference is the gain the
    /// reserve's discounts earned (or a loss).
    pub book_value: u64,
    pub proceeds: u64,
    /// The pool's vault paid these units nothing: the holding was written off.
    pub written_off: bool,
}

/// Redeems every unit the reserve holds of a Matured, WrittenOff or Closed pool
/// (`receivables::redeem`, signed by the config PDA) into the stable vault; the proceeds become
/// idle cash. A pool whose vault pays these units nothing writes the holding off.
pub fn handler(mut ctx: Context<Collect>) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let a = &mut ctx.accounts;
    require!(a.pool.status.is_redeemable(), ReserveError::PoolNotCollectable);
    let slot = a.listed_pool.slot as usize;
    let h = a.book.holdings[slot];
    require!(h.units > 0, ReserveError::NothingOwed);
    let due = receivables::state::redemption_payout_floor(
        a.pool_vault.amount,
        a.unit_mint.supply,
        h.units,
    )?;
    let before = a.stable_vault.amount;
    if due > 0 {
        a.redeem_units(h.units)?;
    }
    a.stable_vault.reload()?;
    let proceeds = sub(a.stable_vault.amount, before)?;
    let book = &mut a.book;
    book.cash = add(book.cash, proceeds)?;
    let held = &mut book.holdings[slot];
    held.units = 0;
    held.value = 0;
    held.priced_at = now;
    book.invariant()?;
    emit!(Collected {
        pool: a.pool.key(),
        units: h.units,
        book_value: h.value,
        proceeds,
        written_off: due == 0,
    });
    Ok(())
}

impl Collect<'_> {
    /// `receivables::redeem(units)` from the units vault into the stable vault, signed by the
    /// config PDA.
    fn redeem_units(&self, units: u64) -> Result<()> {
        let seeds = self.config.signer_seeds();
        receivables::cpi::redeem(
            CpiContext::new_with_signer(
                self.receivables_program.key(),
                receivables::cpi::accounts::Redeem {
                    holder: self.config.to_account_info(),
                    config: self.receivables_config.to_account_info(),
                    pool: self.pool.to_account_info(),
                    unit_mint: self.unit_mint.to_account_info(),
                    holder_units: self.units_vault.to_account_info(),
                    vault: self.pool_vault.to_account_info(),
                    currency_mint: self.stable_mint.to_account_info(),
                    destination: self.stable_vault.to_account_info(),
                    unit_token_program: self.unit_token_program.to_account_info(),
                    currency_token_program: self.token_program.to_account_info(),
                },
                &[&seeds],
            ),
            units,
        )
    }
}
