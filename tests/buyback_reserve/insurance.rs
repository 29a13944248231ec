//! `stake_insurance` and `unstake_insurance`: the first-loss pool. Stakes buy shares of the
//! insurance cash; unstaking waits for the stake cooldown, closes with the window, and freezes
//! while a loss is known (an accepted pool Late or Defaulted, value-anchor's backing short or
//! unproven).
use buyback_reserve::{errors::ReserveError, state::PositionKind};
use rwa_math::shares;
use rwa_testkit::{
    anchor_token::{refresh_backing_ix, HOLDER_UNITS},
    prelude::*,
    pricer::INPUTS_BPS,
    registry::{self, pool_params, FACE},
    reserve::*,
};
use value_anchor::{math, state::Backing};

/// The fixture staker's insurance shares.
async fn staker_shares(fx: &mut ReserveFixture) -> u64 {
    let owner = fx.staker.key.pubkey();
    fx.position(PositionKind::Insurance, &owner).await.shares
}

/// The staker requests `shares` out at `at`; returns when its window opens.
async fn request_at(fx: &mut ReserveFixture, shares: u64, at: i64) -> i64 {
    fx.env().set_unix_timestamp(at).await;
    let s = fx.staker.clone();
    fx.send_as(&s, &[request_exit_ix(&s.key.pubkey(), PositionKind::Insurance, shares)]).await;
    at + PARAMS.stake_cooldown_secs as i64
}

/// When the pool's first flow falls due.
fn first_due(fx: &ReserveFixture) -> i64 {
    pool_params(fx.a.p.r.now).schedule[0].due_ts
}

/// The staker asks to leave with all its shares so that its window is open from just before
/// the pool's first due date: the loss events below happen while it could leave.
async fn request_before_first_due(fx: &mut ReserveFixture) -> u64 {
    let shares = staker_shares(fx).await;
    let at = first_due(fx) - PARAMS.stake_cooldown_secs as i64 - 3_600;
    request_at(fx, shares, at).await;
    shares
}

async fn expect_frozen(fx: &mut ReserveFixture, shares: u64) {
    let s = fx.staker.clone();
    let ix = fx.unstake_insurance_ix(&s, shares);
    let key = s.key.insecure_clone();
    fx.env().send_expect_error(&[ix], &[&key], ReserveError::ExitsFrozen).await;
}

/// The staker unstakes `shares`: paid exactly their share of the insurance cash.
async fn unstake(fx: &mut ReserveFixture, shares: u64) -> u64 {
    let s = fx.staker.clone();
    let book = fx.book().await;
    let expected =
        shares::assets_for_shares(shares, book.insurance_cash, book.insurance_shares).unwrap();
    let before = fx.stable_of(&s).await;
    let ix = fx.unstake_insurance_ix(&s, shares);
    fx.send_as(&s, &[ix]).await;
    let paid = fx.stable_of(&s).await - before;
    assert_eq!(paid, expected);
    let after = fx.book().await;
    assert_eq!(after.insurance_cash, book.insurance_cash - paid);
    assert_eq!(after.insurance_shares, book.insurance_shares - shares);
    assert_eq!(fx.env().token_balance(insurance_vault_pda()).await, after.insurance_cash);
    paid
}

#[tokio::test]
async fn a_stake_buys_shares_of_the_insurance_cash() {
    let mut fx = ReserveFixture::without_capital().await;
    let s = fx.staker.clone();
    let ix = fx.stake_ix(&s, STAKE, 0);
    fx.send_as(&s, &[ix]).await;
    let first = shares::shares_for_deposit(STAKE, 0, 0).unwrap();
    let book = fx.book().await;
    assert_eq!((book.insurance_cash, book.insurance_shares), (STAKE, first));
    assert_eq!((book.cash, book.shares), (0, 0), "the reserve's capital is apart");

    // a later stake buys at the pool's value, and exactly its minimum is accepted
    let amount = 7_654_321;
    let other = fx.actor(amount).await;
    let expected = shares::shares_for_deposit(amount, STAKE, first).unwrap();
    let ix = fx.stake_ix(&other, amount, expected + 1);
    let key = other.key.insecure_clone();
    fx.env().send_expect_error(&[ix], &[&key], ReserveError::SlippageExceeded).await;
    let ix = fx.stake_ix(&other, amount, expected);
    fx.send_as(&other, &[ix]).await;
    let p = fx.position(PositionKind::Insurance, &other.key.pubkey()).await;
    assert_eq!(
        (p.owner, p.kind, p.shares),
        (other.key.pubkey(), PositionKind::Insurance, expected)
    );
    let book = fx.book().await;
    assert_eq!((book.insurance_cash, book.insurance_shares), (STAKE + amount, first + expected));
    assert_eq!(fx.env().token_balance(insurance_vault_pda()).await, STAKE + amount);
}

