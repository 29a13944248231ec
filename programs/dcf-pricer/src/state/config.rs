use anchor_lang::prelude::*;

use crate::errors::PricerError;

/// Longest time a published redemption rate may be trusted (1 day).
pub const MAX_RATE_AGE_SECS: u32 = 24 * 3600;

/// The singleton pricer configuration. PDA: `[seeds::CONFIG]`.
#[account]
#[derive(InitSpace)]
pub struct PricerConfig {
    /// Changes parameters (a timelock PDA in production).
    pub admin: Pubkey,
    /// May pause immediately.
    pub guardian: Pubkey,
    /// When set, no rate is published.
    pub paused: bool,
    /// A redemption rate older than this is refused by every consumer.
    pub max_rate_age_secs: u32,
    /// Canonical bump of this PDA.
    pub bump: u8,
    /// The key the admin role has been offered to (`propose_admin`) until it accepts
    /// (`accept_admin`); `Pubkey::default()` when no handover is pending.
    pub pending_admin: Pubkey,
}

impl PricerConfig {
    /// Checks the bounds every stored config must satisfy; called after every change.
    pub fn invariant(&self) -> Result<()> {
        require!(
            (1..=MAX_RATE_AGE_SECS).contains(&self.max_rate_age_secs),
            PricerError::InvalidRateAge
        );
        require_keys_neq!(self.guardian, Pubkey::default(), PricerError::InvalidGuardian);
        Ok(())
    }
}
