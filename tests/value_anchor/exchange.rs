use anchor_lang::error::ErrorCode;
use dcf_pricer::{errors::PricerError, state::PoolPricing};
use rwa_math::Fixed;
use rwa_testkit::{
    anchor_token::*,
    prelude::*,
    pricer::pool_pricing_pda,
    registry::{self, FACE},
};
use value_anchor::{
    errors::AnchorTokenError,
    math,
    state::{AcceptedPool, Backing, PoolParams},
};

/// Sends `ixs` expecting `error` from value-anchor's frame at the last instruction, and checks
/// that backing, the pool's intake state and the holder's and protocol's balances are unchanged.
async fn refused(
    fx: &mut AnchorFixture,
    ixs: &[Instruction],
    error: impl Into<anchor_lang::error::Error>,
) {
    let watched = [
        backing_pda(),
        accepted_pool_pda(&fx.p.pool),
        collateral_pda(&fx.p.pool),
        fx.holder_units,
        fx.holder_anchor,
        anchor_mint_pda(),
    ];
    let mut before = vec![];
    for a in watched {
        before.push(fx.p.r.env.account(a).await);
    }
    let holder = fx.holder.insecure_clone();
    fx.p.r
        .env
        .send_expect_error_from(ixs, &[&holder], ixs.len() - 1, value_anchor::ID, error)
        .await;
    for (a, b) in watched.iter().zip(before) {
        assert_eq!(fx.p.r.env.account(*a).await, b, "{a} unchanged");
    }
}

#[tokio::test]
async fn an_exchange_pays_units_times_the_fresh_price_less_the_haircut_exactly() {
    let mut fx = AnchorFixture::new().await;
    let units = FACE / 10;
    let holder = fx.holder.insecure_clone();
    fx.p.r.env.send_ok(&fx.exchange_ixs(units, 1), &[&holder]).await;

    let pricing: PoolPricing = fx.p.r.env.anchor_account(pool_pricing_pda(&fx.p.pool)).await;
    let price = Fixed::from_raw(pricing.rate.unit_price);
    let (value, minted) = math::exchange_out(units, price, POOL_PARAMS.haircut_bps).unwrap();
    assert_eq!(minted, price.mul_u64_floor(units).unwrap() * 9_700 / 10_000);
    assert_eq!(fx.p.r.env.token_balance(fx.holder_anchor).await, minted);
    assert_eq!(fx.p.r.env.token_balance(collateral_pda(&fx.p.pool)).await, units);
    assert_eq!(fx.p.r.env.token_balance(fx.holder_units).await, HOLDER_UNITS - units);

    let b: Backing = fx.backing().await;
    let e = b.entries[0];
    assert_eq!((e.pool, e.units, e.price, e.value), (fx.p.pool, units, price.raw(), value));
    assert_eq!(e.priced_at, pricing.rate.updated_at);
    assert_eq!((b.total_backing, b.anchor_supply), (value, minted));
    assert!(b.ratio_bps >= 10_300, "the haircut is surplus backing: {}", b.ratio_bps);
    let accepted: AcceptedPool = fx.p.r.env.anchor_account(accepted_pool_pda(&fx.p.pool)).await;
    assert_eq!(accepted.usage, value);
}

#[tokio::test]
async fn below_min_out_or_with_intake_stopped_or_paused_the_exchange_is_refused() {
    let mut fx = AnchorFixture::new().await;
    let ixs = fx.exchange_ixs(FACE / 10, FACE);
    refused(&mut fx, &ixs, AnchorTokenError::SlippageExceeded).await;

    let admin = fx.p.r.admin.insecure_clone();
    let stop = set_pool_params_ix(&admin.pubkey(), &fx.p.pool, POOL_PARAMS, false);
    fx.p.r.env.send_ok(&[stop], &[&admin]).await;
    let ixs = fx.exchange_ixs(FACE / 10, 1);
    refused(&mut fx, &ixs, AnchorTokenError::IntakeStopped).await;
    let reopen = set_pool_params_ix(&admin.pubkey(), &fx.p.pool, POOL_PARAMS, true);
    fx.p.r.env.send_ok(&[reopen], &[&admin]).await;

    let guardian = fx.p.r.guardian.insecure_clone();
    fx.p.r.env.send_ok(&[set_paused_ix(&guardian.pubkey(), true)], &[&guardian]).await;
    let ixs = fx.exchange_ixs(FACE / 10, 1);
    refused(&mut fx, &ixs, AnchorTokenError::Paused).await;
}

