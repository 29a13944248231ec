use anchor_lang::prelude::*;

/// Numbered from 6600: exits read the pricer's rate in this program (its errors from 6400), so
/// the ranges must not overlap (docs/DESIGN.md).
#[error_code(offset = 6600)]
pub enum AnchorTokenError {
    #[msg("the reserve stablecoin must have RESERVE_DECIMALS decimals")]
    UnsupportedReserveDecimals,
    #[msg("a PSM fee is above MAX_FEE_BPS (and not the halt value)")]
    FeeTooHigh,
    #[msg("the guardian must be a real key, distinct from the default pubkey")]
    InvalidGuardian,
    #[msg("parameters out of bounds")]
    InvalidParams,
    #[msg("only the guardian or the admin may pause, and only the admin may unpause")]
    Unauthorized,
    #[msg("minting is paused")]
    Paused,
    #[msg("the pool's currency is not the reserve stablecoin")]
    CurrencyMismatch,
    #[msg("the pricing account is not the pricer's account for this pool")]
    PricingMismatch,
    #[msg("value-anchor already accepts MAX_POOLS pools")]
    TooManyPools,
    #[msg("intake of this pool's units is stopped")]
    IntakeStopped,
    #[msg("the output is below the caller's minimum")]
    SlippageExceeded,
    #[msg("the exchange would take the pool above its ceiling")]
    PoolCeilingExceeded,
    #[msg("the exchange would take all pools above the global ceiling")]
    GlobalCeilingExceeded,
    #[msg("the pool's intake capacity is used up for now")]
    CapacityExceeded,
    #[msg("a backing entry is older than the max entry age: refresh it first")]
    StaleBacking,
    #[msg("the mint would leave backing below supply x (1 + overcollateral)")]
    Undercollateralised,
    #[msg("this side of the PSM is halted")]
    PsmSideHalted,
    #[msg("the stable reserve cannot pay this redemption")]
    InsufficientStableReserve,
    #[msg("the amount must be positive and at most the supply")]
    InvalidAmount,
    #[msg("the amount rounds to nothing")]
    RoundsToZero,
    #[msg("only a Matured, WrittenOff or Closed pool's units are collected")]
    PoolNotCollectable,
    #[msg("nothing is owed of this pool on this claim")]
    NothingOwed,
    #[msg("the account is not the one this pool or config names")]
    AccountMismatch,
    #[msg("the transfer credited nothing")]
    NothingReceived,
    #[msg("arithmetic overflow")]
    MathOverflow,
    #[msg("every accepted pool's account must follow, in backing-slot order")]
    PoolAccountsMissing,
    #[msg("a defaulted pool's units are not taken in")]
    PoolInDefault,
    #[msg("the backing already covers supply x (1 + overcollateral): no cover is needed")]
    NoShortfall,
    #[msg("no fee recipient is set")]
    NoFeeRecipient,
    #[msg("nothing to sweep: no fee accrued, or no surplus above supply x (1 + overcollateral)")]
    NothingToSweep,
    #[msg("the anchor token program is not the one the config names")]
    AnchorTokenProgramMismatch,
    #[msg("the anchor token's name must be 1..=32 bytes (Token-2022 anchor token)")]
    InvalidAnchorName,
    #[msg("the anchor token's symbol must be 1..=10 bytes (Token-2022 anchor token)")]
    InvalidAnchorSymbol,
    #[msg("the anchor token's URI must be at most 200 bytes (Token-2022 anchor token)")]
    InvalidAnchorUri,
    #[msg("an SPL Token anchor mint carries no metadata: name, symbol and URI must be empty")]
    AnchorMetadataNeedsToken2022,
}
