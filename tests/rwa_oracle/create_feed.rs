use anchor_lang::error::ErrorCode;
use rwa_oracle::{
    errors::OracleError,
    state::{Feed, FeedKind, FeedParams, MAX_PUBLISHERS, MAX_STALENESS_SECS},
};
use rwa_testkit::{oracle::*, prelude::*};

#[tokio::test]
async fn admin_creates_a_feed_with_its_bounds_and_the_config_defaults() {
    let mut fx = OracleFixture::new().await;
    let id = [9u8; 32];
    let mut params = rate_params(FeedKind::CreditSpread);
    params.max_staleness_secs = 0;
    params.min_publishers = 0;
    let admin = fx.admin.pubkey();
    fx.env.send_ok(&[create_feed_ix(&admin, id, params)], &[&fx.admin]).await;

    let feed: Feed = fx.env.anchor_account(feed_pda(&id)).await;
    assert_eq!(feed.feed_id, id);
    assert_eq!(feed.params.kind, FeedKind::CreditSpread);
    assert_eq!((feed.params.max_staleness_secs, feed.params.min_publishers), (600, 3));
    assert!(!feed.params.single_source);
    assert!(feed.observations.iter().all(|o| o.publisher == Pubkey::default()));
    assert_eq!(feed.accepted.publishers, 0);
    assert_eq!(feed.reference, None);
}

#[tokio::test]
async fn admin_creates_an_explicit_single_source_feed_with_a_quorum_below_three() {
    let mut fx = OracleFixture::new().await;
    let admin = fx.admin.pubkey();
    for (id, quorum) in [([9u8; 32], 1), ([8u8; 32], 2)] {
        let params = single_source_params(FeedKind::MarketPrice, quorum);
        fx.env.send_ok(&[create_feed_ix(&admin, id, params)], &[&fx.admin]).await;
        let feed: Feed = fx.env.anchor_account(feed_pda(&id)).await;
        assert!(feed.params.single_source);
        assert_eq!(feed.params.min_publishers, quorum);
    }
}

#[tokio::test]
async fn a_quorum_below_three_is_refused_unless_the_feed_is_single_source() {
    let mut fx = OracleFixture::new().await;
    let admin = fx.admin.pubkey();
    let quorum_of =
        |min_publishers| FeedParams { min_publishers, ..rate_params(FeedKind::BenchmarkRate) };
    // a single-source flag on a quorum feed, or a single-source feed left on the default (3)
    let cases = [
        quorum_of(1),
        quorum_of(2),
        single_source_params(FeedKind::BenchmarkRate, 3),
        single_source_params(FeedKind::BenchmarkRate, 0),
    ];
    for params in cases {
        let ix = create_feed_ix(&admin, [9; 32], params);
        fx.env.send_expect_error(&[ix], &[&fx.admin], OracleError::InvalidMinPublishers).await;
    }
    assert!(fx.env.account(feed_pda(&[9; 32])).await.is_none());
}

#[tokio::test]
async fn only_the_admin_creates_feeds() {
    let mut fx = OracleFixture::new().await;
    let stranger = fx.env.funded_keypair(1_000_000_000).await;
    let ix = create_feed_ix(&stranger.pubkey(), [9; 32], rate_params(FeedKind::BenchmarkRate));
    fx.env.send_expect_error(&[ix], &[&stranger], ErrorCode::ConstraintHasOne).await;
    assert!(fx.env.account(feed_pda(&[9; 32])).await.is_none());
}

#[tokio::test]
async fn inconsistent_bounds_are_refused() {
    let mut fx = OracleFixture::new().await;
    let admin = fx.admin.pubkey();
    let base = rate_params(FeedKind::BenchmarkRate);
    let mut cases = vec![];
    let mut p = base;
    p.min_value = p.max_value + 1;
    cases.push((p, OracleError::InvalidFeedParams));
    p = base;
    p.max_deviation_bps = 0;
    cases.push((p, OracleError::InvalidFeedParams));
    p = base;
    p.deviation_window_secs = 0;
    cases.push((p, OracleError::InvalidFeedParams));
    p = base;
    p.max_confidence_bps = 10_001;
    cases.push((p, OracleError::InvalidFeedParams));
    p = base;
    p.max_staleness_secs = MAX_STALENESS_SECS + 1;
    cases.push((p, OracleError::InvalidStaleness));
    p = base;
    p.min_publishers = MAX_PUBLISHERS + 1;
    cases.push((p, OracleError::InvalidMinPublishers));
    for (params, error) in cases {
        let ix = create_feed_ix(&admin, [9; 32], params);
        fx.env.send_expect_error(&[ix], &[&fx.admin], error).await;
    }
}
