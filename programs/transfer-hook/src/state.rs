use anchor_lang::prelude::*;

use crate::errors::HookError;

/// The singleton hook config. PDA: `[seeds::CONFIG]`. Its admin is the attestation registry's
/// admin: it approves attestors (and may suspend them, as may the guardian).
#[account]
#[derive(InitSpace)]
pub struct HookConfig {
    /// Approves, suspends and reinstates attestors (a timelock PDA in production).
    pub admin: Pubkey,
    /// May suspend an attestor immediately.
    pub guardian: Pubkey,
    /// The key the admin role has been offered to until it accepts; default when none.
    pub pending_admin: Pubkey,
    /// Canonical bump of this PDA.
    pub bump: u8,
}

impl HookConfig {
    /// Checks the bounds every stored config must satisfy; called after every change.
    pub fn invariant(&self) -> Result<()> {
        require_keys_neq!(self.guardian, Pubkey::default(), HookError::InvalidGuardian);
        require_keys_neq!(self.admin, Pubkey::default(), HookError::InvalidState);
        Ok(())
    }
}

/// Whether an attestor's attestations count. (New variants go at the end.)
#[derive(AnchorSerialize, AnchorDeserialize, InitSpace, Clone, Copy, Debug, PartialEq, Eq)]
pub enum AttestorStatus {
    Approved,
    /// Issues nothing; every attestation it issued stops counting until it is reinstated.
    Suspended,
}

/// An attestor the admin approved. PDA: `[seeds::ATTESTOR, authority]`.
#[account]
#[derive(InitSpace)]
pub struct Attestor {
    /// Signs `attest` and `revoke`.
    pub authority: Pubkey,
    pub status: AttestorStatus,
    /// Attestations issued or renewed so far (informational).
    pub attestations: u64,
    /// Canonical bump of this PDA.
    pub bump: u8,
}

impl Attestor {
    pub fn invariant(&self) -> Result<()> {
        require_keys_neq!(self.authority, Pubkey::default(), HookError::InvalidState);
        Ok(())
    }
}

/// One attestor's attestation that `holder` may hold the units of every mint that trusts this
/// attestor, until `expires_at`, unless revoked. PDA:
/// `[seeds::ATTESTATION, attestor authority, holder]`.
#[account]
#[derive(InitSpace)]
pub struct Attestation {
    /// The attestor's authority key (not its PDA): the mint gate names the same key.
    pub attestor: Pubkey,
    /// The wallet attested (the owner of destination token accounts).
    pub holder: Pubkey,
    /// ISO 3166-1 alpha-2 code of the holder's jurisdiction, e.g. `*b"DE"`.
    pub jurisdiction: [u8; 2],
    /// Clock time of the latest issue or renewal.
    pub issued_at: i64,
    /// Counts until this clock time (exclusive).
    pub expires_at: i64,
    /// Set by `revoke`; cleared by a renewal (`attest` again).
    pub revoked: bool,
    /// Canonical bump of this PDA.
    pub bump: u8,
}

impl Attestation {
    pub fn invariant(&self) -> Result<()> {
        require!(valid_jurisdiction(&self.jurisdiction), HookError::InvalidJurisdiction);
        require!(self.expires_at > self.issued_at, HookError::InvalidExpiry);
        Ok(())
    }

    /// Refuses by name unless this attestation lets its holder receive units at `now`.
    pub fn check_valid(&self, now: i64) -> Result<()> {
        require!(!self.revoked, HookError::AttestationRevoked);
        require!(now < self.expires_at, HookError::AttestationExpired);
        Ok(())
    }
}

/// Two upper-case ASCII letters.
pub fn valid_jurisdiction(code: &[u8; 2]) -> bool {
    code.iter().all(u8::is_ascii_uppercase)
}

/// Which attestor a permissioned mint trusts. PDA: `[seeds::MINT_GATE, mint]`.
///
/// Layout is part of the transfer-hook interface: the mint's extra account metas read the
/// attestor key at [`MintGate::ATTESTOR_OFFSET`] to derive the attestor and attestation PDAs.
#[account]
#[derive(InitSpace)]
pub struct MintGate {
    pub mint: Pubkey,
    /// The attestor's authority key.
    pub attestor: Pubkey,
    /// Canonical bump of this PDA.
    pub bump: u8,
    /// Canonical bump of the mint's extra-account-metas PDA.
    pub extra_metas_bump: u8,
}

impl MintGate {
    /// Byte offset of `attestor` in the account data (after the discriminator and `mint`).
    pub const ATTESTOR_OFFSET: u8 = 8 + 32;

    pub fn invariant(&self) -> Result<()> {
        require_keys_neq!(self.attestor, Pubkey::default(), HookError::InvalidState);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_attestor_key_sits_at_the_offset_the_extra_metas_read() {
        let gate = MintGate {
            mint: Pubkey::new_unique(),
            attestor: Pubkey::new_unique(),
            bump: 1,
            extra_metas_bump: 2,
        };
        let mut data = vec![];
        gate.try_serialize(&mut data).unwrap();
        let at = MintGate::ATTESTOR_OFFSET as usize;
        assert_eq!(&data[at..at + 32], gate.attestor.as_ref());
    }

    #[test]
    fn an_attestation_counts_until_expiry_unless_revoked() {
        let mut a = Attestation {
            attestor: Pubkey::new_unique(),
            holder: Pubkey::new_unique(),
            jurisdiction: *b"DE",
            issued_at: 10,
            expires_at: 20,
            revoked: false,
            bump: 255,
        };
        assert!(a.invariant().is_ok());
        assert!(a.check_valid(19).is_ok());
        assert_eq!(a.check_valid(20).unwrap_err(), HookError::AttestationExpired.into());
        a.revoked = true;
        assert_eq!(a.check_valid(19).unwrap_err(), HookError::AttestationRevoked.into());
        a.jurisdiction = *b"de";
        assert_eq!(a.invariant().unwrap_err(), HookError::InvalidJurisdiction.into());
    }
}
