use anchor_lang::prelude::*;
use anchor_spl::token_interface::{
    self, Burn, Mint, TokenAccount, TokenInterface, TransferChecked,
};

use crate::{
    errors::ReceivablesError,
    seeds,
    state::{redemption_payout_floor, Pool, RegistryConfig},
};

#[derive(Accounts)]
pub struct Redeem<'info> {
    pub holder: Signer<'info>,
    #[account(
        seeds = [seeds::CONFIG],
        bump = config.bump,
        constraint = !config.paused @ ReceivablesError::Paused,
    )]
    pub config: Box<Account<'info, RegistryConfig>>,
    #[account(
        seeds = [seeds::POOL, pool.issuer.as_ref(), pool.index.to_le_bytes().as_ref()],
        bump = pool.bump,
        has_one = unit_mint,
        has_one = vault,
        has_one = currency_mint,
    )]
    pub pool: Box<Account<'info, Pool>>,
    #[account(mut, mint::token_program = unit_token_program)]
    pub unit_mint: Box<InterfaceAccount<'info, Mint>>,
    #[account(
        mut,
        token::mint = unit_mint,
        token::authority = holder,
        token::token_program = unit_token_program,
    )]
    pub holder_units: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(mut)]
    pub vault: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(mint::token_program = currency_token_program)]
    pub currency_mint: Box<InterfaceAccount<'info, Mint>>,
    #[account(mut, token::mint = currency_mint, token::token_program = currency_token_program)]
    pub destination: Box<InterfaceAccount<'info, TokenAccount>>,
    pub unit_token_program: Interface<'info, TokenInterface>,
    pub currency_token_program: Interface<'info, TokenInterface>,
}

#[event]
pub struct Redeemed {
    pub pool: Pubkey,
    pub holder: Pubkey,
    pub units: u64,
    pub payout: u64,
}

/// Matured, WrittenOff or Closed pools: burns `units` of the holder's and pays their pro-rata share of the
/// vault, `floor(vault * units / supply)`, signed by the pool PDA.
pub fn handler(ctx: Context<Redeem>, units: u64) -> Result<()> {
    let a = &ctx.accounts;
    require!(a.pool.status.is_redeemable(), ReceivablesError::InvalidPoolStatus);
    let payout = redemption_payout_floor(a.vault.amount, a.unit_mint.supply, units)?;
    require!(payout > 0, ReceivablesError::RedemptionRoundsToZero);

    token_interface::burn(
        CpiContext::new(
            a.unit_token_program.key(),
            Burn {
                mint: a.unit_mint.to_account_info(),
                from: a.holder_units.to_account_info(),
                authority: a.holder.to_account_info(),
            },
        ),
        units,
    )?;
    let index = a.pool.index.to_le_bytes();
    let signer_seeds: &[&[u8]] = &[seeds::POOL, a.pool.issuer.as_ref(), &index, &[a.pool.bump]];
    token_interface::transfer_checked(
        CpiContext::new_with_signer(
            a.currency_token_program.key(),
            TransferChecked {
                from: a.vault.to_account_info(),
                mint: a.currency_mint.to_account_info(),
                to: a.destination.to_account_info(),
                authority: a.pool.to_account_info(),
            },
            &[signer_seeds],
        ),
        payout,
        a.currency_mint.decimals,
    )?;
    emit!(Redeemed { pool: a.pool.key(), holder: a.holder.key(), units, payout });
    Ok(())
}
