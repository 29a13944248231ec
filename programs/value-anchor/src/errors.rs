use anchor_lang::prelude::*;

/// Numbered from 6600: exits read the pricer's rate in this program (its errors from 6400), so
/// the ranges must not overlap (docs/DESIGN.md).
#[error_code(offset = 6600)]
pub enum AnchorTokenError {
    #[msg("the reserve stablecoin must have RESERVE_DECIMALS decimals")]
    UnsupportedReserveDecimals,
    #[msg("the redeem fee is above MAX_FEE_BPS")]
    FeeTooHigh,
    #[msg("the guardian must be a real key, distinct from the default pubkey")]
    InvalidGuardian,
}
