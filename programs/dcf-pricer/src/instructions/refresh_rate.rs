use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount};
use receivables::state::{Pool, PoolStatus};
use rwa_math::{
    biased_risk, next_price, value_cash_flows, Fixed, FlowStatus, PoolValue, Quote, Valuation,
};
use rwa_oracle::state::{Feed, FeedKind, FeedValue, GradeRisk, OracleConfig, ReadOptions};

use crate::{
    errors::PricerError,
    seeds,
    state::{InputUsed, PoolPricing, PricerConfig, RedemptionRate},
};

#[derive(Accounts)]
pub struct RefreshRate<'info> {
    #[account(
        seeds = [seeds::CONFIG],
        bump = config.bump,
        constraint = !config.paused @ PricerError::PricerPaused,
    )]
    pub config: Box<Account<'info, PricerConfig>>,
    #[account(
        mut,
        seeds = [seeds::POOL_PRICING, pool.key().as_ref()],
        bump = pool_pricing.bump,
        has_one = vault @ PricerError::VaultMismatch,
        has_one = unit_mint @ PricerError::UnitMintMismatch,
        has_one = benchmark_feed @ PricerError::BenchmarkFeedMismatch,
        has_one = grade_risk @ PricerError::GradeMismatch,
    )]
    pub pool_pricing: Box<Account<'info, PoolPricing>>,
    /// The receivables pool (owner-checked: a receivables `Pool`).
    pub pool: Box<Account<'info, Pool>>,
    pub vault: Box<InterfaceAccount<'info, TokenAccount>>,
    pub unit_mint: Box<InterfaceAccount<'info, Mint>>,
    #[account(
        seeds = [rwa_oracle::seeds::CONFIG],
        seeds::program = rwa_oracle::ID,
        bump = oracle_config.bump,
    )]
    pub oracle_config: Box<Account<'info, OracleConfig>>,
    pub benchmark_feed: Box<Account<'info, Feed>>,
    #[account(
        constraint = grade_risk.grade == pool.grade @ PricerError::GradeMismatch,
        has_one = spread_feed @ PricerError::GradeMismatch,
        has_one = pd_feed @ PricerError::GradeMismatch,
        has_one = lgd_feed @ PricerError::GradeMismatch,
    )]
    pub grade_risk: Box<Account<'info, GradeRisk>>,
    pub spread_feed: Box<Account<'info, Feed>>,
    pub pd_feed: Box<Account<'info, Feed>>,
    pub lgd_feed: Box<Account<'info, Feed>>,
}

#[event]
pub struct RateRefreshed {
    pub pool: Pubkey,
    /// The rate as published: prices, values, units, inputs, pool status and version.
    pub rate: RedemptionRate,
    /// The rise cap bit: `unit_price < computed_price`.
    pub capped: bool,
}

impl RefreshRate<'_> {
    /// The four oracle inputs through the oracle's one read, each of its expected kind and at
    /// most `max_age` old.
    fn read_inputs(&self, now: i64, max_age: u32) -> Result<[FeedValue; 4]> {
        let paused = self.oracle_config.paused;
        let feeds = [
            (&self.benchmark_feed, FeedKind::BenchmarkRate),
            (&self.spread_feed, FeedKind::CreditSpread),
            (&self.pd_feed, FeedKind::DefaultProbability),
            (&self.lgd_feed, FeedKind::LossGivenDefault),
        ];
        let mut out = [FeedValue { value: 0, confidence: 0, publish_ts: 0 }; 4];
        for (slot, (feed, kind)) in out.iter_mut().zip(feeds) {
            require!(feed.params.kind == kind, PricerError::FeedKindMismatch);
            *slot = feed.read(paused, now, ReadOptions::max_age(max_age))?;
        }
        Ok(out)
    }
}

fn quote(v: &FeedValue) -> Quote {
    Quote { value: Fixed::from_raw(v.value), confidence: Fixed::from_raw(v.confidence) }
}

fn used(v: &FeedValue) -> InputUsed {
    InputUsed { value: v.value, confidence: v.confidence, publish_ts: v.publish_ts }
}

