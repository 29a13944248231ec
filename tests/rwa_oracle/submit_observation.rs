use rwa_oracle::{
    errors::OracleError,
    state::{Feed, FeedKind},
};
use rwa_testkit::{oracle::*, prelude::*};

async fn feed(fx: &mut OracleFixture) -> Feed {
    let id = fx.feed_id;
    fx.env.anchor_account(feed_pda(&id)).await
}

#[tokio::test]
async fn the_feed_value_is_the_median_of_a_quorum_of_three() {
    let mut fx = OracleFixture::new().await;
    fx.submit_ok(0, bps(500), T0).await;
    fx.submit_ok(1, bps(510), T0).await;
    let f = feed(&mut fx).await;
    assert_eq!(f.accepted.publishers, 0, "two publishers are below the quorum");
    assert_eq!(f.reference, None);
    fx.submit_ok(2, bps(490), T0).await;
    let f = feed(&mut fx).await;
    assert_eq!((f.accepted.value, f.accepted.publishers), (bps(500), 3));
    assert_eq!(f.accepted.confidence, bps(500) / 10_000, "the middle interval: none can widen it");
    let r = f.reference.unwrap();
    assert_eq!((r.value, r.set_at, r.last_accepted), (bps(500), T0, bps(500)));
}

#[tokio::test]
async fn the_median_of_an_even_count_is_the_lower_middle() {
    let mut fx = OracleFixture::new().await;
    let id = fx.feed_id;
    fx.add_publisher(&id, 3).await;
    for (i, v) in [500, 510, 490].into_iter().enumerate() {
        fx.submit_ok(i, bps(v), T0).await;
    }
    fx.submit_ok(3, bps(520), T0).await;
    // 4.90%, 5.00%, 5.10%, 5.20%: 5.00%, never an average (5.05%)
    let f = feed(&mut fx).await;
    assert_eq!((f.accepted.value, f.accepted.publishers), (bps(500), 4));
}

#[tokio::test]
async fn a_stale_publisher_is_left_out_of_the_median() {
    let mut fx = OracleFixture::new().await;
    let id = fx.feed_id;
    fx.add_publisher(&id, 3).await;
    fx.submit_ok(0, bps(520), T0).await;
    fx.env.set_unix_timestamp(T0 + 700).await; // publisher 0 is now 700 s old, bound 600 s
    fx.submit_ok(1, bps(500), T0 + 700).await;
    fx.submit_ok(2, bps(502), T0 + 700).await;
    assert_eq!(feed(&mut fx).await.accepted.publishers, 0, "two fresh of a quorum of three");
    fx.submit_ok(3, bps(504), T0 + 700).await;
    let f = feed(&mut fx).await;
    assert_eq!((f.accepted.value, f.accepted.publishers), (bps(502), 3));
    assert_eq!(f.accepted.publish_ts, T0 + 700);
}

/// Issue #10, exactly: quorum 2, three publishers, 5% accepted; after the window one honest
/// refresh and one attacker value formed an averaged "median" of 52.5%, accepted without a
/// hold. A quorum of two is now only possible on an explicit single-source feed, and there the
/// median of two is the lower value: the feed is not moved; an attacker below the honest value
/// is the lower one, and that 10x move is held although the window has passed.
#[tokio::test]
async fn the_issue_10_attack_no_longer_moves_a_feed() {
    let mut fx = OracleFixture::new().await;
    let id = [4u8; 32];
    fx.create_feed(id, single_source_params(FeedKind::BenchmarkRate, 2), 3).await;
    fx.submit_on_ok(0, &id, bps(500), T0).await;
    fx.submit_on_ok(1, &id, bps(500), T0).await;
    let opted_in = ReadOptions::max_age(600).allowing_single_source();
    assert_eq!(fx.read_feed_with(id, opted_in).await.unwrap().value, bps(500));

    let later = T0 + 3_600; // the window has passed; publisher 1's 5% is stale
    fx.env.set_unix_timestamp(later).await;
    fx.submit_on_ok(0, &id, bps(500), later).await; // honest refresh
    fx.submit_on_ok(2, &id, bps(10_000), later).await; // the attacker
    let f: Feed = fx.env.anchor_account(feed_pda(&id)).await;
    assert_eq!((f.accepted.value, f.accepted.publishers, f.held.publishers), (bps(500), 2, 0));
    assert_eq!(fx.read_feed_with(id, opted_in).await.unwrap().value, bps(500));

    fx.env.set_unix_timestamp(later + 1).await;
    fx.submit_on_ok(2, &id, bps(50), later + 1).await; // 10x down: the lower of two
    let read = read_feed_with_ix(&id, opted_in);
    fx.env.send_expect_error(&[read], &[], OracleError::DeviationTooLarge).await;
    let f: Feed = fx.env.anchor_account(feed_pda(&id)).await;
    assert_eq!((f.accepted.value, f.held.value), (bps(500), bps(50)));

    // on the quorum-of-three fixture feed the same two observations form no value at all
    let quorum = fx.feed_id;
    fx.env.set_unix_timestamp(T0).await;
    fx.publish_ok(&quorum, bps(500), T0).await;
    fx.env.set_unix_timestamp(later).await;
    fx.submit_ok(0, bps(500), later).await;
    fx.submit_ok(2, bps(10_000), later).await;
    let f = feed(&mut fx).await;
    assert_eq!((f.accepted.value, f.accepted.publish_ts, f.held.publishers), (bps(500), T0, 0));
}

#[tokio::test]
async fn an_unauthorised_signer_cannot_publish() {
    let mut fx = OracleFixture::new().await;
    let intruder = fx.env.funded_keypair(1_000_000_000).await;
    let ix = submit_ix(&intruder.pubkey(), &fx.feed_id, bps(500), 0, T0);
    fx.env.send_expect_error(&[ix], &[&intruder], OracleError::UnauthorizedPublisher).await;
    assert!(feed(&mut fx).await.observations.iter().all(|o| o.publish_ts == 0));
}

#[tokio::test]
async fn values_outside_the_feed_bounds_are_refused() {
    let mut fx = OracleFixture::new().await;
    let id = fx.feed_id;
    let (ix, p) = fx.submit(0, &id, bps(10_001), T0);
    let p = p.insecure_clone();
    fx.env.send_expect_error(&[ix], &[&p], OracleError::ValueOutOfBounds).await;
}

#[tokio::test]
async fn future_repeated_or_stale_publish_times_are_refused() {
    let mut fx = OracleFixture::new().await;
    let id = fx.feed_id;
    let p = fx.publishers[0].insecure_clone();
    let (future, _) = fx.submit(0, &id, bps(500), T0 + 1);
    fx.env.send_expect_error(&[future], &[&p], OracleError::FutureTimestamp).await;
    let (old, _) = fx.submit(0, &id, bps(500), T0 - 601);
    fx.env.send_expect_error(&[old], &[&p], OracleError::StaleObservation).await;
    fx.submit_ok(0, bps(500), T0).await;
    let (again, _) = fx.submit(0, &id, bps(501), T0);
    fx.env.send_expect_error(&[again], &[&p], OracleError::ObservationNotNewer).await;
}

#[tokio::test]
async fn a_confidence_interval_wider_than_allowed_is_refused() {
    let mut fx = OracleFixture::new().await;
    let p = fx.publishers[0].insecure_clone();
    // bound 10%: a 0.5% +- 0.06% observation is 12% wide
    let ix = submit_ix(&p.pubkey(), &fx.feed_id, bps(50), bps(6), T0);
    fx.env.send_expect_error(&[ix], &[&p], OracleError::ConfidenceTooWide).await;
}
