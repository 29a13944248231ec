//! Pyth adapter: market prices from a Pyth pull-oracle `PriceUpdateV2` account.
//!
//! `pyth-sdk-solana` (0.10.6, the last release) does not compile against the Solana 3.x crates,
//! and the legacy push accounts it reads are retired on Solana; the pull oracle's receiver SDK
//! (`pyth-solana-receiver-sdk` 2.0.0) is used instead. The account's owner (the Pyth receiver
//! program) is checked by Anchor's `Account<PriceUpdateV2>`.
use anchor_lang::prelude::*;
use pyth_solana_receiver_sdk::price_update::{PriceUpdateV2, VerificationLevel};
use rwa_math::Fixed;

use crate::errors::OracleError;
use crate::state::{Feed, FeedKind, FeedValue, ReadOptions};

/// Reads `update` for the `MarketPrice` feed `feed`: a single-source feed only if `options`
/// allow it, feed id, full verification, freshness (`options.max_age_secs` bounded by the
/// feed's own), positive price, confidence at most
/// `max_confidence_bps` of the price, and the feed's [min, max]. The price converts to Fixed
/// rounded down, the confidence rounded up.
pub fn read_pyth_price(
    update: &PriceUpdateV2,
    feed: &Feed,
    oracle_paused: bool,
    now: i64,
    options: ReadOptions,
) -> Result<FeedValue> {
    require!(!oracle_paused && !feed.paused, OracleError::FeedPaused);
    require!(
        !feed.params.single_source || options.allow_single_source,
        OracleError::SingleSourceFeed
    );
    require!(feed.params.kind == FeedKind::MarketPrice, OracleError::FeedKindMismatch);
    let msg = &update.price_message;
    require!(
        feed.params.pyth_feed_id != [0; 32] && msg.feed_id == feed.params.pyth_feed_id,
        OracleError::PythFeedMismatch
    );
    require!(
        update.verification_level == VerificationLevel::Full,
        OracleError::PythNotFullyVerified
    );
    require!(msg.publish_time <= now, OracleError::FutureTimestamp);
    let max_age = options.max_age_secs.min(feed.params.max_staleness_secs) as i64;
    require!(now - msg.publish_time <= max_age, OracleError::StaleFeed);
    require!(msg.price > 0, OracleError::NonPositivePrice);
    let price = msg.price as u64;
    require!(
        (msg.conf as u128) * 10_000 <= (price as u128) * feed.params.max_confidence_bps as u128,
        OracleError::ConfidenceTooWide
    );
    let value = Fixed::from_decimal_floor(price, msg.exponent)
        .map_err(|_| error!(OracleError::MathOverflow))?;
    let confidence = Fixed::from_decimal_ceil(msg.conf, msg.exponent)
        .map_err(|_| error!(OracleError::MathOverflow))?;
    require!(
        (feed.params.min_value..=feed.params.max_value).contains(&value.raw()),
        OracleError::ValueOutOfBounds
    );
    Ok(FeedValue { value: value.raw(), confidence: confidence.raw(), publish_ts: msg.publish_time })
}
