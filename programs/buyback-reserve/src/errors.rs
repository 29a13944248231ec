use anchor_lang::prelude::*;

/// Numbered from 6800: sales read the pricer's rate (6400) and value-anchor's backing (6600)
/// in this program, so the ranges must not overlap (docs/DESIGN.md).
#[error_code(offset = 6800)]
pub enum ReserveError {
    #[msg("the exit-curve discount bounds are out of order or above MAX_DISCOUNT_BPS")]
    InvalidExitCurve,
    #[msg("the guardian must be a real key, distinct from the default pubkey")]
    InvalidGuardian,
}
