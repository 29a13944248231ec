//! Admin: the allowlist of currency mints pools may be created in.
use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenInterface};

use crate::{seeds, state::RegistryConfig};

#[derive(Accounts)]
pub struct AddCurrency<'info> {
    pub admin: Signer<'info>,
    #[account(mut, seeds = [seeds::CONFIG], bump = config.bump, has_one = admin)]
    pub config: Box<Account<'info, RegistryConfig>>,
    #[account(mint::token_program = currency_token_program)]
    pub currency_mint: Box<InterfaceAccount<'info, Mint>>,
    pub currency_token_program: Interface<'info, TokenInterface>,
}

#[derive(Accounts)]
pub struct RemoveCurrency<'info> {
    pub admin: Signer<'info>,
    #[account(mut, seeds = [seeds::CONFIG], bump = config.bump, has_one = admin)]
    pub config: Box<Account<'info, RegistryConfig>>,
}

#[event]
pub struct CurrencyAccepted {
    pub mint: Pubkey,
    pub token_program: Pubkey,
}

#[event]
pub struct CurrencyRemoved {
    pub mint: Pubkey,
}

/// Accepts `currency_mint` for new pools once it passes the Token-2022 extension screen.
pub fn handle_add_currency(ctx: Context<AddCurrency>) -> Result<()> {
    let mint = &ctx.accounts.currency_mint;
    rwa_guard::mint::check_mint(&mint.to_account_info())?;
    let config = &mut ctx.accounts.config;
    config.add_currency(mint.key())?;
    config.invariant()?;
    emit!(CurrencyAccepted {
        mint: mint.key(),
        token_program: ctx.accounts.currency_token_program.key(),
    });
    Ok(())
}

/// Stops accepting `mint` for new pools; pools already in it are unaffected.
pub fn handle_remove_currency(ctx: Context<RemoveCurrency>, mint: Pubkey) -> Result<()> {
    let config = &mut ctx.accounts.config;
    config.remove_currency(&mint)?;
    config.invariant()?;
    emit!(CurrencyRemoved { mint });
    Ok(())
}
