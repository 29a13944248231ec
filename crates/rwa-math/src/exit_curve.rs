//! The buyback reserve's exit curve: the discount a sale to the reserve pays, as a function of
//! how much of the epoch's budget is used.
//!
//! `d(u) = d_min + (d_max - d_min) x u^k` for utilisation `u = used / budget` in `[0, 1]`. A sale
//! of gross value `v` moves utilisation from `u0 = used / B` to `u1 = (used + v) / B` and is
//! discounted by the curve's integral over that stretch, in base units:
//!
//! `D = d_min x v + (d_max - d_min) x B x (u1^(k+1) - u0^(k+1)) / (k+1)`
//!
//! (the average of `d` over `[u0, u1]`, times `v`). Because the area term is a difference of one
//! function `F(u) = u^(k+1)` evaluated at stored utilisation points, the areas of consecutive
//! sales telescope exactly: splitting a sale changes the total discount only by the rounding of
//! each piece, and every piece rounds its discount up (in the reserve's favour).
use crate::error::{MathError, MathResult};
use crate::fixed::Fixed;
use crate::wide;

const BPS: u64 = 10_000;

/// Highest curve exponent `k` (the curve gets steeper near a full budget as `k` grows).
pub const MAX_EXPONENT: u8 = 4;

/// The curve's parameters: discounts in basis points and the exponent `k`
/// (1..=`MAX_EXPONENT`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ExitCurve {
    min_bps: u16,
    max_bps: u16,
    exponent: u8,
}

/// What a sale of gross value `value` pays: `value - discount`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CurveSale {
    pub value: u64,
    /// Rounded up: what the reserve keeps below the unit price.
    pub discount: u64,
    /// `value - discount`.
    pub paid: u64,
}

impl ExitCurve {
    /// A curve from basis points. Refused unless `min_bps <= max_bps <= 10,000` and
    /// `1 <= exponent <= MAX_EXPONENT`.
    pub fn from_bps(min_bps: u16, max_bps: u16, exponent: u8) -> MathResult<ExitCurve> {
        if min_bps > max_bps || max_bps > 10_000 || !(1..=MAX_EXPONENT).contains(&exponent) {
            return Err(MathError::CurveOutOfRange);
        }
        Ok(ExitCurve { min_bps, max_bps, exponent })
    }

    /// `d(u)` in bps at `u = used / budget`, rounded up (for quotes and the SPEC's table).
    pub fn discount_bps_at(&self, used: u64, budget: u64) -> MathResult<u64> {
        let u = utilisation(used, budget)?;
        let mut p = Fixed::ONE;
        for _ in 0..self.exponent {
            p = p.mul_ceil(u)?;
        }
        Ok(self.min_bps as u64 + p.mul_u64_ceil(self.spread_bps())?)
    }

    /// The discount and payout of a sale of gross value `value` when `used` of `budget` is
    /// already used this epoch. Refused (`BudgetExceeded`) when `used + value > budget`; the
    /// caller checks that first and says what fits.
    pub fn sale(&self, budget: u64, used: u64, value: u64) -> MathResult<CurveSale> {
        let after = used.checked_add(value).ok_or_else(|| overflow!())?;
        if after > budget {
            return Err(MathError::BudgetExceeded);
        }
        // ceil(v x d_min), exactly, with 64-bit operations (SBF has no 128-bit mul or div)
        let (hi, lo) = wide::mul_64(value, self.min_bps as u64);
        let (q, r) = wide::div_128_by_64(hi, lo, BPS);
        let flat = q + (r != 0) as u64;
        // ceil((d_max - d_min) x dF x B / (k+1)): dF x B as a Fixed, one rounding at the end
        let area = self.area(after, budget)?.checked_sub(self.area(used, budget)?)?;
        let steep =
            area.mul_ceil(Fixed::from_u64(budget))?.mul_ceil(Fixed::from_u64(self.spread_bps()))?;
        let steep = ceil_div(steep, BPS * (self.exponent as u64 + 1))?;
        let discount = flat.checked_add(steep).ok_or_else(|| overflow!())?.min(value);
        Ok(CurveSale { value, discount, paid: value - discount })
    }

    /// The discount at utilisation 0 and 1, in bps.
    pub fn bounds_bps(&self) -> (u16, u16) {
        (self.min_bps, self.max_bps)
    }

    fn spread_bps(&self) -> u64 {
        (self.max_bps - self.min_bps) as u64
    }

    /// `F(u) = u^(k+1)` at `u = used / budget`, each product rounded down: the same stored
    /// `used` always gives the same value, and `F` never decreases as `used` grows.
    fn area(&self, used: u64, budget: u64) -> MathResult<Fixed> {
        let u = utilisation(used, budget)?;
        let mut p = u;
        for _ in 0..self.exponent {
            p = p.mul_floor(u)?;
        }
        Ok(p)
    }
}

/// `used / budget`, rounded down; 1 when the budget is used up or zero (nothing fits). One
/// 128-by-64-bit division (a Fixed division is a 256-bit one, several times dearer on SBF).
fn utilisation(used: u64, budget: u64) -> MathResult<Fixed> {
    if used >= budget {
        return Ok(Fixed::ONE);
    }
    let (q, _) = wide::div_128_by_64(used, 0, budget);
    Ok(Fixed::from_raw(q as u128))
}

