use anchor_lang::error::ErrorCode;
use rwa_oracle::{errors::OracleError, state::Feed};
use rwa_testkit::{oracle::*, prelude::*};

async fn feed(fx: &mut OracleFixture) -> Feed {
    let id = fx.feed_id;
    fx.env.anchor_account(feed_pda(&id)).await
}

async fn remove(fx: &mut OracleFixture, i: usize) {
    let (admin, id, p) = (fx.admin.pubkey(), fx.feed_id, fx.publishers[i].pubkey());
    fx.env.send_ok(&[remove_publisher_ix(&admin, &id, p)], &[&fx.admin]).await;
}

/// The fixture's feed with a fourth publisher, the four having published `values` at T0.
async fn four_published(values: [u64; 4]) -> OracleFixture {
    let mut fx = OracleFixture::new().await;
    let id = fx.feed_id;
    fx.add_publisher(&id, 3).await;
    for (i, v) in values.into_iter().enumerate() {
        fx.submit_ok(i, bps(v), T0).await;
    }
    fx
}

#[tokio::test]
async fn admin_adds_and_removes_publishers() {
    let mut fx = OracleFixture::new().await;
    let (admin, id) = (fx.admin.pubkey(), fx.feed_id);
    let newcomer = Pubkey::new_unique();
    fx.env.send_ok(&[add_publisher_ix(&admin, &id, newcomer)], &[&fx.admin]).await;
    let f = feed(&mut fx).await;
    assert_eq!(f.observations.iter().filter(|o| o.publisher != Pubkey::default()).count(), 4);

    let removed = fx.publishers[0].pubkey();
    remove(&mut fx, 0).await;
    let f = feed(&mut fx).await;
    assert!(f.observations.iter().all(|o| o.publisher != removed));

    // a removed publisher can no longer submit
    let (ix, p) = fx.submit(0, &id, bps(500), T0);
    let p = p.insecure_clone();
    fx.env.send_expect_error(&[ix], &[&p], OracleError::UnauthorizedPublisher).await;
}

#[tokio::test]
async fn removing_a_publisher_takes_its_observation_out_of_the_served_value() {
    let mut fx = four_published([500, 505, 510, 515]).await;
    assert_eq!(fx.read_feed(fx.feed_id, 600).await.unwrap().value, bps(505));
    fx.env.set_unix_timestamp(T0 + 10).await;
    remove(&mut fx, 1).await;
    let f = feed(&mut fx).await;
    assert_eq!((f.accepted.value, f.accepted.publishers), (bps(510), 3));
    assert_eq!(f.accepted.formed_at, T0 + 10);
    assert_eq!(fx.read_feed(fx.feed_id, 600).await.unwrap().value, bps(510));
}

#[tokio::test]
async fn a_value_re_formed_by_a_removal_is_held_beyond_the_deviation_bound() {
    // 5%, 5%, 5.6%, 5.6% serve the lower middle 5%; without one 5% the median is 5.6% (+12%)
    let mut fx = four_published([500, 500, 560, 560]).await;
    remove(&mut fx, 0).await;
    let id = fx.feed_id;
    fx.env.send_expect_error(&[read_feed_ix(&id, 600)], &[], OracleError::DeviationTooLarge).await;
    let f = feed(&mut fx).await;
    assert_eq!((f.accepted.value, f.held.value), (bps(500), bps(560)));
}

#[tokio::test]
async fn a_removal_that_breaks_the_quorum_serves_nothing_and_keeps_the_deviation_reference() {
    let mut fx = OracleFixture::new().await;
    let id = fx.feed_id;
    fx.publish_ok(&id, bps(500), T0).await;
    let reference = feed(&mut fx).await.reference;
    remove(&mut fx, 2).await;
    let f = feed(&mut fx).await;
    assert_eq!((f.accepted.publishers, f.held.publishers), (0, 0));
    assert_eq!(f.reference, reference);
    fx.env.send_expect_error(&[read_feed_ix(&id, 600)], &[], OracleError::TooFewPublishers).await;

    // "remove a publisher, then anything goes" does not work: with a new third publisher, a
    // 10x value long after the window is still held against the last accepted 5%
    fx.add_publisher(&id, 3).await;
    let later = T0 + 7_200;
    fx.env.set_unix_timestamp(later).await;
    for i in [0, 1, 3] {
        fx.submit_ok(i, bps(5_000), later).await;
    }
    fx.env.send_expect_error(&[read_feed_ix(&id, 600)], &[], OracleError::DeviationTooLarge).await;
    assert_eq!(feed(&mut fx).await.held.value, bps(5_000));
}

#[tokio::test]
async fn a_publisher_cannot_be_added_twice_or_removed_when_absent() {
    let mut fx = OracleFixture::new().await;
    let (admin, id) = (fx.admin.pubkey(), fx.feed_id);
    let existing = fx.publishers[1].pubkey();
    fx.env
        .send_expect_error(
            &[add_publisher_ix(&admin, &id, existing)],
            &[&fx.admin],
            OracleError::PublisherAlreadyAdded,
        )
        .await;
    fx.env
        .send_expect_error(
            &[remove_publisher_ix(&admin, &id, Pubkey::new_unique())],
            &[&fx.admin],
            OracleError::PublisherNotFound,
        )
        .await;
}

#[tokio::test]
async fn a_feed_holds_at_most_sixteen_publishers() {
    let mut fx = OracleFixture::new().await;
    let (admin, id) = (fx.admin.pubkey(), fx.feed_id);
    for _ in 3..rwa_oracle::state::MAX_PUBLISHERS {
        fx.env.send_ok(&[add_publisher_ix(&admin, &id, Pubkey::new_unique())], &[&fx.admin]).await;
    }
    fx.env
        .send_expect_error(
            &[add_publisher_ix(&admin, &id, Pubkey::new_unique())],
            &[&fx.admin],
            OracleError::TooManyPublishers,
        )
        .await;
}

#[tokio::test]
async fn only_the_admin_manages_publishers() {
    let mut fx = OracleFixture::new().await;
    let id = fx.feed_id;
    fx.publish_ok(&id, bps(500), T0).await;
    let intruder = fx.publishers[0].insecure_clone();
    fx.env
        .send_expect_error(
            &[add_publisher_ix(&intruder.pubkey(), &id, Pubkey::new_unique())],
            &[&intruder],
            ErrorCode::ConstraintHasOne,
        )
        .await;
    let victim = fx.publishers[1].pubkey();
    fx.env
        .send_expect_error(
            &[remove_publisher_ix(&intruder.pubkey(), &id, victim)],
            &[&intruder],
            ErrorCode::ConstraintHasOne,
        )
        .await;
    assert_eq!(feed(&mut fx).await.accepted.publishers, 3, "nothing changed");
}
