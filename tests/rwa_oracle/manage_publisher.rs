use anchor_lang::error::ErrorCode;
use rwa_oracle::{errors::OracleError, state::Feed};
use rwa_testkit::{oracle::*, prelude::*};

#[tokio::test]
async fn admin_adds_and_removes_publishers() {
    let mut fx = OracleFixture::new().await;
    let (admin, id) = (fx.admin.pubkey(), fx.feed_id);
    let newcomer = Pubkey::new_unique();
    fx.env.send_ok(&[add_publisher_ix(&admin, &id, newcomer)], &[&fx.admin]).await;
    let feed: Feed = fx.env.anchor_account(feed_pda(&id)).await;
    assert_eq!(feed.observations.iter().filter(|o| o.publisher != Pubkey::default()).count(), 4);

    let removed = fx.publishers[0].pubkey();
    fx.env.send_ok(&[remove_publisher_ix(&admin, &id, removed)], &[&fx.admin]).await;
    let feed: Feed = fx.env.anchor_account(feed_pda(&id)).await;
    assert!(feed.observations.iter().all(|o| o.publisher != removed));

    // a removed publisher can no longer submit
    let (ix, p) = fx.submit(0, &id, bps(500), T0);
    let p = p.insecure_clone();
    fx.env.send_expect_error(&[ix], &[&p], OracleError::UnauthorizedPublisher).await;
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
    let intruder = fx.publishers[0].insecure_clone();
    fx.env
        .send_expect_error(
            &[add_publisher_ix(&intruder.pubkey(), &id, Pubkey::new_unique())],
            &[&intruder],
            ErrorCode::ConstraintHasOne,
        )
        .await;
}
