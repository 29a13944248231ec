//! `Fixed`: the protocol's one fixed-point type for rates, fractions and prices.
//!
//! Unsigned binary fixed point with 64 integer and 64 fractional bits (Q64.64): the value is
//! `raw / 2^64`. Every operation is checked and every operation that can lose bits names its
//! rounding: `_floor` rounds toward zero, `_ceil` away from it. Rule of the protocol: what backs
//! a token or is paid out rounds down, what a user owes rounds up.
use crate::error::{MathError, MathResult};
use crate::wide::U256;

/// Number of fractional bits.
pub const FRAC_BITS: u32 = 64;
const FRAC_MASK: u128 = (1u128 << FRAC_BITS) - 1;

/// Unsigned Q64.64 fixed-point number.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Fixed(u128);

/// Powers of ten that fit a `u128` (10^0 ..= 10^38).
const fn pow10(k: u32) -> u128 {
    let mut v = 1u128;
    let mut i = 0;
    while i < k {
        v *= 10;
        i += 1;
    }
    v
}

impl Fixed {
    pub const ZERO: Fixed = Fixed(0);
    pub const ONE: Fixed = Fixed(1 << FRAC_BITS);
    pub const MAX: Fixed = Fixed(u128::MAX);
    /// One raw unit, 2^-64.
    pub const EPSILON: Fixed = Fixed(1);

    /// From the raw Q64.64 bits (as stored in accounts).
    pub const fn from_raw(raw: u128) -> Fixed {
        Fixed(raw)
    }

    /// The raw Q64.64 bits.
    pub const fn raw(self) -> u128 {
        self.0
    }

    /// An integer, exactly.
    pub const fn from_u64(n: u64) -> Fixed {
        Fixed((n as u128) << FRAC_BITS)
    }

    /// `numerator / denominator`, rounded down.
    pub fn from_ratio_floor(numerator: u64, denominator: u64) -> MathResult<Fixed> {
        Fixed::from_u64(numerator).div_floor(Fixed::from_u64(denominator))
    }

    /// `numerator / denominator`, rounded up.
    pub fn from_ratio_ceil(numerator: u64, denominator: u64) -> MathResult<Fixed> {
        Fixed::from_u64(numerator).div_ceil(Fixed::from_u64(denominator))
    }

    /// Basis points (1 bp = 0.01%), rounded down.
    pub fn from_bps_floor(bps: u64) -> MathResult<Fixed> {
        Fixed::from_ratio_floor(bps, 10_000)
    }

    /// Basis points (1 bp = 0.01%), rounded up.
    pub fn from_bps_ceil(bps: u64) -> MathResult<Fixed> {
        Fixed::from_ratio_ceil(bps, 10_000)
    }

    /// `mantissa * 10^exponent` (the format of Pyth prices and decimal oracle feeds), rounded
    /// down. Exponents from -38 to 19 are supported.
    pub fn from_decimal_floor(mantissa: u64, exponent: i32) -> MathResult<Fixed> {
        Fixed::from_decimal(mantissa, exponent, false)
    }

    /// `mantissa * 10^exponent`, rounded up. Exponents from -38 to 19 are supported.
    pub fn from_decimal_ceil(mantissa: u64, exponent: i32) -> MathResult<Fixed> {
        Fixed::from_decimal(mantissa, exponent, true)
    }

    fn from_decimal(mantissa: u64, exponent: i32, ceil: bool) -> MathResult<Fixed> {
        if !(-38..=19).contains(&exponent) {
            return Err(MathError::ExponentOutOfRange);
        }
        let scale = pow10(exponent.unsigned_abs());
        if exponent >= 0 {
            let n = (mantissa as u128).checked_mul(scale).ok_or_else(|| overflow!())?;
            if n >> 64 != 0 {
                return Err(overflow!());
            }
            return Ok(Fixed(n << FRAC_BITS));
        }
        let (q, r) = U256::from_u128((mantissa as u128) << FRAC_BITS).div_rem_u128(scale)?;
        let q = q.to_u128().ok_or_else(|| overflow!())?;
        Ok(Fixed(if ceil && r != 0 { q + 1 } else { q }))
    }

