//! From a pool's valuation to the unit price every exit reads: risk inputs biased against the
//! holder, the pool value (vault cash plus the flows' fair value, recoveries counted once), the
//! unit price rounded down, and the asymmetric move rule (falls at once, rises capped).
use crate::error::MathResult;
use crate::fixed::Fixed;
use crate::valuation::{RiskParams, Valuation};

/// An oracle value and its confidence interval (both Fixed).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Quote {
    pub value: Fixed,
    pub confidence: Fixed,
}

impl Quote {
    /// `value + confidence`: the end of the interval that is worse for a holder when the
    /// quantity is a rate, a spread, a default probability or a loss.
    pub fn high(self) -> MathResult<Fixed> {
        self.value.checked_add(self.confidence)
    }
}

/// Risk inputs taken at the top of their confidence intervals: discount rate = benchmark +
/// spread, PD and LGD each capped at 100%. Refused (named) when the rate exceeds
/// `MAX_ANNUAL_RATE`.
pub fn biased_risk(
    benchmark: Quote,
    spread: Quote,
    pd: Quote,
    lgd: Quote,
) -> MathResult<RiskParams> {
    let risk = RiskParams {
        annual_rate: benchmark.high()?.checked_add(spread.high()?)?,
        annual_pd: pd.high()?.min(Fixed::ONE),
        lgd: lgd.high()?.min(Fixed::ONE),
    };
    risk.validate()?;
    Ok(risk)
}

/// What backs a pool's units, in currency base units.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PoolValue {
    /// Currency in the pool's vault (all of it belongs to unit holders).
    pub vault_cash: u64,
    /// Fair value of the flows still expected, less recoveries already in the vault.
    pub flows_value: u64,
    /// `vault_cash + flows_value`.
    pub value: u64,
}

impl PoolValue {
    /// `vault_cash + max(0, flows.value - recovered)`. For a defaulted pool `flows.value` is the
    /// expected recovery on what is outstanding, `(1 - LGD) x outstanding`; the recoveries
    /// already received (`recovered`) sit in the vault and are part of that same expectation,
    /// so they are taken off it rather than counted twice. Pass `recovered = 0` for a pool that
    /// has not defaulted. Every term is rounded down.
    pub fn new(vault_cash: u64, flows: &Valuation, recovered: u64) -> MathResult<PoolValue> {
        let flows_value = flows.value.saturating_sub(recovered);
        let value = vault_cash.checked_add(flows_value).ok_or_else(|| overflow!())?;
        Ok(PoolValue { vault_cash, flows_value, value })
    }

    /// Value of one unit base unit when `supply` are outstanding: `value / supply`, rounded
    /// down, so `price x supply <= value` (exits never pay more than the pool is worth).
    pub fn unit_price_floor(&self, supply: u64) -> MathResult<Fixed> {
        if supply == 0 {
            return Err(division_by_zero!());
        }
        Fixed::from_ratio_floor(self.value, supply)
    }
}

/// How fast a published price may rise: by at most `max_rise` (a fraction) within any
/// `interval_secs`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RiseLimit {
    pub max_rise: Fixed,
    pub interval_secs: u32,
}

/// A published price and the lows its rises are measured from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PriceState {
    /// Last published price (meaningless while `reference_at == 0`).
    pub published: Fixed,
    /// Lowest price published in the current interval.
    pub reference: Fixed,
    /// When the current interval started; 0 = nothing published yet.
    pub reference_at: i64,
    /// Lowest price published in the interval before the current one (the current low when
    /// that interval is more than one interval ago).
    pub previous_low: Fixed,
}

