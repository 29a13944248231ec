//! The insurance pool (first loss): stakes of the reserve stablecoin for shares of the
//! insurance cash; unstaking after a cooldown, inside a window, and never while a loss is known.
use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};
use value_anchor::state::{AnchorConfig, Backing};

use crate::{
    anchor_side,
    errors::ReserveError,
    instructions::deposit::open_position,
    seeds,
    state::{add, Position, PositionKind, ReserveBook, ReserveConfig},
    token_ops,
};

#[derive(Accounts)]
pub struct StakeInsurance<'info> {
    #[account(mut)]
    pub staker: Signer<'info>,
    #[account(seeds = [seeds::CONFIG], bump = config.bump)]
    pub config: Box<Account<'info, ReserveConfig>>,
    #[account(mut, seeds = [seeds::BOOK], bump = book.bump)]
    pub book: Box<Account<'info, ReserveBook>>,
    #[account(
        init_if_needed,
        payer = staker,
        space = 8 + Position::INIT_SPACE,
        seeds = [seeds::POSITION, &[PositionKind::Insurance as u8], staker.key().as_ref()],
        bump,
    )]
    pub position: Box<Account<'info, Position>>,
    #[account(
        mut,
        token::mint = stable_mint,
        token::authority = staker,
        token::token_program = token_program,
    )]
    pub staker_stable: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(address = config.stable_mint @ ReserveError::AccountMismatch)]
    pub stable_mint: Box<InterfaceAccount<'info, Mint>>,
    #[account(mut, address = config.insurance_vault @ ReserveError::AccountMismatch)]
    pub insurance_vault: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(address = config.token_program @ ReserveError::AccountMismatch)]
    pub token_program: Interface<'info, TokenInterface>,
    pub system_program: Program<'info, System>,
}

#[derive(Accounts)]
pub struct UnstakeInsurance<'info> {
    pub owner: Signer<'info>,
    #[account(seeds = [seeds::CONFIG], bump = config.bump)]
    pub config: Box<Account<'info, ReserveConfig>>,
    #[account(mut, seeds = [seeds::BOOK], bump = book.bump)]
    pub book: Box<Account<'info, ReserveBook>>,
    #[account(
        mut,
        seeds = [seeds::POSITION, &[PositionKind::Insurance as u8], owner.key().as_ref()],
        bump = position.bump,
        has_one = owner @ ReserveError::AccountMismatch,
    )]
    pub position: Box<Account<'info, Position>>,
    /// Where the cash goes (any account of the reserve stablecoin).
    #[account(mut, token::mint = stable_mint, token::token_program = token_program)]
    pub owner_stable: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(address = config.stable_mint @ ReserveError::AccountMismatch)]
    pub stable_mint: Box<InterfaceAccount<'info, Mint>>,
    #[account(mut, address = config.insurance_vault @ ReserveError::AccountMismatch)]
    pub insurance_vault: Box<InterfaceAccount<'info, TokenAccount>>,
    /// value-anchor's config and backing: exits freeze while a loss is known there.
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
    #[account(address = config.token_program @ ReserveError::AccountMismatch)]
    pub token_program: Interface<'info, TokenInterface>,
}

#[event]
pub struct InsuranceStaked {
    pub owner: Pubkey,
    pub amount: u64,
    pub shares: u64,
    pub insurance_cash: u64,
    pub total_shares: u64,
}

#[event]
pub struct InsuranceUnstaked {
    pub owner: Pubkey,
    pub shares: u64,
    pub amount: u64,
    pub insurance_cash: u64,
    pub total_shares: u64,
}

/// `amount` of stable in; `floor(received x (shares + V) / (insurance_cash + 1))` shares out,
/// at least `min_shares`. Refused while paused, or below `MIN_FIRST_DEPOSIT` into an empty pool.
pub fn handle_stake(mut ctx: Context<StakeInsurance>, amount: u64, min_shares: u64) -> Result<()> {
    let a = &mut ctx.accounts;
    require!(!a.config.paused, ReserveError::Paused);
    require!(amount > 0, ReserveError::InvalidAmount);
    a.book.insurance().check_first(amount)?;
    let received = token_ops::transfer(
        &a.token_program,
        &a.staker_stable,
        &mut a.insurance_vault,
        &a.stable_mint,
        a.staker.to_account_info(),
        None,
        amount,
    )?;
    let book = &mut a.book;
    let minted = book.insurance().deposit(received, min_shares)?;
    let owner = a.staker.key();
    open_position(&mut a.position, owner, PositionKind::Insurance, ctx.bumps.position);
    a.position.sync_generation(book.insurance_generation);
    a.position.shares = add(a.position.shares, minted)?;
    a.position.invariant()?;
    book.invariant()?;
    emit!(InsuranceStaked {
        owner,
        amount: received,
        shares: minted,
        insurance_cash: book.insurance_cash,
        total_shares: book.insurance_shares,
    });
    Ok(())
}

/// `shares` (requested, within the window after the cooldown) out; their share of the insurance
/// cash, `floor(shares x (insurance_cash + 1) / (total_shares + V))`, paid, at least `min_out`.
/// Frozen (`ExitsFrozen`) while any pool value-anchor accepts is Late or Defaulted, or its
/// backing is short or unproven. Remaining accounts: value-anchor's pools in backing-slot order.
pub fn handle_unstake(mut ctx: Context<UnstakeInsurance>, shares: u64, min_out: u64) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let a = &mut ctx.accounts;
    let p = a.config.params;
    a.position.sync_generation(a.book.insurance_generation);
    a.position.require_in_window(now, p.stake_cooldown_secs, p.stake_window_secs)?;
    anchor_side::require_exits_open(
        &a.anchor_config,
        &a.anchor_backing,
        ctx.remaining_accounts,
        now,
    )?;
    a.position.take_exiting(shares)?;
    let amount = a.book.insurance().withdraw(shares, min_out)?;
    let config = &a.config;
    token_ops::transfer(
        &a.token_program,
        &a.insurance_vault,
        &mut a.owner_stable,
        &a.stable_mint,
        config.to_account_info(),
        Some(config),
        amount,
    )?;
    a.position.invariant()?;
    a.book.invariant()?;
    emit!(InsuranceUnstaked {
        owner: a.owner.key(),
        shares,
        amount,
        insurance_cash: a.book.insurance_cash,
        total_shares: a.book.insurance_shares,
    });
    Ok(())
}