    pub fn checked_add(self, other: Fixed) -> MathResult<Fixed> {
        self.0.checked_add(other.0).map(Fixed).ok_or_else(|| overflow!())
    }

    pub fn checked_sub(self, other: Fixed) -> MathResult<Fixed> {
        self.0.checked_sub(other.0).map(Fixed).ok_or_else(|| overflow!())
    }

    /// `self * other`, rounded down.
    pub fn mul_floor(self, other: Fixed) -> MathResult<Fixed> {
        let p = U256::mul_u128(self.0, other.0);
        p.shr(FRAC_BITS).to_u128().map(Fixed).ok_or_else(|| overflow!())
    }

    /// `self * other`, rounded up.
    pub fn mul_ceil(self, other: Fixed) -> MathResult<Fixed> {
        let p = U256::mul_u128(self.0, other.0);
        let q = p.shr(FRAC_BITS).to_u128().ok_or_else(|| overflow!())?;
        let up = p.low_bits_nonzero(FRAC_BITS) as u128;
        q.checked_add(up).map(Fixed).ok_or_else(|| overflow!())
    }

    /// `self / other`, rounded down.
    pub fn div_floor(self, other: Fixed) -> MathResult<Fixed> {
        self.div(other).map(|(q, _)| Fixed(q))
    }

    /// `self / other`, rounded up.
    pub fn div_ceil(self, other: Fixed) -> MathResult<Fixed> {
        let (q, inexact) = self.div(other)?;
        q.checked_add(inexact as u128).map(Fixed).ok_or_else(|| overflow!())
    }

    fn div(self, other: Fixed) -> MathResult<(u128, bool)> {
        let n = U256::from_u128(self.0).checked_shl(FRAC_BITS).ok_or_else(|| overflow!())?;
        let (q, r) = n.div_rem_u128(other.0)?;
        Ok((q.to_u128().ok_or_else(|| overflow!())?, r != 0))
    }

    /// The integer part (rounded down) as `u64`.
    pub fn try_floor_u64(self) -> MathResult<u64> {
        u64::try_from(self.0 >> FRAC_BITS).map_err(|_| overflow!())
    }

    /// Rounded up to an integer, as `u64`.
    pub fn try_ceil_u64(self) -> MathResult<u64> {
        let up = (self.0 & FRAC_MASK != 0) as u128;
        u64::try_from((self.0 >> FRAC_BITS) + up).map_err(|_| overflow!())
    }

    /// `amount * self` in base units, rounded down (what the protocol pays or counts as backing).
    pub fn mul_u64_floor(self, amount: u64) -> MathResult<u64> {
        self.mul_floor(Fixed::from_u64(amount))?.try_floor_u64()
    }

    /// `amount * self` in base units, rounded up (what a user owes).
    pub fn mul_u64_ceil(self, amount: u64) -> MathResult<u64> {
        self.mul_ceil(Fixed::from_u64(amount))?.try_ceil_u64()
    }

