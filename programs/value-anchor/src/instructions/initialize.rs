use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};
use rwa_guard::authority::check_upgrade_authority;

use crate::{
    errors::AnchorTokenError,
    seeds,
    state::{AnchorConfig, AnchorParams, Backing, BackingEntry, RESERVE_DECIMALS},
};

#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub struct InitializeParams {
    pub guardian: Pubkey,
    pub params: AnchorParams,
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
        space = 8 + AnchorConfig::INIT_SPACE,
        seeds = [seeds::CONFIG],
        bump,
    )]
    pub config: Box<Account<'info, AnchorConfig>>,
    #[account(
        mint::token_program = token_program,
        constraint = reserve_mint.decimals == RESERVE_DECIMALS
            @ AnchorTokenError::UnsupportedReserveDecimals,
    )]
    pub reserve_mint: Box<InterfaceAccount<'info, Mint>>,
    #[account(
        init,
        payer = admin,
        seeds = [seeds::ANCHOR_MINT],
        bump,
        mint::decimals = RESERVE_DECIMALS,
        mint::authority = config,
        mint::token_program = token_program,
    )]
    pub anchor_mint: Box<InterfaceAccount<'info, Mint>>,
    #[account(
        init,
        payer = admin,
        seeds = [seeds::STABLE_RESERVE],
        bump,
        token::mint = reserve_mint,
        token::authority = config,
        token::token_program = token_program,
    )]
    pub stable_reserve: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(
        init,
        payer = admin,
        space = 8 + Backing::INIT_SPACE,
        seeds = [seeds::BACKING],
        bump,
    )]
    pub backing: Box<Account<'info, Backing>>,
    pub token_program: Interface<'info, TokenInterface>,
    pub system_program: Program<'info, System>,
}

impl Initialize<'_> {
    /// Only the upgrade authority initialises (`rwa_guard::authority`), and the reserve
    /// stablecoin carries no Token-2022 extension that changes transfers or balances.
    pub fn validate(&self) -> Result<()> {
        check_upgrade_authority(&crate::ID, &self.program_data, self.admin.key)?;
        rwa_guard::mint::check_mint(&self.reserve_mint.to_account_info())
    }
}

#[event]
pub struct ValueAnchorInitialized {
    pub admin: Pubkey,
    pub guardian: Pubkey,
    pub reserve_mint: Pubkey,
    pub anchor_mint: Pubkey,
    pub stable_reserve: Pubkey,
    pub params: AnchorParams,
}

#[access_control(ctx.accounts.validate())]
pub fn handler(mut ctx: Context<Initialize>, params: InitializeParams) -> Result<()> {
    let a = &mut ctx.accounts;
    a.config.set_inner(AnchorConfig {
        admin: a.admin.key(),
        guardian: params.guardian,
        paused: false,
        reserve_mint: a.reserve_mint.key(),
        anchor_mint: a.anchor_mint.key(),
        token_program: a.token_program.key(),
        stable_reserve: a.stable_reserve.key(),
        params: params.params,
        bump: ctx.bumps.config,
        anchor_mint_bump: ctx.bumps.anchor_mint,
        stable_reserve_bump: ctx.bumps.stable_reserve,
        pending_admin: Pubkey::default(),
        fee_recipient: Pubkey::default(),
    });
    a.config.invariant()?;
    let backing = &mut a.backing;
    backing.entries = [BackingEntry::default(); crate::state::MAX_POOLS];
    backing.bump = ctx.bumps.backing;
    backing.invariant()?;

    emit!(ValueAnchorInitialized {
        admin: a.config.admin,
        guardian: a.config.guardian,
        reserve_mint: a.config.reserve_mint,
        anchor_mint: a.config.anchor_mint,
        stable_reserve: a.config.stable_reserve,
        params: params.params,
    });
    Ok(())
}
