use anchor_lang::prelude::*;

use crate::{
    errors::HookError,
    seeds,
    state::{Attestor, AttestorStatus, HookConfig},
};

#[derive(Accounts)]
pub struct ApproveAttestor<'info> {
    #[account(mut)]
    pub admin: Signer<'info>,
    #[account(seeds = [seeds::CONFIG], bump = config.bump, has_one = admin)]
    pub config: Account<'info, HookConfig>,
    /// CHECK: any key; becomes the attestor's authority (signs its attestations).
    pub attestor_authority: UncheckedAccount<'info>,
    #[account(
        init,
        payer = admin,
        space = 8 + Attestor::INIT_SPACE,
        seeds = [seeds::ATTESTOR, attestor_authority.key().as_ref()],
        bump,
    )]
    pub attestor: Account<'info, Attestor>,
    pub system_program: Program<'info, System>,
}

#[derive(Accounts)]
pub struct SetAttestorStatus<'info> {
    /// The admin, or the guardian (to suspend only).
    pub authority: Signer<'info>,
    #[account(seeds = [seeds::CONFIG], bump = config.bump)]
    pub config: Account<'info, HookConfig>,
    #[account(mut, seeds = [seeds::ATTESTOR, attestor.authority.as_ref()], bump = attestor.bump)]
    pub attestor: Account<'info, Attestor>,
}

#[event]
pub struct AttestorStatusChanged {
    pub attestor: Pubkey,
    pub status: AttestorStatus,
}

/// The admin approves `attestor_authority` as an attestor.
pub fn handle_approve_attestor(ctx: Context<ApproveAttestor>) -> Result<()> {
    let attestor = &mut ctx.accounts.attestor;
    attestor.set_inner(Attestor {
        authority: ctx.accounts.attestor_authority.key(),
        status: AttestorStatus::Approved,
        attestations: 0,
        bump: ctx.bumps.attestor,
    });
    attestor.invariant()?;
    emit!(AttestorStatusChanged { attestor: attestor.authority, status: attestor.status });
    Ok(())
}

/// The admin sets any status; the guardian may only suspend.
pub fn handle_set_attestor_status(
    ctx: Context<SetAttestorStatus>,
    status: AttestorStatus,
) -> Result<()> {
    let signer = ctx.accounts.authority.key();
    let config = &ctx.accounts.config;
    let allowed = signer == config.admin
        || (signer == config.guardian && status == AttestorStatus::Suspended);
    require!(allowed, HookError::Unauthorized);
    let attestor = &mut ctx.accounts.attestor;
    attestor.status = status;
    attestor.invariant()?;
    emit!(AttestorStatusChanged { attestor: attestor.authority, status });
    Ok(())
}
