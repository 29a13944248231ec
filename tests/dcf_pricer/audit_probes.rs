//! Audit probes: each `probe_*` test replays an attack an audit of this code found and now
//! asserts the property that defeats it (a regression test; its doc comment tells the
//! finding); each `held_*` test documents an attack that was tried and refused.
use dcf_pricer::{
    errors::PricerError,
    state::{PoolPricing, PricerConfig},
};
use receivables::{
    state::{Issuer, Pool, PoolStatus},
    ScheduledPayment,
};
use rwa_math::{value_cash_flows, CashFlow, Fixed, FlowStatus, RiskParams, WriteDownStep};
use rwa_oracle::state::{bps_of, Feed};
use rwa_testkit::{
    oracle::{self, bps, feed_pda, grade_pda},
    prelude::*,
    pricer::*,
    registry::{
        self, append_schedule_ix, close_pool_ix, declare_default_ix, issuer_pda, mark_late_ix,
        vault_pda, DAY, FACE,
    },
};

const FEEDS: [[u8; 32]; 4] = [BENCHMARK, GRADE_FEEDS.spread, GRADE_FEEDS.pd, GRADE_FEEDS.lgd];

/// `price x (1 + max_rise)` rounded down, as `rwa_math::next_price` caps a rise.
fn capped(price: u128) -> u128 {
    let rise = Fixed::from_bps_floor(PRICING.max_rise_bps as u64).unwrap();
    Fixed::from_raw(price).mul_floor(Fixed::ONE.checked_add(rise).unwrap()).unwrap().raw()
}

/// Publisher 2 of the fixture (one of three) submits, on every input feed, the feed's maximum
/// value (outvoted by the median) with the widest confidence that value allows (10% of 100%).
async fn widen_confidence_as_one_publisher(fx: &mut PricedPool) {
    let attacker = fx.publishers[2].insecure_clone();
    let now = fx.r.env.clock().await.unix_timestamp;
    for id in FEEDS {
        let value = bps(10_000);
        let confidence = bps_of(value, 1_000);
        let ix = oracle::submit_ix(&attacker.pubkey(), &id, value, confidence, now);
        fx.r.env.send_ok(&[ix], &[&attacker]).await;
    }
}

/// FINDING (high): a price that reaches zero can never rise again. `next_price` caps a rise at
/// `reference x (1 + max_rise)`; a fall to zero sets the reference to zero, and every later cap
/// is `0 x 1.01 = 0`, across intervals too (the reference moves to the last published price,
/// zero). A Late pool whose flows are all past the grade's 100% write-down step (180 days) and
/// whose vault is empty is valued at exactly zero; when the servicer then cures it in full the
/// pool is Matured with a full vault, but the published price stays 0 forever, and nothing
/// (admin included) can reset `reference_price`.
#[tokio::test]
async fn probe_published_price_stuck_at_zero_after_a_full_cure() {
    let mut fx = PricedPool::new().await;
    let healthy = fx.refresh().await;
    assert!(healthy.rate.unit_price > 0);

    let last_due = registry::pool_params(fx.r.now).schedule.last().unwrap().due_ts;
    fx.r.env.set_unix_timestamp(last_due + 181 * DAY).await;
    fx.publish_all(INPUTS_BPS).await;
    let servicer = fx.r.servicer.pubkey();
    let ix = mark_late_ix(&servicer, &fx.pool);
    fx.as_servicer(ix).await;
    let late = fx.refresh().await;
    assert_eq!((late.rate.pool_value, late.rate.unit_price), (0, 0), "everything written down");

    // the servicer cures the pool in full: Matured, vault = everything scheduled
    let pool: Pool = fx.r.env.anchor_account(fx.pool).await;
    fx.repay(pool.outstanding().unwrap()).await;
    let pool: Pool = fx.r.env.anchor_account(fx.pool).await;
    assert_eq!(pool.status, PoolStatus::Matured);

    let mut last = late;
    for _ in 0..5 {
        fx.advance(2 * PRICING.rise_interval_secs as i64, INPUTS_BPS).await;
        last = fx.refresh().await;
    }
    assert!(last.rate.computed_price > Fixed::ONE.raw(), "the vault holds par plus interest");
    assert!(
        last.rate.unit_price > 0,
        "a Matured pool with a full vault ({} base units) is published at price 0 \
         after 5 intervals (computed {}, reference {}): the rise cap from a zero reference is zero",
        last.rate.vault_cash,
        last.rate.computed_price,
        last.reference_price
    );
}