/// Fair value of what `pool` still expects at `now` under `inputs`, and the recoveries that
/// value must not count again: flows for Active, Late and Defaulted pools (performing at the
/// biased rate, overdue at the grade's write-down steps, defaulted at `1 - LGD`); nothing for
/// Matured, WrittenOff and Closed pools, whose value is their vault.
pub fn value_flows(
    pool: &Pool,
    grade: &GradeRisk,
    inputs: &[FeedValue; 4],
    now: i64,
) -> Result<(Valuation, u64)> {
    let zero = Valuation { value: 0, undiscounted: 0, value_q127: rwa_math::wide::U256::ZERO };
    match pool.status {
        PoolStatus::Draft | PoolStatus::Cancelled => err!(PricerError::PoolNotPriceable),
        PoolStatus::Matured | PoolStatus::WrittenOff | PoolStatus::Closed => Ok((zero, 0)),
        PoolStatus::Active | PoolStatus::Late | PoolStatus::Defaulted => {
            let [bench, spread, pd, lgd] = inputs;
            let risk = biased_risk(quote(bench), quote(spread), quote(pd), quote(lgd))
                .map_err(|e| math_error(e, PricerError::RiskInputOutOfRange))?;
            let (steps, len) = grade.write_down_steps();
            let value = |flows| {
                value_cash_flows(flows, now, &risk, &steps[..len])
                    .map_err(|e| math_error(e, PricerError::ValuationFailed))
            };
            let scheduled = value(pool.valuation_flows_as(FlowStatus::Scheduled))?;
            if pool.status != PoolStatus::Defaulted {
                return Ok((scheduled, 0));
            }
            // A default never raises the value: the lower of the expected recovery and what
            // the same flows were worth before the default.
            let defaulted = value(pool.valuation_flows_as(FlowStatus::Defaulted))?;
            let lower = if defaulted.value <= scheduled.value { defaulted } else { scheduled };
            Ok((lower, pool.total_recovered))
        }
    }
}

fn math_error(e: rwa_math::MathError, named: PricerError) -> Error {
    msg!("rwa-math: {}", e);
    match e {
        rwa_math::MathError::RateTooHigh
        | rwa_math::MathError::ProbabilityAboveOne
        | rwa_math::MathError::LgdAboveOne => error!(PricerError::RiskInputOutOfRange),
        _ => error!(named),
    }
}

