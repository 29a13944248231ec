use anchor_lang::error::ErrorCode;
use dcf_pricer::{errors::PricerError, state::PricingParams};
use rwa_testkit::{prelude::*, pricer::*};

#[tokio::test]
async fn the_admin_replaces_a_pools_input_age_and_rise_bound() {
    let mut fx = PricedPool::new().await;
    let admin = fx.r.admin.insecure_clone();
    let params =
        PricingParams { max_input_age_secs: 300, max_rise_bps: 25, rise_interval_secs: 86_400 };
    fx.r.env.send_ok(&[set_pricing_params_ix(&admin.pubkey(), &fx.pool, params)], &[&admin]).await;
    assert_eq!(fx.pricing().await.params, params);
}

#[tokio::test]
async fn anyone_else_and_unbounded_params_are_refused() {
    let mut fx = PricedPool::new().await;
    let admin = fx.r.admin.insecure_clone();
    let before = fx.r.env.account(pool_pricing_pda(&fx.pool)).await;
    let bad = PricingParams { rise_interval_secs: 8 * 86_400, ..PRICING };
    fx.r.env
        .send_expect_error(
            &[set_pricing_params_ix(&admin.pubkey(), &fx.pool, bad)],
            &[&admin],
            PricerError::InvalidPricingParams,
        )
        .await;
    let issuer = fx.r.issuer.insecure_clone();
    let ix = resign(
        set_pricing_params_ix(&admin.pubkey(), &fx.pool, PRICING),
        &admin.pubkey(),
        &issuer.pubkey(),
    );
    fx.r.env.send_expect_error(&[ix], &[&issuer], ErrorCode::ConstraintHasOne).await;
    assert_eq!(fx.r.env.account(pool_pricing_pda(&fx.pool)).await, before);
}
