use anchor_lang::prelude::*;

#[error_code]
pub enum OracleError {
    #[msg("max staleness must be between 1 second and MAX_STALENESS_SECS")]
    InvalidStaleness,
    #[msg("min_publishers must be between 1 and MAX_PUBLISHERS")]
    InvalidMinPublishers,
    #[msg("the guardian must be a real key, distinct from the default pubkey")]
    InvalidGuardian,
}