/// Permissionless: values the pool from fresh oracle inputs and its vault, and publishes the
/// unit price (falls at once, rises capped).
pub fn handler(ctx: Context<RefreshRate>) -> Result<()> {
    let clock = Clock::get()?;
    let now = clock.unix_timestamp;
    let a = &ctx.accounts;
    let inputs = a.read_inputs(now, a.pool_pricing.params.max_input_age_secs)?;
    let (flows, recovered) = value_flows(&a.pool, &a.grade_risk, &inputs, now)?;
    let units = a.unit_mint.supply;
    require!(units > 0, PricerError::NoUnitsOutstanding);
    let value = PoolValue::new(a.vault.amount, &flows, recovered)
        .map_err(|e| math_error(e, PricerError::MathOverflow))?;
    let computed =
        value.unit_price_floor(units).map_err(|e| math_error(e, PricerError::MathOverflow))?;
    let limit = a.pool_pricing.params.rise_limit()?;
    // the vault's cash is verifiable: the published price is never capped below it
    let cash_floor = Fixed::from_ratio_floor(value.vault_cash, units)
        .map_err(|e| math_error(e, PricerError::MathOverflow))?;
    let (state, capped) =
        next_price(a.pool_pricing.price_state(), computed, cash_floor, now, limit)
            .map_err(|e| math_error(e, PricerError::MathOverflow))?;
    let (pool_status, pool_version) = (a.pool.status, a.pool.version);

    let pricing = &mut ctx.accounts.pool_pricing;
    pricing.rate = RedemptionRate {
        unit_price: state.published.raw(),
        computed_price: computed.raw(),
        pool_value: value.value,
        vault_cash: value.vault_cash,
        flows_value: value.flows_value,
        units,
        benchmark: used(&inputs[0]),
        spread: used(&inputs[1]),
        pd: used(&inputs[2]),
        lgd: used(&inputs[3]),
        pool_status,
        pool_version,
        slot: clock.slot,
        updated_at: now,
    };
    pricing.reference_price = state.reference.raw();
    pricing.reference_at = state.reference_at;
    pricing.previous_low = state.previous_low.raw();
    pricing.invariant()?;
    emit!(RateRefreshed { pool: pricing.pool, rate: pricing.rate, capped });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use receivables::state::{AssetClass, CashFlow};
    use rwa_oracle::state::WriteDownStepRaw;

    const NOW: i64 = 1_800_000_000;
    const DAY: i64 = 86_400;

    fn bps(b: u64) -> u128 {
        ((b as u128) << 64) / 10_000
    }

    fn pool(amounts: &[u64], first_due_days: i64, status: PoolStatus) -> Pool {
        Pool {
            issuer: Pubkey::new_unique(),
            servicer: Pubkey::new_unique(),
            currency_mint: Pubkey::new_unique(),
            unit_mint: Pubkey::new_unique(),
            vault: Pubkey::new_unique(),
            index: 0,
            asset_class: AssetClass::SmeLoan,
            grade: 1,
            status,
            face_value: 1,
            unit_size: 1,
            units_minted: 1,
            total_repaid: 0,
            total_recovered: 0,
            doc_hash: [0; 32],
            uri: String::new(),
            schedule: amounts
                .iter()
                .enumerate()
                .map(|(i, &amount)| CashFlow {
                    due_ts: NOW + (first_due_days + 30 * i as i64) * DAY,
                    amount,
                    paid: 0,
                    written_off: 0,
                })
                .collect(),
            bump: 0,
            unit_mint_bump: 0,
            vault_bump: 0,
            defaulted_at: 0,
            version: 0,
        }
    }

    fn grade() -> GradeRisk {
        let mut g = GradeRisk {
            grade: 1,
            label: [0; 8],
            spread_feed: Pubkey::new_unique(),
            pd_feed: Pubkey::new_unique(),
            lgd_feed: Pubkey::new_unique(),
            write_down: Default::default(),
            write_down_len: 0,
            bump: 0,
        };
        let steps = [(30, 1_000), (90, 5_000), (180, 10_000)]
            .map(|(days_late, b)| WriteDownStepRaw { days_late, fraction: bps(b) });
        g.set_write_down(&steps).unwrap();
        g
    }

    fn input(b: u64, conf: u64) -> FeedValue {
        FeedValue { value: bps(b), confidence: bps(conf), publish_ts: NOW }
    }

    #[test]
    fn draft_and_cancelled_pools_have_no_price_and_settled_ones_are_their_vault() {
        let inputs = [input(450, 1), input(350, 1), input(300, 1), input(4_500, 1)];
        for status in [PoolStatus::Draft, PoolStatus::Cancelled] {
            let err = value_flows(&pool(&[100], 10, status), &grade(), &inputs, NOW).unwrap_err();
            assert_eq!(err, PricerError::PoolNotPriceable.into());
        }
        for status in [PoolStatus::Matured, PoolStatus::WrittenOff, PoolStatus::Closed] {
            let (v, recovered) =
                value_flows(&pool(&[100], -400, status), &grade(), &inputs, NOW).unwrap();
            assert_eq!((v.value, recovered), (0, 0), "{status:?}: leftovers are not valued");
        }
    }

    #[test]
    fn a_discount_rate_above_the_maximum_is_refused_by_name() {
        let inputs = [input(60_000, 0), input(50_000, 0), input(300, 0), input(4_500, 0)];
        let err =
            value_flows(&pool(&[100], 10, PoolStatus::Active), &grade(), &inputs, NOW).unwrap_err();
        assert_eq!(err, PricerError::RiskInputOutOfRange.into());
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2_000))]

        /// For random schedules, repayments, write-downs, defaults, recoveries and risk inputs:
        /// price x supply <= pool value <= vault cash + outstanding amount.
        #[test]
        fn price_times_supply_never_exceeds_the_value_nor_the_value_cash_and_claims(
            amounts in prop::collection::vec(1u64..=10_000_000_000, 1..64),
            first_due_days in -200i64..60,
            repaid in 0u64..=100_000_000_000,
            written_off in 0u64..=100_000_000_000,
            defaulted in any::<bool>(),
            recovered in 0u64..=100_000_000_000,
            supply in 1u64..=u64::MAX,
            rates in [0u64..3_000, 0u64..3_000, 0u64..10_000, 0u64..10_000],
            conf in 0u64..200,
        ) {
            let mut p = pool(&amounts, first_due_days, PoolStatus::Late);
            let repaid = repaid.min(p.outstanding().unwrap());
            p.apply_repayment(repaid).unwrap();
            let written_off = written_off.min(p.outstanding().unwrap());
            p.apply_write_down(written_off).unwrap();
            let mut vault = repaid;
            if defaulted {
                p.status = PoolStatus::Defaulted;
                p.total_recovered = recovered;
                vault += recovered;
            } else {
                p.settle_status(NOW).unwrap();
            }
            let inputs = rates.map(|b| input(b, conf));
            let (flows, recovered) = value_flows(&p, &grade(), &inputs, NOW).unwrap();
            let value = PoolValue::new(vault, &flows, recovered).unwrap();
            let price = value.unit_price_floor(supply).unwrap();
            let paid = price_times_supply(price.raw(), supply);
            prop_assert!(paid <= (value.value as u128) << 64);
            let outstanding = p.outstanding().unwrap();
            prop_assert!(value.value as u128 <= vault as u128 + outstanding as u128);
        }
    }

    /// `price x supply` in Q64.64, saturating (a u128 holds every case the property builds:
    /// price <= value / supply).
    fn price_times_supply(price: u128, supply: u64) -> u128 {
        price.saturating_mul(supply as u128)
    }
}
