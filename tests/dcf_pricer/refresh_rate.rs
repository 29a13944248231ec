use anchor_lang::error::ErrorCode;
use dcf_pricer::errors::PricerError;
use receivables::state::{Pool, PoolStatus};
use rwa_math::{value_cash_flows, Fixed, FlowStatus, PoolValue, RiskParams, WriteDownStep};
use rwa_oracle::{errors::OracleError, state::Feed};
use rwa_testkit::{
    oracle::{self, bps, feed_pda, grade_pda},
    prelude::*,
    pricer::*,
    registry::{self, mark_late_ix, vault_pda, DAY, FACE},
};

/// The price rwa-math gives for the pool's account state and the feeds' accepted values, each
/// taken at value + confidence, at `now`.
async fn expected_price(fx: &mut PricedPool, recovered: u64) -> (Fixed, u64) {
    let pool: Pool = fx.r.env.anchor_account(fx.pool).await;
    let now = fx.r.env.clock().await.unix_timestamp;
    let mut high = vec![];
    for id in [BENCHMARK, GRADE_FEEDS.spread, GRADE_FEEDS.pd, GRADE_FEEDS.lgd] {
        let f: Feed = fx.r.env.anchor_account(feed_pda(&id)).await;
        high.push(Fixed::from_raw(f.accepted.value + f.accepted.confidence));
    }
    let risk = RiskParams {
        annual_rate: high[0].checked_add(high[1]).unwrap(),
        annual_pd: high[2],
        lgd: high[3],
    };
    let steps: Vec<WriteDownStep> = write_down_steps()
        .iter()
        .map(|s| WriteDownStep { days_late: s.days_late, fraction: Fixed::from_raw(s.fraction) })
        .collect();
    // a defaulted pool is worth the lower of its expected recovery and its flows valued as if
    // it had not defaulted
    let as_status = |st| value_cash_flows(pool.valuation_flows_as(st), now, &risk, &steps).unwrap();
    let scheduled = as_status(FlowStatus::Scheduled);
    let flows = if pool.status == PoolStatus::Defaulted {
        let defaulted = as_status(FlowStatus::Defaulted);
        if defaulted.value <= scheduled.value {
            defaulted
        } else {
            scheduled
        }
    } else {
        scheduled
    };
    let vault = fx.r.env.token_balance(vault_pda(&fx.pool)).await;
    let value = PoolValue::new(vault, &flows, recovered).unwrap();
    let supply = fx.r.env.mint_supply(pool.unit_mint).await;
    (value.unit_price_floor(supply).unwrap(), value.value)
}

#[tokio::test]
async fn a_performing_pools_price_equals_rwa_math_to_the_base_unit() {
    let mut fx = PricedPool::new().await;
    fx.repay(FACE / 12).await;
    let p = fx.refresh().await;
    let (price, value) = expected_price(&mut fx, 0).await;
    assert_eq!((p.rate.unit_price, p.rate.pool_value), (price.raw(), value));
    assert_eq!(p.rate.vault_cash, FACE / 12);
    assert_eq!(p.rate.units, FACE);
    assert_eq!(p.rate.pool_status, PoolStatus::Active);
    assert!(p.rate.unit_price < Fixed::ONE.raw(), "risk and discounting keep a unit below par");
    let bench: Feed = fx.r.env.anchor_account(feed_pda(&BENCHMARK)).await;
    assert_eq!(p.rate.benchmark.value, bench.accepted.value);
    assert_eq!(p.rate.benchmark.publish_ts, bench.accepted.publish_ts);
}

#[tokio::test]
async fn the_price_falls_when_the_benchmark_rate_or_the_spread_rises() {
    let mut fx = PricedPool::new().await;
    let before = fx.refresh().await.rate.unit_price;
    fx.r.env.warp_seconds(1).await;
    fx.publish(&BENCHMARK, 470).await;
    let after_rate = fx.refresh().await.rate.unit_price;
    assert!(after_rate < before, "benchmark 4.50% -> 4.70%");
    fx.r.env.warp_seconds(1).await;
    fx.publish(&GRADE_FEEDS.spread, 365).await;
    let after_spread = fx.refresh().await.rate.unit_price;
    assert!(after_spread < after_rate, "spread 3.50% -> 3.65%");
    let (price, _) = expected_price(&mut fx, 0).await;
    assert_eq!(after_spread, price.raw());
}

/// Past due, the first flow is valued at its write-down step, not discounted: the price steps
/// down when the pool crosses 30 days late.
#[tokio::test]
async fn the_price_falls_when_a_late_pool_crosses_a_write_down_step() {
    let mut fx = PricedPool::new().await;
    let first_due = registry::pool_params(fx.r.now).schedule[0].due_ts;
    fx.r.env.set_unix_timestamp(first_due + 29 * DAY).await;
    fx.publish_all(INPUTS_BPS).await;
    let servicer = fx.r.servicer.insecure_clone();
    fx.r.env.send_ok(&[mark_late_ix(&servicer.pubkey(), &fx.pool)], &[&servicer]).await;
    let at_29 = fx.refresh().await;
    assert_eq!(at_29.rate.pool_status, PoolStatus::Late);

    fx.advance(DAY, INPUTS_BPS).await;
    let at_30 = fx.refresh().await;
    let (price, _) = expected_price(&mut fx, 0).await;
    assert_eq!(at_30.rate.unit_price, price.raw());
    // 10% of one monthly flow written down: about 0.83% of the pool, net of a day's accretion
    let drop = at_29.rate.pool_value - at_30.rate.pool_value;
    assert!(drop > FACE / 12 / 10 - FACE / 1_000 && drop < FACE / 12 / 10, "drop {drop}");
}

