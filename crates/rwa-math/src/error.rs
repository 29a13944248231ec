//! The errors of every checked operation, saying what went wrong and, for arithmetic faults,
//! which line of which source file raised them.
use core::fmt;
use core::panic::Location;

/// Why a computation was refused. Arithmetic faults carry the caller's source location.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MathError {
    /// A result does not fit its type.
    Overflow(&'static Location<'static>),
    /// A division by zero was asked for.
    DivisionByZero(&'static Location<'static>),
    /// An annual rate above `MAX_ANNUAL_RATE` (1000%).
    RateTooHigh,
    /// A probability of default above 100%.
    ProbabilityAboveOne,
    /// A loss given default above 100%.
    LgdAboveOne,
    /// Write-down steps not strictly ascending in days late, or fractions decreasing.
    WriteDownNotMonotonic,
    /// A write-down fraction above 100%.
    WriteDownAboveOne,
    /// More write-down steps than `MAX_WRITE_DOWN_STEPS`.
    TooManyWriteDownSteps,
    /// Cash flows not strictly ascending in due time (unsorted or duplicated).
    ScheduleNotSorted,
    /// More cash flows than `MAX_CASH_FLOWS`.
    ScheduleTooLong,
    /// A cash flow due more than `MAX_HORIZON_SECS` after the valuation time.
    HorizonTooLong,
    /// A decimal exponent outside the supported range.
    ExponentOutOfRange,
    /// Exit-curve discounts out of order, above 100%, or an exponent out of range.
    CurveOutOfRange,
    /// A sale larger than what is left of the epoch's budget.
    BudgetExceeded,
}

/// `MathError::Overflow` at the line where the macro is written.
#[macro_export]
macro_rules! overflow {
    () => {
        $crate::MathError::Overflow(::core::panic::Location::caller())
    };
}

/// `MathError::DivisionByZero` at the line where the macro is written.
#[macro_export]
macro_rules! division_by_zero {
    () => {
        $crate::MathError::DivisionByZero(::core::panic::Location::caller())
    };
}

impl fmt::Display for MathError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MathError::Overflow(at) => {
                write!(f, "arithmetic overflow at {}:{}", at.file(), at.line())
            }
            MathError::DivisionByZero(at) => {
                write!(f, "division by zero at {}:{}", at.file(), at.line())
            }
            other => write!(f, "{other:?}"),
        }
    }
}

/// Result of a checked computation.
pub type MathResult<T> = Result<T, MathError>;
