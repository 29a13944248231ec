use anchor_lang::prelude::*;

/// Numbered from 6800: sales read the pricer's rate (6400) and value-anchor's backing (6600)
/// in this program, so the ranges must not overlap (docs/DESIGN.md).
#[error_code(offset = 6800)]
pub enum ReserveError {
    #[msg("the exit-curve discount bounds are out of order or above MAX_DISCOUNT_BPS")]
    InvalidExitCurve,
    #[msg("the guardian must be a real key, distinct from the default pubkey")]
    InvalidGuardian,
    #[msg("a reserve parameter is out of its bounds")]
    InvalidParams,
    #[msg("only the guardian or the admin may pause, and only the admin may unpause")]
    Unauthorized,
    #[msg("the reserve is paused: it buys nothing and takes no deposits")]
    Paused,
    #[msg("an account is not the one the config, the book or the listed pool names")]
    AccountMismatch,
    #[msg("the pool's currency is not the reserve stablecoin")]
    CurrencyMismatch,
    #[msg("the reserve already lists MAX_HOLDINGS pools")]
    TooManyPools,
    #[msg("the listed pools' accounts are not all there, in slot order")]
    PoolAccountsMissing,
    #[msg("a holding is out of date: mark it (mark_holding) in the same transaction")]
    StaleHolding,
    #[msg("the sale is larger than what is left of this epoch's budget (the log says what fits)")]
    EpochBudgetExceeded,
    #[msg("the sale would take the reserve's holding of this pool above its cap (the log says what fits)")]
    PoolCapExceeded,
    #[msg("the bid's budget for this epoch is used (the log says what fits)")]
    BidBudgetExceeded,
    #[msg("the reserve's idle cash does not cover this (the log says what fits)")]
    InsufficientCash,
    #[msg("the payout is below the minimum asked for")]
    SlippageExceeded,
    #[msg("zero, or more than is held")]
    InvalidAmount,
    #[msg("the amount rounds to nothing")]
    RoundsToZero,
    #[msg("the first deposit into a vault must be at least MIN_FIRST_DEPOSIT")]
    FirstDepositTooSmall,
    #[msg("no exit was requested (request_exit) for these shares")]
    NoExitRequested,
    #[msg("the exit's cooldown has not passed")]
    CooldownActive,
    #[msg("the exit's withdrawal window has closed: request again")]
    WindowClosed,
    #[msg("insurance exits are frozen: an accepted pool is Late or Defaulted, or value-anchor's backing is short or unproven")]
    ExitsFrozen,
    #[msg("an in-kind claim on value-anchor is open: claim its units first (claim_anchor_units)")]
    ClaimPending,
    #[msg("the pool is not Matured, WrittenOff or Closed")]
    PoolNotCollectable,
    #[msg("there is nothing to collect, redeem, distribute or claim")]
    NothingOwed,
    #[msg("units of a Defaulted pool are not bought")]
    PoolInDefault,
    #[msg("the protocol token was already created")]
    ProtocolTokenExists,
    #[msg("the protocol token has not been created")]
    NoProtocolToken,
    #[msg("the transfer credited nothing")]
    NothingReceived,
    #[msg("arithmetic overflow")]
    MathOverflow,
    #[msg("value-anchor's PSM can pay these anchor tokens in stable: redeem_anchor, not in kind")]
    StableRedemptionAvailable,
    #[msg("the anchor token program is not the one value-anchor's config names")]
    AnchorTokenProgramMismatch,
}

/// A rwa-math error, as `MathOverflow` (the math crate's own error names its location in the
/// program log).
pub fn math_err(e: rwa_math::MathError) -> Error {
    msg!("math: {}", e);
    error!(ReserveError::MathOverflow)
}
