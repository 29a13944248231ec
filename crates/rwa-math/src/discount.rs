//! Per-second compounded discount factors `(1 + r/Y)^-tau`, as lower bounds.
//!
//! Internally factors in `[0, 1]` are Q1.127 binary fractions (`raw / 2^127`), so a product is a
//! 256-bit multiply and a shift, never a division. The method:
//! 1. once per valuation: `L = ln(1 + r/Y)` by its series (an upper bound), and the per-day
//!    factor `d = exp(-86_400 L)` by its series (a lower bound);
//! 2. per cash flow, in due-time order (see `valuation`): the factor is carried from the
//!    previous flow, `D_k = D_{k-1} * step(tau_k - tau_{k-1})`, where a step is `d^days`
//!    (binary powers of `d`, computed lazily) times `exp(-secs L)` for the sub-day remainder.
//!    Steps and carried factors are `Frac`s (64-bit mantissa, one multiply each).
//!
//! Every operation rounds down and each series subtracts (or adds) a bound on its rounding
//! error, so the factor is never above the exact one: value built on it is backing-safe.
use crate::error::{MathError, MathResult};
use crate::frac::Frac;
use crate::wide::U256;
use crate::{SECONDS_PER_DAY, SECONDS_PER_YEAR};

/// Fractional bits of the internal factor format.
pub(crate) const Q: u32 = 127;
/// 1.0 in Q1.127.
pub(crate) const ONE_Q: u128 = 1 << Q;

/// `a * b` in Q1.127, rounded down. Both inputs at most 1.0.
#[inline(always)]
pub(crate) fn q_mul_floor(a: u128, b: u128) -> u128 {
    U256::mul_u128(a, b).shr(Q).low_u128()
}

/// `a * b` in Q1.127, rounded up. Both inputs at most 1.0.
#[inline(always)]
pub(crate) fn q_mul_ceil(a: u128, b: u128) -> u128 {
    let p = U256::mul_u128(a, b);
    p.shr(Q).low_u128() + p.low_bits_nonzero(Q) as u128
}

/// Series lengths and their rounding-error bounds, in Q1.127 units (ulps).
const EXP_TERMS: usize = 17; // odd: the partial sum ends on a negative term, a lower bound
                             // >= sum over odd k <= 17 of (k + 2), plus k + 3 for stopping once a term rounds to zero
const EXP_SLACK: u128 = 160;
const LN_TERMS: usize = 7; // odd: ends on a positive term, an upper bound
                           // >= sum over odd k <= 7 of (k + 2), plus k + 3 for stopping once a term rounds to zero
const LN_SLACK: u128 = 48;
/// A series stops after a term of the sign that keeps its bound once the term is below this
/// (2^-96): the day factor is then within about 1e-29 of exact, far below the 2^-63 of the
/// `Frac` arithmetic that carries it, and typical rates need half the terms.
const SERIES_TOLERANCE: u128 = 1 << (Q - 96);
/// Largest argument the exp series is used for: 1/32 (y^18/18! < 2^-150).
const EXP_MAX_ARG: u128 = ONE_Q >> 5;
/// Largest argument the ln series is used for: 2^-20 (x^8/8 < 2^-160).
const LN_MAX_ARG: u128 = ONE_Q >> 20;

/// `floor(2^127 / k)` and `floor(2^127 / k!)` for k = 0..=EXP_TERMS (k = 0 entries are 1.0).
const fn inverse_tables() -> ([u128; EXP_TERMS + 1], [u128; EXP_TERMS + 1]) {
    let mut inv = [ONE_Q; EXP_TERMS + 1];
    let mut inv_fact = [ONE_Q; EXP_TERMS + 1];
    let mut fact: u128 = 1;
    let mut k = 1;
    while k <= EXP_TERMS {
        fact *= k as u128;
        inv[k] = ONE_Q / k as u128;
        inv_fact[k] = ONE_Q / fact;
        k += 1;
    }
    (inv, inv_fact)
}
const INV: [u128; EXP_TERMS + 1] = inverse_tables().0;
const INV_FACT: [u128; EXP_TERMS + 1] = inverse_tables().1;

/// Lower bound of `exp(-y)` for `y <= 1/32` in Q1.127.
pub(crate) fn exp_neg_lower(y: u128) -> u128 {
    debug_assert!(y <= EXP_MAX_ARG);
    if y == 0 {
        return ONE_Q;
    }
    let (mut pos, mut neg, mut pow) = (ONE_Q, 0u128, ONE_Q);
    for (k, inv_fact) in INV_FACT.iter().enumerate().skip(1) {
        pow = q_mul_floor(pow, y);
        let term = q_mul_floor(pow, *inv_fact);
        if term == 0 {
            // every later term is below (k + 3) ulps, which the slack covers
            break;
        }
        if k % 2 == 1 {
            neg += term;
            if term < SERIES_TOLERANCE {
                // ending on a subtracted term keeps the sum below exp(-y): the rest of the
                // alternating series is positive and smaller than this term
                break;
            }
        } else {
            pos += term;
        }
    }
    pos.saturating_sub(neg).saturating_sub(EXP_SLACK)
}

/// Upper bound of `ln(1 + x)` for `x <= 2^-20` in Q1.127; exact (zero) for `x = 0`.
pub(crate) fn ln1p_upper(x: u128) -> u128 {
    debug_assert!(x <= LN_MAX_ARG);
    if x == 0 {
        return 0;
    }
    let (mut pos, mut neg, mut pow) = (0u128, 0u128, ONE_Q);
    for (k, inv) in INV.iter().enumerate().take(LN_TERMS + 1).skip(1) {
        pow = q_mul_floor(pow, x);
        let term = q_mul_floor(pow, *inv);
        if term == 0 {
            break;
        }
        if k % 2 == 1 {
            pos += term;
            if term < SERIES_TOLERANCE {
                // ending on an added term keeps the sum above ln(1 + x)
                break;
            }
        } else {
            neg += term;
        }
    }
    pos - neg + LN_SLACK
}