/// FINDING (medium): declaring default raises the value of a long-overdue pool. While Late,
/// overdue flows are valued at the grade's write-down steps (100% from 180 days: worth 0); once
/// Defaulted every outstanding flow is worth `1 - LGD` (55%), whatever its age. The servicer
/// (or anyone it colludes with) raises the exit price by declaring default.
#[tokio::test]
async fn probe_declaring_default_raises_the_price_of_a_long_overdue_pool() {
    let mut fx = PricedPool::new().await;
    fx.repay(FACE / 12).await; // something in the vault, so the Late price is not zero
    let last_due = registry::pool_params(fx.r.now).schedule.last().unwrap().due_ts;
    fx.r.env.set_unix_timestamp(last_due + 181 * DAY).await;
    fx.publish_all(INPUTS_BPS).await;
    let servicer = fx.r.servicer.pubkey();
    let ix = mark_late_ix(&servicer, &fx.pool);
    fx.as_servicer(ix).await;
    let late = fx.refresh().await;
    assert_eq!(late.rate.flows_value, 0);

    let ix = declare_default_ix(&servicer, &fx.pool);
    fx.as_servicer(ix).await;
    fx.advance(1, INPUTS_BPS).await;
    let defaulted = fx.refresh().await;
    assert_eq!(defaulted.rate.pool_status, PoolStatus::Defaulted);
    assert!(
        defaulted.rate.computed_price <= late.rate.computed_price,
        "declaring default raised the pool value from {} to {} ({}x); flows worth 0 \
         while Late are worth 1 - LGD once Defaulted",
        late.rate.pool_value,
        defaulted.rate.pool_value,
        defaulted.rate.pool_value / late.rate.pool_value.max(1)
    );
}

/// FINDING (medium): `fresh_unit_price` serves the last refresh's price whatever happened to the
/// pool since. Refreshed while Active, then defaulted and closed by its servicer, the pool's
/// pre-default price is still served (and `PoolNotExitable` does not fire for the Closed pool)
/// until the rate ages out (`max_rate_age_secs`, up to a day). An exit that does not refresh in
/// its own transaction sells units at the old price.
#[tokio::test]
async fn probe_fresh_unit_price_serves_a_pre_default_price_after_default_and_close() {
    let mut fx = PricedPool::new().await;
    let first_due = registry::pool_params(fx.r.now).schedule[0].due_ts;
    fx.r.env.set_unix_timestamp(first_due + 1).await;
    fx.publish_all(INPUTS_BPS).await;
    let active = fx.refresh().await;
    assert_eq!(active.rate.pool_status, PoolStatus::Active);

    let (servicer, issuer) = (fx.r.servicer.pubkey(), fx.r.issuer.pubkey());
    let ix = declare_default_ix(&servicer, &fx.pool);
    fx.as_servicer(ix).await;
    let ix = close_pool_ix(&servicer, &fx.pool, &issuer);
    fx.as_servicer(ix).await;
    let pool: Pool = fx.r.env.anchor_account(fx.pool).await;
    assert_eq!(pool.status, PoolStatus::Closed);

    let config: PricerConfig = fx.r.env.anchor_account(config_pda()).await;
    let pricing: PoolPricing = fx.pricing().await;
    let now = fx.r.env.clock().await.unix_timestamp;
    let stale = pricing.fresh_unit_price(&config, &fx.pool, &pool, now, 900);

    // what a refresh now says: the Closed pool is worth its (empty) vault and is not exitable
    fx.advance(1, INPUTS_BPS).await;
    let refreshed = fx.refresh().await;
    let now = fx.r.env.clock().await.unix_timestamp;
    let pool: Pool = fx.r.env.anchor_account(fx.pool).await;
    assert_eq!(
        refreshed.fresh_unit_price(&config, &fx.pool, &pool, now, 900).unwrap_err(),
        PricerError::PoolNotExitable.into()
    );
    assert!(
        stale.is_err(),
        "after default and close, fresh_unit_price still served the Active price {:?} \
         (a refresh computes {} with pool value {}, and refuses exits)",
        stale.map(|p| p.raw()),
        refreshed.rate.computed_price,
        refreshed.rate.pool_value
    );
}

/// FINDING (high, root cause in rwa-oracle): one publisher of three moves the price. The median
/// ignores its value, but the aggregate confidence is the widest of all fresh observations,
/// each bounded only against the publisher's OWN value; the pricer takes every input at value +
/// confidence. Falls apply at once, and afterwards rises are capped at 1% an hour, so the
/// damage outlasts the attack.
#[tokio::test]
async fn probe_one_publisher_of_three_drops_the_price_through_its_confidence() {
    let mut fx = PricedPool::new().await;
    let healthy = fx.refresh().await;
    fx.r.env.warp_seconds(1).await;
    widen_confidence_as_one_publisher(&mut fx).await;
    for (id, v) in FEEDS.iter().zip(INPUTS_BPS) {
        let f: Feed = fx.r.env.anchor_account(feed_pda(id)).await;
        assert_eq!(f.accepted.value, bps(v), "the median is unchanged");
    }
    let attacked = fx.refresh().await;
    assert!(
        attacked.rate.unit_price >= healthy.rate.unit_price,
        "one publisher of three (medians unchanged) moved the published price from {} to {}",
        healthy.rate.unit_price,
        attacked.rate.unit_price
    );
}

