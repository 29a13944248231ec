use anchor_lang::prelude::*;

use crate::errors::ReserveError;

/// Deepest discount to the redemption rate the exit curve may reach (50%).
pub const MAX_DISCOUNT_BPS: u16 = 5_000;

/// The singleton reserve configuration. PDA: `[seeds::CONFIG]`.
#[account]
#[derive(InitSpace)]
pub struct ReserveConfig {
    /// Changes parameters (a timelock PDA in production).
    pub admin: Pubkey,
    /// May pause immediately.
    pub guardian: Pubkey,
    /// When set, the reserve buys nothing.
    pub paused: bool,
    /// The stablecoin the reserve pays in.
    pub stable_mint: Pubkey,
    /// The reserve's stablecoin vault (PDA `[seeds::STABLE_VAULT]`).
    pub stable_vault: Pubkey,
    /// Exit-curve discount to the redemption rate when the reserve is full.
    pub min_discount_bps: u16,
    /// Exit-curve discount when the reserve is nearly empty.
    pub max_discount_bps: u16,
    /// Canonical bump of this PDA.
    pub bump: u8,
    /// Canonical bump of the stable vault PDA.
    pub stable_vault_bump: u8,
    /// The key the admin role has been offered to (`propose_admin`) until it accepts
    /// (`accept_admin`); `Pubkey::default()` when no handover is pending.
    pub pending_admin: Pubkey,
}

impl ReserveConfig {
    /// Checks the bounds every stored config must satisfy; called after every change.
    pub fn invariant(&self) -> Result<()> {
        require!(
            self.min_discount_bps <= self.max_discount_bps
                && self.max_discount_bps <= MAX_DISCOUNT_BPS,
            ReserveError::InvalidExitCurve
        );
        require_keys_neq!(self.guardian, Pubkey::default(), ReserveError::InvalidGuardian);
        Ok(())
    }
}
