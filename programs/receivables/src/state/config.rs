use anchor_lang::prelude::*;

use crate::errors::ReceivablesError;

/// Most currency mints the registry accepts at once.
pub const MAX_CURRENCIES: usize = 8;

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
    /// Currency mints pools may be created in (the reserve stablecoin first), each screened
    /// for Token-2022 extensions when added.
    #[max_len(MAX_CURRENCIES)]
    pub currencies: Vec<Pubkey>,
}

impl RegistryConfig {
    /// Whether pools may be created in `mint`.
    pub fn accepts_currency(&self, mint: &Pubkey) -> bool {
        self.currencies.contains(mint)
    }

    /// Adds `mint` to the accepted currencies, or refuses (unchanged).
    pub fn add_currency(&mut self, mint: Pubkey) -> Result<()> {
        require!(!self.accepts_currency(&mint), ReceivablesError::CurrencyAlreadyAccepted);
        require!(self.currencies.len() < MAX_CURRENCIES, ReceivablesError::TooManyCurrencies);
        self.currencies.push(mint);
        Ok(())
    }

    /// Stops accepting `mint` for new pools (existing pools keep their currency), or refuses.
    pub fn remove_currency(&mut self, mint: &Pubkey) -> Result<()> {
        let i = self
            .currencies
            .iter()
            .position(|c| c == mint)
            .ok_or(ReceivablesError::CurrencyNotAccepted)?;
        self.currencies.remove(i);
        Ok(())
    }

    /// Checks the bounds every stored config must satisfy; called after every change.
    pub fn invariant(&self) -> Result<()> {
        require_keys_neq!(self.guardian, Pubkey::default(), ReceivablesError::InvalidGuardian);
        require!(self.currencies.len() <= MAX_CURRENCIES, ReceivablesError::TooManyCurrencies);
        Ok(())
    }
}

#[cfg(test)]
mod size {
    use crate::state::{Issuer, Pool, RegistryConfig, Servicer};
    use anchor_lang::Space;

    /// The sizes SPEC.md states.
    #[test]
    fn account_sizes_match_the_spec() {
        assert_eq!(
            (
                RegistryConfig::INIT_SPACE,
                Issuer::INIT_SPACE,
                Pool::INIT_SPACE,
                Servicer::INIT_SPACE
            ),
            (366, 62, 2_442, 34)
        );
    }
}
