use anchor_lang::error::ErrorCode;
use rwa_oracle::{
    errors::OracleError,
    state::{Feed, FeedValue},
};
use rwa_testkit::{oracle::*, prelude::*};

/// Publishers 0, 1 and 2 agree on 5.00% at T0.
async fn accepted_at_five_percent() -> OracleFixture {
    let mut fx = OracleFixture::new().await;
    let id = fx.feed_id;
    fx.publish_ok(&id, bps(500), T0).await;
    fx
}

async fn read(fx: &mut OracleFixture) -> Result<FeedValue, TxFailure> {
    let id = fx.feed_id;
    fx.read_feed(id, 600).await
}

async fn publish_at(fx: &mut OracleFixture, value: u128, ts: i64) {
    fx.env.set_unix_timestamp(ts).await;
    let id = fx.feed_id;
    fx.publish_ok(&id, value, ts).await;
}

async fn expect_held(fx: &mut OracleFixture) {
    let id = fx.feed_id;
    fx.env.send_expect_error(&[read_feed_ix(&id, 600)], &[], OracleError::DeviationTooLarge).await;
}

#[tokio::test]
async fn a_jump_beyond_the_deviation_bound_is_held_until_the_admin_confirms_it() {
    let mut fx = accepted_at_five_percent().await;
    publish_at(&mut fx, bps(600), T0 + 60).await; // +20% against a 5% bound
    expect_held(&mut fx).await;

    let admin = fx.admin.pubkey();
    let id = fx.feed_id;
    fx.env.send_ok(&[confirm_ix(&admin, &id)], &[&fx.admin]).await;
    assert_eq!(read(&mut fx).await.unwrap().value, bps(600));
    // the confirmed value is the reference of a new window
    let feed: Feed = fx.env.anchor_account(feed_pda(&id)).await;
    let r = feed.reference.unwrap();
    assert_eq!((r.value, r.set_at, r.last_accepted), (bps(600), T0 + 60, bps(600)));
    assert_eq!(feed.held.publishers, 0);
}

#[tokio::test]
async fn small_steps_cannot_add_up_to_a_large_move_within_one_window() {
    let mut fx = accepted_at_five_percent().await;
    publish_at(&mut fx, bps(520), T0 + 60).await; // +4%: accepted
    assert_eq!(read(&mut fx).await.unwrap().value, bps(520));
    publish_at(&mut fx, bps(540), T0 + 120).await; // +8% from the window's 5.00%: held
    expect_held(&mut fx).await;
}

#[tokio::test]
async fn after_the_window_a_large_move_is_still_held() {
    let mut fx = accepted_at_five_percent().await;
    publish_at(&mut fx, bps(600), T0 + 3_600).await;
    expect_held(&mut fx).await;
    publish_at(&mut fx, bps(600), T0 + 7_200).await; // waiting longer changes nothing
    expect_held(&mut fx).await;
    let feed: Feed = fx.env.anchor_account(feed_pda(&fx.feed_id)).await;
    assert_eq!((feed.accepted.value, feed.held.value), (bps(500), bps(600)));
}

#[tokio::test]
async fn after_the_window_moves_are_bounded_from_the_last_accepted_value_and_the_old_reference() {
    let mut fx = accepted_at_five_percent().await;
    publish_at(&mut fx, bps(520), T0 + 60).await;
    // +5% from the last accepted 5.20% but +9.2% from the old reference 5.00%: a second step
    // right across the window boundary would compound, so it is held
    publish_at(&mut fx, bps(546), T0 + 3_600).await;
    expect_held(&mut fx).await;
    // within 5% of both: accepted, and it starts the next window
    publish_at(&mut fx, bps(525), T0 + 3_601).await;
    assert_eq!(read(&mut fx).await.unwrap().value, bps(525));
    let feed: Feed = fx.env.anchor_account(feed_pda(&fx.feed_id)).await;
    let r = feed.reference.unwrap();
    assert_eq!((r.value, r.set_at, r.previous), (bps(525), T0 + 3_601, bps(500)));
}

#[tokio::test]
async fn a_held_value_is_dropped_when_the_publishers_return_within_the_bound() {
    let mut fx = accepted_at_five_percent().await;
    publish_at(&mut fx, bps(600), T0 + 60).await;
    expect_held(&mut fx).await;
    publish_at(&mut fx, bps(505), T0 + 120).await;
    assert_eq!(read(&mut fx).await.unwrap().value, bps(505));
    let (admin, id) = (fx.admin.pubkey(), fx.feed_id);
    fx.env
        .send_expect_error(&[confirm_ix(&admin, &id)], &[&fx.admin], OracleError::NothingPending)
        .await;
}

#[tokio::test]
async fn confirming_with_nothing_held_is_refused() {
    let mut fx = accepted_at_five_percent().await;
    let (admin, id) = (fx.admin.pubkey(), fx.feed_id);
    fx.env
        .send_expect_error(&[confirm_ix(&admin, &id)], &[&fx.admin], OracleError::NothingPending)
        .await;
}

#[tokio::test]
async fn only_the_admin_confirms_a_held_value() {
    let mut fx = accepted_at_five_percent().await;
    publish_at(&mut fx, bps(600), T0 + 60).await;
    let p = fx.publishers[0].insecure_clone();
    let id = fx.feed_id;
    fx.env
        .send_expect_error(&[confirm_ix(&p.pubkey(), &id)], &[&p], ErrorCode::ConstraintHasOne)
        .await;
    expect_held(&mut fx).await;
}