#[tokio::test]
async fn a_first_stake_below_the_minimum_and_stakes_while_paused_are_refused() {
    let mut fx = ReserveFixture::without_capital().await;
    let s = fx.staker.clone();
    let key = s.key.insecure_clone();
    let min = buyback_reserve::state::MIN_FIRST_DEPOSIT;
    let ix = fx.stake_ix(&s, min - 1, 0);
    fx.env().send_expect_error(&[ix], &[&key], ReserveError::FirstDepositTooSmall).await;
    let guardian = fx.a.p.r.guardian.insecure_clone();
    fx.env().send_ok(&[set_paused_ix(&guardian.pubkey(), true)], &[&guardian]).await;
    let ix = fx.stake_ix(&s, STAKE, 0);
    fx.env().send_expect_error(&[ix], &[&key], ReserveError::Paused).await;
    assert_eq!(fx.book().await.insurance_shares, 0);
}

#[tokio::test]
async fn an_unstake_after_the_cooldown_inside_the_window_pays_the_shares_worth() {
    let mut fx = ReserveFixture::new().await;
    // the pool earned a sale's discount share: the staker's shares are worth more than staked
    let ixs = fx.refresh_and_sell_ixs(10_000_000_000, 0);
    fx.as_holder(&ixs).await;
    assert!(fx.book().await.insurance_cash > STAKE);
    let shares = staker_shares(&mut fx).await;
    let now = fx.env().clock().await.unix_timestamp;
    let opens = request_at(&mut fx, shares, now).await;
    fx.env().set_unix_timestamp(opens).await;
    let half = unstake(&mut fx, shares / 2).await;
    assert!(half > STAKE / 2, "the discount share went to the stakers: {half}");
    // the window closes inclusive; and while paused the staker still leaves
    let guardian = fx.a.p.r.guardian.insecure_clone();
    fx.env().send_ok(&[set_paused_ix(&guardian.pubkey(), true)], &[&guardian]).await;
    fx.env().set_unix_timestamp(opens + PARAMS.stake_window_secs as i64).await;
    unstake(&mut fx, shares - shares / 2).await;
    let p = fx.position(PositionKind::Insurance, &fx.staker.key.pubkey()).await;
    assert_eq!((p.shares, p.exiting, p.exit_requested_at), (0, 0, 0));
    let book = fx.book().await;
    assert_eq!(book.insurance_shares, 0);
    assert!(book.insurance_cash < 2, "only rounding dust is left: {}", book.insurance_cash);
}

