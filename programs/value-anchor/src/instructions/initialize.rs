use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenInterface};
use rwa_guard::authority::check_upgrade_authority;

use crate::{
    errors::AnchorTokenError,
    seeds,
    state::{AnchorConfig, RESERVE_DECIMALS},
};

#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub struct InitializeParams {
    pub guardian: Pubkey,
    pub redeem_fee_bps: u16,
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
    pub token_program: Interface<'info, TokenInterface>,
    pub system_program: Program<'info, System>,
}

impl Initialize<'_> {
    /// Only the upgrade authority initialises (`rwa_guard::authority`).
    pub fn validate(&self) -> Result<()> {
        check_upgrade_authority(&crate::ID, &self.program_data, self.admin.key)
    }
}

#[event]
pub struct ValueAnchorInitialized {
    pub admin: Pubkey,
    pub guardian: Pubkey,
    pub reserve_mint: Pubkey,
    pub anchor_mint: Pubkey,
    pub redeem_fee_bps: u16,
}

#[access_control(ctx.accounts.validate())]
pub fn handler(ctx: Context<Initialize>, params: InitializeParams) -> Result<()> {
    let config = &mut ctx.accounts.config;
    config.set_inner(AnchorConfig {
        admin: ctx.accounts.admin.key(),
        guardian: params.guardian,
        paused: false,
        reserve_mint: ctx.accounts.reserve_mint.key(),
        anchor_mint: ctx.accounts.anchor_mint.key(),
        redeem_fee_bps: params.redeem_fee_bps,
        bump: ctx.bumps.config,
        anchor_mint_bump: ctx.bumps.anchor_mint,
        pending_admin: Pubkey::default(),
    });
    config.invariant()?;

    emit!(ValueAnchorInitialized {
        admin: config.admin,
        guardian: config.guardian,
        reserve_mint: config.reserve_mint,
        anchor_mint: config.anchor_mint,
        redeem_fee_bps: config.redeem_fee_bps,
    });
    Ok(())
}
