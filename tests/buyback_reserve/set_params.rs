//! `set_params` (admin only, every parameter bounds checked) and `set_paused` (guardian or
//! admin pause; admin only unpauses).
use anchor_lang::error::ErrorCode;
use buyback_reserve::{
    errors::ReserveError,
    state::{ReserveParams, MAX_DISCOUNT_BPS},
};
use rwa_testkit::{prelude::*, reserve::*};

/// Every parameter different from the fixture's, each within its bounds (several at an edge).
const CHANGED: ReserveParams = ReserveParams {
    epoch_secs: 3_600,
    sale_budget: 7,
    min_discount_bps: [0, 10, 20, 30, 1_000],
    max_discount_bps: MAX_DISCOUNT_BPS,
    curve_exponent: 4,
    bid_band_bps: 100,
    bid_budget: 0,
    max_price_age_secs: 86_400,
    discount_to_insurance_bps: 10_000,
    fee_to_insurance_bps: 4_000,
    fee_to_stakers_bps: 6_000,
    deposit_cooldown_secs: 0,
    deposit_window_secs: 30 * 86_400,
    stake_cooldown_secs: 30 * 86_400,
    stake_window_secs: 3_600,
};

async fn set(fx: &mut ReserveFixture, params: ReserveParams) {
    let admin = fx.a.p.r.admin.insecure_clone();
    fx.env().send_ok(&[set_params_ix(&admin.pubkey(), params)], &[&admin]).await;
}

#[tokio::test]
async fn set_params_by_the_admin_replaces_every_parameter() {
    let mut fx = ReserveFixture::new().await;
    set(&mut fx, CHANGED).await;
    assert_eq!(fx.config().await.params, CHANGED);
    // nothing else in the config moved
    let before = fx.config().await;
    set(&mut fx, PARAMS).await;
    let after = fx.config().await;
    assert_eq!(after.params, PARAMS);
    assert_eq!((after.admin, after.guardian, after.paused), (before.admin, before.guardian, false));
}

/// The stored parameters take effect: a band of 1% makes the bid pay 99% of par less the PSM's
/// 5 bps redemption fee.
#[tokio::test]
async fn a_new_band_sets_what_the_bid_pays() {
    let mut fx = ReserveFixture::new().await;
    set(&mut fx, ReserveParams { bid_band_bps: 100, ..PARAMS }).await;
    let ixs = fx.a.exchange_ixs(rwa_testkit::registry::FACE / 10, 1);
    fx.as_holder(&ixs).await;
    let before = fx.holder_stable().await;
    let ix = fx.sell_anchor_ix(1_000_000_000, 0);
    fx.as_holder(&[ix]).await;
    assert_eq!(fx.holder_stable().await - before, 989_505_000);
}

#[tokio::test]
async fn set_params_refuses_an_exit_curve_out_of_order_or_deeper_than_the_hard_cap() {
    let mut fx = ReserveFixture::new().await;
    let admin = fx.a.p.r.admin.insecure_clone();
    let bad = [
        ReserveParams { max_discount_bps: MAX_DISCOUNT_BPS + 1, ..PARAMS },
        ReserveParams { min_discount_bps: [50, 100, 150, 200, 1_001], ..PARAMS },
        ReserveParams { max_discount_bps: 299, ..PARAMS },
        ReserveParams { curve_exponent: 0, ..PARAMS },
        ReserveParams { curve_exponent: 5, ..PARAMS },
    ];
    for params in bad {
        let ix = set_params_ix(&admin.pubkey(), params);
        fx.env().send_expect_error(&[ix], &[&admin], ReserveError::InvalidExitCurve).await;
    }
    assert_eq!(fx.config().await.params, PARAMS);
}

