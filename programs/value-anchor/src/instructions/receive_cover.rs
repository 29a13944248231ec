//! Capital in to cover a shortfall (the buyback reserve's insurance after a loss, or anyone).
use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};

use crate::{
    errors::AnchorTokenError,
    math, seeds,
    state::{AnchorConfig, Backing},
    token_ops,
};

#[derive(Accounts)]
pub struct ReceiveCover<'info> {
    /// Signs for `payer_stable` (a wallet, or a program's PDA through CPI).
    pub payer: Signer<'info>,
    /// The payer's reserve-stablecoin account, the source of the cover.
    #[account(
        mut,
        token::mint = reserve_mint,
        token::authority = payer,
        token::token_program = token_program,
    )]
    pub payer_stable: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(seeds = [seeds::CONFIG], bump = config.bump)]
    pub config: Box<Account<'info, AnchorConfig>>,
    #[account(mut, seeds = [seeds::BACKING], bump = backing.bump)]
    pub backing: Box<Account<'info, Backing>>,
    #[account(address = config.reserve_mint @ AnchorTokenError::AccountMismatch)]
    pub reserve_mint: Box<InterfaceAccount<'info, Mint>>,
    #[account(mut, address = config.stable_reserve @ AnchorTokenError::AccountMismatch)]
    pub stable_reserve: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(address = config.anchor_mint @ AnchorTokenError::AccountMismatch)]
    pub anchor_mint: Box<InterfaceAccount<'info, Mint>>,
    #[account(address = config.token_program @ AnchorTokenError::AccountMismatch)]
    pub token_program: Interface<'info, TokenInterface>,
}

#[event]
pub struct CoverReceived {
    pub payer: Pubkey,
    /// Stable the reserve gained: `min(max_amount, shortfall_before)`.
    pub amount: u64,
    /// `ceil(supply x (1 + overcollateral)) - total_backing` before the cover.
    pub shortfall_before: u64,
    pub total_backing: u64,
    pub anchor_supply: u64,
}

/// Permissionless: moves `min(max_amount, shortfall)` of the payer's stable into the stable
/// reserve, where `shortfall = ceil(supply x (10,000 + overcollateral_bps) / 10,000) -
/// total_backing` with the backing settled at the live stable reserve; `NoShortfall` when it
/// is zero, so nobody overpays. Every entry holding units must be fresh (`StaleBacking`): a
/// stale entry would misstate the shortfall. Never paused. The remaining accounts are every
/// accepted pool's account, in backing-slot order.
pub fn handler(mut ctx: Context<ReceiveCover>, max_amount: u64) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let a = &mut ctx.accounts;
    let params = a.config.params;
    require!(max_amount > 0, AnchorTokenError::InvalidAmount);
    let backing = &mut a.backing;
    let current = backing.current(ctx.remaining_accounts)?;
    backing.require_fresh(now, params.max_entry_age_secs, &current)?;
    backing.settle(a.stable_reserve.amount, a.anchor_mint.supply, now)?;
    let shortfall_before = math::shortfall_ceil(
        backing.total_backing,
        backing.anchor_supply,
        params.overcollateral_bps,
    )?;
    require!(shortfall_before > 0, AnchorTokenError::NoShortfall);

    let amount = token_ops::transfer(
        &a.token_program,
        &a.payer_stable,
        &mut a.stable_reserve,
        &a.reserve_mint,
        a.payer.to_account_info(),
        &[],
        max_amount.min(shortfall_before),
    )?;
    let backing = &mut a.backing;
    backing.settle(a.stable_reserve.amount, a.anchor_mint.supply, now)?;
    backing.invariant()?;
    emit!(CoverReceived {
        payer: a.payer.key(),
        amount,
        shortfall_before,
        total_backing: backing.total_backing,
        anchor_supply: backing.anchor_supply,
    });
    Ok(())
}
