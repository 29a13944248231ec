use anchor_lang::prelude::*;

#[error_code]
pub enum PricerError {
    #[msg("max rate age must be between 1 second and MAX_RATE_AGE_SECS")]
    InvalidRateAge,
    #[msg("the guardian must be a real key, distinct from the default pubkey")]
    InvalidGuardian,
}
