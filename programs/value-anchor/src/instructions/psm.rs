//! The peg stability module against the reserve stablecoin (as Maker's LitePSM): mint anchor
//! tokens 1:1 for stable less `fee_in`, redeem them for stable at `min(1, backing / supply)`
//! less `fee_out`, as far as the stable reserve holds.
use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};

use crate::{
    errors::AnchorTokenError,
    math, seeds,
    state::{AnchorConfig, Backing, FEE_HALT},
    token_ops,
};

/// The holder's side of the stable reserve: its stable and anchor accounts and the reserve's
/// accounts. The PSM and in-kind redemption share it.
#[derive(Accounts)]
pub struct Psm<'info> {
    /// Signs for its token accounts (a wallet, or a program's PDA through CPI: it pays no
    /// rent; an in-kind claim's rent comes from `RedeemInKind::payer`).
    pub holder: Signer<'info>,
    #[account(seeds = [seeds::CONFIG], bump = config.bump)]
    pub config: Box<Account<'info, AnchorConfig>>,
    #[account(mut, seeds = [seeds::BACKING], bump = backing.bump)]
    pub backing: Box<Account<'info, Backing>>,
    #[account(mut, address = config.anchor_mint @ AnchorTokenError::AccountMismatch)]
    pub anchor_mint: Box<InterfaceAccount<'info, Mint>>,
    #[account(address = config.reserve_mint @ AnchorTokenError::AccountMismatch)]
    pub reserve_mint: Box<InterfaceAccount<'info, Mint>>,
    #[account(mut, address = config.stable_reserve @ AnchorTokenError::AccountMismatch)]
    pub stable_reserve: Box<InterfaceAccount<'info, TokenAccount>>,
    /// The holder's stable account (source on mint, destination on redeem).
    #[account(
        mut,
        token::mint = reserve_mint,
        token::authority = holder,
        token::token_program = token_program,
    )]
    pub holder_stable: Box<InterfaceAccount<'info, TokenAccount>>,
    /// The holder's anchor account (destination on mint, source on redeem).
    #[account(
        mut,
        token::mint = anchor_mint,
        token::authority = holder,
        token::token_program = config.anchor_token_program,
    )]
    pub holder_anchor: Box<InterfaceAccount<'info, TokenAccount>>,
    /// The reserve stablecoin's token program.
    #[account(address = config.token_program @ AnchorTokenError::AccountMismatch)]
    pub token_program: Interface<'info, TokenInterface>,
    /// The anchor mint's token program.
    #[account(
        address = config.anchor_token_program @ AnchorTokenError::AnchorTokenProgramMismatch
    )]
    pub anchor_token_program: Interface<'info, TokenInterface>,
}

impl Psm<'_> {
    /// Burns `amount` of the holder's anchor tokens, pays it `paid` stable from the reserve
    /// (signed by the config PDA), and settles the backing.
    pub fn burn_and_pay(&mut self, amount: u64, paid: u64, now: i64) -> Result<()> {
        token_ops::burn_anchor(
            &self.anchor_token_program,
            &self.anchor_mint,
            &self.holder_anchor,
            self.holder.to_account_info(),
            amount,
        )?;
        if paid > 0 {
            let seeds = token_ops::config_seeds(&self.config);
            token_ops::transfer(
                &self.token_program,
                &self.stable_reserve,
                &mut self.holder_stable,
                &self.reserve_mint,
                self.config.to_account_info(),
                &[&seeds],
                paid,
            )?;
            self.stable_reserve.reload()?;
        }
        self.anchor_mint.reload()?;
        self.backing.settle(self.stable_reserve.amount, self.anchor_mint.supply, now)?;
        self.backing.invariant()
    }
}

#[event]
pub struct MintedWithStable {
    pub holder: Pubkey,
    pub stable_in: u64,
    pub fee: u64,
    pub minted: u64,
}

