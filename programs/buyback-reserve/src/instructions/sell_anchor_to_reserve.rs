//! The standing bid for the anchor token: anyone sells anchor tokens to the reserve at
//! `1 - band` of what they redeem for, from the bid's own per-epoch budget.
use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};
use value_anchor::state::{AnchorConfig, Backing};

use crate::{
    anchor_side,
    errors::ReserveError,
    math, seeds,
    state::{add, sub, ReserveBook, ReserveConfig, BPS},
    token_ops,
};

#[derive(Accounts)]
pub struct SellAnchorToReserve<'info> {
    pub seller: Signer<'info>,
    #[account(
        mut,
        token::mint = anchor_mint,
        token::authority = seller,
        token::token_program = config.anchor_token_program,
    )]
    pub seller_anchor: Box<InterfaceAccount<'info, TokenAccount>>,
    /// Where the payout goes (any account of the reserve stablecoin).
    #[account(mut, token::mint = stable_mint, token::token_program = token_program)]
    pub seller_stable: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(seeds = [seeds::CONFIG], bump = config.bump)]
    pub config: Box<Account<'info, ReserveConfig>>,
    #[account(mut, seeds = [seeds::BOOK], bump = book.bump)]
    pub book: Box<Account<'info, ReserveBook>>,
    #[account(
        seeds = [value_anchor::seeds::CONFIG],
        seeds::program = value_anchor::ID,
        bump = anchor_config.bump,
    )]
    pub anchor_config: Box<Account<'info, AnchorConfig>>,
    #[account(
        seeds = [value_anchor::seeds::BACKING],
        seeds::program = value_anchor::ID,
        bump = anchor_backing.bump,
    )]
    pub anchor_backing: Box<Account<'info, Backing>>,
    #[account(address = config.anchor_mint @ ReserveError::AccountMismatch)]
    pub anchor_mint: Box<InterfaceAccount<'info, Mint>>,
    #[account(mut, address = config.anchor_vault @ ReserveError::AccountMismatch)]
    pub anchor_vault: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(address = config.stable_mint @ ReserveError::AccountMismatch)]
    pub stable_mint: Box<InterfaceAccount<'info, Mint>>,
    #[account(mut, address = config.stable_vault @ ReserveError::AccountMismatch)]
    pub stable_vault: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(address = config.token_program @ ReserveError::AccountMismatch)]
    pub token_program: Interface<'info, TokenInterface>,
    /// The anchor mint's token program.
    #[account(address = config.anchor_token_program @ ReserveError::AnchorTokenProgramMismatch)]
    pub anchor_token_program: Interface<'info, TokenInterface>,
}

#[event]
pub struct AnchorBought {
    pub seller: Pubkey,
    pub amount: u64,
    /// What the tokens redeem for at value-anchor's lower-bound backing, and what was paid.
    pub worth: u64,
    pub paid: u64,
    pub bid_used: u64,
    pub bid_budget: u64,
}

/// Pays `floor(worth x (10,000 - band) / 10,000)` for `amount` anchor tokens, where `worth =
/// floor(amount x min(backing_low, supply) / supply)`: par less the band when value-anchor is
/// fully backed, its pro-rata value less the band when not. Refused past the epoch's bid budget
/// (the log says what fits) or the idle cash. Remaining accounts: value-anchor's accepted pools
/// in backing-slot order.
pub fn handler(mut ctx: Context<SellAnchorToReserve>, amount: u64, min_out: u64) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let a = &mut ctx.accounts;
    let params = a.config.params;
    require!(!a.config.paused, ReserveError::Paused);
    require!(amount > 0, ReserveError::InvalidAmount);
    let book = &mut a.book;
    book.roll_epoch(now, params.epoch_secs);
    let left = params.bid_budget.saturating_sub(book.bid_used);
    if amount > left {
        msg!("bid budget: {} anchor tokens fit", left);
        return err!(ReserveError::BidBudgetExceeded);
    }
    let worth = anchor_side::anchor_worth(
        amount,
        &a.anchor_config,
        &a.anchor_backing,
        ctx.remaining_accounts,
        now,
    )?;
    let paid = math::mul_div_floor(worth, (BPS - params.bid_band_bps) as u64, BPS as u64)?;
    if paid > book.cash {
        msg!("idle cash: {} fits", book.cash);
        return err!(ReserveError::InsufficientCash);
    }
    require!(paid > 0, ReserveError::RoundsToZero);
    require!(paid >= min_out, ReserveError::SlippageExceeded);

    let received = token_ops::transfer(
        &a.anchor_token_program,
        &a.seller_anchor,
        &mut a.anchor_vault,
        &a.anchor_mint,
        a.seller.to_account_info(),
        None,
        amount,
    )?;
    require!(received == amount, ReserveError::NothingReceived);
    let config = &a.config;
    token_ops::transfer(
        &a.token_program,
        &a.stable_vault,
        &mut a.seller_stable,
        &a.stable_mint,
        config.to_account_info(),
        Some(config),
        paid,
    )?;
    let book = &mut a.book;
    book.cash = sub(book.cash, paid)?;
    book.anchor_held = add(book.anchor_held, amount)?;
    book.bid_used = add(book.bid_used, amount)?;
    book.invariant()?;
    emit!(AnchorBought {
        seller: a.seller.key(),
        amount,
        worth,
        paid,
        bid_used: book.bid_used,
        bid_budget: params.bid_budget,
    });
    Ok(())
}
