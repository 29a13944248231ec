use rwa_oracle::{errors::OracleError, state::Feed};
use rwa_testkit::{oracle::*, prelude::*};

async fn feed(fx: &mut OracleFixture) -> Feed {
    let id = fx.feed_id;
    fx.env.anchor_account(feed_pda(&id)).await
}

#[tokio::test]
async fn the_feed_value_is_the_median_of_three_publishers() {
    let mut fx = OracleFixture::new().await;
    fx.submit_ok(0, bps(500), T0).await;
    assert_eq!(feed(&mut fx).await.accepted.publishers, 0, "one publisher is below the quorum");
    fx.submit_ok(1, bps(510), T0).await;
    let f = feed(&mut fx).await;
    assert_eq!(
        (f.accepted.value, f.accepted.publishers),
        (bps(500) + (bps(510) - bps(500)) / 2, 2)
    );
    fx.submit_ok(2, bps(490), T0).await;
    let f = feed(&mut fx).await;
    assert_eq!((f.accepted.value, f.accepted.publishers), (bps(500), 3));
    assert_eq!(f.accepted.confidence, bps(510) / 10_000, "the widest interval is kept");
}

#[tokio::test]
async fn a_stale_publisher_is_left_out_of_the_median() {
    let mut fx = OracleFixture::new().await;
    fx.submit_ok(0, bps(520), T0).await;
    fx.env.set_unix_timestamp(T0 + 700).await; // publisher 0 is now 700 s old, bound 600 s
    fx.submit_ok(1, bps(500), T0 + 700).await;
    fx.submit_ok(2, bps(502), T0 + 700).await;
    let f = feed(&mut fx).await;
    assert_eq!(f.accepted.publishers, 2);
    assert_eq!(f.accepted.value, bps(500) + (bps(502) - bps(500)) / 2);
    assert_eq!(f.accepted.publish_ts, T0 + 700);
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
