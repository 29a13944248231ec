use anchor_lang::prelude::*;

use crate::errors::ReceivablesError;

/// What the admin allows one issuer to originate.
#[derive(AnchorSerialize, AnchorDeserialize, InitSpace, Clone, Copy, Debug, PartialEq, Eq)]
pub struct IssuerLimits {
    /// Most pools the issuer may ever create.
    pub max_pools: u32,
    /// Most face value (currency base units) the issuer may have outstanding across its pools.
    pub max_face_value: u64,
}

#[derive(AnchorSerialize, AnchorDeserialize, InitSpace, Clone, Copy, Debug, PartialEq, Eq)]
/// Whether an issuer or servicer may take on new pools.
pub enum ApprovalStatus {
    Approved,
    Suspended,
}

/// An issuer's registry entry. PDA: `[seeds::ISSUER, authority]`.
#[account]
#[derive(InitSpace)]
pub struct Issuer {
    /// The key that signs for the issuer.
    pub authority: Pubkey,
    pub status: ApprovalStatus,
    pub limits: IssuerLimits,
    /// Pools created so far; also the next pool's index.
    pub pools_created: u32,
    /// Face value of this issuer's pools not yet closed.
    pub face_value_outstanding: u64,
    /// Canonical bump of this PDA.
    pub bump: u8,
}

impl Issuer {
    /// Reserves room for a new pool of `face_value`, or refuses with the limit it would break.
    pub fn reserve_pool(&mut self, face_value: u64) -> Result<()> {
        require!(self.status == ApprovalStatus::Approved, ReceivablesError::IssuerNotApproved);
        require!(self.pools_created < self.limits.max_pools, ReceivablesError::PoolLimitReached);
        let outstanding = self
            .face_value_outstanding
            .checked_add(face_value)
            .ok_or(ReceivablesError::MathOverflow)?;
        require!(
            outstanding <= self.limits.max_face_value,
            ReceivablesError::FaceValueLimitExceeded
        );
        self.pools_created += 1;
        self.face_value_outstanding = outstanding;
        Ok(())
    }

    /// Checks the bounds every stored issuer must satisfy; called after every change.
    pub fn invariant(&self) -> Result<()> {
        require!(
            self.limits.max_pools > 0 && self.limits.max_face_value > 0,
            ReceivablesError::InvalidIssuerLimits
        );
        require!(self.pools_created <= self.limits.max_pools, ReceivablesError::PoolLimitReached);
        Ok(())
    }
}
