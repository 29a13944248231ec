use anchor_lang::prelude::*;

use crate::errors::AnchorTokenError;

/// Decimals of the reserve stablecoin every accepted pool is denominated in (and of the
/// anchor token, so that one base unit of each is worth the same at par).
pub const RESERVE_DECIMALS: u8 = 6;
/// Bounds of the anchor token's Token-2022 metadata (bytes): name 1..=32, symbol 1..=10,
/// URI 0..=200.
pub const MAX_ANCHOR_NAME_LEN: usize = 32;
pub const MAX_ANCHOR_SYMBOL_LEN: usize = 10;
pub const MAX_ANCHOR_URI_LEN: usize = 200;
/// Highest PSM fee on either side at par (10 bps).
pub const MAX_FEE_BPS: u16 = 10;
/// A PSM fee of this value stops that side (`PsmSideHalted`).
pub const FEE_HALT: u16 = u16::MAX;
/// Highest overcollateral the admin may require (100%) and longest freshness bounds (1 day).
pub const MAX_OVERCOLLATERAL_BPS: u16 = 10_000;
pub const MAX_AGE_SECS: u32 = 24 * 3600;

/// The parameters the admin sets.
#[derive(AnchorSerialize, AnchorDeserialize, InitSpace, Clone, Copy, Debug, PartialEq, Eq)]
pub struct AnchorParams {
    /// PSM fee on `mint_with_stable`, bps of the stable paid in (<= 10, or `FEE_HALT`).
    pub fee_in_bps: u16,
    /// PSM fee on `redeem_for_stable`, bps of the stable paid out (<= 10, or `FEE_HALT`).
    pub fee_out_bps: u16,
    /// Every mint must leave `backing >= supply x (1 + overcollateral_bps / 10,000)`.
    pub overcollateral_bps: u16,
    /// A backing entry older than this blocks mints (never redemptions).
    pub max_entry_age_secs: u32,
    /// The oldest pricer rate an exchange or a backing refresh accepts.
    pub max_price_age_secs: u32,
    /// Most value of pool units (at their last price) the protocol may hold, all pools.
    pub global_ceiling: u64,
}

impl AnchorParams {
    pub fn validate(&self) -> Result<()> {
        let fee_ok = |f: u16| f <= MAX_FEE_BPS || f == FEE_HALT;
        require!(fee_ok(self.fee_in_bps) && fee_ok(self.fee_out_bps), AnchorTokenError::FeeTooHigh);
        require!(
            self.overcollateral_bps <= MAX_OVERCOLLATERAL_BPS
                && (1..=MAX_AGE_SECS).contains(&self.max_entry_age_secs)
                && (1..=MAX_AGE_SECS).contains(&self.max_price_age_secs),
            AnchorTokenError::InvalidParams
        );
        Ok(())
    }
}

/// The singleton value-anchor configuration. PDA: `[seeds::CONFIG]`; it is also the anchor
/// mint's mint authority and the owner of the stable reserve and every collateral account.
#[account]
#[derive(InitSpace)]
pub struct AnchorConfig {
    /// Changes parameters (a timelock PDA in production).
    pub admin: Pubkey,
    /// May pause immediately.
    pub guardian: Pubkey,
    /// When set, nothing is minted (exchange, PSM mint); redemptions go on.
    pub paused: bool,
    /// The reserve stablecoin mint.
    pub reserve_mint: Pubkey,
    /// The anchor-token mint (PDA `[seeds::ANCHOR_MINT]`, mint authority = this config).
    pub anchor_mint: Pubkey,
    /// Token program of the reserve mint (and the stable reserve).
    pub token_program: Pubkey,
    /// Token program of the anchor mint, chosen at `initialize`: Token-2022 (the mint carries
    /// a metadata pointer to itself and token metadata) or SPL Token (a bare mint).
    pub anchor_token_program: Pubkey,
    /// The stable reserve (PDA `[seeds::STABLE_RESERVE]`, reserve-mint account owned by this
    /// config).
    pub stable_reserve: Pubkey,
    pub params: AnchorParams,
    /// Canonical bumps of this PDA, the anchor mint and the stable reserve.
    pub bump: u8,
    pub anchor_mint_bump: u8,
    pub stable_reserve_bump: u8,
    /// The key the admin role has been offered to (`propose_admin`) until it accepts
    /// (`accept_admin`); `Pubkey::default()` when no handover is pending.
    pub pending_admin: Pubkey,
    /// The reserve-stablecoin account `sweep_fees` pays accrued PSM fees into
    /// (`set_fee_recipient`); `Pubkey::default()` while none is set (nothing is swept).
    pub fee_recipient: Pubkey,
}

impl AnchorConfig {
    /// Checks the bounds every stored config must satisfy; called after every change.
    pub fn invariant(&self) -> Result<()> {
        self.params.validate()?;
        require_keys_neq!(self.guardian, Pubkey::default(), AnchorTokenError::InvalidGuardian);
        Ok(())
    }
}
