use anchor_lang::prelude::*;

/// The pricer's errors are numbered from 6400: a refresh also raises rwa-oracle's errors (from
/// 6200) and receivables' (from 6000) in the same program, so every number stays unambiguous.
#[error_code(offset = 6400)]
pub enum PricerError {
    #[msg("max rate age must be between 1 second and MAX_RATE_AGE_SECS")]
    InvalidRateAge,
    #[msg("the guardian must be a real key, distinct from the default pubkey")]
    InvalidGuardian,
    #[msg("only the guardian or the admin may pause, and only the admin may unpause")]
    Unauthorized,
    #[msg("the pricer is paused")]
    PricerPaused,
    #[msg("pricing parameters out of bounds (input age, rise bps or rise interval)")]
    InvalidPricingParams,
    #[msg("the grade risk account is not the one bound to this pool's grade")]
    GradeMismatch,
    #[msg("the benchmark feed is not the one bound to this pool")]
    BenchmarkFeedMismatch,
    #[msg("the feed is not of the kind this input needs")]
    FeedKindMismatch,
    #[msg("the vault is not the pool's vault")]
    VaultMismatch,
    #[msg("the unit mint is not the pool's unit mint")]
    UnitMintMismatch,
    #[msg("only a live pool (Active, Late or Defaulted) is accepted for pricing; a Draft or Cancelled pool has no price")]
    PoolNotPriceable,
    #[msg("the pool has no units outstanding")]
    NoUnitsOutstanding,
    #[msg("risk inputs out of range (discount rate above 1000%)")]
    RiskInputOutOfRange,
    #[msg("the valuation failed (schedule or arithmetic); see the log")]
    ValuationFailed,
    #[msg("the rate has never been refreshed")]
    NeverRefreshed,
    #[msg("the rate is older than the caller's or the pricer's max age")]
    StaleRate,
    #[msg("the pool allows no new exits (Draft, Closed or Cancelled)")]
    PoolNotExitable,
    #[msg("the published price is above the computed one")]
    PriceAboveComputed,
    #[msg("arithmetic overflow")]
    MathOverflow,
    #[msg("the pool changed (repayment, write-down, status) since the rate was refreshed")]
    PoolChangedSinceRefresh,
    #[msg("the pool account is not this pricing's pool")]
    PoolMismatch,
}
