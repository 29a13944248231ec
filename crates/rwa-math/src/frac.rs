//! `Frac`: a factor in `[0, 1]` (discount, survival) as a normalised binary float: a 64-bit
//! mantissa with its top bit set and an exponent, `m * 2^-(63 + e)`.
//!
//! A product is one 64x64 multiply and a one-bit normalisation, and the relative error of every
//! rounding is below 2^-63 however small the value gets, where a fixed-point fraction loses
//! relative precision as a far cash flow's factor shrinks. Every operation rounds down, so a
//! factor built from lower bounds stays a lower bound.
use crate::wide::{mul_64, U256};

/// Exponent past which a factor counts as zero (2^-4096 is far below one base unit).
const MAX_EXP: i32 = 4_096;

/// A non-negative factor `m * 2^-(63 + e)`; `m == 0` is zero, otherwise `m >= 2^63`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Frac {
    m: u64,
    e: i32,
}

impl Frac {
    pub const ZERO: Frac = Frac { m: 0, e: 0 };
    pub const ONE: Frac = Frac { m: 1 << 63, e: 0 };

    /// From a Q1.127 fraction (`x / 2^127`, at most 1.0), rounded down.
    pub fn from_q127(x: u128) -> Frac {
        // 64-bit shifts only: SBF has no variable 128-bit shift (`__ashlti3`)
        let (hi, lo) = ((x >> 64) as u64, x as u64);
        if hi >> 62 != 0 {
            // the usual case, a factor in [0.5, 1]: no count of leading zeros (a long
            // sequence on SBF, which has no such instruction)
            let lz = (hi >> 63 == 0) as u32;
            let m = if lz == 0 { hi } else { (hi << 1) | (lo >> 63) };
            Frac { m, e: lz as i32 }
        } else if hi != 0 {
            let lz = hi.leading_zeros();
            let m = if lz == 0 { hi } else { (hi << lz) | (lo >> (64 - lz)) };
            Frac { m, e: lz as i32 }
        } else if lo != 0 {
            let lz = lo.leading_zeros();
            Frac { m: lo << lz, e: 64 + lz as i32 }
        } else {
            Frac::ZERO
        }
    }

    /// `self * other`, rounded down.
    #[inline(always)]
    pub fn mul_floor(self, other: Frac) -> Frac {
        if self.m == 0 || other.m == 0 {
            return Frac::ZERO;
        }
        let (hi, lo) = mul_64(self.m, other.m);
        let e = self.e + other.e;
        let (m, e) = if hi >> 63 == 1 { (hi, e - 1) } else { ((hi << 1) | (lo >> 63), e) };
        if e > MAX_EXP {
            Frac::ZERO
        } else {
            Frac { m, e }
        }
    }

    /// `amount * self` in Q*.127 units (`* 2^127`), rounded down.
    #[inline(always)]
    pub fn scale_q127(self, amount: u64) -> U256 {
        let (hi, lo) = mul_64(amount, self.m);
        // amount * m * 2^-(63 + e) * 2^127 = (amount * m) * 2^(64 - e); factors are at most 1,
        // so 64 - e <= 64, and most sit in [2^-64, 1], where the shift is a limb-wise one
        match 64 - self.e {
            0 => U256([lo, hi, 0, 0]),
            64 => U256([0, lo, hi, 0]),
            s @ 1..=63 => U256([lo << s, (hi << s) | (lo >> (64 - s)), hi >> (64 - s), 0]),
            s if s > 64 => U256([lo, hi, 0, 0]).checked_shl(s as u32).unwrap_or(U256::ZERO),
            s if s > -256 => U256([lo, hi, 0, 0]).shr((-s) as u32),
            _ => U256::ZERO,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use num_bigint::BigUint;
    use proptest::prelude::*;

    /// `value * 2^(63 + 4200)` exactly, to compare without rounding.
    fn exact(f: Frac) -> BigUint {
        BigUint::from(f.m) << (4_200 - f.e) as u32
    }

    fn one_scaled() -> BigUint {
        BigUint::from(1u8) << (63 + 4_200)
    }

    #[test]
    fn one_and_halves_are_exact() {
        assert_eq!(Frac::from_q127(1 << 127), Frac::ONE);
        assert_eq!(Frac::from_q127(1 << 126), Frac { m: 1 << 63, e: 1 });
        assert_eq!(Frac::ONE.mul_floor(Frac::ONE), Frac::ONE);
        assert_eq!(Frac::from_q127(1 << 126).scale_q127(1).low_u128(), 1 << 126);
        assert_eq!(Some(Frac::ONE.scale_q127(7)), U256::from_u128(7).checked_shl(127));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(crate::test_cases()))]

        #[test]
        fn conversion_is_a_lower_bound_within_2_pow_minus_63(x in 1u128..=(1u128 << 127)) {
            let f = Frac::from_q127(x);
            let got = exact(f);
            let want = BigUint::from(x) << (63 + 4_200 - 127) as u32;
            prop_assert!(got <= want);
            prop_assert!((&want - &got) << 63u32 <= want);
        }

        #[test]
        fn products_are_lower_bounds_within_2_pow_minus_62(a in 1u128..=(1u128 << 127), b in 1u128..=(1u128 << 127)) {
            let (fa, fb) = (Frac::from_q127(a), Frac::from_q127(b));
            let got = exact(fa.mul_floor(fb));
            let want = exact(fa) * exact(fb) / one_scaled();
            prop_assert!(got <= want);
            prop_assert!((&want - &got) << 62u32 <= want);
        }

        #[test]
        fn scaling_an_amount_rounds_down_exactly(a in 1u128..=(1u128 << 127), amount: u64) {
            let f = Frac::from_q127(a);
            let got = f.scale_q127(amount);
            let mut bytes = [0u8; 32];
            for (i, limb) in got.0.iter().enumerate() {
                bytes[i * 8..i * 8 + 8].copy_from_slice(&limb.to_le_bytes());
            }
            let want = (exact(f) * amount) >> (63 + 4_200 - 127) as u32;
            prop_assert_eq!(BigUint::from_bytes_le(&bytes), want);
        }
    }
}
