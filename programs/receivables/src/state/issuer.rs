use anchor_lang::prelude::*;

use crate::errors::ReceivablesError;

/// What the admin allows one issuer to originate.
#[derive(AnchorSerialize, AnchorDeserialize, InitSpace, Clone, Copy, Debug, PartialEq, Eq)]
pub struct IssuerLimits {
    /// Most pools the issuer may create (cancelled Draft pools do not count).
    pub max_pools: u32,
    /// Most face value (currency base units) the issuer may have outstanding across its pools.
    pub max_face_value: u64,
}

impl IssuerLimits {
    /// At least one pool and a positive face value.
    pub fn validate(&self) -> Result<()> {
        require!(
            self.max_pools > 0 && self.max_face_value > 0,
            ReceivablesError::InvalidIssuerLimits
        );
        Ok(())
    }
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
    /// Draft pools the issuer cancelled: their slots count again towards `max_pools`.
    pub pools_cancelled: u32,
}

impl Issuer {
    /// Reserves room for a new pool of `face_value`, or refuses with the limit it would break.
    pub fn reserve_pool(&mut self, face_value: u64) -> Result<()> {
        require!(self.status == ApprovalStatus::Approved, ReceivablesError::IssuerNotApproved);
        require!(self.pools_counted()? < self.limits.max_pools, ReceivablesError::PoolLimitReached);
        let outstanding = self
            .face_value_outstanding
            .checked_add(face_value)
            .ok_or(ReceivablesError::MathOverflow)?;
        require!(
            outstanding <= self.limits.max_face_value,
            ReceivablesError::FaceValueLimitExceeded
        );
        self.pools_created =
            self.pools_created.checked_add(1).ok_or(ReceivablesError::MathOverflow)?;
        self.face_value_outstanding = outstanding;
        Ok(())
    }

    /// Pools that count towards `max_pools`: created and not cancelled.
    pub fn pools_counted(&self) -> Result<u32> {
        self.pools_created
            .checked_sub(self.pools_cancelled)
            .ok_or_else(|| error!(ReceivablesError::MathOverflow))
    }

    /// Frees a closed pool's face value for new pools.
    pub fn release_face_value(&mut self, face_value: u64) -> Result<()> {
        self.face_value_outstanding = self
            .face_value_outstanding
            .checked_sub(face_value)
            .ok_or(ReceivablesError::MathOverflow)?;
        Ok(())
    }

    /// Frees everything a cancelled Draft pool reserved: its face value and its pool slot.
    pub fn release_cancelled_pool(&mut self, face_value: u64) -> Result<()> {
        self.release_face_value(face_value)?;
        self.pools_cancelled =
            self.pools_cancelled.checked_add(1).ok_or(ReceivablesError::MathOverflow)?;
        Ok(())
    }

    /// Checks the bounds every stored issuer must satisfy; called after every change. (Limits
    /// bind new pools: the admin may lower them below what is already taken.)
    pub fn invariant(&self) -> Result<()> {
        self.limits.validate()?;
        require!(self.pools_cancelled <= self.pools_created, ReceivablesError::MathOverflow);
        Ok(())
    }
}
