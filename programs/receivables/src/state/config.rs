use anchor_lang::prelude::*;

use crate::errors::ReceivablesError;

/// The singleton registry configuration. PDA: `[seeds::CONFIG]`.
#[account]
#[derive(InitSpace)]
pub struct RegistryConfig {
    /// Approves and suspends issuers (a timelock PDA in production).
    pub admin: Pubkey,
    /// May pause immediately.
    pub guardian: Pubkey,
    /// When set, no pool is created or activated.
    pub paused: bool,
    /// Pools created under this registry, all issuers together.
    pub pool_count: u64,
    /// Canonical bump of this PDA.
    pub bump: u8,
    /// The key the admin role has been offered to (`propose_admin`) until it accepts
    /// (`accept_admin`); `Pubkey::default()` when no handover is pending.
    pub pending_admin: Pubkey,
}

impl RegistryConfig {
    /// Checks the bounds every stored config must satisfy; called after every change.
    pub fn invariant(&self) -> Result<()> {
        require_keys_neq!(self.guardian, Pubkey::default(), ReceivablesError::InvalidGuardian);
        Ok(())
    }
}
