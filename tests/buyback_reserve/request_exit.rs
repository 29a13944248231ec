//! `request_exit`: a depositor or staker starts the cooldown for some of its shares; a new
//! request replaces the last, and 0 cancels.
use buyback_reserve::{errors::ReserveError, state::PositionKind};
use rwa_testkit::{prelude::*, reserve::*};

async fn position(fx: &mut ReserveFixture, who: &Actor) -> buyback_reserve::state::Position {
    fx.position(PositionKind::Deposit, &who.key.pubkey()).await
}

#[tokio::test]
async fn a_request_starts_the_cooldown_for_the_shares() {
    let mut fx = ReserveFixture::new().await;
    let d = fx.depositor.clone();
    let held = position(&mut fx, &d).await.shares;
    fx.send_as(&d, &[request_exit_ix(&d.key.pubkey(), PositionKind::Deposit, held / 2)]).await;
    let now = fx.env().clock().await.unix_timestamp;
    let p = position(&mut fx, &d).await;
    assert_eq!((p.shares, p.exiting, p.exit_requested_at), (held, held / 2, now));

    // all of them may be requested; a new request replaces the last and restarts the cooldown
    fx.env().warp_seconds(3 * 86_400).await;
    fx.send_as(&d, &[request_exit_ix(&d.key.pubkey(), PositionKind::Deposit, held)]).await;
    let p = position(&mut fx, &d).await;
    assert_eq!((p.exiting, p.exit_requested_at), (held, now + 3 * 86_400));
    let opens = p.exit_requested_at + PARAMS.deposit_cooldown_secs as i64;
    fx.env().set_unix_timestamp(opens - 1).await;
    let ix = fx.withdraw_ix(&d, 1_000);
    let key = d.key.insecure_clone();
    fx.env().send_expect_error(&[ix], &[&key], ReserveError::CooldownActive).await;
}

#[tokio::test]
async fn a_request_for_more_shares_than_held_is_refused() {
    let mut fx = ReserveFixture::new().await;
    let d = fx.depositor.clone();
    let held = position(&mut fx, &d).await.shares;
    let ix = request_exit_ix(&d.key.pubkey(), PositionKind::Deposit, held + 1);
    let key = d.key.insecure_clone();
    fx.env().send_expect_error(&[ix], &[&key], ReserveError::InvalidAmount).await;
    let p = position(&mut fx, &d).await;
    assert_eq!((p.exiting, p.exit_requested_at), (0, 0));
}

#[tokio::test]
async fn a_request_of_zero_cancels_the_exit() {
    let mut fx = ReserveFixture::new().await;
    let d = fx.depositor.clone();
    let held = position(&mut fx, &d).await.shares;
    fx.send_as(&d, &[request_exit_ix(&d.key.pubkey(), PositionKind::Deposit, held)]).await;
    fx.send_as(&d, &[request_exit_ix(&d.key.pubkey(), PositionKind::Deposit, 0)]).await;
    let p = position(&mut fx, &d).await;
    assert_eq!((p.shares, p.exiting, p.exit_requested_at), (held, 0, 0));

    // after the cooldown there is nothing to withdraw
    fx.env().warp_seconds(PARAMS.deposit_cooldown_secs as i64).await;
    let ix = fx.withdraw_ix(&d, 1_000);
    let key = d.key.insecure_clone();
    fx.env().send_expect_error(&[ix], &[&key], ReserveError::NoExitRequested).await;
}

/// The position PDA is derived from the signer: another key cannot start (or cancel) the
/// depositor's exit, and a key without a position has nothing to request.
#[tokio::test]
async fn another_owners_position_cannot_be_requested() {
    let mut fx = ReserveFixture::new().await;
    let d = fx.depositor.clone();
    let stranger = fx.actor(0).await;
    let ix = resign(
        request_exit_ix(&d.key.pubkey(), PositionKind::Deposit, 1_000),
        &d.key.pubkey(),
        &stranger.key.pubkey(),
    );
    let key = stranger.key.insecure_clone();
    fx.env()
        .send_expect_error(&[ix], &[&key], anchor_lang::error::ErrorCode::ConstraintSeeds)
        .await;
    let ix = request_exit_ix(&stranger.key.pubkey(), PositionKind::Deposit, 1_000);
    fx.env()
        .send_expect_error(&[ix], &[&key], anchor_lang::error::ErrorCode::AccountNotInitialized)
        .await;
    let p = position(&mut fx, &d).await;
    assert_eq!((p.exiting, p.exit_requested_at), (0, 0));
}
