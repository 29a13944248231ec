//! Test-only high-precision reference: unsigned binary fixed point with `P` = 400 fractional
//! bits on `BigUint`, computed by methods independent of the crate's (direct powers by
//! squaring rather than ln/exp carrying). Its own error is below 2^-360 relative in the ranges
//! tested, far under the 1e-12 the crate is held to.
use num_bigint::BigUint;
use num_traits::{One, Zero};

use crate::SECONDS_PER_YEAR;

/// Fractional bits of the reference.
pub const P: u32 = 400;

/// A reference number: `value / 2^P`.
pub type Big = BigUint;

pub fn one() -> Big {
    BigUint::one() << P
}

/// A binary fixed-point value with `frac_bits` fractional bits, exactly.
pub fn from_q(raw: u128, frac_bits: u32) -> Big {
    BigUint::from(raw) << (P - frac_bits)
}

pub fn from_int(n: u64) -> Big {
    BigUint::from(n) << P
}

pub fn mul(a: &Big, b: &Big) -> Big {
    (a * b) >> P
}

pub fn div(a: &Big, b: &Big) -> Big {
    (a << P) / b
}

/// `ln(1 + x)` by its series (x small).
pub fn ln1p_ref(x: &Big) -> Big {
    let (mut pos, mut neg, mut pow) = (Big::zero(), Big::zero(), one());
    for k in 1u32..200 {
        pow = mul(&pow, x);
        if pow.is_zero() {
            break;
        }
        let term = &pow / k;
        if k % 2 == 1 {
            pos += term;
        } else {
            neg += term;
        }
    }
    pos - neg
}

/// `exp(-y)` by its series (y small).
pub fn exp_neg_ref(y: &Big) -> Big {
    let (mut pos, mut neg, mut term) = (one(), Big::zero(), one());
    for k in 1u32..400 {
        term = mul(&term, y) / k;
        if term.is_zero() {
            break;
        }
        if k % 2 == 1 {
            neg += &term;
        } else {
            pos += &term;
        }
    }
    pos - neg
}

/// `(1 + r/Y)^-tau` for an annual rate given as Q64.64 raw, by squaring.
pub fn discount_ref(rate_raw: u128, tau: u64) -> Big {
    let base = one() + (BigUint::from(rate_raw) << (P - 64)) / SECONDS_PER_YEAR;
    let mut acc = one();
    let mut sq = base;
    let mut n = tau;
    while n > 0 {
        if n & 1 == 1 {
            acc = mul(&acc, &sq);
        }
        sq = mul(&sq, &sq);
        n >>= 1;
    }
    div(&one(), &acc)
}

/// `a <= b * (1 + 2^-300)`: `a` is at most `b` up to the reference's own error.
pub fn at_most(a: &Big, b: &Big) -> bool {
    a <= &(b + (b >> 300u32) + 1u8)
}

/// `|a - b| / b < 10^-exp10`.
pub fn rel_err_below(a: &Big, b: &Big, exp10: u32) -> bool {
    let diff = if a > b { a - b } else { b - a };
    diff * BigUint::from(10u8).pow(exp10) < *b
}

/// Exact (to the reference's precision) fair value in base units, as `valuation` defines it.
pub fn value_ref(
    flows: &[crate::CashFlow],
    now: i64,
    risk: &crate::RiskParams,
    write_down: &[crate::WriteDownStep],
) -> Big {
    let lgd = from_q(risk.lgd.raw(), 64);
    let mut total = Big::zero();
    for f in flows {
        let amount = from_int(f.amount);
        let tau = f.due_ts as i128 - now as i128;
        let factor = match f.status {
            crate::FlowStatus::Defaulted => one() - &lgd,
            crate::FlowStatus::Scheduled if tau <= 0 => {
                let days = (tau.unsigned_abs() / 86_400) as u64;
                let w = write_down
                    .iter()
                    .take_while(|s| s.days_late as u64 <= days)
                    .last()
                    .map_or(Big::zero(), |s| from_q(s.fraction.raw(), 64));
                let late = tau.unsigned_abs() as u64;
                let cum_pd = (from_q(risk.annual_pd.raw(), 64) * late) / SECONDS_PER_YEAR;
                let loss = mul(&lgd, &cum_pd.min(one()));
                (one() - w).min(one() - loss)
            }
            crate::FlowStatus::Scheduled => {
                let tau = tau as u64;
                let cum_pd = (from_q(risk.annual_pd.raw(), 64) * tau) / SECONDS_PER_YEAR;
                let cum_pd = cum_pd.min(one());
                let survival = one() - mul(&lgd, &cum_pd);
                mul(&survival, &discount_ref(risk.annual_rate.raw(), tau))
            }
        };
        total += mul(&amount, &factor);
    }
    total
}

/// A `U256` with `frac_bits` fractional bits, exactly.
pub fn from_u256(x: crate::wide::U256, frac_bits: u32) -> Big {
    let mut bytes = [0u8; 32];
    for (i, limb) in x.0.iter().enumerate() {
        bytes[i * 8..i * 8 + 8].copy_from_slice(&limb.to_le_bytes());
    }
    BigUint::from_bytes_le(&bytes) << (P - frac_bits)
}