/// A default reaches the price in the next refresh, whatever the rise bound; recoveries then
/// count once: cash in the vault replaces the same amount of expected recovery.
#[tokio::test]
async fn a_default_applies_at_once_and_recoveries_count_once() {
    let mut fx = PricedPool::new().await;
    let performing = fx.refresh().await;
    fx.at_first_due().await;
    fx.declare_default().await;
    let defaulted = fx.refresh().await;
    assert_eq!(defaulted.rate.pool_status, PoolStatus::Defaulted);
    assert_eq!(defaulted.rate.unit_price, defaulted.rate.computed_price, "falls are not capped");
    assert!(defaulted.rate.unit_price < performing.rate.unit_price * 6 / 10);
    let (price, value) = expected_price(&mut fx, 0).await;
    assert_eq!((defaulted.rate.unit_price, defaulted.rate.pool_value), (price.raw(), value));

    let recovery = fx.r.recover_ix(&fx.pool, FACE / 5);
    fx.as_servicer(recovery).await;
    fx.r.env.warp_seconds(1).await;
    fx.publish_all(INPUTS_BPS).await;
    let recovered = fx.refresh().await;
    assert_eq!(recovered.rate.vault_cash, FACE / 5);
    assert_eq!(recovered.rate.pool_value, defaulted.rate.pool_value, "the recovery was expected");
    assert_eq!(recovered.rate.flows_value, defaulted.rate.flows_value - FACE / 5);
    let (price, _) = expected_price(&mut fx, FACE / 5).await;
    assert_eq!(recovered.rate.unit_price, price.raw());
}

/// A pool 95 days past its first due date has its overdue flows written down (50%, 10%, 10%):
/// the fall applies at once, though four months of accretion went the other way. When the
/// servicer then pays them, the computed price jumps about 6% but the published one rises by
/// at most 1% an hour.
#[tokio::test]
async fn a_rise_is_capped_per_interval_while_a_fall_is_immediate() {
    let mut fx = PricedPool::new().await;
    let healthy = fx.refresh().await.rate.unit_price;
    let first_due = registry::pool_params(fx.r.now).schedule[0].due_ts;
    fx.r.env.set_unix_timestamp(first_due + 95 * DAY).await;
    fx.publish_all(INPUTS_BPS).await;
    let fallen = fx.refresh().await;
    assert!(fallen.rate.unit_price < healthy);
    assert_eq!(fallen.rate.unit_price, fallen.rate.computed_price);

    let pool: Pool = fx.r.env.anchor_account(fx.pool).await;
    let now = fx.r.env.clock().await.unix_timestamp;
    let overdue: u64 = pool.schedule.iter().filter(|c| c.due_ts <= now).map(|c| c.amount).sum();
    fx.repay(overdue).await;
    let capped = fx.refresh().await;
    let bound = Fixed::from_raw(fallen.rate.unit_price)
        .mul_floor(Fixed::ONE.checked_add(Fixed::from_bps_floor(100).unwrap()).unwrap())
        .unwrap();
    assert!(capped.rate.computed_price > bound.raw(), "the cure is worth more than 1%");
    assert_eq!(capped.rate.unit_price, bound.raw(), "published at the cap");

    // many refreshes within the hour cannot ratchet past the cap
    for _ in 0..3 {
        fx.advance(60, INPUTS_BPS).await;
        assert_eq!(fx.refresh().await.rate.unit_price, bound.raw());
    }
    // the bound is rolling: one interval on, the previous interval's low still binds
    fx.advance(3_600, INPUTS_BPS).await;
    assert_eq!(fx.refresh().await.rate.unit_price, bound.raw(), "no second step at the boundary");
    // a second interval on, the next 1% is allowed
    fx.advance(3_600, INPUTS_BPS).await;
    let next = fx.refresh().await;
    assert!(next.rate.unit_price > bound.raw());
    assert!(next.rate.unit_price <= next.rate.computed_price);
}

/// Refreshes `ix` expecting `error` raised in the pricer's frame (the oracle's read runs
/// in-process, so its errors are the pricer's failure too), and checks the rate did not move.
async fn refused(
    fx: &mut PricedPool,
    ix: Instruction,
    error: impl Into<anchor_lang::error::Error>,
) {
    let before = fx.r.env.account(pool_pricing_pda(&fx.pool)).await;
    fx.r.env.send_expect_error_from(&[ix], &[], 0, dcf_pricer::ID, error).await;
    assert_eq!(fx.r.env.account(pool_pricing_pda(&fx.pool)).await, before, "rate unchanged");
}

