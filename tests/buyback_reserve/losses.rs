//! The loss waterfall through the real programs: a pool backing value-anchor defaults, the
//! insurance pool covers the shortfall first (its stakers cannot leave ahead of it), and only
//! what the insurance cannot cover reaches the anchor-token holders, who then share it pro rata.
use buyback_reserve::{errors::ReserveError, state::PositionKind};
use rwa_testkit::{
    anchor_token::{self as va},
    prelude::*,
    registry::{pool_params, FACE},
    reserve::*,
};
use value_anchor::{math, state::Backing};

fn shortfall(b: &Backing) -> u64 {
    math::shortfall_ceil(b.total_backing, b.anchor_supply, va::PARAMS.overcollateral_bps).unwrap()
}

/// The holder redeems `amount` anchor tokens for stable; returns what it was paid.
async fn redeem(fx: &mut ReserveFixture, amount: u64) -> u64 {
    let before = fx.holder_stable().await;
    let ix = fx.a.redeem_ix(amount, 1);
    fx.as_holder(&[ix]).await;
    fx.holder_stable().await - before
}

#[tokio::test]
async fn a_loss_within_the_insurance_is_covered_and_no_holder_loses() {
    let mut fx = ReserveFixture::new().await;
    let ixs = fx.a.exchange_ixs(FACE / 100, 1);
    fx.as_holder(&ixs).await;
    fx.a.default_and_refresh().await;
    let b: Backing = fx.a.backing().await;
    assert!(b.total_backing < b.anchor_supply, "under water: {} bps", b.ratio_bps);
    let need = shortfall(&b);
    assert!(need < STAKE);

    let cover = fx.cover_ix();
    fx.env().send_ok(&[cover], &[]).await;
    let book = fx.book().await;
    assert_eq!((book.insurance_cash, book.covered_total), (STAKE - need, need));
    let after: Backing = fx.a.backing().await;
    assert_eq!(after.total_backing as u128, (b.anchor_supply as u128 * 10_100).div_ceil(10_000));

    // a holder redeems at par, less the PSM's fee: the stakers bore the whole loss
    let amount = after.anchor_supply / 10;
    let paid = redeem(&mut fx, amount).await;
    assert_eq!(paid, amount - math::fee_ceil(amount, va::PARAMS.fee_out_bps).unwrap());
    let later: Backing = fx.a.backing().await;
    assert!(later.total_backing >= later.anchor_supply, "the rest still redeem at par");
    assert_eq!(fx.book().await.cash, DEPOSIT, "the reserve's depositors are not touched");
}

#[tokio::test]
async fn a_loss_beyond_the_insurance_exhausts_it_first_and_holders_share_the_rest_pro_rata() {
    let mut fx = ReserveFixture::new().await;
    let ixs = fx.a.exchange_ixs(FACE / 10, 1);
    fx.as_holder(&ixs).await;
    // the staker asked to leave before the due date: its window is open when the pool defaults
    let s = fx.staker.clone();
    let staked = fx.position(PositionKind::Insurance, &s.key.pubkey()).await.shares;
    let due = pool_params(fx.a.p.r.now).schedule[0].due_ts;
    fx.env().set_unix_timestamp(due - PARAMS.stake_cooldown_secs as i64 - 3_600).await;
    fx.send_as(&s, &[request_exit_ix(&s.key.pubkey(), PositionKind::Insurance, staked)]).await;

    fx.a.default_and_refresh().await;
    let b: Backing = fx.a.backing().await;
    let need = shortfall(&b);
    assert!(need > STAKE, "the loss exceeds the insurance: {need} > {STAKE}");
    // the stakers cannot leave ahead of the loss
    let ix = fx.unstake_insurance_ix(&s, staked);
    let key = s.key.insecure_clone();
    fx.env().send_expect_error(&[ix], &[&key], ReserveError::ExitsFrozen).await;

    // the insurance pays all it has
    let cover = fx.cover_ix();
    fx.env().send_ok(&[cover], &[]).await;
    let book = fx.book().await;
    assert_eq!((book.insurance_cash, book.covered_total), (0, STAKE));
    assert_eq!(fx.env().token_balance(insurance_vault_pda()).await, 0);
    // wiped out: the stakers' shares are void (a new generation starts)
    assert_eq!((book.insurance_shares, book.insurance_generation), (0, 1));
    let ix = fx.cover_ix();
    fx.env().send_expect_error(&[ix], &[], ReserveError::NothingOwed).await;

    // what is left short reaches the holders, pro rata and below par
    let after: Backing = fx.a.backing().await;
    assert_eq!(after.total_backing, b.total_backing + STAKE);
    assert!(after.total_backing < after.anchor_supply, "still under water");
    let reserve = fx.env().token_balance(va::stable_reserve_pda()).await;
    let backing_low = reserve + after.entries[0].value;
    assert_eq!(backing_low, after.total_backing);
    let amount = after.anchor_supply / 10;
    let value = math::redemption_value_floor(amount, backing_low, after.anchor_supply).unwrap();
    assert_eq!(value as u128, amount as u128 * backing_low as u128 / after.anchor_supply as u128);
    let without_cover = math::redemption_value_floor(amount, b.total_backing, b.anchor_supply);
    assert!(value < amount && value > without_cover.unwrap(), "the insurance paid first");
    let paid = redeem(&mut fx, amount).await;
    assert_eq!(paid, value - math::fee_ceil(value, va::PARAMS.fee_out_bps).unwrap());
    assert_eq!(fx.book().await.cash, DEPOSIT, "the reserve's depositors are not touched");
}
