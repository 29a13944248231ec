//! Admin: rebinds a permissioned mint to another approved attestor (the recovery when the
//! mint's attestor is suspended for good: key compromise, guardian action).
use anchor_lang::prelude::*;

use crate::{
    errors::HookError,
    seeds,
    state::{Attestor, AttestorStatus, HookConfig, MintGate},
};

#[derive(Accounts)]
pub struct SetMintAttestor<'info> {
    /// The hook's admin (not the pool's issuer: the attestor registry is the admin's).
    pub admin: Signer<'info>,
    #[account(seeds = [seeds::CONFIG], bump = config.bump, has_one = admin)]
    pub config: Account<'info, HookConfig>,
    #[account(mut, seeds = [seeds::MINT_GATE, mint_gate.mint.as_ref()], bump = mint_gate.bump)]
    pub mint_gate: Box<Account<'info, MintGate>>,
    /// The attestor the mint trusts from now on.
    #[account(seeds = [seeds::ATTESTOR, attestor.authority.as_ref()], bump = attestor.bump)]
    pub attestor: Box<Account<'info, Attestor>>,
}

impl SetMintAttestor<'_> {
    /// Refuses an attestor that is not Approved, and the attestor the gate already names.
    pub fn validate(&self) -> Result<()> {
        require!(self.attestor.status == AttestorStatus::Approved, HookError::AttestorNotApproved);
        require_keys_neq!(
            self.attestor.authority,
            self.mint_gate.attestor,
            HookError::SameAttestor
        );
        Ok(())
    }
}

#[event]
pub struct MintAttestorChanged {
    pub mint: Pubkey,
    pub previous: Pubkey,
    pub attestor: Pubkey,
}

/// Writes the new attestor into the gate. The validation account needs no change: its extra
/// metas read the attestor from the gate's data (`MintGate::ATTESTOR_OFFSET`) at every transfer.
#[access_control(ctx.accounts.validate())]
pub fn handler(ctx: Context<SetMintAttestor>) -> Result<()> {
    let gate = &mut ctx.accounts.mint_gate;
    let previous = gate.attestor;
    gate.attestor = ctx.accounts.attestor.authority;
    gate.invariant()?;
    emit!(MintAttestorChanged { mint: gate.mint, previous, attestor: gate.attestor });
    Ok(())
}