#[tokio::test]
async fn a_stale_price_is_refused() {
    let mut fx = AnchorFixture::new().await;
    fx.p.refresh().await;
    fx.p.r.env.warp_seconds(901).await;
    let ix = fx.exchange_accounts().ix(FACE / 10, 1);
    refused(&mut fx, &[ix], PricerError::StaleRate).await;
}

#[tokio::test]
async fn past_the_pool_ceiling_the_global_ceiling_or_the_capacity_it_is_refused() {
    let mut fx = AnchorFixture::new().await;
    let admin = fx.p.r.admin.insecure_clone();
    // capacity: a fifth of face value per day; the holder's quarter does not fit at once
    let ixs = fx.exchange_ixs(HOLDER_UNITS, 1);
    refused(&mut fx, &ixs, AnchorTokenError::CapacityExceeded).await;

    let low_ceiling = PoolParams { ceiling: FACE / 20, ..POOL_PARAMS };
    fx.p.r
        .env
        .send_ok(&[set_pool_params_ix(&admin.pubkey(), &fx.p.pool, low_ceiling, true)], &[&admin])
        .await;
    let ixs = fx.exchange_ixs(FACE / 10, 1);
    refused(&mut fx, &ixs, AnchorTokenError::PoolCeilingExceeded).await;
    fx.p.r
        .env
        .send_ok(&[set_pool_params_ix(&admin.pubkey(), &fx.p.pool, POOL_PARAMS, true)], &[&admin])
        .await;

    let low_global = value_anchor::state::AnchorParams { global_ceiling: FACE / 20, ..PARAMS };
    fx.p.r.env.send_ok(&[set_params_ix(&admin.pubkey(), low_global)], &[&admin]).await;
    let ixs = fx.exchange_ixs(FACE / 10, 1);
    refused(&mut fx, &ixs, AnchorTokenError::GlobalCeilingExceeded).await;
}

/// Usage decays linearly: what was refused fits again as the window passes.
#[tokio::test]
async fn capacity_refills_over_time() {
    let mut fx = AnchorFixture::new().await;
    let holder = fx.holder.insecure_clone();
    fx.p.r.env.send_ok(&fx.exchange_ixs(FACE / 6, 1), &[&holder]).await;
    let ixs = fx.exchange_ixs(FACE / 12, 1);
    refused(&mut fx, &ixs, AnchorTokenError::CapacityExceeded).await;
    // half a day later half the capacity (a tenth of face value) is back
    fx.refresh_all(43_200).await;
    fx.p.r.env.send_ok(&fx.exchange_ixs(FACE / 12, 1), &[&holder]).await;
}

#[tokio::test]
async fn another_pools_collateral_pricing_or_a_pool_not_accepted_is_refused() {
    let mut fx = AnchorFixture::new().await;
    let (other, _) = fx.p.r.active_pool(1).await;
    // a pool value-anchor never accepted
    let a = ExchangeAccounts::new(&fx.holder.pubkey(), &other, &fx.holder_units, &fx.holder_anchor);
    refused(&mut fx, &[a.ix(FACE / 10, 1)], ErrorCode::AccountNotInitialized).await;

    fx.accept_another_pool(&other).await;
    // the other pool's collateral account under this pool
    let mut a = fx.exchange_accounts();
    a.collateral = collateral_pda(&other);
    let ixs = [fx.p.refresh_ix(), a.ix(FACE / 10, 1)];
    refused(&mut fx, &ixs, AnchorTokenError::AccountMismatch).await;
    // the holder's own unit account as the collateral: one account, two roles
    let mut a = fx.exchange_accounts();
    a.collateral = fx.holder_units;
    let ixs = [fx.p.refresh_ix(), a.ix(FACE / 10, 1)];
    refused(&mut fx, &ixs, ErrorCode::ConstraintDuplicateMutableAccount).await;
    // the other pool's pricing under this pool's acceptance
    let mut ix = fx.exchange_accounts().ix(FACE / 10, 1);
    ix.accounts[4].pubkey = pool_pricing_pda(&other);
    let ixs = [fx.p.refresh_ix(), ix];
    refused(&mut fx, &ixs, AnchorTokenError::PricingMismatch).await;
    // the other pool's units offered as this pool's
    let mut a = fx.exchange_accounts();
    a.unit_mint = registry::unit_mint_pda(&other);
    let ixs = [fx.p.refresh_ix(), a.ix(FACE / 10, 1)];
    refused(&mut fx, &ixs, AnchorTokenError::AccountMismatch).await;
}
