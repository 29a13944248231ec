use anchor_lang::prelude::*;

use crate::errors::AnchorTokenError;

/// Decimals of the reserve stablecoin every accepted pool is denominated in (and of the
/// anchor token, so that one base unit of each is worth the same at par).
pub const RESERVE_DECIMALS: u8 = 6;
/// Highest redeem fee the admin may set (1%).
pub const MAX_FEE_BPS: u16 = 100;

/// The singleton value-anchor configuration. PDA: `[seeds::CONFIG]`.
#[account]
#[derive(InitSpace)]
pub struct AnchorConfig {
    /// Changes parameters (a timelock PDA in production).
    pub admin: Pubkey,
    /// May pause immediately.
    pub guardian: Pubkey,
    /// When set, exchange and mint are refused.
    pub paused: bool,
    /// The reserve stablecoin mint.
    pub reserve_mint: Pubkey,
    /// The anchor-token mint (PDA `[seeds::ANCHOR_MINT]`, mint authority = this config).
    pub anchor_mint: Pubkey,
    /// Fee on redemption into the reserve stablecoin, in basis points.
    pub redeem_fee_bps: u16,
    /// Canonical bump of this PDA.
    pub bump: u8,
    /// Canonical bump of the anchor mint PDA.
    pub anchor_mint_bump: u8,
    /// The key the admin role has been offered to (`propose_admin`) until it accepts
    /// (`accept_admin`); `Pubkey::default()` when no handover is pending.
    pub pending_admin: Pubkey,
}

impl AnchorConfig {
    /// Checks the bounds every stored config must satisfy; called after every change.
    pub fn invariant(&self) -> Result<()> {
        require!(self.redeem_fee_bps <= MAX_FEE_BPS, AnchorTokenError::FeeTooHigh);
        require_keys_neq!(self.guardian, Pubkey::default(), AnchorTokenError::InvalidGuardian);
        Ok(())
    }
}