#[tokio::test]
async fn stale_held_or_paused_inputs_are_refused_and_the_rate_stays() {
    let mut fx = PricedPool::new().await;
    fx.refresh().await;
    // stale: ten minutes and a second without a publication
    fx.r.env.warp_seconds(601).await;
    let ix = fx.refresh_ix();
    refused(&mut fx, ix, OracleError::TooFewPublishers).await;

    // held: the benchmark jumps 4.50% -> 9.00%
    fx.publish_all(INPUTS_BPS).await;
    fx.r.env.warp_seconds(1).await;
    fx.publish(&BENCHMARK, 900).await;
    let ix = fx.refresh_ix();
    refused(&mut fx, ix, OracleError::DeviationTooLarge).await;

    // paused oracle
    fx.r.env.warp_seconds(1).await;
    fx.publish(&BENCHMARK, 450).await;
    fx.refresh().await;
    let guardian = fx.r.guardian.insecure_clone();
    fx.r.env.send_ok(&[oracle::set_paused_ix(&guardian.pubkey(), true)], &[&guardian]).await;
    let ix = fx.refresh_ix();
    refused(&mut fx, ix, OracleError::FeedPaused).await;
}

#[tokio::test]
async fn a_paused_pricer_refreshes_nothing() {
    let mut fx = PricedPool::new().await;
    fx.refresh().await;
    let guardian = fx.r.guardian.insecure_clone();
    fx.r.env.send_ok(&[set_paused_ix(&guardian.pubkey(), true)], &[&guardian]).await;
    let ix = fx.refresh_ix();
    refused(&mut fx, ix, PricerError::PricerPaused).await;
}

/// Substituted accounts, each refused by name with the rate unchanged.
#[tokio::test]
async fn wrong_grade_vault_mint_feed_or_pool_accounts_are_refused() {
    let mut fx = PricedPool::new().await;
    fx.refresh().await;
    let admin = fx.r.admin.insecure_clone();
    // grade 2 exists with the same feeds: still not the pool's grade
    let grade2 = oracle::set_grade_ix(&admin.pubkey(), 2, &GRADE_FEEDS, write_down_steps());
    fx.r.env.send_ok(&[grade2], &[&admin]).await;
    let (other, _) = fx.r.active_pool(1).await;

    let mut a = fx.accounts;
    a.grade_risk = grade_pda(2);
    refused(&mut fx, a.ix(), PricerError::GradeMismatch).await;
    let mut a = fx.accounts;
    a.spread_feed = feed_pda(&GRADE_FEEDS.pd);
    refused(&mut fx, a.ix(), PricerError::GradeMismatch).await;
    let mut a = fx.accounts;
    a.vault = vault_pda(&other);
    refused(&mut fx, a.ix(), PricerError::VaultMismatch).await;
    let mut a = fx.accounts;
    a.unit_mint = registry::unit_mint_pda(&other);
    refused(&mut fx, a.ix(), PricerError::UnitMintMismatch).await;
    let mut a = fx.accounts;
    a.benchmark_feed = feed_pda(&GRADE_FEEDS.spread);
    refused(&mut fx, a.ix(), PricerError::BenchmarkFeedMismatch).await;

    // another pool under this pool's pricing: the pricing PDA is derived from the pool
    let mut ix = fx.refresh_ix();
    ix.accounts[2].pubkey = other;
    refused(&mut fx, ix, ErrorCode::ConstraintSeeds).await;
    // another program's account, or another receivables account type, as the pool
    let mut ix = fx.refresh_ix();
    ix.accounts[2].pubkey = oracle::config_pda();
    refused(&mut fx, ix, ErrorCode::AccountOwnedByWrongProgram).await;
    let mut ix = fx.refresh_ix();
    ix.accounts[2].pubkey = registry::config_pda();
    refused(&mut fx, ix, ErrorCode::AccountDiscriminatorMismatch).await;
}

#[tokio::test]
async fn a_pool_without_pricing_or_without_units_is_refused() {
    let mut fx = PricedPool::new().await;
    let draft = fx.r.create_pool(1, registry::pool_params(fx.r.now)).await;
    let a = RefreshAccounts::new(&draft, 1, &BENCHMARK, &GRADE_FEEDS);
    fx.r.env.send_expect_error(&[a.ix()], &[], ErrorCode::AccountNotInitialized).await;

    // a draft is not accepted for pricing at all (its schedule could still grow)
    let admin = fx.r.admin.insecure_clone();
    let create = create_pool_pricing_ix(
        &admin.pubkey(),
        &draft,
        &grade_pda(1),
        &feed_pda(&BENCHMARK),
        PRICING,
    );
    fx.r.env.send_expect_error(&[create], &[&admin], PricerError::PoolNotPriceable).await;
    assert!(fx.r.env.account(pool_pricing_pda(&draft)).await.is_none());
    let _ = bps(0);
}
