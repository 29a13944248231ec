use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};

use crate::{
    errors::AnchorTokenError,
    seeds,
    state::{AcceptedPool, AnchorConfig, Backing, InKindClaim},
    token_ops,
};

#[derive(Accounts)]
pub struct ClaimInKind<'info> {
    /// The claim's holder; receives the claim's rent when it closes, whoever paid it
    /// (`RedeemInKind::payer`).
    #[account(mut)]
    pub holder: Signer<'info>,
    #[account(seeds = [seeds::CONFIG], bump = config.bump)]
    pub config: Box<Account<'info, AnchorConfig>>,
    #[account(mut, seeds = [seeds::BACKING], bump = backing.bump)]
    pub backing: Box<Account<'info, Backing>>,
    #[account(
        seeds = [seeds::ACCEPTED_POOL, accepted_pool.pool.as_ref()],
        bump = accepted_pool.bump,
        has_one = unit_mint @ AnchorTokenError::AccountMismatch,
        has_one = collateral @ AnchorTokenError::AccountMismatch,
    )]
    pub accepted_pool: Box<Account<'info, AcceptedPool>>,
    #[account(
        mut,
        seeds = [seeds::CLAIM, holder.key().as_ref(), claim.nonce.to_le_bytes().as_ref()],
        bump = claim.bump,
        has_one = holder,
    )]
    pub claim: Box<Account<'info, InKindClaim>>,
    #[account(mint::token_program = unit_token_program)]
    pub unit_mint: Box<InterfaceAccount<'info, Mint>>,
    #[account(mut)]
    pub collateral: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(mut, token::mint = unit_mint, token::token_program = unit_token_program)]
    pub holder_units: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(address = accepted_pool.unit_token_program @ AnchorTokenError::AccountMismatch)]
    pub unit_token_program: Interface<'info, TokenInterface>,
}

#[event]
pub struct InKindClaimed {
    pub holder: Pubkey,
    pub pool: Pubkey,
    pub units: u64,
    /// The claim was settled and closed (its rent returned to the holder).
    pub closed: bool,
}

/// Moves what `claim` owes of this pool's units from the collateral account to the holder's
/// unit account; closes the claim once nothing is owed. Never paused. For permissioned units
/// the remaining accounts carry the transfer hook's extra accounts (the holder must be
/// attested).
pub fn handler<'info>(mut ctx: Context<'info, ClaimInKind<'info>>) -> Result<()> {
    let remaining = ctx.remaining_accounts;
    let a = &mut ctx.accounts;
    let slot = a.accepted_pool.slot as usize;
    let owed = a.claim.units_owed[slot];
    require!(owed > 0, AnchorTokenError::NothingOwed);
    let entry = &mut a.backing.entries[slot];
    entry.reserved = entry.reserved.checked_sub(owed).ok_or(AnchorTokenError::MathOverflow)?;
    a.claim.units_owed[slot] = 0;

    let seeds = token_ops::config_seeds(&a.config);
    let received = rwa_guard::token::transfer_units(
        &a.unit_token_program,
        &a.collateral,
        &mut a.holder_units,
        &a.unit_mint,
        a.config.to_account_info(),
        &[&seeds],
        remaining,
        owed,
    )?;
    require!(received > 0, AnchorTokenError::NothingReceived);
    a.backing.invariant()?;
    let closed = a.claim.is_settled();
    if closed {
        a.claim.close(a.holder.to_account_info())?;
    }
    emit!(InKindClaimed {
        holder: a.holder.key(),
        pool: a.accepted_pool.pool,
        units: owed,
        closed
    });
    Ok(())
}