/// `ceil(x / d)` as an integer, for a small divisor `d`, by long division in 64-bit words.
fn ceil_div(x: Fixed, d: u64) -> MathResult<u64> {
    let raw = x.raw();
    let (hi, lo) = ((raw >> 64) as u64, raw as u64);
    let (q_hi, r_hi) = (hi / d, hi % d);
    let (q_lo, rem) = wide::div_128_by_64(r_hi, lo, d);
    // q = q_hi x 2^64 + q_lo is x / d in Fixed raw units: its integer part is q_hi
    let inexact = q_lo != 0 || rem != 0;
    q_hi.checked_add(inexact as u64).ok_or_else(|| overflow!())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn curve() -> ExitCurve {
        ExitCurve::from_bps(100, 1_000, 2).unwrap()
    }

    #[test]
    fn the_curve_runs_from_its_minimum_to_its_maximum() {
        let c = curve();
        let points: std::vec::Vec<u64> =
            [0u64, 25, 50, 75, 100].iter().map(|&u| c.discount_bps_at(u, 100).unwrap()).collect();
        // 1% + 9% x u^2, rounded up
        assert_eq!(points, [100, 157, 325, 607, 1_000]);
    }

    #[test]
    fn a_sale_pays_the_average_discount_over_the_utilisation_it_spans() {
        let c = curve();
        // all of a 1,000,000 budget: average of 1% + 9% u^2 over [0,1] = 1% + 3% = 4%
        let s = c.sale(1_000_000, 0, 1_000_000).unwrap();
        assert_eq!((s.discount, s.paid), (40_000, 960_000));
        // the first tenth: 1% + 9% x 0.01/3 = 1.03%
        let s = c.sale(1_000_000, 0, 100_000).unwrap();
        assert_eq!(s.discount, 1_030);
        // the last tenth: 1% + 9% x (1 - 0.729)/0.3 = 9.13%
        // (0.9 is not a binary fraction: u0 rounds down, the area is a hair larger, the
        // discount rounds up: one base unit to the reserve)
        let s = c.sale(1_000_000, 900_000, 100_000).unwrap();
        assert_eq!(s.discount, 9_131);
    }

    #[test]
    fn out_of_range_curves_and_budgets_are_refused() {
        assert_eq!(ExitCurve::from_bps(200, 100, 2), Err(MathError::CurveOutOfRange));
        assert_eq!(ExitCurve::from_bps(0, 100, 0), Err(MathError::CurveOutOfRange));
        assert_eq!(ExitCurve::from_bps(0, 100, MAX_EXPONENT + 1), Err(MathError::CurveOutOfRange));
        assert_eq!(curve().sale(100, 60, 41), Err(MathError::BudgetExceeded));
        assert_eq!(curve().sale(0, 0, 1), Err(MathError::BudgetExceeded));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(crate::test_cases()))]

        /// Splitting one sale into consecutive pieces pays at most what the whole sale pays,
        /// and less only by the rounding of each piece (at most 3 base units a piece).
        #[test]
        fn split_sales_pay_the_whole_sale_up_to_rounding_in_the_reserves_favour(
            min in 0u16..=1_000, extra in 0u16..=1_000, k in 1u8..=MAX_EXPONENT,
            budget in 1u64..=10_000_000_000_000, start in 0u64..=1_000, pieces in
            prop::collection::vec(1u64..=1_000, 1..20),
        ) {
            let c = ExitCurve::from_bps(min, min + extra, k).unwrap();
            let total: u64 = pieces.iter().sum();
            let scale = budget / (start + total + 1);
            prop_assume!(scale > 0);
            let used0 = start * scale;
            let whole = c.sale(budget, used0, total * scale).unwrap();
            let mut used = used0;
            let mut paid = 0u64;
            for p in &pieces {
                let s = c.sale(budget, used, p * scale).unwrap();
                used += p * scale;
                paid += s.paid;
            }
            prop_assert!(paid <= whole.paid, "split {} > whole {}", paid, whole.paid);
            prop_assert!(whole.paid - paid <= 3 * pieces.len() as u64);
        }

        /// Later sales in an epoch are never discounted less per unit of value, and every
        /// discount stays within [d_min, d_max] of its value (up to one base unit of rounding).
        #[test]
        fn discounts_grow_with_utilisation_and_stay_within_the_bounds(
            min in 0u16..=1_000, extra in 0u16..=1_000, k in 1u8..=MAX_EXPONENT,
            budget in 1_000u64..=10_000_000_000_000, a in 0u64..=1_000, b in 0u64..=1_000,
        ) {
            let c = ExitCurve::from_bps(min, min + extra, k).unwrap();
            let (lo, hi) = (a.min(b) * budget / 2_000, a.max(b) * budget / 2_000);
            let v = budget / 2;
            let first = c.sale(budget, lo, v).unwrap();
            let later = c.sale(budget, hi, v).unwrap();
            prop_assert!(first.discount <= later.discount + 1);
            prop_assert!(first.discount >= v * min as u64 / 10_000);
            prop_assert!(later.discount <= (v * (min + extra) as u64).div_ceil(10_000) + 2);
        }
    }
}
