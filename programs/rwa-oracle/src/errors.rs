use anchor_lang::prelude::*;

#[error_code]
pub enum OracleError {
    #[msg("max staleness must be between 1 second and MAX_STALENESS_SECS")]
    InvalidStaleness,
    #[msg("min_publishers must be between MIN_QUORUM (3) and MAX_PUBLISHERS, or 1 or 2 for a single-source feed")]
    InvalidMinPublishers,
    #[msg("the guardian must be a real key, distinct from the default pubkey")]
    InvalidGuardian,
    #[msg("feed parameters are inconsistent (min above max, zero window, bps above 10,000)")]
    InvalidFeedParams,
    #[msg("only the guardian or the admin may pause, and only the admin may unpause")]
    Unauthorized,
    #[msg("the signer is not an authorised publisher of this feed")]
    UnauthorizedPublisher,
    #[msg("the publisher is already authorised on this feed")]
    PublisherAlreadyAdded,
    #[msg("the key is not a publisher of this feed")]
    PublisherNotFound,
    #[msg("the feed already has MAX_PUBLISHERS publishers")]
    TooManyPublishers,
    #[msg("the oracle or this feed is paused")]
    FeedPaused,
    #[msg("the publish time is in the future")]
    FutureTimestamp,
    #[msg("the observation is not newer than the publisher's last one")]
    ObservationNotNewer,
    #[msg("the observation is older than the feed's freshness bound")]
    StaleObservation,
    #[msg("the value is outside the feed's [min, max] bounds")]
    ValueOutOfBounds,
    #[msg("the confidence interval is wider than the feed allows")]
    ConfidenceTooWide,
    #[msg("the feed's value is older than the caller's or the feed's max age")]
    StaleFeed,
    #[msg("fewer fresh publishers than the feed's quorum")]
    TooFewPublishers,
    #[msg("the publishers' value jumped beyond the deviation bound; awaiting admin confirmation or a value within the bound")]
    DeviationTooLarge,
    #[msg("no held value awaits confirmation")]
    NothingPending,
    #[msg("the feed is not of the kind this use needs")]
    FeedKindMismatch,
    #[msg("the Pyth price update is for another feed id")]
    PythFeedMismatch,
    #[msg("the Pyth price update is not fully verified")]
    PythNotFullyVerified,
    #[msg("the price is zero or negative")]
    NonPositivePrice,
    #[msg("the write-down schedule is invalid (unsorted, decreasing, above 100% or too long)")]
    InvalidWriteDown,
    #[msg("the grade is above MAX_GRADE")]
    InvalidGrade,
    #[msg("arithmetic overflow or unsupported exponent")]
    MathOverflow,
    #[msg("the feed is single-source (quorum below MIN_QUORUM); the reader did not opt in")]
    SingleSourceFeed,
    #[msg("the feed's stored state is inconsistent (a served or held value without a quorum or a deviation reference)")]
    FeedStateInconsistent,
}
