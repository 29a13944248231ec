use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};
use rwa_guard::authority::check_upgrade_authority;

use crate::{seeds, state::ReserveConfig};

#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub struct InitializeParams {
    pub guardian: Pubkey,
    pub min_discount_bps: u16,
    pub max_discount_bps: u16,
}

#[derive(Accounts)]
pub struct Initialize<'info> {
    /// The program's upgrade authority; becomes `admin`.
    #[account(mut)]
    pub admin: Signer<'info>,
    /// CHECK: this program's ProgramData account, whose upgrade authority must be `admin`;
    /// address, owner, layout and authority are checked by `validate`.
    pub program_data: UncheckedAccount<'info>,
    #[account(
        init,
        payer = admin,
        space = 8 + ReserveConfig::INIT_SPACE,
        seeds = [seeds::CONFIG],
        bump,
    )]
    pub config: Box<Account<'info, ReserveConfig>>,
    #[account(mint::token_program = token_program)]
    pub stable_mint: Box<InterfaceAccount<'info, Mint>>,
    #[account(
        init,
        payer = admin,
        seeds = [seeds::STABLE_VAULT],
        bump,
        token::mint = stable_mint,
        token::authority = config,
        token::token_program = token_program,
    )]
    pub stable_vault: Box<InterfaceAccount<'info, TokenAccount>>,
    pub token_program: Interface<'info, TokenInterface>,
    pub system_program: Program<'info, System>,
}

impl Initialize<'_> {
    /// Only the upgrade authority initialises (`rwa_guard::authority`).
    pub fn validate(&self) -> Result<()> {
        check_upgrade_authority(&crate::ID, &self.program_data, self.admin.key)?;
        // the stablecoin comes from outside: screened like every such mint
        rwa_guard::mint::check_mint(&self.stable_mint.to_account_info())
    }
}

#[event]
pub struct ReserveInitialized {
    pub admin: Pubkey,
    pub guardian: Pubkey,
    pub stable_mint: Pubkey,
    pub stable_vault: Pubkey,
    pub min_discount_bps: u16,
    pub max_discount_bps: u16,
}

#[access_control(ctx.accounts.validate())]
pub fn handler(ctx: Context<Initialize>, params: InitializeParams) -> Result<()> {
    let config = &mut ctx.accounts.config;
    config.set_inner(ReserveConfig {
        admin: ctx.accounts.admin.key(),
        guardian: params.guardian,
        paused: false,
        stable_mint: ctx.accounts.stable_mint.key(),
        stable_vault: ctx.accounts.stable_vault.key(),
        min_discount_bps: params.min_discount_bps,
        max_discount_bps: params.max_discount_bps,
        bump: ctx.bumps.config,
        stable_vault_bump: ctx.bumps.stable_vault,
        pending_admin: Pubkey::default(),
    });
    config.invariant()?;

    emit!(ReserveInitialized {
        admin: config.admin,
        guardian: config.guardian,
        stable_mint: config.stable_mint,
        stable_vault: config.stable_vault,
        min_discount_bps: config.min_discount_bps,
        max_discount_bps: config.max_discount_bps,
    });
    Ok(())
}