#[tokio::test]
async fn an_unstake_waits_for_the_stake_cooldown_and_closes_with_the_window() {
    let mut fx = ReserveFixture::new().await;
    let s = fx.staker.clone();
    let key = s.key.insecure_clone();
    let shares = staker_shares(&mut fx).await;
    let ix = fx.unstake_insurance_ix(&s, shares);
    fx.env()
        .send_expect_error(std::slice::from_ref(&ix), &[&key], ReserveError::NoExitRequested)
        .await;

    let now = fx.env().clock().await.unix_timestamp;
    let opens = request_at(&mut fx, shares, now).await;
    fx.env()
        .send_expect_error(std::slice::from_ref(&ix), &[&key], ReserveError::CooldownActive)
        .await;
    // the deposit cooldown (7 days) is not the stake cooldown (10 days)
    fx.env().set_unix_timestamp(now + PARAMS.deposit_cooldown_secs as i64).await;
    fx.env()
        .send_expect_error(std::slice::from_ref(&ix), &[&key], ReserveError::CooldownActive)
        .await;
    fx.env().set_unix_timestamp(opens - 1).await;
    fx.env()
        .send_expect_error(std::slice::from_ref(&ix), &[&key], ReserveError::CooldownActive)
        .await;
    fx.env().set_unix_timestamp(opens + PARAMS.stake_window_secs as i64 + 1).await;
    fx.env()
        .send_expect_error(std::slice::from_ref(&ix), &[&key], ReserveError::WindowClosed)
        .await;

    // more than requested is refused inside the window
    let opens = request_at(&mut fx, shares / 2, opens + PARAMS.stake_window_secs as i64 + 1).await;
    fx.env().set_unix_timestamp(opens).await;
    let ix = fx.unstake_insurance_ix(&s, shares / 2 + 1);
    fx.env().send_expect_error(&[ix], &[&key], ReserveError::InvalidAmount).await;
    unstake(&mut fx, shares / 2).await;
}

/// The servicer marks the pool Late after a due date passes unpaid: stakers cannot leave
/// ahead of the loss it may bring. Repaid, the pool is Active again and they can.
#[tokio::test]
async fn exits_freeze_while_an_accepted_pool_is_late_and_reopen_once_it_is_repaid() {
    let mut fx = ReserveFixture::new().await;
    let shares = request_before_first_due(&mut fx).await;
    fx.a.p.at_first_due().await;
    let (servicer, pool) = (fx.a.p.r.servicer.pubkey(), fx.pool());
    fx.a.p.as_servicer(registry::mark_late_ix(&servicer, &pool)).await;
    assert_eq!(fx.pool_state().await.status, receivables::state::PoolStatus::Late);
    expect_frozen(&mut fx, shares).await;
    // the pools' accounts are needed to tell
    let s = fx.staker.clone();
    let currency = fx.stable_mint();
    let ix = unstake_insurance_ix(&s.key.pubkey(), &s.stable, &currency, &[], shares, 0);
    let key = s.key.insecure_clone();
    fx.env().send_expect_error(&[ix], &[&key], ReserveError::PoolAccountsMissing).await;

    // the overdue flow is paid: Active again
    let overdue = pool_params(fx.a.p.r.now).schedule[0].amount;
    fx.a.p.repay(overdue).await;
    assert_eq!(fx.pool_state().await.status, receivables::state::PoolStatus::Active);
    assert_eq!(unstake(&mut fx, shares).await, STAKE);
}

#[tokio::test]
async fn exits_freeze_while_an_accepted_pool_is_defaulted_even_once_the_backing_is_covered() {
    let mut fx = ReserveFixture::new().await;
    fx.as_holder(&fx.a.exchange_ixs(FACE / 1_000, 1)).await;
    let shares = request_before_first_due(&mut fx).await;
    fx.a.default_and_refresh().await;
    expect_frozen(&mut fx, shares).await;

    // the insurance covers the shortfall: the backing is whole, but the pool is still Defaulted
    let cover = fx.cover_ix();
    fx.env().send_ok(&[cover], &[]).await;
    let b: Backing = fx.a.backing().await;
    assert!(math::is_backed(b.total_backing, b.anchor_supply, 100));
    expect_frozen(&mut fx, shares).await;
}

