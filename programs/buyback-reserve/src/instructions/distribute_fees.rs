//! Permissionless: splits the protocol fees in the fee vault (value-anchor's swept PSM fees)
//! between the insurance pool, protocol-token stakers and the reserve's depositors.
use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};
use rwa_math::{shares, Fixed};

use crate::{
    errors::{math_err, ReserveError},
    math, seeds,
    state::{add, sub, ReserveBook, ReserveConfig},
    token_ops,
};

#[derive(Accounts)]
pub struct DistributeFees<'info> {
    #[account(seeds = [seeds::CONFIG], bump = config.bump)]
    pub config: Box<Account<'info, ReserveConfig>>,
    #[account(mut, seeds = [seeds::BOOK], bump = book.bump)]
    pub book: Box<Account<'info, ReserveBook>>,
    #[account(mut, address = config.fee_vault @ ReserveError::AccountMismatch)]
    pub fee_vault: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(mut, address = config.stable_vault @ ReserveError::AccountMismatch)]
    pub stable_vault: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(mut, address = config.insurance_vault @ ReserveError::AccountMismatch)]
    pub insurance_vault: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(mut, address = config.rewards_vault @ ReserveError::AccountMismatch)]
    pub rewards_vault: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(address = config.stable_mint @ ReserveError::AccountMismatch)]
    pub stable_mint: Box<InterfaceAccount<'info, Mint>>,
    #[account(address = config.token_program @ ReserveError::AccountMismatch)]
    pub token_program: Interface<'info, TokenInterface>,
}

#[event]
pub struct FeesDistributed {
    pub amount: u64,
    pub to_insurance: u64,
    pub to_stakers: u64,
    pub to_reserve: u64,
}

/// The whole fee vault: `floor(amount x fee_to_insurance)` to the insurance pool and
/// `floor(amount x fee_to_stakers)` to protocol-token stakers (each to the reserve while that
/// pool has no stakers, so a first staker cannot capture them), the rest (with both roundings)
/// to the reserve's idle cash.
pub fn handler(mut ctx: Context<DistributeFees>) -> Result<()> {
    let a = &mut ctx.accounts;
    let p = a.config.params;
    let amount = a.fee_vault.amount;
    require!(amount > 0, ReserveError::NothingOwed);
    let to_insurance = if a.book.insurance_shares > 0 {
        math::bps_floor(amount, p.fee_to_insurance_bps)?
    } else {
        0
    };
    let to_stakers =
        if a.book.staked > 0 { math::bps_floor(amount, p.fee_to_stakers_bps)? } else { 0 };
    let to_reserve = sub(sub(amount, to_insurance)?, to_stakers)?;

    let config = &a.config;
    for (to, part) in [
        (&mut a.insurance_vault, to_insurance),
        (&mut a.rewards_vault, to_stakers),
        (&mut a.stable_vault, to_reserve),
    ] {
        if part > 0 {
            token_ops::transfer(
                &a.token_program,
                &a.fee_vault,
                to,
                &a.stable_mint,
                config.to_account_info(),
                Some(config),
                part,
            )?;
        }
    }
    let book = &mut a.book;
    book.insurance_cash = add(book.insurance_cash, to_insurance)?;
    book.rewards_cash = add(book.rewards_cash, to_stakers)?;
    let acc = shares::accumulate(Fixed::from_raw(book.reward_per_token), to_stakers, book.staked)
        .map_err(math_err)?;
    book.reward_per_token = acc.raw();
    book.cash = add(book.cash, to_reserve)?;
    book.invariant()?;
    emit!(FeesDistributed { amount, to_insurance, to_stakers, to_reserve });
    Ok(())
}
