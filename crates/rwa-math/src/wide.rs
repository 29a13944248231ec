//! Wide integer primitives: a 64x64 -> 128-bit multiply built from 32-bit halves and a small
//! little-endian 256-bit integer. Everything above them calls these, so that a target without a
//! native 128-bit multiply (SBF has no `__multi3`) only needs them tuned.
use crate::error::MathResult;

const LO32: u64 = 0xffff_ffff;

/// `a * b` as `(high, low)` 64-bit words, from four 32x32 -> 64 products. The `black_box`
/// keeps LLVM from folding the halves back into one 128-bit multiply (a `__multi3` call,
/// which SBF toolchains built from registry packages do not provide).
#[inline(always)]
pub fn mul_64(a: u64, b: u64) -> (u64, u64) {
    let (a1, a0) = (a >> 32, core::hint::black_box(a & LO32));
    let (b1, b0) = (b >> 32, b & LO32);
    let p00 = a0 * b0;
    let p01 = a0 * b1;
    let p10 = a1 * b0;
    let p11 = a1 * b1;
    let mid = (p00 >> 32) + (p01 & LO32) + (p10 & LO32);
    let lo = (p00 & LO32) | (mid << 32);
    let hi = p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);
    (hi, lo)
}

#[inline(always)]
const fn split(x: u128) -> (u64, u64) {
    ((x >> 64) as u64, x as u64)
}

#[inline(always)]
const fn join(hi: u64, lo: u64) -> u128 {
    ((hi as u128) << 64) | lo as u128
}

/// `(hi * 2^64 + lo) / d` and its remainder, for `hi < d`, with 64-bit operations only
/// (two-digit long division in base 2^32 after normalising `d`, as in Hacker's Delight's
/// `divlu`): SBF has no 128-bit division either.
pub fn div_128_by_64(hi: u64, lo: u64, d: u64) -> (u64, u64) {
    debug_assert!(hi < d);
    const B: u64 = 1 << 32;
    let s = d.leading_zeros();
    let v = d << s;
    let (vn1, vn0) = (v >> 32, v & LO32);
    let un32 = if s == 0 { hi } else { (hi << s) | (lo >> (64 - s)) };
    let un10 = lo << s;
    let (un1, un0) = (un10 >> 32, un10 & LO32);

    let mut q1 = un32 / vn1;
    let mut rhat = un32 - q1 * vn1;
    while q1 >= B || q1 * vn0 > B * rhat + un1 {
        q1 -= 1;
        rhat += vn1;
        if rhat >= B {
            break;
        }
    }
    let un21 = un32.wrapping_mul(B).wrapping_add(un1).wrapping_sub(q1.wrapping_mul(v));
    let mut q0 = un21 / vn1;
    rhat = un21 - q0 * vn1;
    while q0 >= B || q0 * vn0 > B * rhat + un0 {
        q0 -= 1;
        rhat += vn1;
        if rhat >= B {
            break;
        }
    }
    let r = un21.wrapping_mul(B).wrapping_add(un0).wrapping_sub(q0.wrapping_mul(v)) >> s;
    (q1 * B + q0, r)
}

/// An unsigned 256-bit integer, four 64-bit limbs, least significant first.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct U256(pub [u64; 4]);

impl U256 {
    pub const ZERO: U256 = U256([0; 4]);

    pub const fn from_u128(x: u128) -> U256 {
        let (hi, lo) = split(x);
        U256([lo, hi, 0, 0])
    }

    /// The full product of two `u128`s.
    pub fn mul_u128(a: u128, b: u128) -> U256 {
        let (a1, a0) = split(a);
        let (b1, b0) = split(b);
        let (h00, l00) = mul_64(a0, b0);
        let (h01, l01) = mul_64(a0, b1);
        let (h10, l10) = mul_64(a1, b0);
        let (h11, l11) = mul_64(a1, b1);
        // column 1: h00 + l01 + l10
        let c1 = h00 as u128 + l01 as u128 + l10 as u128;
        // column 2: h01 + h10 + l11 + carry
        let c2 = h01 as u128 + h10 as u128 + l11 as u128 + (c1 >> 64);
        let c3 = h11 as u128 + (c2 >> 64);
        U256([l00, c1 as u64, c2 as u64, c3 as u64])
    }

