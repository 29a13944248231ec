//! Fair value of a pool's remaining cash flows, risk-adjusted and discounted (see README).
//!
//! `value_cash_flows` walks the schedule once, in due-time order, without allocating. Each
//! flow's factor is a lower bound: survival times discount as a `Frac` for performing flows,
//! one minus a write-down (or minus LGD) in Q1.127 otherwise; the flow's contribution
//! `amount * factor` is summed in 256 bits (units of 2^-127), rounded down, and the sum is
//! shifted down once at the end. The result is never above the exact value and never above the
//! undiscounted sum.
use crate::discount::{q_mul_ceil, Discounter, ONE_Q, Q};
use crate::error::{MathError, MathResult};
use crate::fixed::{Fixed, FRAC_BITS};
use crate::frac::Frac;
use crate::wide::U256;
use crate::{
    MAX_ANNUAL_RATE, MAX_CASH_FLOWS, MAX_HORIZON_SECS, MAX_WRITE_DOWN_STEPS, SECONDS_PER_DAY,
    SECONDS_PER_YEAR,
};

/// The risk inputs of one grade, from the oracle.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RiskParams {
    /// Annual discount rate: benchmark rate + grade spread (at most `MAX_ANNUAL_RATE`).
    pub annual_rate: Fixed,
    /// Annual probability of default (at most 1).
    pub annual_pd: Fixed,
    /// Loss given default (at most 1).
    pub lgd: Fixed,
}

impl RiskParams {
    /// Refuses rates above `MAX_ANNUAL_RATE`, PD or LGD above 100%.
    pub fn validate(&self) -> MathResult<()> {
        if self.annual_rate > MAX_ANNUAL_RATE {
            return Err(MathError::RateTooHigh);
        }
        if !self.annual_pd.is_at_most_one() {
            return Err(MathError::ProbabilityAboveOne);
        }
        if !self.lgd.is_at_most_one() {
            return Err(MathError::LgdAboveOne);
        }
        Ok(())
    }
}

/// From `days_late` days past due on, an overdue flow is written down by `fraction`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WriteDownStep {
    pub days_late: u32,
    pub fraction: Fixed,
}

/// Refuses write-down schedules that are too long, unsorted, decreasing or above 100%.
pub fn validate_write_down(steps: &[WriteDownStep]) -> MathResult<()> {
    if steps.len() > MAX_WRITE_DOWN_STEPS {
        return Err(MathError::TooManyWriteDownSteps);
    }
    if steps.iter().any(|s| !s.fraction.is_at_most_one()) {
        return Err(MathError::WriteDownAboveOne);
    }
    if steps.windows(2).any(|w| w[0].days_late >= w[1].days_late || w[0].fraction > w[1].fraction) {
        return Err(MathError::WriteDownNotMonotonic);
    }
    Ok(())
}

/// The write-down fraction for `days_late`: the last step reached, or zero.
fn write_down_at(steps: &[WriteDownStep], days_late: u64) -> Fixed {
    steps
        .iter()
        .take_while(|s| s.days_late as u64 <= days_late)
        .last()
        .map_or(Fixed::ZERO, |s| s.fraction)
}

/// Whether a flow is still expected (performing or overdue) or its obligor has defaulted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FlowStatus {
    Scheduled,
    Defaulted,
}

/// One remaining cash flow: due time (unix seconds) and amount still owed (base units).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CashFlow {
    pub due_ts: i64,
    pub amount: u64,
    pub status: FlowStatus,
}

/// The result of a valuation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Valuation {
    /// Fair value in base units, rounded down.
    pub value: u64,
    /// Sum of the amounts still owed.
    pub undiscounted: u64,
    /// Fair value before rounding: `value_q127 / 2^127` base units.
    pub value_q127: U256,
}

