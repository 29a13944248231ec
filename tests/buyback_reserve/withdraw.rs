//! `withdraw`: requested shares out after the cooldown, inside the window, paid from idle cash
//! at the net assets; never paused.
use buyback_reserve::{errors::ReserveError, state::PositionKind};
use rwa_math::shares;
use rwa_testkit::{prelude::*, pricer::INPUTS_BPS, reserve::*};

/// The holder sells `units` (rate refreshed in the same transaction): the reserve holds units.
async fn sell(fx: &mut ReserveFixture, units: u64) {
    let ixs = fx.refresh_and_sell_ixs(units, 0);
    fx.as_holder(&ixs).await;
}

/// The depositor's shares.
async fn depositor_shares(fx: &mut ReserveFixture) -> u64 {
    let owner = fx.depositor.key.pubkey();
    fx.position(PositionKind::Deposit, &owner).await.shares
}

/// The depositor requests `shares` out; returns when its window opens.
async fn request(fx: &mut ReserveFixture, shares: u64) -> i64 {
    let d = fx.depositor.clone();
    fx.send_as(&d, &[request_exit_ix(&d.key.pubkey(), PositionKind::Deposit, shares)]).await;
    let requested = fx.position(PositionKind::Deposit, &d.key.pubkey()).await.exit_requested_at;
    requested + PARAMS.deposit_cooldown_secs as i64
}

/// To `at`, with every oracle input republished, the rate refreshed and the holding marked.
async fn marked_at(fx: &mut ReserveFixture, at: i64) {
    fx.env().set_unix_timestamp(at).await;
    fx.a.p.publish_all(INPUTS_BPS).await;
    let ixs = fx.mark_ixs();
    fx.env().send_ok(&ixs, &[]).await;
}

async fn expect_refusal(fx: &mut ReserveFixture, ix: Instruction, e: ReserveError) {
    let d = fx.depositor.key.insecure_clone();
    fx.env().send_expect_error(&[ix], &[&d], e).await;
}

#[tokio::test]
async fn a_withdrawal_inside_the_window_pays_the_shares_worth_at_the_net_assets() {
    let mut fx = ReserveFixture::new().await;
    sell(&mut fx, 10_000_000_000).await;
    let held = depositor_shares(&mut fx).await;
    let requested = held / 2;
    let opens = request(&mut fx, requested).await;
    marked_at(&mut fx, opens).await;

    // a first part of the requested shares
    let d = fx.depositor.clone();
    let part = requested / 3;
    let before = fx.book().await;
    let net_assets = before.cash + before.holdings[0].value;
    let expected = shares::assets_for_shares(part, net_assets, before.shares).unwrap();
    let stable_before = fx.stable_of(&d).await;
    let ix = fx.withdraw_ix(&d, part);
    fx.send_as(&d, &[ix]).await;
    assert_eq!(fx.stable_of(&d).await - stable_before, expected);
    let book = fx.book().await;
    assert_eq!((book.cash, book.shares), (before.cash - expected, before.shares - part));
    assert_eq!(fx.env().token_balance(stable_vault_pda()).await, book.cash);
    let position = fx.position(PositionKind::Deposit, &d.key.pubkey()).await;
    assert_eq!((position.shares, position.exiting), (held - part, requested - part));
    assert_eq!(position.exit_requested_at, opens - PARAMS.deposit_cooldown_secs as i64);

    // the rest of the request, at the net assets as they now stand
    let rest = requested - part;
    let expected =
        shares::assets_for_shares(rest, book.cash + book.holdings[0].value, book.shares).unwrap();
    let ix = fx.withdraw_ix(&d, rest);
    let stable_before = fx.stable_of(&d).await;
    fx.send_as(&d, &[ix]).await;
    assert_eq!(fx.stable_of(&d).await - stable_before, expected);
    let position = fx.position(PositionKind::Deposit, &d.key.pubkey()).await;
    assert_eq!(
        (position.shares, position.exiting, position.exit_requested_at),
        (held - requested, 0, 0)
    );
}

#[tokio::test]
async fn a_withdrawal_without_a_request_is_refused() {
    let mut fx = ReserveFixture::new().await;
    let ix = fx.withdraw_ix(&fx.depositor, 1_000);
    expect_refusal(&mut fx, ix, ReserveError::NoExitRequested).await;
}

#[tokio::test]
async fn a_withdrawal_waits_for_the_cooldown_and_closes_with_the_window() {
    let mut fx = ReserveFixture::new().await;
    let requested = depositor_shares(&mut fx).await / 4;
    let opens = request(&mut fx, requested).await;
    let closes = opens + PARAMS.deposit_window_secs as i64;
    let part = requested / 2;

    let ix = fx.withdraw_ix(&fx.depositor, part);
    expect_refusal(&mut fx, ix.clone(), ReserveError::CooldownActive).await;
    fx.env().set_unix_timestamp(opens - 1).await;
    expect_refusal(&mut fx, ix.clone(), ReserveError::CooldownActive).await;

    // the window opens and closes inclusive
    fx.env().set_unix_timestamp(opens).await;
    let d = fx.depositor.clone();
    fx.send_as(&d, &[ix]).await;
    fx.env().set_unix_timestamp(closes).await;
    let ix = fx.withdraw_ix(&d, 1_000);
    fx.send_as(&d, &[ix]).await;
    fx.env().set_unix_timestamp(closes + 1).await;
    let ix = fx.withdraw_ix(&d, 1_000);
    expect_refusal(&mut fx, ix, ReserveError::WindowClosed).await;
    let position = fx.position(PositionKind::Deposit, &d.key.pubkey()).await;
    assert_eq!(position.exiting, requested - part - 1_000, "what is left waits for a new request");
}

