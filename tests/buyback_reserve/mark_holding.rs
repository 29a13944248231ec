//! `mark_holding`: anyone re-prices the reserve's holding of a pool at the pricer's fresh
//! price, so that share valuations (deposits, withdrawals) can use it.
use dcf_pricer::errors::PricerError;
use rwa_math::Fixed;
use rwa_testkit::{prelude::*, pricer::INPUTS_BPS, reserve::*};

const UNITS: u64 = 10_000_000_000;

async fn sell(fx: &mut ReserveFixture, units: u64) {
    let ixs = fx.refresh_and_sell_ixs(units, 0);
    fx.as_holder(&ixs).await;
}

/// The holding is the pricer's current rate applied to the units held, for the pool's current
/// version.
async fn assert_marked_at_the_rate(fx: &mut ReserveFixture) {
    let rate = fx.a.p.pricing().await.rate;
    let version = fx.pool_state().await.version;
    let h = fx.book().await.holdings[0];
    assert_eq!(h.pool, fx.pool());
    assert_eq!((h.price, h.priced_at, h.pool_version), (rate.unit_price, rate.updated_at, version));
    assert_eq!(h.value, Fixed::from_raw(rate.unit_price).mul_u64_floor(h.units).unwrap());
}

#[tokio::test]
async fn a_mark_reprices_the_holding_at_the_fresh_price() {
    let mut fx = ReserveFixture::new().await;
    sell(&mut fx, UNITS).await;
    let sold = fx.book().await.holdings[0];
    assert_marked_at_the_rate(&mut fx).await;

    // a day on the flows are a day closer: the rate moves and the mark follows it
    fx.a.p.advance(86_400, INPUTS_BPS).await;
    let ixs = fx.mark_ixs();
    fx.env().send_ok(&ixs, &[]).await;
    assert_marked_at_the_rate(&mut fx).await;
    let h = fx.book().await.holdings[0];
    assert_eq!(h.units, UNITS, "a mark changes no units");
    assert_ne!(h.price, sold.price);
    assert_eq!(h.priced_at, sold.priced_at + 86_400);

    // a default lowers the rate at once, and the mark carries the loss into the holding
    fx.a.p.at_first_due().await;
    fx.a.p.declare_default().await;
    let ixs = fx.mark_ixs();
    fx.env().send_ok(&ixs, &[]).await;
    assert_marked_at_the_rate(&mut fx).await;
    let defaulted = fx.book().await.holdings[0];
    assert!(defaulted.value < h.value, "{} after {}", defaulted.value, h.value);
}

/// The pool changed since the rate was refreshed (a repayment): the pricer's rule refuses the
/// mark until the rate is refreshed with it; then deposits can use the holding again.
#[tokio::test]
async fn a_mark_after_the_pool_changed_needs_a_fresh_rate() {
    let mut fx = ReserveFixture::new().await;
    sell(&mut fx, UNITS).await;
    fx.a.p.repay(1_000_000).await;
    let ix = mark_holding_ix(&fx.pool());
    fx.env()
        .send_expect_error_from(
            &[ix],
            &[],
            0,
            buyback_reserve::ID,
            PricerError::PoolChangedSinceRefresh,
        )
        .await;

    let ixs = fx.mark_ixs();
    fx.env().send_ok(&ixs, &[]).await;
    assert_marked_at_the_rate(&mut fx).await;
    let ix = fx.deposit_ix(&fx.depositor, 1_000_000);
    let d = fx.depositor.clone();
    fx.send_as(&d, &[ix]).await;
}

#[tokio::test]
async fn a_mark_on_a_stale_rate_is_refused() {
    let mut fx = ReserveFixture::new().await;
    sell(&mut fx, UNITS).await;
    fx.env().warp_seconds(PARAMS.max_price_age_secs as i64 + 1).await;
    let ix = mark_holding_ix(&fx.pool());
    fx.env()
        .send_expect_error_from(&[ix], &[], 0, buyback_reserve::ID, PricerError::StaleRate)
        .await;
}

#[tokio::test]
async fn a_pool_the_reserve_does_not_list_cannot_be_marked() {
    let mut fx = ReserveFixture::new().await;
    let mut ix = mark_holding_ix(&fx.pool());
    // another pool's listing (none exists): the listed-pool PDA is not initialised
    ix.accounts[2].pubkey = listed_pool_pda(&Pubkey::new_unique());
    let ixs = [fx.a.p.refresh_ix(), ix];
    fx.env()
        .send_expect_error(&ixs, &[], anchor_lang::error::ErrorCode::AccountNotInitialized)
        .await;
}