/// FINDING (high, composition of the two above): one publisher zeroes a Defaulted pool's price
/// for good. The grade's LGD is honestly 91%; the attacker's confidence (10 points, from an
/// outvoted 100% value) takes LGD + confidence to 100%, the defaulted flows are worth nothing,
/// the empty vault is worth nothing: price 0, reference 0. After the attacker stops and a
/// recovery of 20% of face reaches the vault, the published price is still 0.
#[tokio::test]
async fn probe_one_publisher_zeroes_a_defaulted_pools_price_forever() {
    let mut fx = PricedPool::new().await;
    fx.refresh().await;
    let inputs = [INPUTS_BPS[0], INPUTS_BPS[1], INPUTS_BPS[2], 9_100];
    let first_due = registry::pool_params(fx.r.now).schedule[0].due_ts;
    fx.r.env.set_unix_timestamp(first_due + 1).await;
    fx.publish_all(inputs).await;
    let admin = fx.r.admin.insecure_clone();
    // LGD 45% -> 91% is held by the deviation bound; the admin confirms the honest value
    let confirm = oracle::confirm_ix(&admin.pubkey(), &GRADE_FEEDS.lgd);
    fx.r.env.send_ok(&[confirm], &[&admin]).await;
    let servicer = fx.r.servicer.pubkey();
    let ix = declare_default_ix(&servicer, &fx.pool);
    fx.as_servicer(ix).await;
    fx.r.env.warp_seconds(1).await;
    widen_confidence_as_one_publisher(&mut fx).await;
    let attacked = fx.refresh().await;
    assert!(attacked.rate.unit_price > 0, "the outvoted publisher's confidence is not served");

    // even a price driven to zero (here: everything written off) comes back with the cash:
    // after a recovery the published price is at least the vault's cash per unit at once
    let servicer = fx.r.servicer.insecure_clone();
    let pool: receivables::state::Pool = fx.r.env.anchor_account(fx.pool).await;
    let rest = pool.outstanding().unwrap();
    fx.r.env
        .send_ok(&[registry::write_down_ix(&servicer.pubkey(), &fx.pool, rest)], &[&servicer])
        .await;
    fx.advance(1, inputs).await;
    let zeroed = fx.refresh().await;
    assert_eq!((zeroed.rate.pool_value, zeroed.rate.unit_price), (0, 0));
    let recovery = fx.r.recover_ix(&fx.pool, FACE / 5);
    fx.r.env.send_ok(&[recovery], &[&servicer]).await;
    fx.advance(1, inputs).await;
    let last = fx.refresh().await;
    let cash_per_unit = Fixed::from_ratio_floor(last.rate.vault_cash, last.rate.units).unwrap();
    assert_eq!(last.rate.vault_cash, FACE / 5);
    assert!(
        last.rate.unit_price >= cash_per_unit.raw(),
        "with {} recovered in the vault (computed price {}) the price is published at {}",
        last.rate.vault_cash,
        last.rate.computed_price,
        last.rate.unit_price
    );
}

/// FINDING (low): the rise cap is per fixed interval, not per interval-length window. After a
/// fall (here caused by the confidence attack above) the price rises 1% one second before the
/// interval that started at the first refresh ends, and 1% more one second later: 2.01% within
/// less than one interval, where SPEC promises at most `max_rise` per interval.
#[tokio::test]
async fn probe_rise_cap_compounds_across_an_interval_boundary() {
    let mut fx = PricedPool::new().await;
    let t0 = fx.refresh().await.reference_at;
    fx.r.env.warp_seconds(1).await;
    // an honest fall: the spread widens within the oracle's bound
    fx.publish(&GRADE_FEEDS.spread, 365).await;
    let low_pricing = fx.refresh().await; // a fall: the reference drops to it
    let (low, low_at) = (low_pricing.rate.unit_price, low_pricing.rate.updated_at);

    let interval = PRICING.rise_interval_secs as i64;
    fx.r.env.set_unix_timestamp(t0 + interval - 1).await;
    fx.publish_all(INPUTS_BPS).await; // honest again
    let before_boundary = fx.refresh().await;
    assert!(before_boundary.rate.unit_price <= capped(low));
    fx.advance(1, INPUTS_BPS).await;
    let after_boundary = fx.refresh().await;
    assert!(
        after_boundary.rate.unit_price <= capped(low),
        "the price rose from {} to {} ({} bps) in {} s, less than one {} s interval \
         (the last {} bps of it in one second across the boundary); the bound is {} bps",
        low,
        after_boundary.rate.unit_price,
        (after_boundary.rate.unit_price - low) * 10_000 / low,
        after_boundary.rate.updated_at - low_at,
        interval,
        (after_boundary.rate.unit_price - before_boundary.rate.unit_price) * 10_000
            / before_boundary.rate.unit_price,
        PRICING.max_rise_bps
    );
}