#[tokio::test]
async fn a_withdrawal_of_more_shares_than_requested_is_refused() {
    let mut fx = ReserveFixture::new().await;
    let requested = depositor_shares(&mut fx).await / 4;
    let opens = request(&mut fx, requested).await;
    fx.env().set_unix_timestamp(opens).await;
    let ix = fx.withdraw_ix(&fx.depositor, requested + 1);
    expect_refusal(&mut fx, ix, ReserveError::InvalidAmount).await;
    let ix = fx.withdraw_ix(&fx.depositor, 0);
    expect_refusal(&mut fx, ix, ReserveError::InvalidAmount).await;
    let d = fx.depositor.clone();
    let ix = fx.withdraw_ix(&d, requested);
    fx.send_as(&d, &[ix]).await;
}

/// Units bought tie up the cash they cost: the whole position is worth more than the idle cash
/// (the refusal's log says how many shares fit), and what fits is paid.
#[tokio::test]
async fn a_withdrawal_beyond_the_idle_cash_is_refused_and_what_fits_is_paid() {
    let mut fx = ReserveFixture::new().await;
    sell(&mut fx, 60_000_000_000).await;
    let held = depositor_shares(&mut fx).await;
    let opens = request(&mut fx, held).await;
    marked_at(&mut fx, opens).await;
    let book = fx.book().await;
    let net_assets = book.cash + book.holdings[0].value;
    assert!(shares::assets_for_shares(held, net_assets, book.shares).unwrap() > book.cash);
    let ix = fx.withdraw_ix(&fx.depositor, held);
    expect_refusal(&mut fx, ix, ReserveError::InsufficientCash).await;

    let fits = shares::shares_for_deposit(book.cash, net_assets, book.shares).unwrap();
    let paid = shares::assets_for_shares(fits, net_assets, book.shares).unwrap();
    assert!(fits < held && paid <= book.cash);
    let d = fx.depositor.clone();
    let ix = fx.withdraw_ix(&d, fits);
    fx.send_as(&d, &[ix]).await;
    let after = fx.book().await;
    assert_eq!(after.cash, book.cash - paid);
    assert!(after.cash < 1_000, "the idle cash is spent to the last base units: {}", after.cash);
    let ix = fx.withdraw_ix(&d, 1_000_000);
    expect_refusal(&mut fx, ix, ReserveError::InsufficientCash).await;
}

/// The position PDA is derived from the signer: another key signing for the depositor's
/// position is refused by its seeds.
#[tokio::test]
async fn another_owners_position_cannot_be_withdrawn() {
    let mut fx = ReserveFixture::new().await;
    let requested = depositor_shares(&mut fx).await / 4;
    let opens = request(&mut fx, requested).await;
    fx.env().set_unix_timestamp(opens).await;
    let thief = fx.actor(0).await;
    // the depositor's withdrawal, signed by the thief and paid to it
    let mut ix = resign(
        fx.withdraw_ix(&fx.depositor, requested),
        &fx.depositor.key.pubkey(),
        &thief.key.pubkey(),
    );
    let payee = ix.accounts.iter_mut().find(|m| m.pubkey == fx.depositor.stable).unwrap();
    payee.pubkey = thief.stable;
    let key = thief.key.insecure_clone();
    fx.env()
        .send_expect_error(&[ix], &[&key], anchor_lang::error::ErrorCode::ConstraintSeeds)
        .await;
    assert_eq!(fx.stable_of(&thief).await, 0);
    let position = fx.position(PositionKind::Deposit, &fx.depositor.key.pubkey()).await;
    assert_eq!(position.exiting, requested);
}

#[tokio::test]
async fn withdrawals_go_on_while_the_reserve_is_paused() {
    let mut fx = ReserveFixture::new().await;
    let requested = depositor_shares(&mut fx).await / 4;
    let opens = request(&mut fx, requested).await;
    let guardian = fx.a.p.r.guardian.insecure_clone();
    fx.env().send_ok(&[set_paused_ix(&guardian.pubkey(), true)], &[&guardian]).await;
    fx.env().set_unix_timestamp(opens).await;
    assert!(fx.config().await.paused);
    let d = fx.depositor.clone();
    let book = fx.book().await;
    let expected = shares::assets_for_shares(requested, book.cash, book.shares).unwrap();
    let before = fx.stable_of(&d).await;
    let ix = fx.withdraw_ix(&d, requested);
    fx.send_as(&d, &[ix]).await;
    assert_eq!(fx.stable_of(&d).await - before, expected);
}
