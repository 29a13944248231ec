//! A default flows through the pricer into the backing: minting stops, and every redemption,
//! for stable or in kind, pays the same `backing / supply` per token.
use rwa_math::Fixed;
use rwa_testkit::{anchor_token::*, prelude::*, registry::FACE};
use value_anchor::{errors::AnchorTokenError, math, state::Backing};

#[tokio::test]
async fn a_default_lowers_backing_stops_mints_and_redemptions_pay_pro_rata() {
    let mut fx = AnchorFixture::new().await;
    let holder = fx.holder.insecure_clone();
    fx.p.r.env.send_ok(&fx.exchange_ixs(FACE / 10, 1), &[&holder]).await;
    fx.p.r.env.send_ok(&[fx.mint_ix(FACE / 20, 1)], &[&holder]).await;
    let healthy: Backing = fx.backing().await;
    assert!(healthy.ratio_bps > 10_000);

    // the pool defaults; the next refreshes carry it into the backing
    fx.default_and_refresh().await;
    let b: Backing = fx.backing().await;
    assert!(b.total_backing < b.anchor_supply, "under water: {} bps", b.ratio_bps);

    // minting stops
    let ix = fx.mint_ix(1_000_000, 1);
    fx.p.r.env.send_expect_error(&[ix], &[&holder], AnchorTokenError::Undercollateralised).await;
    // and a defaulted pool's units are not taken in at all
    let ixs = fx.exchange_ixs(1_000_000, 1);
    fx.p.r.env.send_expect_error(&ixs, &[&holder], AnchorTokenError::PoolInDefault).await;

    // a first redeemer takes stable at backing / supply (less the fee)
    let first = b.anchor_supply / 10;
    let value = math::redemption_value_floor(first, b.total_backing, b.anchor_supply).unwrap();
    let stable_before = fx.p.r.env.token_balance(fx.holder_stable).await;
    fx.p.r.env.send_ok(&[fx.redeem_ix(first, 1)], &[&holder]).await;
    let paid = fx.p.r.env.token_balance(fx.holder_stable).await - stable_before;
    assert_eq!(paid, value - math::fee_ceil(value, PARAMS.fee_out_bps).unwrap());

    // a later redeemer in kind gets the same value per token: stable share + units share at
    // the price the backing applies
    let b2: Backing = fx.backing().await;
    assert!(b2.ratio_bps >= b.ratio_bps, "the first redeemer took no more than its share");
    let later = b2.anchor_supply / 10;
    let h = holder.pubkey();
    let stable_before = fx.p.r.env.token_balance(fx.holder_stable).await;
    let ix =
        redeem_in_kind_ix(&h, &fx.p.r.currency, &fx.holder_stable, &fx.holder_anchor, &h, 0, later);
    fx.p.r.env.send_ok(&[ix], &[&holder]).await;
    let stable_share = fx.p.r.env.token_balance(fx.holder_stable).await - stable_before;
    let claim: value_anchor::state::InKindClaim = fx.p.r.env.anchor_account(claim_pda(&h, 0)).await;
    let units_worth =
        math::units_value_floor(claim.units_owed[0], Fixed::from_raw(b2.entries[0].price)).unwrap();
    let in_kind = stable_share + units_worth;
    // per token: the first redeemer got no more than the later one (up to a few base units of
    // rounding), and the later one no more than the first's fee left behind (5 bps of a tenth)
    let first_per_later = value as u128 * later as u128;
    let later_per_first = in_kind as u128 * first as u128;
    let rounding = 3 * first.max(later) as u128;
    assert!(
        first_per_later <= later_per_first + rounding,
        "stable {value}/{first} vs in kind {in_kind}/{later}"
    );
    assert!(later_per_first - first_per_later <= first_per_later / 10_000, "only the fee's share");
}
