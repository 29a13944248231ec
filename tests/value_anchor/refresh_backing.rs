use dcf_pricer::errors::PricerError;
use rwa_math::Fixed;
use rwa_testkit::{anchor_token::*, pricer::BENCHMARK, registry::FACE};
use value_anchor::state::Backing;

#[tokio::test]
async fn a_rate_rise_lowers_the_entry_at_the_next_refresh_and_a_stale_rate_is_refused() {
    let mut fx = AnchorFixture::new().await;
    let holder = fx.holder.insecure_clone();
    fx.p.r.env.send_ok(&fx.exchange_ixs(FACE / 10, 1), &[&holder]).await;
    let before: Backing = fx.backing().await;

    fx.p.r.env.warp_seconds(1).await;
    fx.p.publish(&BENCHMARK, 470).await;
    fx.p.r.env.send_ok(&[fx.p.refresh_ix(), refresh_backing_ix(&fx.p.pool)], &[]).await;
    let after: Backing = fx.backing().await;
    let pricing = fx.p.pricing().await;
    assert!(after.entries[0].price < before.entries[0].price);
    assert_eq!(after.entries[0].price, pricing.rate.unit_price);
    assert_eq!(
        after.entries[0].value,
        Fixed::from_raw(pricing.rate.unit_price).mul_u64_floor(FACE / 10).unwrap()
    );
    assert_eq!(after.total_backing, after.stable_reserve + after.entries[0].value);

    fx.p.r.env.warp_seconds(901).await;
    let ix = refresh_backing_ix(&fx.p.pool);
    fx.p.r
        .env
        .send_expect_error_from(&[ix], &[], 0, value_anchor::ID, PricerError::StaleRate)
        .await;
}
