use anchor_lang::prelude::*;

use crate::errors::OracleError;

/// Longest freshness bound a feed may be configured with (7 days).
pub const MAX_STALENESS_SECS: u32 = 7 * 24 * 3600;
/// Most publishers a feed may authorise.
pub const MAX_PUBLISHERS: u8 = 16;
/// Smallest quorum of a feed that is not single-source: with three or more fresh publishers and
/// a median that never averages, one publisher can neither set nor block the value.
pub const MIN_QUORUM: u8 = 3;

/// Freshness bound and quorum, of the config's defaults (`single_source == false`) or of one
/// feed: a quorum of `MIN_QUORUM..=MAX_PUBLISHERS`, or of 1 or 2 exactly when the feed is
/// single-source.
pub fn validate_freshness(
    max_staleness_secs: u32,
    min_publishers: u8,
    single_source: bool,
) -> Result<()> {
    require!((1..=MAX_STALENESS_SECS).contains(&max_staleness_secs), OracleError::InvalidStaleness);
    let quorum = if single_source { 1..=MIN_QUORUM - 1 } else { MIN_QUORUM..=MAX_PUBLISHERS };
    require!(quorum.contains(&min_publishers), OracleError::InvalidMinPublishers);
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
    /// Default quorum of fresh publishers inherited by new feeds (at least `MIN_QUORUM`).
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
        let allowed = rwa_guard::pause::may_set_pause(signer, &self.admin, &self.guardian, paused);
        require!(allowed, OracleError::Unauthorized);
        Ok(())
    }

    /// Checks the bounds every stored config must satisfy; called after every change.
    pub fn invariant(&self) -> Result<()> {
        validate_freshness(self.max_staleness_secs, self.min_publishers, false)?;
        require_keys_neq!(self.guardian, Pubkey::default(), OracleError::InvalidGuardian);
        Ok(())
    }
}
