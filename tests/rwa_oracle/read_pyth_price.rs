use anchor_lang::error::ErrorCode;
use pyth_solana_receiver_sdk::price_update::VerificationLevel;
use rwa_oracle::{
    errors::OracleError,
    state::{FeedKind, FeedValue},
};
use rwa_testkit::{oracle::*, prelude::*};

const PYTH_ID: [u8; 32] = [0xef; 32];
const MARKET: [u8; 32] = [5; 32];

/// A market-price feed bound to `PYTH_ID`: [1, 10,000], 1% confidence bound, 60 s fresh.
async fn market_feed() -> OracleFixture {
    let mut fx = OracleFixture::new().await;
    let params = market_params(PYTH_ID);
    fx.create_feed(MARKET, params, 0).await;
    fx
}

fn good(publish_time: i64) -> (i64, u64, i32, i64, VerificationLevel) {
    // 150.00000000 +- 0.05, exponent -8
    (15_000_000_000, 5_000_000, -8, publish_time, VerificationLevel::Full)
}

async fn read_with(
    fx: &mut OracleFixture,
    feed_id: [u8; 32],
    (price, conf, expo, ts, level): (i64, u64, i32, i64, VerificationLevel),
    owner: Option<Pubkey>,
) -> (Instruction, Pubkey) {
    let mut account = pyth_price_update_account(feed_id, price, conf, expo, ts, level);
    if let Some(owner) = owner {
        account.owner = owner;
    }
    let key = Pubkey::new_unique();
    fx.env.set_account(key, account);
    (read_pyth_ix(&MARKET, &key, 60), key)
}

#[tokio::test]
async fn a_fresh_fully_verified_pyth_price_is_converted_to_fixed_point() {
    let mut fx = market_feed().await;
    let (_, key) = read_with(&mut fx, PYTH_ID, good(T0 - 10), None).await;
    let v: FeedValue = fx.read_pyth(MARKET, key, 60).await.unwrap();
    assert_eq!(v.value, 150u128 << 64);
    assert_eq!(v.confidence, (5u128 << 64).div_ceil(100), "0.05 rounded up");
    assert_eq!(v.publish_ts, T0 - 10);
}

#[tokio::test]
async fn an_account_not_owned_by_the_pyth_receiver_is_refused() {
    let mut fx = market_feed().await;
    let (ix, _) = read_with(&mut fx, PYTH_ID, good(T0), Some(Pubkey::new_unique())).await;
    fx.env.send_expect_error(&[ix], &[], ErrorCode::AccountOwnedByWrongProgram).await;
}

#[tokio::test]
async fn a_price_of_another_feed_id_is_refused() {
    let mut fx = market_feed().await;
    let (ix, _) = read_with(&mut fx, [0xaa; 32], good(T0), None).await;
    fx.env.send_expect_error(&[ix], &[], OracleError::PythFeedMismatch).await;
}

#[tokio::test]
async fn a_stale_price_is_refused() {
    let mut fx = market_feed().await;
    let (ix, _) = read_with(&mut fx, PYTH_ID, good(T0 - 61), None).await;
    fx.env.send_expect_error(&[ix], &[], OracleError::StaleFeed).await;
}

#[tokio::test]
async fn a_price_with_too_wide_a_confidence_interval_is_refused() {
    let mut fx = market_feed().await;
    let mut p = good(T0);
    p.1 = 150_000_001; // 1.50000001 on 150: just over 1%
    let (ix, _) = read_with(&mut fx, PYTH_ID, p, None).await;
    fx.env.send_expect_error(&[ix], &[], OracleError::ConfidenceTooWide).await;
}

#[tokio::test]
async fn a_partially_verified_or_non_positive_price_is_refused() {
    let mut fx = market_feed().await;
    let mut partial = good(T0);
    partial.4 = VerificationLevel::Partial { num_signatures: 5 };
    let (ix, _) = read_with(&mut fx, PYTH_ID, partial, None).await;
    fx.env.send_expect_error(&[ix], &[], OracleError::PythNotFullyVerified).await;
    let mut negative = good(T0);
    negative.0 = -1;
    let (ix, _) = read_with(&mut fx, PYTH_ID, negative, None).await;
    fx.env.send_expect_error(&[ix], &[], OracleError::NonPositivePrice).await;
}

#[tokio::test]
async fn a_feed_that_is_not_a_market_price_cannot_read_pyth() {
    let mut fx = market_feed().await;
    let (price, conf, expo, ts, level) = good(T0);
    let account = pyth_price_update_account(PYTH_ID, price, conf, expo, ts, level);
    let key = Pubkey::new_unique();
    fx.env.set_account(key, account);
    let id = fx.feed_id;
    fx.env
        .send_expect_error(&[read_pyth_ix(&id, &key, 60)], &[], OracleError::FeedKindMismatch)
        .await;
}

#[tokio::test]
async fn a_single_source_market_feed_is_read_from_pyth_only_by_a_caller_who_opts_in() {
    let mut fx = OracleFixture::new().await;
    let mut params = single_source_params(FeedKind::MarketPrice, 1);
    params.min_value = 1 << 64;
    params.max_value = 10_000u128 << 64;
    params.max_confidence_bps = 100;
    params.max_staleness_secs = 60;
    params.pyth_feed_id = PYTH_ID;
    fx.create_feed(MARKET, params, 0).await;
    let (ix, key) = read_with(&mut fx, PYTH_ID, good(T0), None).await;
    fx.env.send_expect_error(&[ix], &[], OracleError::SingleSourceFeed).await;
    let opted_in = ReadOptions::max_age(60).allowing_single_source();
    assert_eq!(fx.read_pyth_with(MARKET, key, opted_in).await.unwrap().value, 150u128 << 64);
}
