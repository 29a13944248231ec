//! Permissionless: the insurance pool covers value-anchor's shortfall, first loss, through
//! value-anchor's own `receive_cover`.
use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};
use value_anchor::program::ValueAnchor;

use crate::{
    errors::ReserveError,
    seeds,
    state::{add, sub, ReserveBook, ReserveConfig, MIN_FIRST_DEPOSIT},
};

/// Most insurance shares per base unit of insurance cash a cover may leave: a share starts at
/// `1 / VIRTUAL_SHARES` (a thousandth of a base unit); left worth less than a thousandth of
/// that, the generation is wiped out. Shares are u64, so a pool left at a share price `p` can
/// take at most `u64::MAX x p` more: the bound keeps that at least 18 million units of a
/// 6-decimal stablecoin, and old stakers lose at most 0.1% of what their shares first cost.
pub const MAX_SHARES_PER_BASE_UNIT: u128 = 1_000_000;

#[derive(Accounts)]
pub struct CoverShortfall<'info> {
    /// The config PDA signs as the payer of the cover (writable: value-anchor's payer is).
    #[account(mut, seeds = [seeds::CONFIG], bump = config.bump)]
    pub config: Box<Account<'info, ReserveConfig>>,
    #[account(mut, seeds = [seeds::BOOK], bump = book.bump)]
    pub book: Box<Account<'info, ReserveBook>>,
    #[account(mut, address = config.insurance_vault @ ReserveError::AccountMismatch)]
    pub insurance_vault: Box<InterfaceAccount<'info, TokenAccount>>,
    /// CHECK: value-anchor's config, checked by value-anchor.
    pub anchor_config: UncheckedAccount<'info>,
    /// CHECK: value-anchor's backing, checked by value-anchor.
    #[account(mut)]
    pub anchor_backing: UncheckedAccount<'info>,
    #[account(address = config.stable_mint @ ReserveError::AccountMismatch)]
    pub stable_mint: Box<InterfaceAccount<'info, Mint>>,
    /// CHECK: value-anchor's stable reserve, checked by value-anchor.
    #[account(mut)]
    pub anchor_stable_reserve: UncheckedAccount<'info>,
    #[account(address = config.anchor_mint @ ReserveError::AccountMismatch)]
    pub anchor_mint: Box<InterfaceAccount<'info, Mint>>,
    #[account(address = config.token_program @ ReserveError::AccountMismatch)]
    pub token_program: Interface<'info, TokenInterface>,
    pub value_anchor_program: Program<'info, ValueAnchor>,
}

#[event]
pub struct LossAbsorbed {
    /// Insurance cash moved into value-anchor's stable reserve.
    pub amount: u64,
    pub insurance_left: u64,
    pub covered_total: u64,
    /// The cover left less than `MIN_FIRST_DEPOSIT`, or each share worth less than a thousandth
    /// of its first price (`MAX_SHARES_PER_BASE_UNIT`): every insurance share so far is void
    /// and the pool starts a new generation (what is left stays as its first cash).
    pub shares_voided: bool,
}

/// Moves insurance cash into value-anchor's stable reserve up to its shortfall below
/// `supply x (1 + overcollateral)` (value-anchor computes the shortfall and refuses
/// `NoShortfall` or `StaleBacking`). Stakers' shares are worth less by what moved: they lose
/// before any anchor-token holder. Remaining accounts: value-anchor's accepted pools in slot
/// order.
pub fn handler<'info>(mut ctx: Context<'info, CoverShortfall<'info>>) -> Result<()> {
    let a = &mut ctx.accounts;
    let available = a.book.insurance_cash;
    require!(available > 0, ReserveError::NothingOwed);
    let before = a.insurance_vault.amount;
    let seeds = a.config.signer_seeds();
    value_anchor::cpi::receive_cover(
        CpiContext::new_with_signer(
            a.value_anchor_program.key(),
            value_anchor::cpi::accounts::ReceiveCover {
                payer: a.config.to_account_info(),
                payer_stable: a.insurance_vault.to_account_info(),
                config: a.anchor_config.to_account_info(),
                backing: a.anchor_backing.to_account_info(),
                reserve_mint: a.stable_mint.to_account_info(),
                stable_reserve: a.anchor_stable_reserve.to_account_info(),
                anchor_mint: a.anchor_mint.to_account_info(),
                token_program: a.token_program.to_account_info(),
            },
            &[&seeds],
        )
        .with_remaining_accounts(ctx.remaining_accounts.to_vec()),
        available,
    )?;
    a.insurance_vault.reload()?;
    let amount = sub(before, a.insurance_vault.amount)?;
    let book = &mut a.book;
    book.insurance_cash = sub(book.insurance_cash, amount)?;
    book.covered_total = add(book.covered_total, amount)?;
    // wiped out (down to dust, or each share next to worthless): the old shares are void, the
    // pool restarts at a share price a restock fits in
    let collapsed =
        book.insurance_shares as u128 > book.insurance_cash as u128 * MAX_SHARES_PER_BASE_UNIT;
    let shares_voided =
        book.insurance_shares > 0 && (book.insurance_cash < MIN_FIRST_DEPOSIT || collapsed);
    if shares_voided {
        book.insurance_shares = 0;
        book.insurance_generation =
            book.insurance_generation.checked_add(1).ok_or(ReserveError::MathOverflow)?;
    }
    book.invariant()?;
    emit!(LossAbsorbed {
        amount,
        insurance_left: book.insurance_cash,
        covered_total: book.covered_total,
        shares_voided,
    });
    Ok(())
}
