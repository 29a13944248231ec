//! Admin: approve servicers, suspend or reinstate issuers and servicers, update issuer limits,
//! pause the registry.
use anchor_lang::prelude::*;

use crate::{
    errors::ReceivablesError,
    seeds,
    state::{ApprovalStatus, Issuer, IssuerLimits, RegistryConfig, Servicer},
};

#[derive(Accounts)]
pub struct ApproveServicer<'info> {
    #[account(mut)]
    pub admin: Signer<'info>,
    #[account(seeds = [seeds::CONFIG], bump = config.bump, has_one = admin)]
    pub config: Account<'info, RegistryConfig>,
    /// CHECK: any key may be approved as a servicer; it only has to sign later.
    pub servicer_authority: UncheckedAccount<'info>,
    #[account(
        init,
        payer = admin,
        space = 8 + Servicer::INIT_SPACE,
        seeds = [seeds::SERVICER, servicer_authority.key().as_ref()],
        bump,
    )]
    pub servicer: Account<'info, Servicer>,
    pub system_program: Program<'info, System>,
}

/// Accounts of `set_issuer_status` and `set_issuer_limits`.
#[derive(Accounts)]
pub struct SetIssuerStatus<'info> {
    pub admin: Signer<'info>,
    #[account(seeds = [seeds::CONFIG], bump = config.bump, has_one = admin)]
    pub config: Account<'info, RegistryConfig>,
    #[account(mut, seeds = [seeds::ISSUER, issuer.authority.as_ref()], bump = issuer.bump)]
    pub issuer: Account<'info, Issuer>,
}

#[derive(Accounts)]
pub struct SetServicerStatus<'info> {
    pub admin: Signer<'info>,
    #[account(seeds = [seeds::CONFIG], bump = config.bump, has_one = admin)]
    pub config: Account<'info, RegistryConfig>,
    #[account(mut, seeds = [seeds::SERVICER, servicer.authority.as_ref()], bump = servicer.bump)]
    pub servicer: Account<'info, Servicer>,
}

#[derive(Accounts)]
pub struct SetPaused<'info> {
    pub authority: Signer<'info>,
    #[account(mut, seeds = [seeds::CONFIG], bump = config.bump)]
    pub config: Account<'info, RegistryConfig>,
}

#[event]
pub struct ParticipantStatusChanged {
    pub authority: Pubkey,
    pub is_issuer: bool,
    pub status: ApprovalStatus,
}

#[event]
pub struct IssuerLimitsChanged {
    pub authority: Pubkey,
    pub max_pools: u32,
    pub max_face_value: u64,
}

#[event]
pub struct RegistryPauseChanged {
    pub paused: bool,
    pub by: Pubkey,
}

pub fn handle_approve_servicer(ctx: Context<ApproveServicer>) -> Result<()> {
    let servicer = &mut ctx.accounts.servicer;
    servicer.authority = ctx.accounts.servicer_authority.key();
    servicer.status = ApprovalStatus::Approved;
    servicer.bump = ctx.bumps.servicer;
    emit!(ParticipantStatusChanged {
        authority: servicer.authority,
        is_issuer: false,
        status: servicer.status,
    });
    Ok(())
}

pub fn handle_set_issuer_status(
    ctx: Context<SetIssuerStatus>,
    status: ApprovalStatus,
) -> Result<()> {
    let issuer = &mut ctx.accounts.issuer;
    issuer.status = status;
    issuer.invariant()?;
    emit!(ParticipantStatusChanged { authority: issuer.authority, is_issuer: true, status });
    Ok(())
}

/// New limits bind the issuer's next pools; lowering them below what is taken only stops new
/// pools.
pub fn handle_set_issuer_limits(ctx: Context<SetIssuerStatus>, limits: IssuerLimits) -> Result<()> {
    let issuer = &mut ctx.accounts.issuer;
    limits.validate()?;
    issuer.limits = limits;
    issuer.invariant()?;
    emit!(IssuerLimitsChanged {
        authority: issuer.authority,
        max_pools: limits.max_pools,
        max_face_value: limits.max_face_value,
    });
    Ok(())
}

pub fn handle_set_servicer_status(
    ctx: Context<SetServicerStatus>,
    status: ApprovalStatus,
) -> Result<()> {
    let servicer = &mut ctx.accounts.servicer;
    servicer.status = status;
    emit!(ParticipantStatusChanged { authority: servicer.authority, is_issuer: false, status });
    Ok(())
}

/// The guardian or the admin may pause; only the admin may unpause.
pub fn handle_set_paused(ctx: Context<SetPaused>, paused: bool) -> Result<()> {
    let by = ctx.accounts.authority.key();
    let config = &mut ctx.accounts.config;
    let allowed = rwa_guard::pause::may_set_pause(&by, &config.admin, &config.guardian, paused);
    require!(allowed, ReceivablesError::Unauthorized);
    config.paused = paused;
    config.invariant()?;
    emit!(RegistryPauseChanged { paused, by });
    Ok(())
}
