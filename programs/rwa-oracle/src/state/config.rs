use anchor_lang::prelude::*;

use crate::errors::OracleError;

/// Longest freshness bound a feed may be configured with (7 days).
pub const MAX_STALENESS_SECS: u32 = 7 * 24 * 3600;
/// Most publishers a feed may authorise.
pub const MAX_PUBLISHERS: u8 = 16;

/// Freshness bound and quorum, of the config's defaults or of one feed.
pub fn validate_freshness(max_staleness_secs: u32, min_publishers: u8) -> Result<()> {
    require!((1..=MAX_STALENESS_SECS).contains(&max_staleness_secs), OracleError::InvalidStaleness);
    require!((1..=MAX_PUBLISHERS).contains(&min_publishers), OracleError::InvalidMinPublishers);
    Ok(())
}

/// The singleton oracle configuration. PDA: `[seeds::CONFIG]`.
#[account]
#[derive(InitSpace)]
pub struct OracleConfig {
    /// Changes parameters and publishers (a timelock PDA in production).
    pub admin: Pubkey,
    /// May pause immediately.
    pub guardian: Pubkey,
    /// When set, every feed read fails.
    pub paused: bool,
    /// Default freshness bound inherited by new feeds.
    pub max_staleness_secs: u32,
    /// Default quorum of fresh publishers inherited by new feeds.
    pub min_publishers: u8,
    /// Canonical bump of this PDA.
    pub bump: u8,
    /// The key the admin role has been offered to (`propose_admin`) until it accepts
    /// (`accept_admin`); `Pubkey::default()` when no handover is pending.
    pub pending_admin: Pubkey,
}

impl OracleConfig {
    /// The guardian or the admin may pause; only the admin may unpause.
    pub fn check_pause_authority(&self, signer: &Pubkey, paused: bool) -> Result<()> {
        let allowed = *signer == self.admin || (paused && *signer == self.guardian);
        require!(allowed, OracleError::Unauthorized);
        Ok(())
    }

    /// Checks the bounds every stored config must satisfy; called after every change.
    pub fn invariant(&self) -> Result<()> {
        validate_freshness(self.max_staleness_secs, self.min_publishers)?;
        require_keys_neq!(self.guardian, Pubkey::default(), OracleError::InvalidGuardian);
        Ok(())
    }
}
