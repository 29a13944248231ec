use rwa_oracle::{errors::OracleError, state::FeedValue};
use rwa_testkit::{oracle::*, prelude::*};

async fn read(fx: &mut OracleFixture, max_age: u32) -> Result<FeedValue, TxFailure> {
    let id = fx.feed_id;
    fx.read_feed(id, max_age).await
}

#[tokio::test]
async fn a_read_returns_the_accepted_value_with_its_confidence_and_time() {
    let mut fx = OracleFixture::new().await;
    fx.submit_ok(0, bps(500), T0).await;
    fx.submit_ok(1, bps(500), T0).await;
    let v = read(&mut fx, 600).await.unwrap();
    assert_eq!(v, FeedValue { value: bps(500), confidence: bps(500) / 10_000, publish_ts: T0 });
}

#[tokio::test]
async fn a_feed_never_published_has_too_few_publishers() {
    let mut fx = OracleFixture::new().await;
    let id = fx.feed_id;
    fx.env.send_expect_error(&[read_feed_ix(&id, 600)], &[], OracleError::TooFewPublishers).await;
}

#[tokio::test]
async fn a_read_after_the_quorum_went_stale_is_refused() {
    let mut fx = OracleFixture::new().await;
    fx.submit_ok(0, bps(500), T0).await;
    fx.submit_ok(1, bps(500), T0).await;
    fx.env.set_unix_timestamp(T0 + 601).await;
    let id = fx.feed_id;
    fx.env.send_expect_error(&[read_feed_ix(&id, 600)], &[], OracleError::TooFewPublishers).await;
}

#[tokio::test]
async fn the_callers_max_age_is_enforced_within_the_feeds_own() {
    let mut fx = OracleFixture::new().await;
    fx.submit_ok(0, bps(500), T0).await;
    fx.env.set_unix_timestamp(T0 + 100).await;
    fx.submit_ok(1, bps(500), T0 + 100).await;
    fx.submit_ok(2, bps(500), T0 + 100).await;
    // publishers 1 and 2 are fresh for a 60 s reader, but the accepted median also used
    // publisher 0's 100 s old observation
    let id = fx.feed_id;
    fx.env.send_expect_error(&[read_feed_ix(&id, 60)], &[], OracleError::StaleFeed).await;
    assert_eq!(read(&mut fx, 100).await.unwrap().publish_ts, T0);
    // a caller asking for more than the feed's own bound gets the feed's bound
    fx.env.set_unix_timestamp(T0 + 650).await;
    fx.env.send_expect_error(&[read_feed_ix(&id, 86_400)], &[], OracleError::StaleFeed).await;
}
