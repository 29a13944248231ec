use anchor_lang::prelude::*;

#[error_code]
pub enum ReserveError {
    #[msg("the exit-curve discount bounds are out of order or above MAX_DISCOUNT_BPS")]
    InvalidExitCurve,
    #[msg("the guardian must be a real key, distinct from the default pubkey")]
    InvalidGuardian,
}
