use anchor_lang::prelude::*;

#[error_code]
pub enum AnchorTokenError {
    #[msg("the reserve stablecoin must have RESERVE_DECIMALS decimals")]
    UnsupportedReserveDecimals,
    #[msg("the redeem fee is above MAX_FEE_BPS")]
    FeeTooHigh,
    #[msg("the guardian must be a real key, distinct from the default pubkey")]
    InvalidGuardian,
}