#[tokio::test]
async fn set_params_refuses_each_parameter_out_of_its_bounds() {
    let mut fx = ReserveFixture::new().await;
    let admin = fx.a.p.r.admin.insecure_clone();
    let bad = [
        ReserveParams { epoch_secs: 3_599, ..PARAMS },
        ReserveParams { epoch_secs: 30 * 86_400 + 1, ..PARAMS },
        ReserveParams { bid_band_bps: 0, ..PARAMS },
        ReserveParams { bid_band_bps: 101, ..PARAMS },
        ReserveParams { max_price_age_secs: 0, ..PARAMS },
        ReserveParams { max_price_age_secs: 86_401, ..PARAMS },
        ReserveParams { discount_to_insurance_bps: 10_001, ..PARAMS },
        ReserveParams { fee_to_insurance_bps: 5_000, fee_to_stakers_bps: 5_001, ..PARAMS },
        ReserveParams { fee_to_insurance_bps: u16::MAX, fee_to_stakers_bps: u16::MAX, ..PARAMS },
        ReserveParams { deposit_cooldown_secs: 30 * 86_400 + 1, ..PARAMS },
        ReserveParams { deposit_window_secs: 3_599, ..PARAMS },
        ReserveParams { deposit_window_secs: 30 * 86_400 + 1, ..PARAMS },
        ReserveParams { stake_cooldown_secs: 30 * 86_400 + 1, ..PARAMS },
        ReserveParams { stake_window_secs: 3_599, ..PARAMS },
        ReserveParams { stake_window_secs: 30 * 86_400 + 1, ..PARAMS },
    ];
    for params in bad {
        let ix = set_params_ix(&admin.pubkey(), params);
        fx.env().send_expect_error(&[ix], &[&admin], ReserveError::InvalidParams).await;
    }
    assert_eq!(fx.config().await.params, PARAMS);
}

#[tokio::test]
async fn set_params_by_anyone_but_the_admin_is_refused_even_the_guardian() {
    let mut fx = ReserveFixture::new().await;
    let guardian = fx.a.p.r.guardian.insecure_clone();
    let stranger = fx.env().funded_keypair(1_000_000_000).await;
    for who in [&guardian, &stranger] {
        let ix = set_params_ix(&who.pubkey(), CHANGED);
        fx.env().send_expect_error(&[ix], &[who], ErrorCode::ConstraintHasOne).await;
    }
    assert_eq!(fx.config().await.params, PARAMS);
}

#[tokio::test]
async fn the_guardian_pauses_but_only_the_admin_unpauses() {
    let mut fx = ReserveFixture::new().await;
    let admin = fx.a.p.r.admin.insecure_clone();
    let guardian = fx.a.p.r.guardian.insecure_clone();
    fx.env().send_ok(&[set_paused_ix(&guardian.pubkey(), true)], &[&guardian]).await;
    assert!(fx.config().await.paused);
    let ix = set_paused_ix(&guardian.pubkey(), false);
    fx.env().send_expect_error(&[ix], &[&guardian], ReserveError::Unauthorized).await;
    assert!(fx.config().await.paused);
    fx.env().send_ok(&[set_paused_ix(&admin.pubkey(), false)], &[&admin]).await;
    assert!(!fx.config().await.paused);
    // the admin pauses too
    fx.env().send_ok(&[set_paused_ix(&admin.pubkey(), true)], &[&admin]).await;
    assert!(fx.config().await.paused);
}

#[tokio::test]
async fn a_stranger_can_neither_pause_nor_unpause() {
    let mut fx = ReserveFixture::new().await;
    let stranger = fx.env().funded_keypair(1_000_000_000).await;
    let ix = set_paused_ix(&stranger.pubkey(), true);
    fx.env().send_expect_error(&[ix], &[&stranger], ReserveError::Unauthorized).await;
    assert!(!fx.config().await.paused);
    let guardian = fx.a.p.r.guardian.insecure_clone();
    fx.env().send_ok(&[set_paused_ix(&guardian.pubkey(), true)], &[&guardian]).await;
    let ix = set_paused_ix(&stranger.pubkey(), false);
    fx.env().send_expect_error(&[ix], &[&stranger], ReserveError::Unauthorized).await;
    assert!(fx.config().await.paused);
}

/// Paused, the reserve takes no deposits and no insurance stakes (buying: the sale tests).
#[tokio::test]
async fn a_paused_reserve_takes_no_deposits_or_insurance_stakes() {
    let mut fx = ReserveFixture::new().await;
    let guardian = fx.a.p.r.guardian.insecure_clone();
    fx.env().send_ok(&[set_paused_ix(&guardian.pubkey(), true)], &[&guardian]).await;
    let depositor = fx.depositor.key.insecure_clone();
    let ix = fx.deposit_ix(&fx.depositor, 1_000_000);
    fx.env().send_expect_error(&[ix], &[&depositor], ReserveError::Paused).await;
    let staker = fx.staker.key.insecure_clone();
    let currency = fx.stable_mint();
    let ix = stake_insurance_ix(&staker.pubkey(), &fx.staker.stable, &currency, 1_000_000, 0);
    fx.env().send_expect_error(&[ix], &[&staker], ReserveError::Paused).await;
    let book = fx.book().await;
    assert_eq!((book.cash, book.insurance_cash), (DEPOSIT, STAKE));
}