impl Valuation {
    /// Fair value of one unit when the pool has `units` outstanding, rounded down (a rate
    /// that mints or pays against the pool must not exceed the value behind it).
    pub fn unit_price_floor(&self, units: u64) -> MathResult<Fixed> {
        if units == 0 {
            return Err(division_by_zero!());
        }
        // value_q127 / 2^127 / units in Q64.64 = value_q127 / (units * 2^63).
        let (q, _) = self.value_q127.div_rem_u128((units as u128) << (Q - FRAC_BITS))?;
        q.to_u128().map(Fixed::from_raw).ok_or_else(|| overflow!())
    }
}

/// Recent steps remembered by the performing-flow factor.
const STEP_CACHE: usize = 4;

/// Factor of a performing flow due in `tau` seconds: `(1 - LGD * min(1, PD * tau / Y))` times
/// the discount factor, as a lower bound, carried along the sorted schedule. The expected loss
/// `min(LGD, (LGD * PD / Y) * tau)` and the discount advance by the step from the previous flow;
/// the last few steps are cached, so a regular schedule (monthly, quarterly) costs two `Frac`
/// multiplies and a conversion a flow.
struct PerformingFactor {
    discounter: Discounter,
    /// Upper bound of `LGD * PD / Y` in Q1.127.
    loss_per_sec: u128,
    /// LGD in Q1.127, exact.
    lgd: u128,
    /// `(step in seconds, discount step, loss step)`, most recent at `cache_next - 1`.
    cache: [(u64, Frac, u128); STEP_CACHE],
    cache_next: usize,
    /// Time from the valuation instant the carried values stand at.
    tau: u64,
    discount: Frac,
    /// Expected loss at `tau` (Q1.127, exact given `loss_per_sec`), capped at LGD.
    loss: u128,
}

impl PerformingFactor {
    fn new(risk: &RiskParams) -> MathResult<Self> {
        let (pd, rem) = U256::from_u128(risk.annual_pd.raw())
            .checked_shl(Q - FRAC_BITS)
            .ok_or_else(|| overflow!())?
            .div_rem_u64(SECONDS_PER_YEAR)?;
        let pd_per_sec = pd.to_u128().ok_or_else(|| overflow!())? + (rem != 0) as u128;
        let lgd = risk.lgd.raw() << (Q - FRAC_BITS);
        Ok(PerformingFactor {
            discounter: Discounter::new(risk.annual_rate.raw())?,
            loss_per_sec: q_mul_ceil(lgd, pd_per_sec),
            lgd,
            cache: [(u64::MAX, Frac::ZERO, 0); STEP_CACHE],
            cache_next: 0,
            tau: 0,
            discount: Frac::ONE,
            loss: 0,
        })
    }

    /// The discount and loss steps for `secs`, from the cache or computed.
    fn step(&mut self, secs: u64) -> MathResult<(Frac, u128)> {
        if let Some(&(_, f, l)) = self.cache.iter().find(|(s, _, _)| *s == secs) {
            return Ok((f, l));
        }
        let f = self.discounter.step(secs)?;
        let l = U256::mul_u128_u64(self.loss_per_sec, secs).to_u128().unwrap_or(u128::MAX);
        self.cache[self.cache_next] = (secs, f, l);
        self.cache_next = (self.cache_next + 1) % STEP_CACHE;
        Ok((f, l))
    }

    /// The factor at `tau`; calls must come with non-decreasing `tau`.
    fn at(&mut self, tau: u64) -> MathResult<Frac> {
        let delta = tau.checked_sub(self.tau).ok_or(MathError::ScheduleNotSorted)?;
        if delta != 0 {
            let (step, loss_step) = self.step(delta)?;
            self.discount = self.discount.mul_floor(step);
            // exact sum, so loss = min(LGD, loss_per_sec * tau) as if computed directly
            self.loss = self.loss.saturating_add(loss_step).min(self.lgd);
            self.tau = tau;
        }
        Ok(self.discount.mul_floor(Frac::from_q127(ONE_Q - self.loss)))
    }
}