/// Powers of the per-day factor needed for horizons up to 2^15 days (89 years).
const DAY_POW_BITS: usize = 15;

/// Step factors `(1 + r/Y)^-secs` of one annual rate, as `Frac` lower bounds.
pub struct Discounter {
    /// Upper bound of `ln(1 + r/Y)` per second, Q1.127.
    log_per_sec: u128,
    /// `d^(2^i)` for the per-day factor `d`; entries `< day_pows_ready` are computed.
    day_pows: [Frac; DAY_POW_BITS],
    day_pows_ready: usize,
}

impl Discounter {
    /// Prepares the factors of an annual rate (Q64.64 raw, at most `MAX_ANNUAL_RATE`).
    pub fn new(annual_rate_raw: u128) -> MathResult<Discounter> {
        // x = r / Y in Q1.127, rounded up: r_raw * 2^63 / Y.
        let (q, rem) = U256::from_u128(annual_rate_raw)
            .checked_shl(Q - 64)
            .ok_or_else(|| overflow!())?
            .div_rem_u64(SECONDS_PER_YEAR)?;
        let x = q.to_u128().ok_or_else(|| overflow!())? + (rem != 0) as u128;
        if x > LN_MAX_ARG {
            return Err(MathError::RateTooHigh);
        }
        let log_per_sec = ln1p_upper(x);
        let log_per_day = U256::mul_u128(log_per_sec, SECONDS_PER_DAY as u128)
            .to_u128()
            .ok_or_else(|| overflow!())?;
        if log_per_day > EXP_MAX_ARG {
            return Err(MathError::RateTooHigh);
        }
        let mut day_pows = [Frac::ZERO; DAY_POW_BITS];
        day_pows[0] = Frac::from_q127(exp_neg_lower(log_per_day));
        Ok(Discounter { log_per_sec, day_pows, day_pows_ready: 1 })
    }

    /// `d^days`, rounded down.
    fn day_power(&mut self, days: u64) -> MathResult<Frac> {
        if days >> DAY_POW_BITS != 0 {
            return Err(MathError::HorizonTooLong);
        }
        let mut out = Frac::ONE;
        let mut bit = 0;
        while days >> bit != 0 {
            if bit == self.day_pows_ready {
                let prev = self.day_pows[bit - 1];
                self.day_pows[bit] = prev.mul_floor(prev);
                self.day_pows_ready += 1;
            }
            if (days >> bit) & 1 == 1 {
                out = out.mul_floor(self.day_pows[bit]);
            }
            bit += 1;
        }
        Ok(out)
    }

    /// Lower bound of `(1 + r/Y)^-secs`: `d^days` times `exp(-rem L)` for the sub-day rest.
    pub fn step(&mut self, secs: u64) -> MathResult<Frac> {
        let f = self.day_power(secs / SECONDS_PER_DAY)?;
        let rem = secs % SECONDS_PER_DAY;
        if rem == 0 {
            return Ok(f);
        }
        // rem * L <= 86_399 * L <= 1/32, checked in `new`.
        let y = U256::mul_u128(self.log_per_sec, rem as u128).low_u128();
        Ok(f.mul_floor(Frac::from_q127(exp_neg_lower(y))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reference::{exp_neg_ref, from_q, ln1p_ref};

    #[test]
    fn exp_series_is_a_tight_lower_bound() {
        for y in [1u128, 1 << 40, 1 << 100, ONE_Q / 1000, EXP_MAX_ARG / 3, EXP_MAX_ARG] {
            let got = from_q(exp_neg_lower(y), Q);
            let exact = exp_neg_ref(&from_q(y, Q));
            assert!(got <= exact, "exp(-{y}) above exact");
            let bound = from_q(SERIES_TOLERANCE + EXP_SLACK, Q);
            assert!(&exact - &got <= bound, "exp(-{y}) loose");
        }
    }

    #[test]
    fn ln_series_is_a_tight_upper_bound() {
        for x in [1u128, 1 << 40, 1 << 90, LN_MAX_ARG / 7, LN_MAX_ARG] {
            let got = from_q(ln1p_upper(x), Q);
            let exact = ln1p_ref(&from_q(x, Q));
            assert!(got >= exact, "ln(1+{x}) below exact");
            let bound = from_q(SERIES_TOLERANCE + LN_SLACK, Q);
            assert!(&got - &exact <= bound, "ln(1+{x}) loose");
        }
    }

    #[test]
    fn zero_rate_discounts_nothing() {
        let mut d = Discounter::new(0).unwrap();
        assert_eq!(d.step(50 * SECONDS_PER_YEAR).unwrap(), Frac::ONE);
        assert_eq!(d.step(12_345).unwrap(), Frac::ONE);
    }

    #[test]
    fn horizons_beyond_the_day_table_are_refused() {
        let mut d = Discounter::new(1 << 60).unwrap();
        assert_eq!(d.step((1 << 15) * SECONDS_PER_DAY).err(), Some(MathError::HorizonTooLong));
    }

    #[test]
    fn rate_beyond_the_series_range_is_refused() {
        assert_eq!(Discounter::new(12u128 << 64).err(), Some(MathError::RateTooHigh));
    }
}
