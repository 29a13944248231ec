use anchor_lang::error::ErrorCode;
use rwa_oracle::{errors::OracleError, state::FeedValue};
use rwa_testkit::{oracle::*, prelude::*};

/// Publishers 0 and 1 agree on 5.00% at T0.
async fn accepted_at_five_percent() -> OracleFixture {
    let mut fx = OracleFixture::new().await;
    fx.submit_ok(0, bps(500), T0).await;
    fx.submit_ok(1, bps(500), T0).await;
    fx
}

async fn read(fx: &mut OracleFixture) -> Result<FeedValue, TxFailure> {
    let id = fx.feed_id;
    fx.read_feed(id, 600).await
}

#[tokio::test]
async fn a_jump_beyond_the_deviation_bound_is_held_until_the_admin_confirms_it() {
    let mut fx = accepted_at_five_percent().await;
    fx.env.set_unix_timestamp(T0 + 60).await;
    fx.submit_ok(0, bps(600), T0 + 60).await; // +20% against a 5% bound
    fx.submit_ok(1, bps(600), T0 + 60).await;
    fx.env
        .send_expect_error(&[read_feed_ix(&fx.feed_id, 600)], &[], OracleError::DeviationTooLarge)
        .await;

    let admin = fx.admin.pubkey();
    let id = fx.feed_id;
    fx.env.send_ok(&[confirm_ix(&admin, &id)], &[&fx.admin]).await;
    assert_eq!(read(&mut fx).await.unwrap().value, bps(600));
}

#[tokio::test]
async fn small_steps_cannot_add_up_to_a_large_move_within_one_window() {
    let mut fx = accepted_at_five_percent().await;
    fx.env.set_unix_timestamp(T0 + 60).await;
    fx.submit_ok(0, bps(520), T0 + 60).await; // +4%: accepted
    fx.submit_ok(1, bps(520), T0 + 60).await;
    assert_eq!(read(&mut fx).await.unwrap().value, bps(520));
    fx.env.set_unix_timestamp(T0 + 120).await;
    fx.submit_ok(0, bps(540), T0 + 120).await; // +8% from the window's 5.00%: held
    fx.submit_ok(1, bps(540), T0 + 120).await;
    fx.env
        .send_expect_error(&[read_feed_ix(&fx.feed_id, 600)], &[], OracleError::DeviationTooLarge)
        .await;
}

#[tokio::test]
async fn after_the_window_a_large_move_is_accepted_without_confirmation() {
    let mut fx = accepted_at_five_percent().await;
    fx.env.set_unix_timestamp(T0 + 3_600).await;
    fx.submit_ok(0, bps(600), T0 + 3_600).await;
    fx.submit_ok(1, bps(600), T0 + 3_600).await;
    assert_eq!(read(&mut fx).await.unwrap().value, bps(600));
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
    fx.env.set_unix_timestamp(T0 + 60).await;
    fx.submit_ok(0, bps(600), T0 + 60).await;
    fx.submit_ok(1, bps(600), T0 + 60).await;
    let p = fx.publishers[0].insecure_clone();
    let id = fx.feed_id;
    fx.env
        .send_expect_error(&[confirm_ix(&p.pubkey(), &id)], &[&p], ErrorCode::ConstraintHasOne)
        .await;
}
