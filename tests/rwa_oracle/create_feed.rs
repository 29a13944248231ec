use anchor_lang::error::ErrorCode;
use rwa_oracle::{
    errors::OracleError,
    state::{Feed, FeedKind},
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
    assert_eq!((feed.params.max_staleness_secs, feed.params.min_publishers), (600, 2));
    assert!(feed.observations.iter().all(|o| o.publisher == Pubkey::default()));
    assert_eq!(feed.accepted.publishers, 0);
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
    p.max_staleness_secs = rwa_oracle::state::MAX_STALENESS_SECS + 1;
    cases.push((p, OracleError::InvalidStaleness));
    p = base;
    p.min_publishers = rwa_oracle::state::MAX_PUBLISHERS + 1;
    cases.push((p, OracleError::InvalidMinPublishers));
    for (params, error) in cases {
        let ix = create_feed_ix(&admin, [9; 32], params);
        fx.env.send_expect_error(&[ix], &[&fx.admin], error).await;
    }
}
