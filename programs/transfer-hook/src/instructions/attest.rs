use anchor_lang::prelude::*;

use crate::{
    errors::HookError,
    seeds,
    state::{Attestation, Attestor, AttestorStatus},
};

#[derive(Accounts)]
pub struct Attest<'info> {
    /// The attestor's authority; pays for a new attestation.
    #[account(mut)]
    pub authority: Signer<'info>,
    #[account(
        mut,
        seeds = [seeds::ATTESTOR, authority.key().as_ref()],
        bump = attestor.bump,
        constraint = attestor.status == AttestorStatus::Approved @ HookError::AttestorNotApproved,
    )]
    pub attestor: Account<'info, Attestor>,
    /// CHECK: any key but the default pubkey: the wallet attested.
    #[account(constraint = holder.key() != Pubkey::default() @ HookError::InvalidHolder)]
    pub holder: UncheckedAccount<'info>,
    /// Created on the first issue, overwritten by a renewal (the PDA is this attestor's and
    /// this holder's alone, so only this attestor's signature reaches it).
    #[account(
        init_if_needed,
        payer = authority,
        space = 8 + Attestation::INIT_SPACE,
        seeds = [seeds::ATTESTATION, authority.key().as_ref(), holder.key().as_ref()],
        bump,
    )]
    pub attestation: Account<'info, Attestation>,
    pub system_program: Program<'info, System>,
}

#[derive(Accounts)]
pub struct Revoke<'info> {
    /// The attestor's authority (even while suspended: revoking is always possible).
    pub authority: Signer<'info>,
    #[account(
        mut,
        seeds = [seeds::ATTESTATION, authority.key().as_ref(), attestation.holder.as_ref()],
        bump = attestation.bump,
        constraint = attestation.attestor == authority.key() @ HookError::Unauthorized,
    )]
    pub attestation: Account<'info, Attestation>,
}

#[event]
pub struct Attested {
    pub attestor: Pubkey,
    pub holder: Pubkey,
    pub jurisdiction: [u8; 2],
    pub expires_at: i64,
}

#[event]
pub struct AttestationRevoked {
    pub attestor: Pubkey,
    pub holder: Pubkey,
}

/// Issues, or renews (clearing a revocation), the attestation of `holder` until `expires_at`
/// in `jurisdiction`.
pub fn handle_attest(ctx: Context<Attest>, expires_at: i64, jurisdiction: [u8; 2]) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    require!(expires_at > now, HookError::InvalidExpiry);
    let attestor = &mut ctx.accounts.attestor;
    attestor.attestations = attestor.attestations.saturating_add(1);
    let attestation = &mut ctx.accounts.attestation;
    attestation.set_inner(Attestation {
        attestor: attestor.authority,
        holder: ctx.accounts.holder.key(),
        jurisdiction,
        issued_at: now,
        expires_at,
        revoked: false,
        bump: ctx.bumps.attestation,
    });
    attestation.invariant()?;
    emit!(Attested {
        attestor: attestation.attestor,
        holder: attestation.holder,
        jurisdiction,
        expires_at,
    });
    Ok(())
}

/// Revokes an attestation: transfers to its holder are refused until it is renewed.
pub fn handle_revoke(ctx: Context<Revoke>) -> Result<()> {
    let attestation = &mut ctx.accounts.attestation;
    require!(!attestation.revoked, HookError::AlreadyRevoked);
    attestation.revoked = true;
    emit!(AttestationRevoked { attestor: attestation.attestor, holder: attestation.holder });
    Ok(())
}