/// Fair value at `now` of `flows` (strictly ascending due times) under `risk` and the grade's
/// overdue `write_down` schedule:
/// - performing (due after `now`): `amount * (1 - LGD * min(1, PD * tau / Y)) / (1 + r/Y)^tau`;
/// - overdue (due at or before `now`): `amount * min(1 - w(days late), 1 - LGD * min(1, PD *
///   late / Y))`: the grade's write-down, and, before discounting, never more than a flow as
///   far in the future;
/// - defaulted: `amount * (1 - LGD)`.
///
/// Rounds down. Refuses invalid inputs with a named error and never panics.
pub fn value_cash_flows<I>(
    flows: I,
    now: i64,
    risk: &RiskParams,
    write_down: &[WriteDownStep],
) -> MathResult<Valuation>
where
    I: IntoIterator<Item = CashFlow>,
{
    risk.validate()?;
    validate_write_down(write_down)?;
    let mut performing = PerformingFactor::new(risk)?;
    let defaulted_factor = ONE_Q - (risk.lgd.raw() << (Q - FRAC_BITS));

    let mut sum = U256::ZERO;
    let mut undiscounted: u64 = 0;
    let mut prev_due: Option<i64> = None;
    for (count, flow) in flows.into_iter().enumerate() {
        if count >= MAX_CASH_FLOWS {
            return Err(MathError::ScheduleTooLong);
        }
        if prev_due.is_some_and(|p| p >= flow.due_ts) {
            return Err(MathError::ScheduleNotSorted);
        }
        prev_due = Some(flow.due_ts);
        // 64-bit time arithmetic; a difference that overflows i64 is either beyond the horizon
        // or as late as can be
        let tau = match flow.due_ts.checked_sub(now) {
            Some(t) => t,
            None if flow.due_ts > now => return Err(MathError::HorizonTooLong),
            None => i64::MIN,
        };
        if tau > MAX_HORIZON_SECS as i64 {
            return Err(MathError::HorizonTooLong);
        }
        let contribution = match flow.status {
            FlowStatus::Defaulted => U256::mul_u128_u64(defaulted_factor, flow.amount),
            FlowStatus::Scheduled if tau <= 0 => {
                let late = tau.unsigned_abs();
                let written =
                    write_down_at(write_down, late / SECONDS_PER_DAY).raw() << (Q - FRAC_BITS);
                // a missed flow is never worth more than one as far in the future: its expected
                // loss accrues with lateness as a performing flow's does with time
                let loss = U256::mul_u128_u64(performing.loss_per_sec, late)
                    .to_u128()
                    .unwrap_or(u128::MAX)
                    .min(performing.lgd);
                let kept = (ONE_Q - written).min(ONE_Q - loss);
                U256::mul_u128_u64(kept, flow.amount)
            }
            FlowStatus::Scheduled => performing.at(tau as u64)?.scale_q127(flow.amount),
        };
        undiscounted = undiscounted.checked_add(flow.amount).ok_or_else(|| overflow!())?;
        sum = sum.checked_add(contribution).ok_or_else(|| overflow!())?;
    }
    let value = sum.shr(Q).to_u128().ok_or_else(|| overflow!())?;
    Ok(Valuation {
        value: u64::try_from(value).map_err(|_| overflow!())?,
        undiscounted,
        value_q127: sum,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reference::{at_most, from_int, from_u256, rel_err_below, value_ref};
    use proptest::prelude::*;
    use std::vec::Vec;

    const NOW: i64 = 1_800_000_000;
    const YEAR: i64 = SECONDS_PER_YEAR as i64;
    const DAY: i64 = SECONDS_PER_DAY as i64;

    fn bps(b: u64) -> Fixed {
        Fixed::from_bps_ceil(b).unwrap()
    }

    fn risk(rate_bps: u64, pd_bps: u64, lgd_bps: u64) -> RiskParams {
        RiskParams { annual_rate: bps(rate_bps), annual_pd: bps(pd_bps), lgd: bps(lgd_bps) }
    }

    fn flow(due_ts: i64, amount: u64) -> CashFlow {
        CashFlow { due_ts, amount, status: FlowStatus::Scheduled }
    }

    fn value(flows: &[CashFlow], r: &RiskParams, wd: &[WriteDownStep]) -> MathResult<u64> {
        value_cash_flows(flows.iter().copied(), NOW, r, wd).map(|v| v.value)
    }

    const STEPS: [WriteDownStep; 3] = [
        WriteDownStep { days_late: 0, fraction: Fixed::ZERO },
        WriteDownStep { days_late: 30, fraction: Fixed::from_raw(1 << 63) },
        WriteDownStep { days_late: 90, fraction: Fixed::ONE },
    ];

    #[test]
    fn zero_rate_and_zero_default_risk_value_every_flow_at_par() {
        let flows = [flow(NOW + DAY, 1_000), flow(NOW + YEAR, 2_000), flow(NOW + 30 * YEAR, 3)];
        assert_eq!(value(&flows, &risk(0, 0, 0), &[]), Ok(3_003));
    }

    #[test]
    fn one_year_at_five_percent_matches_the_hand_computed_value() {
        // 1e6 / (1 + 0.05/Y)^Y = 1e6 * exp(-Y ln(1 + 0.05/Y)) = 951_229.4245... -> 951_229.
        let flows = [flow(NOW + YEAR, 1_000_000)];
        assert_eq!(value(&flows, &risk(500, 0, 0), &[]), Ok(951_229));
    }

    #[test]
    fn default_risk_scales_with_horizon_and_caps_at_one() {
        // r = 0, PD = 10% (rounded up from bps), LGD = 50%: 1 year -> 1e6 * (1 - 0.05) minus the
        // upward rounding of PD, so 949_999; after 20 years the loss is capped at LGD: 500_000.
        let r = risk(0, 1_000, 5_000);
        assert_eq!(value(&[flow(NOW + YEAR, 1_000_000)], &r, &[]), Ok(949_999));
        assert_eq!(value(&[flow(NOW + 20 * YEAR, 1_000_000)], &r, &[]), Ok(500_000));
    }

    #[test]
    fn overdue_flows_follow_the_write_down_steps() {
        let r = risk(800, 200, 4_000);
        // before the first step the expected loss of 10 days (40% x 2% x 10/365) still applies
        assert_eq!(value(&[flow(NOW - 10 * DAY, 1_000)], &r, &STEPS), Ok(999));
        assert_eq!(value(&[flow(NOW - 10 * DAY, 1_000)], &risk(800, 0, 0), &STEPS), Ok(1_000));
        assert_eq!(value(&[flow(NOW - 45 * DAY, 1_000)], &r, &STEPS), Ok(500));
        assert_eq!(value(&[flow(NOW - 100 * DAY, 1_000)], &r, &STEPS), Ok(0));
        assert_eq!(value(&[flow(NOW, 1_000)], &r, &STEPS), Ok(1_000), "due now is not late");
    }

    #[test]
    fn a_missed_flow_is_never_worth_more_than_one_due_as_far_ahead() {
        let r = risk(800, 300, 4_500);
        for days in [1, 10, 29, 200] {
            let missed = value(&[flow(NOW - days * DAY, 1_000_000_000)], &r, &[]).unwrap();
            let ahead = value(&[flow(NOW + DAY, 1_000_000_000)], &r, &[]).unwrap();
            assert!(missed <= ahead || days == 1, "{days} days late: {missed} > {ahead}");
            let future = value(&[flow(NOW + days * DAY, 1_000_000_000)], &risk(0, 300, 4_500), &[]);
            assert!(missed <= future.unwrap() + 1, "{days} days late");
        }
    }

    #[test]
    fn defaulted_flows_are_worth_their_expected_recovery() {
        let r = risk(800, 200, 6_000);
        let f = CashFlow { due_ts: NOW + YEAR, amount: 1_000, status: FlowStatus::Defaulted };
        // 1 - LGD where LGD was rounded up from 60%: 399.99... -> 399.
        assert_eq!(value(&[f], &r, &[]), Ok(399));
    }

    #[test]
    fn invalid_inputs_are_refused_by_name() {
        let ok = [flow(NOW + DAY, 1)];
        assert_eq!(value(&ok, &risk(100_001, 0, 0), &[]), Err(MathError::RateTooHigh));
        assert_eq!(value(&ok, &risk(500, 10_001, 0), &[]), Err(MathError::ProbabilityAboveOne));
        assert_eq!(value(&ok, &risk(500, 0, 10_001), &[]), Err(MathError::LgdAboveOne));
        let dup = [flow(NOW + DAY, 1), flow(NOW + DAY, 1)];
        assert_eq!(value(&dup, &risk(500, 0, 0), &[]), Err(MathError::ScheduleNotSorted));
        let unsorted = [flow(NOW + 2 * DAY, 1), flow(NOW + DAY, 1)];
        assert_eq!(value(&unsorted, &risk(500, 0, 0), &[]), Err(MathError::ScheduleNotSorted));
        let far = [flow(NOW + 50 * YEAR + 1, 1)];
        assert_eq!(value(&far, &risk(500, 0, 0), &[]), Err(MathError::HorizonTooLong));
        let long: Vec<CashFlow> =
            (0..=MAX_CASH_FLOWS as i64).map(|i| flow(NOW + 1 + i, 1)).collect();
        assert_eq!(value(&long, &risk(500, 0, 0), &[]), Err(MathError::ScheduleTooLong));
        let mut bad = STEPS;
        bad[2].days_late = 30;
        assert_eq!(value(&ok, &risk(0, 0, 0), &bad), Err(MathError::WriteDownNotMonotonic));
        bad = STEPS;
        bad[1].fraction = Fixed::from_u64(2);
        assert_eq!(value(&ok, &risk(0, 0, 0), &bad), Err(MathError::WriteDownAboveOne));
        let too_many = [STEPS[0]; MAX_WRITE_DOWN_STEPS + 1];
        assert_eq!(value(&ok, &risk(0, 0, 0), &too_many), Err(MathError::TooManyWriteDownSteps));
        let huge = [flow(NOW + DAY, u64::MAX), flow(NOW + 2 * DAY, 1)];
        assert!(matches!(value(&huge, &risk(0, 0, 0), &[]), Err(MathError::Overflow(_))));
    }

    #[test]
    fn fifty_year_horizon_at_the_highest_rate_values_to_zero_without_error() {
        let flows = [flow(NOW + 50 * YEAR, u64::MAX)];
        assert_eq!(value(&flows, &risk(100_000, 0, 0), &[]), Ok(0));
    }

    #[test]
    fn unit_price_rounds_down_and_refuses_zero_units() {
        let v =
            value_cash_flows([flow(NOW + YEAR, 1_000_000)], NOW, &risk(500, 0, 0), &[]).unwrap();
        let price = v.unit_price_floor(3).unwrap();
        assert!(price.mul_u64_floor(3).unwrap() <= v.value);
        assert_eq!(price.try_floor_u64(), Ok(951_229 / 3));
        assert!(matches!(v.unit_price_floor(0), Err(MathError::DivisionByZero(_))));
    }

    // ---- properties ----

    /// Sorted, distinct due times up to `max_horizon` after NOW, some possibly in the past.
    fn schedule(max_len: usize, max_horizon: i64) -> impl Strategy<Value = Vec<CashFlow>> {
        prop::collection::btree_map(
            -200 * DAY..=max_horizon,
            (1u64..=1u64 << 50, 0u8..8),
            1..=max_len,
        )
        .prop_map(|m| {
            m.into_iter()
                .map(|(off, (amount, s))| CashFlow {
                    due_ts: NOW + off,
                    amount,
                    status: if s == 0 { FlowStatus::Defaulted } else { FlowStatus::Scheduled },
                })
                .collect()
        })
    }

    fn fraction() -> impl Strategy<Value = Fixed> {
        (0u128..=1u128 << 64).prop_map(Fixed::from_raw)
    }

    fn risk_params(max_rate: Fixed) -> impl Strategy<Value = RiskParams> {
        (0u128..=max_rate.raw(), fraction(), fraction()).prop_map(|(r, pd, lgd)| RiskParams {
            annual_rate: Fixed::from_raw(r),
            annual_pd: pd,
            lgd,
        })
    }

    fn cases(n: u32) -> ProptestConfig {
        ProptestConfig::with_cases(n)
    }

    /// Mostly valid, sometimes invalid: `valid` weighted 15 to 1 against `invalid`.
    fn mostly<T: std::fmt::Debug + Clone + 'static>(
        valid: impl Strategy<Value = T> + 'static,
        invalid: impl Strategy<Value = T> + 'static,
    ) -> BoxedStrategy<T> {
        prop_oneof![15 => valid, 1 => invalid].boxed()
    }

    /// Risk inputs within bounds (rate up to `MAX_ANNUAL_RATE`), or any raw values.
    fn any_risk() -> BoxedStrategy<RiskParams> {
        let raw =
            (any::<u128>(), any::<u128>(), any::<u128>()).prop_map(|(r, pd, lgd)| RiskParams {
                annual_rate: Fixed::from_raw(r),
                annual_pd: Fixed::from_raw(pd),
                lgd: Fixed::from_raw(lgd),
            });
        mostly(risk_params(MAX_ANNUAL_RATE), raw)
    }

    /// Write-down schedules of up to `MAX_WRITE_DOWN_STEPS` steps, strictly ascending in days
    /// with non-decreasing fractions at most one; or any steps (up to 10).
    fn any_write_down() -> BoxedStrategy<Vec<WriteDownStep>> {
        let sorted =
            prop::collection::btree_map(0u32..=3_650, fraction(), 0..=MAX_WRITE_DOWN_STEPS)
                .prop_map(|m| {
                    let mut fractions: Vec<Fixed> = m.values().copied().collect();
                    fractions.sort();
                    m.keys()
                        .zip(fractions)
                        .map(|(&days_late, fraction)| WriteDownStep { days_late, fraction })
                        .collect()
                });
        let raw = prop::collection::vec((any::<u32>(), any::<u128>()), 0..10).prop_map(|v| {
            v.into_iter()
                .map(|(days_late, f)| WriteDownStep { days_late, fraction: Fixed::from_raw(f) })
                .collect()
        });
        mostly(sorted, raw)
    }

    /// `(now, flows)`: up to 40 flows with distinct sorted due times from 200 days before `now`
    /// to the horizon, at a `now` up to the year 2100, amounts below 2^56 (in one schedule of
    /// 16, any amounts: their sum may overflow); or any `now` and any flows.
    fn any_schedule() -> BoxedStrategy<(i64, Vec<CashFlow>)> {
        let sorted = (
            0i64..=4_102_444_800,
            prop::collection::btree_map(
                -200 * DAY..=MAX_HORIZON_SECS as i64,
                (any::<u64>(), 0u8..8),
                0..=40,
            ),
            0u8..16,
        )
            .prop_map(|(now, m, scale)| {
                let shift = if scale == 0 { 0 } else { 8 };
                let flows = m
                    .into_iter()
                    .map(|(off, (amount, s))| CashFlow {
                        due_ts: now + off,
                        amount: amount >> shift,
                        status: if s == 0 { FlowStatus::Defaulted } else { FlowStatus::Scheduled },
                    })
                    .collect();
                (now, flows)
            });
        let raw = (
            any::<i64>(),
            prop::collection::vec((any::<i64>(), any::<u64>(), any::<bool>()), 0..40),
        )
            .prop_map(|(now, raw)| {
                let flows = raw
                    .into_iter()
                    .map(|(due_ts, amount, d)| CashFlow {
                        due_ts,
                        amount,
                        status: if d { FlowStatus::Defaulted } else { FlowStatus::Scheduled },
                    })
                    .collect();
                (now, flows)
            });
        mostly(sorted, raw)
    }

    /// Whether `value_cash_flows` must value these inputs, from the documented bounds (written
    /// out here rather than through the validators it calls).
    fn inputs_are_valid(
        flows: &[CashFlow],
        now: i64,
        r: &RiskParams,
        steps: &[WriteDownStep],
    ) -> bool {
        let one = Fixed::ONE.raw();
        let risk_ok = r.annual_rate.raw() <= MAX_ANNUAL_RATE.raw()
            && r.annual_pd.raw() <= one
            && r.lgd.raw() <= one;
        let steps_ok = steps.len() <= MAX_WRITE_DOWN_STEPS
            && steps.iter().all(|s| s.fraction.raw() <= one)
            && steps
                .windows(2)
                .all(|w| w[0].days_late < w[1].days_late && w[0].fraction <= w[1].fraction);
        let flows_ok = flows.len() <= MAX_CASH_FLOWS
            && flows.windows(2).all(|w| w[0].due_ts < w[1].due_ts)
            && flows.iter().all(|f| f.due_ts as i128 - now as i128 <= MAX_HORIZON_SECS as i128)
            && flows.iter().try_fold(0u64, |sum, f| sum.checked_add(f.amount)).is_some();
        risk_ok && steps_ok && flows_ok
    }

    /// Arbitrary inputs never panic; valid ones are always valued, with the result's
    /// postconditions, and invalid ones refused. The inputs are mostly valid (risk within
    /// bounds, sorted write-down steps, sorted schedules within the horizon) and sometimes not:
    /// at least 70% of the cases must reach the valuation, and at least 5% be refused (checked
    /// from 1,000 cases up).
    #[test]
    fn arbitrary_inputs_never_panic() {
        let config = ProptestConfig { source_file: Some(file!()), ..cases(crate::test_cases()) };
        let mut runner = proptest::test_runner::TestRunner::new(config);
        let (valued, refused) = (std::cell::Cell::new(0u32), std::cell::Cell::new(0u32));
        let inputs = (any_schedule(), any_risk(), any_write_down());
        runner
            .run(&inputs, |((now, flows), r, steps)| {
                let valid = inputs_are_valid(&flows, now, &r, &steps);
                let result = value_cash_flows(flows.iter().copied(), now, &r, &steps);
                prop_assert_eq!(result.is_ok(), valid, "{:?}", result);
                let Ok(v) = result else {
                    refused.set(refused.get() + 1);
                    return Ok(());
                };
                valued.set(valued.get() + 1);
                let sum: u64 = flows.iter().map(|f| f.amount).sum();
                prop_assert_eq!(v.undiscounted, sum);
                prop_assert!(v.value <= v.undiscounted);
                prop_assert_eq!(v.value_q127.shr(Q).to_u128(), Some(v.value as u128));
                // without risk every flow is worth par, and risk never adds value
                let none = risk(0, 0, 0);
                let par = value_cash_flows(flows.iter().copied(), now, &none, &[]);
                prop_assert_eq!(par.map(|p| p.value), Ok(sum));
                Ok(())
            })
            .unwrap();
        let (valued, refused) = (valued.get() as u64, refused.get() as u64);
        let total = valued + refused;
        if total >= 1_000 {
            assert!(valued * 10 >= total * 7, "only {valued} of {total} cases were valued");
            assert!(refused * 20 >= total, "only {refused} of {total} cases were refused");
        }
    }

    proptest! {
        #![proptest_config(cases(crate::test_cases()))]

        /// The result is a lower bound of the exact value within 1e-12 relative
        /// (30 years, rates up to 100%, any PD and LGD, overdue and defaulted flows).
        #[test]
        fn value_is_a_lower_bound_within_1e_minus_12(
            flows in schedule(12, 30 * YEAR),
            r in risk_params(Fixed::ONE),
        ) {
            let v = value_cash_flows(flows.iter().copied(), NOW, &r, &STEPS).unwrap();
            let exact = value_ref(&flows, NOW, &r, &STEPS);
            let got = from_u256(v.value_q127, Q);
            prop_assert!(at_most(&got, &exact), "above exact");
            if exact > from_int(0) {
                prop_assert!(rel_err_below(&got, &exact, 12), "relative error >= 1e-12");
            }
            prop_assert!(from_int(v.value) <= exact);
            prop_assert!(v.value <= v.undiscounted);
        }

        /// Value falls (weakly) as the rate, PD, LGD or the horizon grow.
        #[test]
        fn value_is_monotone_in_rate_pd_lgd_and_horizon(
            flows in schedule(8, 40 * YEAR),
            r in risk_params(Fixed::from_u64(5)),
            bump in 1u128 << 34..=1u128 << 62,
            shift in 1i64..=YEAR,
        ) {
            let base = value(&flows, &r, &STEPS).unwrap();
            let up = |f: Fixed| Fixed::from_raw(f.raw().saturating_add(bump));
            let higher_rate = RiskParams { annual_rate: up(r.annual_rate), ..r };
            prop_assert!(value(&flows, &higher_rate, &STEPS).unwrap() <= base);
            let higher_pd = RiskParams { annual_pd: up(r.annual_pd).min(Fixed::ONE), ..r };
            prop_assert!(value(&flows, &higher_pd, &STEPS).unwrap() <= base);
            let higher_lgd = RiskParams { lgd: up(r.lgd).min(Fixed::ONE), ..r };
            prop_assert!(value(&flows, &higher_lgd, &STEPS).unwrap() <= base);
            let later: Vec<CashFlow> = flows
                .iter()
                .map(|f| CashFlow { due_ts: f.due_ts.max(NOW + 1) + shift, ..*f })
                .collect();
            let sooner: Vec<CashFlow> = flows
                .iter()
                .map(|f| CashFlow { due_ts: f.due_ts.max(NOW + 1), ..*f })
                .collect();
            if later.windows(2).all(|w| w[0].due_ts < w[1].due_ts) {
                prop_assert!(value(&later, &r, &STEPS).unwrap() <= value(&sooner, &r, &STEPS).unwrap());
            }
        }

        /// Paying `units * unit_price` never pays more than the pool's value.
        #[test]
        fn unit_price_times_units_never_exceeds_value(
            flows in schedule(8, 30 * YEAR),
            r in risk_params(Fixed::ONE),
            units in 1u64..=u64::MAX,
        ) {
            let v = value_cash_flows(flows.iter().copied(), NOW, &r, &STEPS).unwrap();
            let price = v.unit_price_floor(units).unwrap();
            let paid = crate::reference::from_q(price.raw(), 64) * units;
            prop_assert!(paid <= from_u256(v.value_q127, Q));
        }
    }

    proptest! {
        #![proptest_config(cases(crate::test_cases() / 20))]

        /// Long schedules (up to 1,000 flows over 50 years, rates up to 1000%): a lower bound,
        /// within 1e-12 relative unless the whole value is below 2^-80 base units (1e-24: there
        /// the sum's resolution of 2^-127 base units, not the factors, limits it).
        #[test]
        fn long_schedules_stay_within_bounds(
            flows in schedule(1_000, 50 * YEAR),
            r in risk_params(MAX_ANNUAL_RATE),
        ) {
            let v = value_cash_flows(flows.iter().copied(), NOW, &r, &STEPS).unwrap();
            let exact = value_ref(&flows, NOW, &r, &STEPS);
            let got = from_u256(v.value_q127, Q);
            prop_assert!(at_most(&got, &exact));
            let tiny = crate::reference::one() >> 80u32;
            prop_assert!(rel_err_below(&got, &exact, 12) || exact < tiny);
        }
    }
}