    /// The full product of a `u128` and a `u64` (two 64x64 products).
    pub fn mul_u128_u64(a: u128, b: u64) -> U256 {
        let (a1, a0) = split(a);
        let (h0, l0) = mul_64(a0, b);
        let (h1, l1) = mul_64(a1, b);
        let c1 = h0 as u128 + l1 as u128;
        let c2 = h1 as u128 + (c1 >> 64);
        U256([l0, c1 as u64, c2 as u64, 0])
    }

    /// `self + other`, or `None` on overflow (64-bit adds with explicit carries).
    pub const fn checked_add(self, other: U256) -> Option<U256> {
        let mut out = [0u64; 4];
        let mut carry = false;
        let mut i = 0;
        while i < 4 {
            let (s, c1) = self.0[i].overflowing_add(other.0[i]);
            let (s, c2) = s.overflowing_add(carry as u64);
            out[i] = s;
            carry = c1 | c2;
            i += 1;
        }
        if carry {
            None
        } else {
            Some(U256(out))
        }
    }

    /// `self >> n` for `n < 256`.
    pub const fn shr(self, n: u32) -> U256 {
        let limbs = (n / 64) as usize;
        let bits = n % 64;
        let mut out = [0u64; 4];
        let mut i = 0;
        while i + limbs < 4 {
            let lo = self.0[i + limbs] >> bits;
            let hi = if bits > 0 && i + limbs + 1 < 4 {
                self.0[i + limbs + 1] << (64 - bits)
            } else {
                0
            };
            out[i] = lo | hi;
            i += 1;
        }
        U256(out)
    }

    /// `self << n` for `n < 256`, or `None` if bits would be lost.
    pub const fn checked_shl(self, n: u32) -> Option<U256> {
        if n == 0 {
            return Some(self);
        }
        if self.bits() + n > 256 {
            return None;
        }
        let limbs = (n / 64) as usize;
        let bits = n % 64;
        let mut out = [0u64; 4];
        let mut i = 3;
        loop {
            if i >= limbs {
                let hi = self.0[i - limbs] << bits;
                let lo =
                    if bits > 0 && i > limbs { self.0[i - limbs - 1] >> (64 - bits) } else { 0 };
                out[i] = hi | lo;
            }
            if i == 0 {
                break;
            }
            i -= 1;
        }
        Some(U256(out))
    }

    /// Number of significant bits.
    pub const fn bits(self) -> u32 {
        let mut i = 4;
        while i > 0 {
            i -= 1;
            if self.0[i] != 0 {
                return 64 * i as u32 + 64 - self.0[i].leading_zeros();
            }
        }
        0
    }

    /// The value as `u128`, or `None` if it does not fit.
    pub const fn to_u128(self) -> Option<u128> {
        if self.0[2] == 0 && self.0[3] == 0 {
            Some(join(self.0[1], self.0[0]))
        } else {
            None
        }
    }

    /// The low 128 bits (the caller knows the rest are zero or wants them dropped).
    pub const fn low_u128(self) -> u128 {
        join(self.0[1], self.0[0])
    }

    /// True if any of the low `n` bits is set (what a right shift by `n` would drop).
    pub const fn low_bits_nonzero(self, n: u32) -> bool {
        let full = (n / 64) as usize;
        let mut i = 0;
        while i < full && i < 4 {
            if self.0[i] != 0 {
                return true;
            }
            i += 1;
        }
        let bits = n % 64;
        full < 4 && bits > 0 && self.0[full] & ((1u64 << bits) - 1) != 0
    }

