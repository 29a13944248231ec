//! `cover_shortfall`: the insurance pool pays value-anchor's shortfall below
//! `supply x (1 + overcollateral)` through value-anchor's `receive_cover`, first loss.
use buyback_reserve::{errors::ReserveError, state::PositionKind};
use rwa_math::shares;
use rwa_testkit::{
    anchor_token::{self as va, refresh_backing_ix},
    prelude::*,
    registry::FACE,
    reserve::*,
};
use value_anchor::{errors::AnchorTokenError, math, state::Backing};

/// The holder exchanges `units` for anchor tokens, then the pool defaults and rate and
/// backing are refreshed with it.
async fn defaulted_after_exchange(fx: &mut ReserveFixture, units: u64) -> Backing {
    let ixs = fx.a.exchange_ixs(units, 1);
    fx.as_holder(&ixs).await;
    fx.a.default_and_refresh().await;
    let b: Backing = fx.a.backing().await;
    assert!(b.total_backing < b.anchor_supply, "precondition: under water");
    b
}

fn shortfall(b: &Backing) -> u64 {
    math::shortfall_ceil(b.total_backing, b.anchor_supply, va::PARAMS.overcollateral_bps).unwrap()
}

async fn cover(fx: &mut ReserveFixture) {
    let ix = fx.cover_ix();
    fx.env().send_ok(&[ix], &[]).await;
}

/// A shortfall within the insurance cash is covered exactly: the backing reaches
/// `ceil(supply x 1.01)`, the stakers' cash falls by what moved, and nothing more is owed.
/// Covers do not pause with the reserve.
#[tokio::test]
async fn a_cover_pays_exactly_the_shortfall_from_the_insurance_cash() {
    let mut fx = ReserveFixture::new().await;
    let b = defaulted_after_exchange(&mut fx, FACE / 100).await;
    let need = shortfall(&b);
    assert_eq!(
        need as u128,
        (b.anchor_supply as u128 * 10_100).div_ceil(10_000) - b.total_backing as u128
    );
    assert!(need > 0 && need < STAKE, "the insurance covers it: {need}");
    let guardian = fx.a.p.r.guardian.insecure_clone();
    fx.env().send_ok(&[set_paused_ix(&guardian.pubkey(), true)], &[&guardian]).await;
    let reserve_before = fx.env().token_balance(va::stable_reserve_pda()).await;
    let staker_shares = fx.position(PositionKind::Insurance, &fx.staker.key.pubkey()).await.shares;

    cover(&mut fx).await;

    let book = fx.book().await;
    assert_eq!((book.insurance_cash, book.covered_total), (STAKE - need, need));
    assert_eq!(book.insurance_shares, staker_shares, "no share is burned: each is worth less");
    assert_eq!(book.cash, DEPOSIT, "the reserve's capital is not touched");
    assert_eq!(fx.env().token_balance(insurance_vault_pda()).await, STAKE - need);
    assert_eq!(fx.env().token_balance(va::stable_reserve_pda()).await, reserve_before + need);
    let after: Backing = fx.a.backing().await;
    assert_eq!(after.total_backing, b.total_backing + need);
    assert_eq!(after.total_backing as u128, (b.anchor_supply as u128 * 10_100).div_ceil(10_000));
    assert_eq!(after.anchor_supply, b.anchor_supply);
    let worth =
        shares::assets_for_shares(staker_shares, book.insurance_cash, book.insurance_shares);
    assert_eq!(worth.unwrap(), STAKE - need);

    // covered: value-anchor owes nothing more, and says so in its own frame
    let ix = fx.cover_ix();
    fx.env()
        .send_expect_error_from(&[ix], &[], 0, value_anchor::ID, AnchorTokenError::NoShortfall)
        .await;
    assert_eq!(fx.book().await.insurance_cash, STAKE - need);
}

/// A shortfall larger than the insurance takes all of it; then there is nothing to cover with.
#[tokio::test]
async fn a_cover_beyond_the_insurance_cash_moves_all_of_it() {
    let mut fx = ReserveFixture::new().await;
    let b = defaulted_after_exchange(&mut fx, FACE / 10).await;
    let need = shortfall(&b);
    assert!(need > STAKE, "the loss exceeds the insurance: {need}");
    cover(&mut fx).await;
    let book = fx.book().await;
    assert_eq!((book.insurance_cash, book.covered_total), (0, STAKE));
    assert_eq!(fx.env().token_balance(insurance_vault_pda()).await, 0);
    let after: Backing = fx.a.backing().await;
    assert_eq!(after.total_backing, b.total_backing + STAKE);
    assert_eq!(shortfall(&after), need - STAKE);

    let ix = fx.cover_ix();
    fx.env().send_expect_error(&[ix], &[], ReserveError::NothingOwed).await;
}

#[tokio::test]
async fn a_cover_with_an_empty_insurance_pool_is_refused() {
    let mut fx = ReserveFixture::without_capital().await;
    defaulted_after_exchange(&mut fx, FACE / 100).await;
    let ix = fx.cover_ix();
    fx.env().send_expect_error(&[ix], &[], ReserveError::NothingOwed).await;
}

#[tokio::test]
async fn a_cover_of_a_fully_backed_token_is_refused_by_value_anchor() {
    let mut fx = ReserveFixture::new().await;
    let ixs = fx.a.exchange_ixs(FACE / 100, 1);
    fx.as_holder(&ixs).await;
    let ix = fx.cover_ix();
    fx.env()
        .send_expect_error_from(&[ix], &[], 0, value_anchor::ID, AnchorTokenError::NoShortfall)
        .await;
    assert_eq!(fx.book().await.insurance_cash, STAKE);
}

/// The shortfall is read from value-anchor's entries: one whose pool changed since it was
/// priced (a default not yet refreshed) refuses the cover, as do missing pool accounts;
/// refreshed in the same transaction, the cover goes through.
#[tokio::test]
async fn a_cover_on_stale_backing_is_refused_by_value_anchor() {
    let mut fx = ReserveFixture::new().await;
    let ixs = fx.a.exchange_ixs(FACE / 100, 1);
    fx.as_holder(&ixs).await;
    fx.a.p.at_first_due().await;
    fx.a.p.declare_default().await;
    let ix = fx.cover_ix();
    fx.env()
        .send_expect_error_from(&[ix], &[], 0, value_anchor::ID, AnchorTokenError::StaleBacking)
        .await;
    let ix = cover_shortfall_ix(&fx.stable_mint(), &[]);
    fx.env()
        .send_expect_error_from(
            &[ix],
            &[],
            0,
            value_anchor::ID,
            AnchorTokenError::PoolAccountsMissing,
        )
        .await;
    assert_eq!(fx.book().await.insurance_cash, STAKE);

    let ixs = [fx.a.p.refresh_ix(), refresh_backing_ix(&fx.pool()), fx.cover_ix()];
    fx.env().send_ok(&ixs, &[]).await;
    let need = STAKE - fx.book().await.insurance_cash;
    assert!(need > 0);
    assert_eq!(shortfall(&fx.a.backing().await), 0);
}
