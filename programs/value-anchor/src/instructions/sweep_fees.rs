//! Accrued PSM fees out to the fee recipient, out of surplus only.
use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};

use crate::{
    errors::AnchorTokenError,
    math, seeds,
    state::{AnchorConfig, Backing},
    token_ops,
};

#[derive(Accounts)]
pub struct SweepFees<'info> {
    #[account(
        seeds = [seeds::CONFIG],
        bump = config.bump,
        constraint = config.fee_recipient != Pubkey::default() @ AnchorTokenError::NoFeeRecipient,
    )]
    pub config: Box<Account<'info, AnchorConfig>>,
    #[account(mut, seeds = [seeds::BACKING], bump = backing.bump)]
    pub backing: Box<Account<'info, Backing>>,
    #[account(address = config.reserve_mint @ AnchorTokenError::AccountMismatch)]
    pub reserve_mint: Box<InterfaceAccount<'info, Mint>>,
    #[account(mut, address = config.stable_reserve @ AnchorTokenError::AccountMismatch)]
    pub stable_reserve: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(mut, address = config.fee_recipient @ AnchorTokenError::AccountMismatch)]
    pub fee_recipient: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(address = config.anchor_mint @ AnchorTokenError::AccountMismatch)]
    pub anchor_mint: Box<InterfaceAccount<'info, Mint>>,
    #[account(address = config.token_program @ AnchorTokenError::AccountMismatch)]
    pub token_program: Interface<'info, TokenInterface>,
}

#[event]
pub struct FeesSwept {
    /// Stable paid to the fee recipient.
    pub amount: u64,
    /// Fees still accrued (left because the surplus or the reserve could not pay them).
    pub fees_accrued_left: u64,
    pub total_backing: u64,
}

/// Permissionless: pays `min(fees_accrued, surplus, stable_reserve)` from the stable reserve to
/// the fee recipient (signed by the config PDA), where `surplus = total_backing -
/// ceil(supply x (10,000 + overcollateral_bps) / 10,000)` (zero when short) with the backing
/// settled at the live stable reserve. Fees leave only out of surplus, never while holders
/// are short, and the backing still passes the mint check afterwards. Every entry holding
/// units must be fresh (`StaleBacking`): a stale entry would misstate the surplus. Refused
/// without a fee recipient (`NoFeeRecipient`) or when nothing can leave (`NothingToSweep`).
/// The remaining accounts are every accepted pool's account, in backing-slot order.
pub fn handler(mut ctx: Context<SweepFees>) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let a = &mut ctx.accounts;
    let params = a.config.params;
    let backing = &mut a.backing;
    let current = backing.current(ctx.remaining_accounts)?;
    backing.require_fresh(now, params.max_entry_age_secs, &current)?;
    backing.settle(a.stable_reserve.amount, a.anchor_mint.supply, now)?;
    let surplus = math::surplus_floor(
        backing.total_backing,
        backing.anchor_supply,
        params.overcollateral_bps,
    );
    let amount = backing.fees_accrued.min(surplus).min(a.stable_reserve.amount);
    require!(amount > 0, AnchorTokenError::NothingToSweep);
    backing.fees_accrued =
        backing.fees_accrued.checked_sub(amount).ok_or(AnchorTokenError::MathOverflow)?;

    let seeds = token_ops::config_seeds(&a.config);
    token_ops::transfer(
        &a.token_program,
        &a.stable_reserve,
        &mut a.fee_recipient,
        &a.reserve_mint,
        a.config.to_account_info(),
        &[&seeds],
        amount,
    )?;
    a.stable_reserve.reload()?;
    let backing = &mut a.backing;
    backing.settle(a.stable_reserve.amount, a.anchor_mint.supply, now)?;
    backing.require_backed(now, params.max_entry_age_secs, params.overcollateral_bps, &current)?;
    backing.invariant()?;
    emit!(FeesSwept {
        amount,
        fees_accrued_left: backing.fees_accrued,
        total_backing: backing.total_backing,
    });
    Ok(())
}