#[event]
pub struct RedeemedForStable {
    pub holder: Pubkey,
    pub burned: u64,
    /// `floor(burned x min(backing, supply) / supply)`.
    pub value: u64,
    pub fee: u64,
    pub paid: u64,
}

/// `amount` stable in; `amount - ceil(amount x fee_in)` anchor tokens out. The fee stays in
/// the reserve as surplus backing and is added to `fees_accrued` (`sweep_fees`). Refused when
/// minting is paused, the side is halted, below `min_out`, or when the backing would be stale
/// or short afterwards. The remaining accounts are every accepted pool's account, in
/// backing-slot order.
pub fn handle_mint_with_stable(mut ctx: Context<Psm>, amount: u64, min_out: u64) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let a = &mut ctx.accounts;
    let params = a.config.params;
    require!(!a.config.paused, AnchorTokenError::Paused);
    require!(params.fee_in_bps != FEE_HALT, AnchorTokenError::PsmSideHalted);
    require!(amount > 0, AnchorTokenError::InvalidAmount);
    let received = token_ops::transfer(
        &a.token_program,
        &a.holder_stable,
        &mut a.stable_reserve,
        &a.reserve_mint,
        a.holder.to_account_info(),
        &[],
        amount,
    )?;
    let fee = math::fee_ceil(received, params.fee_in_bps)?;
    let minted = received - fee.min(received);
    require!(minted > 0, AnchorTokenError::RoundsToZero);
    require!(minted >= min_out, AnchorTokenError::SlippageExceeded);
    let program = &a.anchor_token_program;
    token_ops::mint_anchor(program, &a.anchor_mint, &a.holder_anchor, &a.config, minted)?;
    a.anchor_mint.reload()?;
    let backing = &mut a.backing;
    backing.accrue_fee(fee)?;
    backing.settle(a.stable_reserve.amount, a.anchor_mint.supply, now)?;
    let current = backing.current(ctx.remaining_accounts)?;
    backing.require_backed(now, params.max_entry_age_secs, params.overcollateral_bps, &current)?;
    backing.invariant()?;
    emit!(MintedWithStable { holder: a.holder.key(), stable_in: received, fee, minted });
    Ok(())
}

/// Burns `amount` anchor tokens and pays `value - ceil(value x fee_out)` stable, where
/// `value = floor(amount x min(backing, supply) / supply)` and `backing` counts the live stable
/// reserve and every entry whose pool is unchanged since it was priced (a lower bound): par
/// when fully backed, the same share per token for everyone when not, never from value that
/// may be gone. The fee stays in the reserve and is added to `fees_accrued`. Never paused;
/// refused when the side is halted, below `min_out`, or beyond the stable reserve. The
/// remaining accounts are every accepted pool's account, in slot order.
pub fn handle_redeem_for_stable(mut ctx: Context<Psm>, amount: u64, min_out: u64) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let a = &mut ctx.accounts;
    let params = a.config.params;
    require!(params.fee_out_bps != FEE_HALT, AnchorTokenError::PsmSideHalted);
    let reserve = a.stable_reserve.amount;
    let current = a.backing.current(ctx.remaining_accounts)?;
    let backing_now = a.backing.backing_low(reserve, &current, now, params.max_entry_age_secs)?;
    let value = math::redemption_value_floor(amount, backing_now, a.anchor_mint.supply)?;
    let fee = math::fee_ceil(value, params.fee_out_bps)?;
    let paid = value - fee.min(value);
    require!(paid > 0, AnchorTokenError::RoundsToZero);
    require!(paid >= min_out, AnchorTokenError::SlippageExceeded);
    require!(paid <= reserve, AnchorTokenError::InsufficientStableReserve);

    a.backing.accrue_fee(fee)?;
    a.burn_and_pay(amount, paid, now)?;
    emit!(RedeemedForStable { holder: a.holder.key(), burned: amount, value, fee, paid });
    Ok(())
}
