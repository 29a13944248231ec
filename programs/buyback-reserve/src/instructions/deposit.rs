//! Reserve capital: deposits of the reserve stablecoin for shares, withdrawals of idle cash
//! after a cooldown, both at the reserve's net assets.
use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};
use value_anchor::state::{AnchorConfig, Backing};

use crate::{
    anchor_side,
    errors::ReserveError,
    seeds,
    state::{add, Position, PositionKind, ReserveBook, ReserveConfig},
    token_ops,
};

/// What the reserve's shares are worth: its config and book, and value-anchor's config and
/// backing (for the anchor tokens the reserve holds). Remaining accounts: every listed pool's
/// account in holding-slot order, then, while the reserve holds anchor tokens, every pool
/// value-anchor accepts in backing-slot order.
#[derive(Accounts)]
pub struct ReserveAssets<'info> {
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
}

impl ReserveAssets<'_> {
    /// Idle cash + holdings (each up to date) + anchor tokens at what they redeem for.
    pub fn net_assets(&self, remaining: &[AccountInfo], now: i64) -> Result<u64> {
        let book = &self.book;
        let max_age = self.config.params.max_price_age_secs;
        let holdings = book.holdings_value(remaining, now, max_age)?;
        let rest = &remaining[book.holding_count as usize..];
        let anchor = anchor_side::anchor_worth(
            book.anchor_held,
            &self.anchor_config,
            &self.anchor_backing,
            rest,
            now,
        )?;
        book.net_assets(holdings, anchor)
    }
}

#[derive(Accounts)]
pub struct Deposit<'info> {
    #[account(mut)]
    pub depositor: Signer<'info>,
    pub assets: ReserveAssets<'info>,
    #[account(
        init_if_needed,
        payer = depositor,
        space = 8 + Position::INIT_SPACE,
        seeds = [seeds::POSITION, &[PositionKind::Deposit as u8], depositor.key().as_ref()],
        bump,
    )]
    pub position: Box<Account<'info, Position>>,
    #[account(
        mut,
        token::mint = stable_mint,
        token::authority = depositor,
        token::token_program = token_program,
    )]
    pub depositor_stable: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(address = assets.config.stable_mint @ ReserveError::AccountMismatch)]
    pub stable_mint: Box<InterfaceAccount<'info, Mint>>,
    #[account(mut, address = assets.config.stable_vault @ ReserveError::AccountMismatch)]
    pub stable_vault: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(address = assets.config.token_program @ ReserveError::AccountMismatch)]
    pub token_program: Interface<'info, TokenInterface>,
    pub system_program: Program<'info, System>,
}

#[derive(Accounts)]
pub struct Withdraw<'info> {
    pub owner: Signer<'info>,
    pub assets: ReserveAssets<'info>,
    #[account(
        mut,
        seeds = [seeds::POSITION, &[PositionKind::Deposit as u8], owner.key().as_ref()],
        bump = position.bump,
        has_one = owner @ ReserveError::AccountMismatch,
    )]
    pub position: Box<Account<'info, Position>>,
    /// Where the cash goes (any account of the reserve stablecoin).
    #[account(mut, token::mint = stable_mint, token::token_program = token_program)]
    pub owner_stable: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(address = assets.config.stable_mint @ ReserveError::AccountMismatch)]
    pub stable_mint: Box<InterfaceAccount<'info, Mint>>,
    #[account(mut, address = assets.config.stable_vault @ ReserveError::AccountMismatch)]
    pub stable_vault: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(address = assets.config.token_program @ ReserveError::AccountMismatch)]
    pub token_program: Interface<'info, TokenInterface>,
}

#[event]
pub struct Deposited {
    pub owner: Pubkey,
    pub amount: u64,
    pub shares: u64,
    /// The reserve's net assets before the deposit, and its shares after.
    pub net_assets: u64,
    pub total_shares: u64,
}

#[event]
pub struct Withdrawn {
    pub owner: Pubkey,
    pub shares: u64,
    pub amount: u64,
    pub net_assets: u64,
    pub total_shares: u64,
}

/// Binds a fresh position to its owner and kind (no-op for an existing one).
pub fn open_position(position: &mut Position, owner: Pubkey, kind: PositionKind, bump: u8) {
    if position.owner == Pubkey::default() {
        position.owner = owner;
        position.kind = kind;
        position.bump = bump;
    }
}

/// `amount` of stable in; `floor(received x (shares + V) / (net_assets + 1))` shares out, at
/// least `min_shares`. Refused while paused, below `MIN_FIRST_DEPOSIT` into an empty reserve,
/// or when a holding is out of date.
pub fn handle_deposit<'info>(
    mut ctx: Context<'info, Deposit<'info>>,
    amount: u64,
    min_shares: u64,
) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let a = &mut ctx.accounts;
    require!(!a.assets.config.paused, ReserveError::Paused);
    require!(amount > 0, ReserveError::InvalidAmount);
    let net_assets = a.assets.net_assets(ctx.remaining_accounts, now)?;
    a.assets.book.capital(net_assets).check_first(amount)?;
    let received = token_ops::transfer(
        &a.token_program,
        &a.depositor_stable,
        &mut a.stable_vault,
        &a.stable_mint,
        a.depositor.to_account_info(),
        None,
        amount,
    )?;
    let book = &mut a.assets.book;
    let minted = book.capital(net_assets).deposit(received, min_shares)?;
    let owner = a.depositor.key();
    open_position(&mut a.position, owner, PositionKind::Deposit, ctx.bumps.position);
    a.position.shares = add(a.position.shares, minted)?;
    a.position.invariant()?;
    book.invariant()?;
    emit!(Deposited {
        owner,
        amount: received,
        shares: minted,
        net_assets,
        total_shares: book.shares
    });
    Ok(())
}

/// `shares` (of those whose exit was requested, within the window after the cooldown) out;
/// `floor(shares x (net_assets + 1) / (total_shares + V))` of idle cash paid, at least
/// `min_out`. Refused beyond the idle cash (the log says how many shares fit). Never paused.
pub fn handle_withdraw<'info>(
    mut ctx: Context<'info, Withdraw<'info>>,
    shares: u64,
    min_out: u64,
) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let a = &mut ctx.accounts;
    let p = a.assets.config.params;
    a.position.require_in_window(now, p.deposit_cooldown_secs, p.deposit_window_secs)?;
    let net_assets = a.assets.net_assets(ctx.remaining_accounts, now)?;
    a.position.take_exiting(shares)?;
    let amount = a.assets.book.capital(net_assets).withdraw(shares, min_out)?;
    let config = &a.assets.config;
    token_ops::transfer(
        &a.token_program,
        &a.stable_vault,
        &mut a.owner_stable,
        &a.stable_mint,
        config.to_account_info(),
        Some(config),
        amount,
    )?;
    a.position.invariant()?;
    a.assets.book.invariant()?;
    let total_shares = a.assets.book.shares;
    emit!(Withdrawn { owner: a.owner.key(), shares, amount, net_assets, total_shares });
    Ok(())
}
