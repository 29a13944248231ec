use anchor_lang::error::ErrorCode;
use dcf_pricer::{
    errors::PricerError,
    state::{PoolPricing, PricingParams},
};
use rwa_testkit::{
    oracle::{self, feed_pda, grade_pda},
    prelude::*,
    pricer::*,
    registry::{self, unit_mint_pda, vault_pda},
};

#[tokio::test]
async fn the_admin_binds_a_pool_to_its_grade_and_benchmark_feed() {
    let mut fx = PricedPool::new().await;
    let p: PoolPricing = fx.pricing().await;
    assert_eq!(
        (p.pool, p.vault, p.unit_mint),
        (fx.pool, vault_pda(&fx.pool), unit_mint_pda(&fx.pool))
    );
    assert_eq!((p.grade, p.grade_risk, p.benchmark_feed), (1, grade_pda(1), feed_pda(&BENCHMARK)));
    assert_eq!(p.params, PRICING);
    assert_eq!(p.rate.updated_at, 0, "nothing published before the first refresh");
}

#[tokio::test]
async fn a_grade_account_of_another_grade_or_a_feed_of_another_kind_is_refused() {
    let mut fx = PricedPool::new().await;
    let admin = fx.r.admin.insecure_clone();
    let grade2 = oracle::set_grade_ix(&admin.pubkey(), 2, &GRADE_FEEDS, write_down_steps());
    fx.r.env.send_ok(&[grade2], &[&admin]).await;
    let (pool, _) = fx.r.active_pool(1).await;
    let cases = [
        (grade_pda(2), feed_pda(&BENCHMARK), PricerError::GradeMismatch),
        (grade_pda(1), feed_pda(&GRADE_FEEDS.spread), PricerError::FeedKindMismatch),
    ];
    for (grade, feed, error) in cases {
        let ix = create_pool_pricing_ix(&admin.pubkey(), &pool, &grade, &feed, PRICING);
        fx.r.env.send_expect_error(&[ix], &[&admin], error).await;
    }
    assert!(fx.r.env.account(pool_pricing_pda(&pool)).await.is_none());
}

#[tokio::test]
async fn only_the_admin_with_bounded_params_and_once_per_pool() {
    let mut fx = PricedPool::new().await;
    let admin = fx.r.admin.insecure_clone();
    let (pool, _) = fx.r.active_pool(1).await;
    let ix = |params| {
        create_pool_pricing_ix(&admin.pubkey(), &pool, &grade_pda(1), &feed_pda(&BENCHMARK), params)
    };
    for bad in [
        PricingParams { max_input_age_secs: 0, ..PRICING },
        PricingParams { max_input_age_secs: 86_401, ..PRICING },
        PricingParams { max_rise_bps: 0, ..PRICING },
        PricingParams { max_rise_bps: 10_001, ..PRICING },
        PricingParams { rise_interval_secs: 0, ..PRICING },
    ] {
        fx.r.env.send_expect_error(&[ix(bad)], &[&admin], PricerError::InvalidPricingParams).await;
    }
    let issuer = fx.r.issuer.insecure_clone();
    let stranger = resign(ix(PRICING), &admin.pubkey(), &issuer.pubkey());
    fx.r.env.send_expect_error(&[stranger], &[&issuer], ErrorCode::ConstraintHasOne).await;

    fx.r.env.send_ok(&[ix(PRICING)], &[&admin]).await;
    fx.r.env.send_expect_failure(&[ix(PRICING)], &[&admin]).await;
}

#[tokio::test]
async fn a_cancelled_pool_is_not_accepted_for_pricing() {
    let mut fx = PricedPool::new().await;
    let admin = fx.r.admin.insecure_clone();
    let draft = fx.r.create_pool(1, registry::pool_params(fx.r.now)).await;
    let issuer = fx.r.issuer.insecure_clone();
    fx.r.env.send_ok(&[registry::cancel_pool_ix(&issuer.pubkey(), &draft)], &[&issuer]).await;
    let ix = create_pool_pricing_ix(
        &admin.pubkey(),
        &draft,
        &grade_pda(1),
        &feed_pda(&BENCHMARK),
        PRICING,
    );
    fx.r.env.send_expect_error(&[ix], &[&admin], PricerError::PoolNotPriceable).await;
}
