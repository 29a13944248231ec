use rwa_oracle::{
    errors::OracleError,
    state::{FeedKind, FeedValue},
};
use rwa_testkit::{oracle::*, prelude::*};

async fn read(fx: &mut OracleFixture, max_age: u32) -> Result<FeedValue, TxFailure> {
    let id = fx.feed_id;
    fx.read_feed(id, max_age).await
}

#[tokio::test]
async fn a_read_returns_the_accepted_value_with_its_confidence_and_time() {
    let mut fx = OracleFixture::new().await;
    let id = fx.feed_id;
    fx.publish_ok(&id, bps(500), T0).await;
    let v = read(&mut fx, 600).await.unwrap();
    assert_eq!(v, FeedValue { value: bps(500), confidence: bps(500) / 10_000, publish_ts: T0 });
}

#[tokio::test]
async fn a_feed_never_published_has_too_few_publishers() {
    let mut fx = OracleFixture::new().await;
    let id = fx.feed_id;
    fx.submit_ok(0, bps(500), T0).await;
    fx.submit_ok(1, bps(500), T0).await; // two of a quorum of three
    fx.env.send_expect_error(&[read_feed_ix(&id, 600)], &[], OracleError::TooFewPublishers).await;
}

#[tokio::test]
async fn a_read_after_the_quorum_went_stale_is_refused() {
    let mut fx = OracleFixture::new().await;
    let id = fx.feed_id;
    fx.publish_ok(&id, bps(500), T0).await;
    fx.env.set_unix_timestamp(T0 + 601).await;
    fx.env.send_expect_error(&[read_feed_ix(&id, 600)], &[], OracleError::TooFewPublishers).await;
}

#[tokio::test]
async fn the_callers_max_age_is_enforced_within_the_feeds_own() {
    let mut fx = OracleFixture::new().await;
    let id = fx.feed_id;
    fx.add_publisher(&id, 3).await;
    fx.submit_ok(0, bps(500), T0).await;
    fx.env.set_unix_timestamp(T0 + 100).await;
    for i in 1..4 {
        fx.submit_ok(i, bps(500), T0 + 100).await;
    }
    // publishers 1 to 3 are a fresh quorum for a 60 s reader: the value is as fresh as its
    // quorum (the third freshest observation), whatever publisher 0's older one says
    assert_eq!(read(&mut fx, 60).await.unwrap().publish_ts, T0 + 100);
    fx.env.set_unix_timestamp(T0 + 161).await;
    fx.env.send_expect_error(&[read_feed_ix(&id, 60)], &[], OracleError::TooFewPublishers).await;
    // a caller asking for more than the feed's own bound (600 s) gets the feed's bound
    assert!(read(&mut fx, 86_400).await.is_ok());
    fx.env.set_unix_timestamp(T0 + 701).await;
    fx.env
        .send_expect_error(&[read_feed_ix(&id, 86_400)], &[], OracleError::TooFewPublishers)
        .await;
}

#[tokio::test]
async fn a_single_source_feed_is_refused_unless_the_reader_opts_in() {
    let mut fx = OracleFixture::new().await;
    let id = [4u8; 32];
    fx.create_feed(id, single_source_params(FeedKind::BenchmarkRate, 1), 1).await;
    fx.submit_on_ok(0, &id, bps(500), T0).await;
    fx.env.send_expect_error(&[read_feed_ix(&id, 600)], &[], OracleError::SingleSourceFeed).await;
    let opted_in = ReadOptions::max_age(600).allowing_single_source();
    assert_eq!(fx.read_feed_with(id, opted_in).await.unwrap().value, bps(500));
    // opting in changes nothing for a quorum feed
    let quorum = fx.feed_id;
    fx.publish_ok(&quorum, bps(450), T0).await;
    assert_eq!(fx.read_feed_with(quorum, opted_in).await.unwrap().value, bps(450));
}

/// Issue #10: with a quorum of two, one publisher's outlier within a window formed a median
/// beyond the deviation bound, and the held value made every read fail. With a quorum of three
/// and a median that takes the lower middle, one publisher neither moves nor blocks the feed.
#[tokio::test]
async fn one_attacker_within_a_window_cannot_make_reads_fail() {
    let mut fx = OracleFixture::new().await;
    let id = fx.feed_id;
    fx.publish_ok(&id, bps(500), T0).await;
    fx.env.set_unix_timestamp(T0 + 60).await;
    // three fresh: publisher 2 turned attacker is the top or the bottom of three
    for (k, attack) in [bps(10_000), 0].into_iter().enumerate() {
        fx.submit_ok(2, attack, T0 + 1 + k as i64).await;
        assert_eq!(read(&mut fx, 600).await.unwrap().value, bps(500));
    }
    // four fresh (an even count), publisher 2 honest again and a fourth publisher attacking:
    // the lower middle is an honest value either way
    fx.submit_ok(2, bps(500), T0 + 10).await;
    fx.add_publisher(&id, 3).await;
    for (k, attack) in [bps(10_000), 0].into_iter().enumerate() {
        fx.submit_ok(3, attack, T0 + 20 + k as i64).await;
        assert_eq!(read(&mut fx, 600).await.unwrap().value, bps(500));
    }
}
