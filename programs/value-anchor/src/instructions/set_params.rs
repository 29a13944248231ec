//! Admin: global parameters and the fee recipient; guardian or admin: pause minting.
use anchor_lang::prelude::*;
use anchor_spl::token_interface::TokenAccount;

use crate::{
    errors::AnchorTokenError,
    seeds,
    state::{AnchorConfig, AnchorParams},
};

#[derive(Accounts)]
pub struct SetParams<'info> {
    pub admin: Signer<'info>,
    #[account(mut, seeds = [seeds::CONFIG], bump = config.bump, has_one = admin)]
    pub config: Box<Account<'info, AnchorConfig>>,
}

#[derive(Accounts)]
pub struct SetPaused<'info> {
    pub authority: Signer<'info>,
    #[account(mut, seeds = [seeds::CONFIG], bump = config.bump)]
    pub config: Box<Account<'info, AnchorConfig>>,
}

#[derive(Accounts)]
pub struct SetFeeRecipient<'info> {
    /// Must be the config's admin (`NotAdmin`).
    pub admin: Signer<'info>,
    #[account(mut, seeds = [seeds::CONFIG], bump = config.bump)]
    pub config: Box<Account<'info, AnchorConfig>>,
    /// A reserve-stablecoin account under the config's token program, other than the stable
    /// reserve itself.
    #[account(
        token::mint = config.reserve_mint,
        token::token_program = config.token_program,
        constraint = fee_recipient.key() != config.stable_reserve
            @ AnchorTokenError::AccountMismatch,
    )]
    pub fee_recipient: Box<InterfaceAccount<'info, TokenAccount>>,
}

impl SetFeeRecipient<'_> {
    /// Only the admin sets the fee recipient (`rwa_guard::authority::require_admin`).
    pub fn validate(&self) -> Result<()> {
        rwa_guard::authority::require_admin(&self.config.admin, self.admin.key)
    }
}

#[event]
pub struct ParamsChanged {
    pub params: AnchorParams,
}

#[event]
pub struct MintPauseChanged {
    pub paused: bool,
    pub by: Pubkey,
}

#[event]
pub struct FeeRecipientChanged {
    pub previous_fee_recipient: Pubkey,
    pub fee_recipient: Pubkey,
}

pub fn handle_set_params(ctx: Context<SetParams>, params: AnchorParams) -> Result<()> {
    let config = &mut ctx.accounts.config;
    config.params = params;
    config.invariant()?;
    emit!(ParamsChanged { params });
    Ok(())
}

/// The guardian or the admin pause minting (exchange, PSM mint); only the admin unpauses.
/// Redemptions are never paused: minting stops before redemption does.
pub fn handle_set_paused(ctx: Context<SetPaused>, paused: bool) -> Result<()> {
    let by = ctx.accounts.authority.key();
    let config = &mut ctx.accounts.config;
    require!(
        rwa_guard::pause::may_set_pause(&by, &config.admin, &config.guardian, paused),
        AnchorTokenError::Unauthorized
    );
    config.paused = paused;
    config.invariant()?;
    emit!(MintPauseChanged { paused, by });
    Ok(())
}

/// The admin names the account `sweep_fees` pays accrued PSM fees into.
#[access_control(ctx.accounts.validate())]
pub fn handle_set_fee_recipient(ctx: Context<SetFeeRecipient>) -> Result<()> {
    let fee_recipient = ctx.accounts.fee_recipient.key();
    let config = &mut ctx.accounts.config;
    let previous_fee_recipient = config.fee_recipient;
    config.fee_recipient = fee_recipient;
    config.invariant()?;
    emit!(FeeRecipientChanged { previous_fee_recipient, fee_recipient });
    Ok(())
}
