//! Small amount conversions of the reserve, each rounding named and in the reserve's favour.
use anchor_lang::prelude::*;
use rwa_math::Fixed;

use crate::errors::{math_err, ReserveError};
use crate::state::BPS;

/// `floor(amount x bps / 10,000)`: a share paid out.
pub fn bps_floor(amount: u64, bps: u16) -> Result<u64> {
    let q = amount as u128 * bps as u128 / BPS as u128;
    u64::try_from(q).map_err(|_| error!(ReserveError::MathOverflow))
}

/// `floor(amount x numerator / denominator)`.
pub fn mul_div_floor(amount: u64, numerator: u64, denominator: u64) -> Result<u64> {
    require!(denominator > 0, ReserveError::MathOverflow);
    let q = amount as u128 * numerator as u128 / denominator as u128;
    u64::try_from(q).map_err(|_| error!(ReserveError::MathOverflow))
}

/// Units whose value at `price` is at most `value`: `floor(value / price)` (what the refusals
/// say fits; 0 when the price is 0).
pub fn units_for(value: u64, price: Fixed) -> Result<u64> {
    if price == Fixed::ZERO {
        return Ok(0);
    }
    Fixed::from_u64(value).div_floor(price).and_then(|q| q.try_floor_u64()).map_err(math_err)
}
