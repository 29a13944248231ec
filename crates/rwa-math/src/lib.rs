#![doc = include_str!("../README.md")]
#![no_std]
#![forbid(unsafe_code)]
#![deny(clippy::float_arithmetic, clippy::unwrap_used)]
#![cfg_attr(test, allow(clippy::unwrap_used))]

#[macro_use]
pub mod error;
pub mod discount;
pub mod exit_curve;
pub mod fixed;
pub mod frac;
pub mod pricing;
pub mod shares;
pub mod valuation;
pub mod wide;

#[cfg(test)]
extern crate std;
#[cfg(test)]
pub(crate) mod reference;

pub use error::{MathError, MathResult};
pub use exit_curve::{CurveSale, ExitCurve};
pub use fixed::Fixed;
pub use pricing::{biased_risk, next_price, PoolValue, PriceState, Quote, RiseLimit};
pub use valuation::{value_cash_flows, CashFlow, FlowStatus, RiskParams, Valuation, WriteDownStep};

/// Seconds in the (365-day) year rates are quoted over.
pub const SECONDS_PER_YEAR: u64 = 31_536_000;
/// Seconds in a day.
pub const SECONDS_PER_DAY: u64 = 86_400;
/// Longest horizon a cash flow may be valued at: 50 years.
pub const MAX_HORIZON_SECS: u64 = 50 * SECONDS_PER_YEAR;
/// Most cash flows one valuation takes.
pub const MAX_CASH_FLOWS: usize = 1_024;
/// Most write-down steps in a grade's overdue schedule.
pub const MAX_WRITE_DOWN_STEPS: usize = 8;
/// Highest annual rate accepted: 1000%.
pub const MAX_ANNUAL_RATE: Fixed = Fixed::from_u64(10);

/// Cases each property test runs: `RWA_MATH_PROPTEST_CASES` when set (the release soak),
/// otherwise the CI default.
#[cfg(test)]
pub(crate) fn test_cases() -> u32 {
    std::env::var("RWA_MATH_PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(10_000)
}