/// FINDING (medium, receivables + pricer): the admin accepts a Draft pool for pricing (allowed)
/// and the issuer then appends a flow of 100x the face value before activating. Neither the
/// issuer's face-value limit nor anything in the pricer bounds the schedule against the face
/// value, and the first refresh is published uncapped: the issuer's units are priced far above
/// its limit.
#[tokio::test]
async fn probe_draft_pool_accepted_for_pricing_then_schedule_inflated() {
    let mut fx = PricedPool::new().await;
    let params = registry::pool_params(fx.r.now);
    let last_due = params.schedule.last().unwrap().due_ts;
    let draft = fx.r.create_pool(1, params).await;
    let admin = fx.r.admin.insecure_clone();
    let create = create_pool_pricing_ix(
        &admin.pubkey(),
        &draft,
        &grade_pda(1),
        &feed_pda(&BENCHMARK),
        PRICING,
    );
    // a Draft's schedule can still grow: it is not accepted for pricing
    fx.r.env.send_expect_error(&[create], &[&admin], PricerError::PoolNotPriceable).await;

    // and the schedule can never promise more than twice the face value
    let issuer = fx.r.issuer.insecure_clone();
    let bonus = ScheduledPayment { due_ts: last_due + 30 * DAY, amount: 100 * FACE };
    let ix = append_schedule_ix(&issuer.pubkey(), &draft, vec![bonus]);
    fx.r.env
        .send_expect_error(
            &[ix],
            &[&issuer],
            receivables::errors::ReceivablesError::ScheduleAboveFaceBound,
        )
        .await;
    let record: Issuer = fx.r.env.anchor_account(issuer_pda(&issuer.pubkey())).await;
    assert_eq!(record.face_value_outstanding, 2 * FACE);
}

/// FINDING (low, rwa-math valuation): an overdue flow is valued at `1 - w(days late)` with no
/// discount and no default risk, so below the grade's first write-down step (30 days) a flow
/// that was missed is worth MORE than the same flow about to be paid.
#[test]
fn probe_a_missed_payment_is_worth_more_than_a_performing_one() {
    let now = 1_800_000_000;
    let q = |b: u64| Fixed::from_raw(bps(b));
    let risk = RiskParams { annual_rate: q(800), annual_pd: q(300), lgd: q(4_500) };
    let steps: Vec<WriteDownStep> = write_down_steps()
        .iter()
        .map(|s| WriteDownStep { days_late: s.days_late, fraction: Fixed::from_raw(s.fraction) })
        .collect();
    let value = |due_ts| {
        let flow = CashFlow { due_ts, amount: 1_000_000_000, status: FlowStatus::Scheduled };
        value_cash_flows([flow], now, &risk, &steps).unwrap().value
    };
    let (performing, missed) = (value(now + DAY), value(now - 29 * DAY));
    assert!(
        missed <= performing,
        "a flow 29 days overdue is valued {missed}, the same flow due tomorrow \
         {performing}"
    );
}

/// HELD: a donation to the vault raises the computed price by what was donated (real cash the
/// holders redeem at maturity) and the published one by at most the rise bound; the pool value
/// never exceeds vault + outstanding.
#[tokio::test]
async fn held_vault_donation_is_capped_and_counted_once() {
    let mut fx = PricedPool::new().await;
    let before = fx.refresh().await;
    let vault = vault_pda(&fx.pool);
    let servicer = fx.r.servicer.insecure_clone();
    let funds = fx.r.servicer_funds;
    fx.r.env.transfer_tokens(&funds, &vault, &servicer, FACE / 10).await;
    fx.advance(1, INPUTS_BPS).await;
    let after = fx.refresh().await;
    assert_eq!(after.rate.vault_cash, FACE / 10);
    assert!(after.rate.pool_value <= before.rate.pool_value + FACE / 10 + FACE / 1_000);
    assert_eq!(after.rate.unit_price, capped(before.rate.unit_price));
}

/// HELD: re-initialisation. A pool accepted twice is refused (the pricing PDA exists), so its
/// rise-cap reference cannot be reset that way either.
#[tokio::test]
async fn held_pool_pricing_cannot_be_re_created() {
    let mut fx = PricedPool::new().await;
    let admin = fx.r.admin.insecure_clone();
    let create = create_pool_pricing_ix(
        &admin.pubkey(),
        &fx.pool,
        &grade_pda(1),
        &feed_pda(&BENCHMARK),
        PRICING,
    );
    fx.r.env.send_expect_failure(&[create], &[&admin]).await;
}