/// The next published price from a freshly `computed` one at `now`, never below `floor`
/// (what the pool's cash alone is worth a unit: verifiable, so never capped):
/// - the first price is published as computed;
/// - once `interval_secs` have passed since the current interval started, a new one starts:
///   its low is the last published price and the old low becomes `previous_low` (or, after two
///   intervals, the last published price too);
/// - a fall applies at once and lowers the current low with it (a default or write-down reaches
///   every consumer in the next refresh, and the rise that follows is measured from the low);
/// - a rise is capped at `min(previous_low, low) x (1 + max_rise)`, rounded down, but never
///   below `floor`.
///
/// Because the cap looks back over the current and the previous interval, the published price
/// rises by at most `max_rise` (above the cash floor) within any `interval_secs`, across
/// interval boundaries too. Returns the new state and whether the cap bit.
pub fn next_price(
    state: PriceState,
    computed: Fixed,
    floor: Fixed,
    now: i64,
    limit: RiseLimit,
) -> MathResult<(PriceState, bool)> {
    if state.reference_at == 0 {
        let first = PriceState {
            published: computed,
            reference: computed,
            reference_at: now,
            previous_low: computed,
        };
        return Ok((first, false));
    }
    let mut next = state;
    let elapsed = now.saturating_sub(state.reference_at);
    let interval = limit.interval_secs as i64;
    if elapsed >= interval {
        next.previous_low = if elapsed >= 2 * interval { state.published } else { state.reference };
        next.reference = state.published;
        next.reference_at = now;
    }
    let base = next.reference.min(next.previous_low);
    let cap = base.mul_floor(Fixed::ONE.checked_add(limit.max_rise)?)?.max(floor);
    let capped = computed > cap;
    next.published = computed.min(cap);
    if next.published < next.reference {
        next.reference = next.published;
    }
    Ok((next, capped))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::MathError;
    use crate::valuation::{value_cash_flows, CashFlow, FlowStatus};
    use proptest::prelude::*;
    use std::vec::Vec;

    const NOW: i64 = 1_800_000_000;
    const DAY: i64 = 86_400;
    const LIMIT: RiseLimit = RiseLimit { max_rise: Fixed::from_raw(1 << 57), interval_secs: 3_600 };

    fn bps(b: u64) -> Fixed {
        Fixed::from_bps_ceil(b).unwrap()
    }

    fn quote(value: u64, confidence: u64) -> Quote {
        Quote { value: bps(value), confidence: bps(confidence) }
    }

    #[test]
    fn risk_inputs_are_taken_at_the_top_of_their_intervals() {
        let r =
            biased_risk(quote(450, 10), quote(300, 20), quote(200, 50), quote(9_990, 50)).unwrap();
        let high = |v: u64, c: u64| bps(v).checked_add(bps(c)).unwrap();
        assert_eq!(r.annual_rate, high(450, 10).checked_add(high(300, 20)).unwrap());
        assert_eq!(r.annual_pd, high(200, 50));
        assert_eq!(r.lgd, Fixed::ONE, "LGD capped at 100%");
        let err = biased_risk(
            quote(0, 0),
            Quote { value: Fixed::from_u64(11), ..quote(0, 0) },
            quote(0, 0),
            quote(0, 0),
        );
        assert_eq!(err, Err(MathError::RateTooHigh));
    }

    #[test]
    fn recoveries_in_the_vault_are_taken_off_the_expected_recovery() {
        // defaulted: 1,000 outstanding at LGD 50% -> 500 expected; 250 already recovered
        let flows = [CashFlow { due_ts: NOW - DAY, amount: 1_000, status: FlowStatus::Defaulted }];
        let risk = biased_risk(quote(0, 0), quote(0, 0), quote(0, 0), quote(5_000, 0)).unwrap();
        let v = value_cash_flows(flows, NOW, &risk, &[]).unwrap();
        assert_eq!(v.value, 500);
        let pv = PoolValue::new(250, &v, 250).unwrap();
        assert_eq!(
            (pv.vault_cash, pv.flows_value, pv.value),
            (250, 250, 500),
            "unchanged by the recovery"
        );
        // recovering more than expected leaves the flows at zero, the cash counted once
        let pv = PoolValue::new(700, &v, 700).unwrap();
        assert_eq!((pv.flows_value, pv.value), (0, 700));
    }

    #[test]
    fn a_fall_applies_at_once_and_a_rise_is_capped_per_interval() {
        let p = |x: u64| Fixed::from_u64(x);
        let zero = Fixed::ZERO;
        let (s, capped) = next_price(PriceState::default(), p(100), zero, NOW, LIMIT).unwrap();
        assert_eq!((s.published, capped), (p(100), false));
        // within the interval: +1/128 at most
        let (s, capped) = next_price(s, p(200), zero, NOW + 10, LIMIT).unwrap();
        assert!(capped);
        assert_eq!(
            s.published,
            p(100).mul_floor(Fixed::ONE.checked_add(LIMIT.max_rise).unwrap()).unwrap()
        );
        // a fall is immediate and lowers the reference
        let (s, capped) = next_price(s, p(50), zero, NOW + 20, LIMIT).unwrap();
        assert_eq!((s.published, s.reference, capped), (p(50), p(50), false));
        let (s, _) = next_price(s, p(100), zero, NOW + 30, LIMIT).unwrap();
        assert!(s.published < p(51), "the rise after a fall is measured from the low");
        // the next interval still measures from the previous interval's low (rolling bound)
        let (s2, _) = next_price(s, p(100), zero, NOW + 3_600, LIMIT).unwrap();
        assert_eq!((s2.reference, s2.previous_low), (s.published, p(50)));
        assert_eq!(s2.published, s.published, "no second step across the boundary");
        // two intervals on, the low of the interval before has rolled out
        let (s3, _) = next_price(s2, p(100), zero, NOW + 2 * 3_600, LIMIT).unwrap();
        assert!(s3.published > s2.published);
    }

    #[test]
    fn the_cash_floor_lifts_a_price_stuck_at_zero_at_once() {
        let (s, _) =
            next_price(PriceState::default(), Fixed::ZERO, Fixed::ZERO, NOW, LIMIT).unwrap();
        let cash = Fixed::from_u64(1);
        let (s, capped) = next_price(s, Fixed::from_u64(2), cash, NOW + 10, LIMIT).unwrap();
        assert_eq!((s.published, capped), (cash, true), "the cash is there: no cap below it");
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(crate::test_cases()))]

        /// Whatever sequence of computed prices arrives, at whatever times (spanning several
        /// intervals), every published price is at most the lowest price published in the
        /// interval before it (a rolling window) x (1 + max_rise), and a computed price at or
        /// below the last published one is published exactly.
        #[test]
        fn rises_within_any_interval_are_bounded_and_falls_pass_through(
            first in 1u64..1_000_000,
            steps in prop::collection::vec((0u64..2_000_000, 0i64..2_500), 1..40),
        ) {
            let (mut s, _) =
                next_price(PriceState::default(), Fixed::from_u64(first), Fixed::ZERO, NOW, LIMIT).unwrap();
            let mut history = std::vec![(NOW, s.published)];
            let mut t = NOW;
            for (computed, dt) in steps {
                t += dt;
                let computed = Fixed::from_u64(computed);
                let before = s.published;
                let (n, capped) = next_price(s, computed, Fixed::ZERO, t, LIMIT).unwrap();
                if computed <= before {
                    prop_assert_eq!(n.published, computed);
                    prop_assert!(!capped);
                }
                // the last price published at or before the window's start still stands then
                let start = t - LIMIT.interval_secs as i64;
                let standing = history.iter().rev().find(|(at, _)| *at <= start).map(|&(_, p)| p);
                let low = history
                    .iter()
                    .filter(|(at, _)| *at > start)
                    .map(|&(_, p)| p)
                    .chain(standing)
                    .chain(core::iter::once(n.published))
                    .min()
                    .unwrap();
                let bound = low.mul_floor(Fixed::ONE.checked_add(LIMIT.max_rise).unwrap()).unwrap();
                prop_assert!(n.published <= bound, "{:?} above {:?}", n.published, bound);
                prop_assert!(n.published <= computed);
                history.push((t, n.published));
                s = n;
            }
        }

        /// price x supply <= pool value <= vault cash + outstanding amount, for random
        /// schedules, statuses, recoveries and risk inputs.
        #[test]
        fn price_times_supply_never_exceeds_the_value_and_the_value_never_the_cash_and_claims(
            amounts in prop::collection::vec(1u64..=1_000_000_000_000, 1..64),
            start in -40i64..400,
            defaulted in any::<bool>(),
            vault_cash in 0u64..=1_000_000_000_000_000,
            recovered in 0u64..=1_000_000_000_000,
            supply in 1u64..=u64::MAX,
            rate in 0u64..20_000, spread in 0u64..5_000, pd in 0u64..10_000, lgd in 0u64..10_000,
            conf in 0u64..500,
        ) {
            let status = if defaulted { FlowStatus::Defaulted } else { FlowStatus::Scheduled };
            let flows: Vec<CashFlow> = amounts.iter().enumerate().map(|(i, &amount)| CashFlow {
                due_ts: NOW + (start + 30 * i as i64) * DAY, amount, status,
            }).collect();
            let risk = biased_risk(quote(rate, conf), quote(spread, conf), quote(pd, conf), quote(lgd, conf)).unwrap();
            let steps = [crate::WriteDownStep { days_late: 30, fraction: bps(2_500) }];
            let v = value_cash_flows(flows.iter().copied(), NOW, &risk, &steps).unwrap();
            let recovered = if defaulted { recovered } else { 0 };
            let pv = PoolValue::new(vault_cash, &v, recovered).unwrap();
            let price = pv.unit_price_floor(supply).unwrap();
            let paid = price.mul_u64_floor(supply).unwrap();
            prop_assert!(paid <= pv.value);
            let outstanding: u64 = amounts.iter().sum();
            prop_assert!(pv.value as u128 <= vault_cash as u128 + outstanding as u128);
        }
    }
}