    /// Quotient and remainder by a non-zero `u64`, limb by limb (64-bit operations only).
    pub fn div_rem_u64(self, d: u64) -> MathResult<(U256, u64)> {
        if d == 0 {
            return Err(division_by_zero!());
        }
        let mut q = [0u64; 4];
        let mut rem = 0u64;
        for i in (0..4).rev() {
            let (qi, r) = div_128_by_64(rem, self.0[i], d);
            q[i] = qi;
            rem = r;
        }
        Ok((U256(q), rem))
    }

    /// Quotient and remainder by a non-zero `u128`, by shift-and-subtract.
    pub fn div_rem_u128(self, d: u128) -> MathResult<(U256, u128)> {
        if d == 0 {
            return Err(division_by_zero!());
        }
        if d >> 64 == 0 {
            let (q, r) = self.div_rem_u64(d as u64)?;
            return Ok((q, r as u128));
        }
        let mut q = U256::ZERO;
        // `rem < d < 2^128` always; one extra bit is carried in `top` while shifting.
        let mut rem: u128 = 0;
        let mut i = self.bits();
        while i > 0 {
            i -= 1;
            let bit = (self.0[(i / 64) as usize] >> (i % 64)) & 1;
            let top = rem >> 127;
            rem = (rem << 1) | bit as u128;
            if top == 1 || rem >= d {
                rem = rem.wrapping_sub(d);
                q.0[(i / 64) as usize] |= 1 << (i % 64);
            }
        }
        Ok((q, rem))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::MathError;
    use proptest::prelude::*;

    fn to_big(x: U256) -> num_bigint::BigUint {
        let mut bytes = [0u8; 32];
        for (i, limb) in x.0.iter().enumerate() {
            bytes[i * 8..i * 8 + 8].copy_from_slice(&limb.to_le_bytes());
        }
        num_bigint::BigUint::from_bytes_le(&bytes)
    }

    proptest! {
        #[test]
        fn mul_64_matches_native(a: u64, b: u64) {
            let (hi, lo) = mul_64(a, b);
            prop_assert_eq!(join(hi, lo), a as u128 * b as u128);
        }

        #[test]
        fn mul_u128_matches_bigint(a: u128, b: u128) {
            let got = to_big(U256::mul_u128(a, b));
            prop_assert_eq!(got, num_bigint::BigUint::from(a) * num_bigint::BigUint::from(b));
        }

        #[test]
        fn mul_u128_u64_matches_bigint(a: u128, b: u64) {
            let got = to_big(U256::mul_u128_u64(a, b));
            prop_assert_eq!(got, num_bigint::BigUint::from(a) * num_bigint::BigUint::from(b));
        }

        #[test]
        fn div_128_by_64_matches_native(hi: u64, lo: u64, d in 1u64..) {
            let hi = hi % d;
            let n = join(hi, lo);
            let (q, r) = div_128_by_64(hi, lo, d);
            prop_assert_eq!(q as u128, n / d as u128);
            prop_assert_eq!(r as u128, n % d as u128);
        }

        #[test]
        fn div_rem_u128_matches_bigint(a: u128, b: u128, d in 1u128..) {
            let n = U256::mul_u128(a, b);
            let (q, r) = n.div_rem_u128(d).unwrap();
            let nb = to_big(n);
            prop_assert_eq!(to_big(q), &nb / d);
            prop_assert_eq!(num_bigint::BigUint::from(r), &nb % d);
        }

        #[test]
        fn shifts_round_trip(a: u128, b: u128, n in 0u32..256) {
            let x = U256::mul_u128(a, b);
            let big = to_big(x);
            prop_assert_eq!(to_big(x.shr(n)), &big >> n);
            match x.checked_shl(n) {
                Some(y) => prop_assert_eq!(to_big(y), &big << n),
                None => prop_assert!(big.bits() + n as u64 > 256),
            }
            prop_assert_eq!(x.low_bits_nonzero(n), (&big >> n << n) != big);
        }
    }

    #[test]
    fn division_by_zero_is_an_error() {
        assert!(matches!(U256::from_u128(7).div_rem_u128(0), Err(MathError::DivisionByZero(_))));
    }
}
