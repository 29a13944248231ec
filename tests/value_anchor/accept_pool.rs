use anchor_lang::error::ErrorCode;
use rwa_testkit::{
    anchor_token::*,
    oracle::{feed_pda, grade_pda},
    prelude::*,
    pricer,
    registry::{self, FACE},
};
use value_anchor::{
    errors::AnchorTokenError,
    state::{AcceptedPool, Backing, PoolParams},
};

#[tokio::test]
async fn the_admin_accepts_a_priced_pool_in_the_reserve_currency() {
    let mut fx = AnchorFixture::new().await;
    let a: AcceptedPool = fx.p.r.env.anchor_account(accepted_pool_pda(&fx.p.pool)).await;
    assert_eq!((a.pool, a.slot, a.intake_open), (fx.p.pool, 0, true));
    assert_eq!(
        (a.pricing, a.collateral),
        (pricer::pool_pricing_pda(&fx.p.pool), collateral_pda(&fx.p.pool))
    );
    assert_eq!(a.params, POOL_PARAMS);
    let b: Backing = fx.backing().await;
    assert_eq!((b.pool_count, b.entries[0].pool), (1, fx.p.pool));
}

#[tokio::test]
async fn a_pool_in_another_currency_unpriced_or_with_bad_params_is_refused() {
    let mut fx = AnchorFixture::new().await;
    let admin = fx.p.r.admin.insecure_clone();
    // a pool in another accepted currency of the registry
    let other_currency = fx.p.r.env.create_mint(TokenProgram::Classic, 6, &admin.pubkey()).await;
    let add = registry::add_currency_ix(&admin.pubkey(), &other_currency, TokenProgram::Classic);
    fx.p.r.env.send_ok(&[add], &[&admin]).await;
    let ix = registry::create_pool_ix(
        &fx.p.r.issuer.pubkey(),
        &fx.p.r.servicer.pubkey(),
        1,
        &other_currency,
        TokenProgram::Classic,
        TokenProgram::Classic,
        registry::pool_params(fx.p.r.now),
    );
    let issuer = fx.p.r.issuer.insecure_clone();
    fx.p.r.env.send_ok(&[ix], &[&issuer]).await;
    let foreign = registry::pool_pda(&issuer.pubkey(), 1);
    let foreign_units =
        fx.p.r
            .env
            .create_ata(TokenProgram::Classic, &registry::unit_mint_pda(&foreign), &issuer.pubkey())
            .await;
    let activate = registry::activate_pool_ix(
        &issuer.pubkey(),
        &foreign,
        &foreign_units,
        TokenProgram::Classic,
    );
    fx.p.r.env.send_ok(&[activate], &[&issuer]).await;
    let price_it = pricer::create_pool_pricing_ix(
        &admin.pubkey(),
        &foreign,
        &grade_pda(1),
        &feed_pda(&pricer::BENCHMARK),
        pricer::PRICING,
    );
    fx.p.r.env.send_ok(&[price_it], &[&admin]).await;
    let ix = accept_pool_ix(&admin.pubkey(), &foreign, POOL_PARAMS);
    fx.p.r.env.send_expect_error(&[ix], &[&admin], AnchorTokenError::CurrencyMismatch).await;

    // a pool the pricer does not price
    let (unpriced, _) = {
        let r = &mut fx.p.r;
        let now = r.env.clock().await.unix_timestamp;
        let params = registry::pool_params(now);
        let ix = r.create_pool_ix(2, params);
        let issuer = r.issuer.insecure_clone();
        let limits = receivables::state::IssuerLimits { max_pools: 5, max_face_value: 5 * FACE };
        let admin_key = r.admin.pubkey();
        r.env
            .send_ok(
                &[registry::set_issuer_limits_ix(&admin_key, &issuer.pubkey(), limits)],
                &[&admin],
            )
            .await;
        r.env.send_ok(&[ix], &[&issuer]).await;
        (registry::pool_pda(&issuer.pubkey(), 2), ())
    };
    let ix = accept_pool_ix(&admin.pubkey(), &unpriced, POOL_PARAMS);
    fx.p.r.env.send_expect_error(&[ix], &[&admin], ErrorCode::AccountNotInitialized).await;

    let (second, _) = fx.p.r.active_pool(3).await;
    let price_it = pricer::create_pool_pricing_ix(
        &admin.pubkey(),
        &second,
        &grade_pda(1),
        &feed_pda(&pricer::BENCHMARK),
        pricer::PRICING,
    );
    fx.p.r.env.send_ok(&[price_it], &[&admin]).await;
    for bad in [
        PoolParams { haircut_bps: 5_001, ..POOL_PARAMS },
        PoolParams { capacity_window_secs: 0, ..POOL_PARAMS },
    ] {
        let ix = accept_pool_ix(&admin.pubkey(), &second, bad);
        fx.p.r.env.send_expect_error(&[ix], &[&admin], AnchorTokenError::InvalidParams).await;
    }
    // anyone else: Anchor creates the accounts before it checks `has_one`, so the refusal
    // comes from the account creation the stranger would pay for; nothing is created
    let ix = accept_pool_ix(&admin.pubkey(), &second, POOL_PARAMS);
    let ix = resign(ix, &admin.pubkey(), &issuer.pubkey());
    fx.p.r.env.send_expect_failure(&[ix], &[&issuer]).await;
    assert!(fx.p.r.env.account(accepted_pool_pda(&second)).await.is_none());
    fx.p.r.env.send_ok(&[accept_pool_ix(&admin.pubkey(), &second, POOL_PARAMS)], &[&admin]).await;
    let b: Backing = fx.backing().await;
    assert_eq!((b.pool_count, b.entries[1].pool), (2, second));
    // accepting the same pool twice fails (its accounts exist)
    let again = accept_pool_ix(&admin.pubkey(), &second, POOL_PARAMS);
    fx.p.r.env.send_expect_failure(&[again], &[&admin]).await;
}

#[tokio::test]
async fn set_pool_params_refuses_out_of_bounds_params_and_changes_nothing() {
    let mut fx = AnchorFixture::new().await;
    let admin = fx.p.r.admin.insecure_clone();
    let before = fx.p.r.env.account(accepted_pool_pda(&fx.p.pool)).await;
    for bad in [
        PoolParams { haircut_bps: 5_001, ..POOL_PARAMS },
        PoolParams { capacity_window_secs: 0, ..POOL_PARAMS },
    ] {
        let ix = set_pool_params_ix(&admin.pubkey(), &fx.p.pool, bad, true);
        fx.p.r.env.send_expect_error(&[ix], &[&admin], AnchorTokenError::InvalidParams).await;
    }
    assert_eq!(fx.p.r.env.account(accepted_pool_pda(&fx.p.pool)).await, before);
}
