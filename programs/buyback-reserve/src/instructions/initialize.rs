use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};
use rwa_guard::authority::check_upgrade_authority;
use value_anchor::state::AnchorConfig;

use crate::{
    errors::ReserveError,
    seeds,
    state::{ReserveBook, ReserveConfig, ReserveParams},
};

#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub struct InitializeParams {
    pub guardian: Pubkey,
    pub params: ReserveParams,
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
    #[account(init, payer = admin, space = 8 + ReserveBook::INIT_SPACE, seeds = [seeds::BOOK], bump)]
    pub book: Box<Account<'info, ReserveBook>>,
    /// value-anchor's config: the reserve pays in its reserve stablecoin and bids for its token.
    #[account(
        seeds = [value_anchor::seeds::CONFIG],
        seeds::program = value_anchor::ID,
        bump = anchor_config.bump,
        constraint = anchor_config.reserve_mint == stable_mint.key() @ ReserveError::CurrencyMismatch,
    )]
    pub anchor_config: Box<Account<'info, AnchorConfig>>,
    #[account(mint::token_program = token_program)]
    pub stable_mint: Box<InterfaceAccount<'info, Mint>>,
    #[account(address = anchor_config.anchor_mint @ ReserveError::AccountMismatch)]
    pub anchor_mint: Box<InterfaceAccount<'info, Mint>>,
    /// The anchor mint's token program (value-anchor's `anchor_token_program`; checked before
    /// the anchor vault is created under it).
    #[account(
        address = anchor_config.anchor_token_program @ ReserveError::AnchorTokenProgramMismatch
    )]
    pub anchor_token_program: Interface<'info, TokenInterface>,
    #[account(
        init, payer = admin, seeds = [seeds::STABLE_VAULT], bump,
        token::mint = stable_mint, token::authority = config, token::token_program = token_program,
    )]
    pub stable_vault: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(
        init, payer = admin, seeds = [seeds::INSURANCE_VAULT], bump,
        token::mint = stable_mint, token::authority = config, token::token_program = token_program,
    )]
    pub insurance_vault: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(
        init, payer = admin, seeds = [seeds::FEE_VAULT], bump,
        token::mint = stable_mint, token::authority = config, token::token_program = token_program,
    )]
    pub fee_vault: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(
        init, payer = admin, seeds = [seeds::REWARDS_VAULT], bump,
        token::mint = stable_mint, token::authority = config, token::token_program = token_program,
    )]
    pub rewards_vault: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(
        init, payer = admin, seeds = [seeds::ANCHOR_VAULT], bump,
        token::mint = anchor_mint, token::authority = config,
        token::token_program = anchor_token_program,
    )]
    pub anchor_vault: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(address = anchor_config.token_program @ ReserveError::AccountMismatch)]
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
    pub anchor_mint: Pubkey,
    pub params: ReserveParams,
}

#[access_control(ctx.accounts.validate())]
pub fn handler(mut ctx: Context<Initialize>, init: InitializeParams) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let a = &mut ctx.accounts;
    a.config.set_inner(ReserveConfig {
        admin: a.admin.key(),
        guardian: init.guardian,
        paused: false,
        stable_mint: a.stable_mint.key(),
        token_program: a.token_program.key(),
        anchor_mint: a.anchor_mint.key(),
        anchor_token_program: a.anchor_token_program.key(),
        stable_vault: a.stable_vault.key(),
        insurance_vault: a.insurance_vault.key(),
        fee_vault: a.fee_vault.key(),
        rewards_vault: a.rewards_vault.key(),
        anchor_vault: a.anchor_vault.key(),
        protocol_mint: Pubkey::default(),
        treasury: Pubkey::default(),
        stake_vault: Pubkey::default(),
        params: init.params,
        bump: ctx.bumps.config,
        pending_admin: Pubkey::default(),
    });
    a.config.invariant()?;
    let book = &mut a.book;
    book.bump = ctx.bumps.book;
    book.epoch_start = now;
    book.invariant()?;

    emit!(ReserveInitialized {
        admin: a.config.admin,
        guardian: a.config.guardian,
        stable_mint: a.config.stable_mint,
        anchor_mint: a.config.anchor_mint,
        params: init.params,
    });
    Ok(())
}