    /// `self <= 1`.
    pub const fn is_at_most_one(self) -> bool {
        self.0 <= Fixed::ONE.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use num_bigint::BigUint;
    use proptest::prelude::*;

    fn big(x: u128) -> BigUint {
        BigUint::from(x)
    }

    #[test]
    fn integers_and_ratios_are_exact_where_representable() {
        assert_eq!(Fixed::from_u64(3).try_floor_u64(), Ok(3));
        assert_eq!(Fixed::from_ratio_floor(1, 4), Ok(Fixed::from_raw(1 << 62)));
        assert_eq!(Fixed::from_ratio_ceil(1, 4), Ok(Fixed::from_raw(1 << 62)));
        assert_eq!(Fixed::from_bps_floor(10_000), Ok(Fixed::ONE));
    }

    #[test]
    fn inexact_ratios_round_in_the_named_direction() {
        let lo = Fixed::from_bps_floor(500).unwrap();
        let hi = Fixed::from_bps_ceil(500).unwrap();
        assert_eq!(hi.raw() - lo.raw(), 1, "5% is not a binary fraction");
        assert_eq!(Fixed::from_u64(1).mul_u64_floor(7), Ok(7));
        let third = Fixed::from_ratio_floor(1, 3).unwrap();
        assert_eq!(third.mul_u64_floor(3), Ok(0));
        assert_eq!(Fixed::from_ratio_ceil(1, 3).unwrap().mul_u64_ceil(3), Ok(2));
    }

    #[test]
    fn decimals_convert_with_the_named_rounding() {
        assert_eq!(Fixed::from_decimal_floor(12_345, -2).unwrap().try_floor_u64(), Ok(123));
        assert_eq!(Fixed::from_decimal_ceil(12_345, -2).unwrap().try_ceil_u64(), Ok(124));
        assert_eq!(Fixed::from_decimal_floor(7, 3), Ok(Fixed::from_u64(7_000)));
        assert_eq!(Fixed::from_decimal_floor(1, 40), Err(MathError::ExponentOutOfRange));
        assert!(matches!(Fixed::from_decimal_floor(u64::MAX, 19), Err(MathError::Overflow(_))));
    }

    #[test]
    fn overflow_and_division_by_zero_are_errors_with_a_location() {
        match Fixed::MAX.mul_floor(Fixed::from_u64(2)) {
            Err(MathError::Overflow(at)) => assert!(at.file().ends_with("fixed.rs")),
            other => panic!("{other:?}"),
        }
        assert!(matches!(Fixed::ONE.div_floor(Fixed::ZERO), Err(MathError::DivisionByZero(_))));
        assert!(matches!(Fixed::ZERO.checked_sub(Fixed::ONE), Err(MathError::Overflow(_))));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(crate::test_cases()))]

        #[test]
        fn mul_floor_and_ceil_bracket_the_exact_product(a: u128, b: u128) {
            let exact = big(a) * big(b);
            let scale = BigUint::from(1u8) << 64;
            let max = big(u128::MAX);
            let floor = &exact >> 64;
            let ceil = (&exact + (&scale - 1u8)) >> 64;
            match Fixed(a).mul_floor(Fixed(b)) {
                Ok(lo) => prop_assert_eq!(big(lo.0), floor),
                Err(_) => prop_assert!(floor > max),
            }
            match Fixed(a).mul_ceil(Fixed(b)) {
                Ok(hi) => prop_assert_eq!(big(hi.0), ceil),
                Err(_) => prop_assert!(ceil > max),
            }
        }

        #[test]
        fn div_floor_and_ceil_bracket_the_exact_quotient(a: u128, b in 1u128..) {
            let n = big(a) << 64;
            if let (Ok(lo), Ok(hi)) = (Fixed(a).div_floor(Fixed(b)), Fixed(a).div_ceil(Fixed(b))) {
                prop_assert!(big(lo.0) * big(b) <= n);
                prop_assert!(big(hi.0) * big(b) >= n);
                prop_assert!(hi.0 - lo.0 <= 1);
            }
        }

        #[test]
        fn amount_times_fraction_never_pays_out_more_than_exact(amount: u64, raw in 0u128..=(1u128 << 64)) {
            let f = Fixed(raw);
            let lo = f.mul_u64_floor(amount).unwrap();
            let hi = f.mul_u64_ceil(amount).unwrap();
            let exact = big(raw) * big(amount as u128);
            prop_assert!(big(lo as u128) << 64 <= exact);
            prop_assert!(big(hi as u128) << 64 >= exact);
            prop_assert!(lo <= amount);
        }
    }
}