/// The pool is written off whole (Late, then WrittenOff: no longer a pool status that freezes)
/// and its units are worth nothing: value-anchor's backing is short of `supply x 1.01`, which
/// freezes exits by itself. The insurance covers the shortfall and the staker may leave with
/// what is left.
#[tokio::test]
async fn exits_freeze_while_value_anchors_backing_is_short_and_reopen_once_it_is_covered() {
    let mut fx = ReserveFixture::new().await;
    fx.as_holder(&fx.a.exchange_ixs(FACE / 1_000, 1)).await;
    let shares = request_before_first_due(&mut fx).await;
    fx.a.p.at_first_due().await;
    let (servicer, pool) = (fx.a.p.r.servicer.pubkey(), fx.pool());
    fx.a.p.as_servicer(registry::mark_late_ix(&servicer, &pool)).await;
    let outstanding = fx.pool_state().await.outstanding().unwrap();
    fx.a.p.as_servicer(registry::write_down_ix(&servicer, &pool, outstanding)).await;
    assert_eq!(fx.pool_state().await.status, receivables::state::PoolStatus::WrittenOff);
    let refresh = [fx.a.p.refresh_ix(), refresh_backing_ix(&pool)];
    fx.env().send_ok(&refresh, &[]).await;
    let b: Backing = fx.a.backing().await;
    assert!(b.anchor_supply > 0 && b.total_backing < b.anchor_supply, "short: {}", b.ratio_bps);
    expect_frozen(&mut fx, shares).await;

    let need = math::shortfall_ceil(b.total_backing, b.anchor_supply, 100).unwrap();
    assert!(need < STAKE, "the insurance can cover it: {need}");
    let cover = fx.cover_ix();
    fx.env().send_ok(&[cover], &[]).await;
    assert_eq!(unstake(&mut fx, shares).await, STAKE - need, "the staker bore the loss");
}

/// An entry of value-anchor's backing that is out of date cannot prove the backing: exits
/// wait for a refresh (in the same transaction, if the staker wants).
#[tokio::test]
async fn exits_freeze_while_value_anchors_backing_cannot_be_proven() {
    let mut fx = ReserveFixture::new().await;
    fx.as_holder(&fx.a.exchange_ixs(HOLDER_UNITS / 10, 1)).await;
    let shares = staker_shares(&mut fx).await;
    let now = fx.env().clock().await.unix_timestamp;
    let opens = request_at(&mut fx, shares, now).await;
    fx.env().set_unix_timestamp(opens).await;
    expect_frozen(&mut fx, shares).await;

    fx.a.p.publish_all(INPUTS_BPS).await;
    let s = fx.staker.clone();
    let before = fx.stable_of(&s).await;
    let ixs =
        [fx.a.p.refresh_ix(), refresh_backing_ix(&fx.pool()), fx.unstake_insurance_ix(&s, shares)];
    fx.send_as(&s, &ixs).await;
    assert_eq!(fx.stable_of(&s).await - before, STAKE);
}

/// A cover that wipes the insurance pool out voids its shares (a new generation): a newcomer's
/// stake is then worth what it paid, and the old staker's position holds nothing.
#[tokio::test]
async fn a_stake_after_the_insurance_was_wiped_out_restocks_the_pool() {
    let mut fx = ReserveFixture::new().await;
    let ixs = fx.a.exchange_ixs(FACE / 10, 1);
    fx.as_holder(&ixs).await;
    fx.a.default_and_refresh().await;
    let cover = fx.cover_ix();
    fx.env().send_ok(&[cover], &[]).await;
    let book = fx.book().await;
    assert_eq!(book.insurance_cash, 0);
    assert_eq!((book.insurance_shares, book.insurance_generation), (0, 1));

    let newcomer = fx.actor(STAKE).await;
    let ix = fx.stake_ix(&newcomer, STAKE, 0);
    fx.send_as(&newcomer, &[ix]).await;
    let p = fx.position(PositionKind::Insurance, &newcomer.key.pubkey()).await;
    let book = fx.book().await;
    let worth = shares::assets_for_shares(p.shares, book.insurance_cash, book.insurance_shares);
    assert!(worth.unwrap() + 1 >= STAKE, "the newcomer's stake is worth what it paid");
    assert_eq!(p.generation, 1);
    // the wiped-out staker's shares are void: nothing to request
    let old = fx.staker.clone();
    let ix = request_exit_ix(&old.key.pubkey(), PositionKind::Insurance, 1);
    let key = old.key.insecure_clone();
    fx.env().send_expect_error(&[ix], &[&key], ReserveError::InvalidAmount).await;
}
