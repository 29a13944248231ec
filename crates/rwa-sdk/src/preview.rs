//! Valuation previews: what an exit pays, computed off chain exactly as the programs compute it
//! (`rwa-math`, the same roundings), so a wallet can show "you will receive X" before signing
//! and set `min_out` from it.
//!
//! - [`preview_pool_value`]: a pool's value from its remaining cash flows and risk inputs
//!   (`rwa_math::value_cash_flows`, as dcf-pricer's `refresh_rate` values it);
//! - [`preview_refresh`]: the unit price a `refresh_rate` sent now would publish (the feeds read
//!   as the pricer reads them, the rise cap applied);
//! - [`exchange_out`] / [`preview_exchange`]: what value-anchor's `exchange` mints,
//!   `floor(floor(units x price) x (1 - haircut))`;
//! - [`preview_sell_to_reserve`]: what buyback-reserve's `sell_to_reserve` pays on the exit
//!   curve (`rwa_math::ExitCurve`), after the epoch roll.
//!
//! Each preview also refuses, by the program's own error, what the instruction would refuse
//! from the same state (budget, cap, cash, capacity, ceilings, a stale or changed rate).
use anchor_lang::prelude::Pubkey;
use buyback_reserve::state::{ListedPool, ReserveBook, ReserveParams};
use dcf_pricer::state::{PoolPricing, PricerConfig};
use receivables::state::{Pool, PoolStatus};
use rwa_math::{
    biased_risk, next_price, value_cash_flows, CurveSale, ExitCurve, Fixed, FlowStatus, MathError,
    PoolValue, Quote, Valuation, WriteDownStep,
};
use rwa_oracle::state::{Feed, FeedKind, FeedValue, ReadOptions};
use value_anchor::state::{AcceptedPool, AnchorConfig, Backing};

use crate::errors::{decode_error, DecodedError};

const BPS: u64 = 10_000;

/// Why a preview has no amount: the instruction would fail (by the program's own error), or
/// the arithmetic did.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PreviewError {
    /// The instruction would be refused with `error`; `detail` says what fits where the
    /// program's log would.
    #[error("{error}{}", if .detail.is_empty() { String::new() } else { format!(" ({})", .detail) })]
    Refused {
        /// The program's error.
        error: DecodedError,
        /// What fits, or why.
        detail: String,
    },
    /// rwa-math refused a computation.
    #[error("math: {0}")]
    Math(MathError),
}

impl From<MathError> for PreviewError {
    fn from(e: MathError) -> Self {
        PreviewError::Math(e)
    }
}

/// A refusal by one of a program's `#[error_code]` variants.
macro_rules! refused {
    ($program:expr, $error:expr) => {
        refused!($program, $error, String::new())
    };
    ($program:expr, $error:expr, $detail:expr) => {{
        let e = $error;
        PreviewError::Refused {
            error: DecodedError {
                program: $program,
                code: u32::from(e),
                name: e.name(),
                message: e.to_string(),
            },
            detail: $detail,
        }
    }};
}

/// A refusal raised by a program function the preview calls (the pricer's rate read, the
/// oracle's feed read, value-anchor's capacity), decoded in `program_id`'s frame.
pub(crate) fn program_refusal(program_id: &Pubkey, e: anchor_lang::error::Error) -> PreviewError {
    match e {
        anchor_lang::error::Error::AnchorError(a) => {
            let error =
                decode_error(program_id, a.error_code_number).unwrap_or_else(|| DecodedError {
                    program: "unknown",
                    code: a.error_code_number,
                    name: a.error_name.clone(),
                    message: a.error_msg.clone(),
                });
            PreviewError::Refused { error, detail: String::new() }
        }
        anchor_lang::error::Error::ProgramError(p) => PreviewError::Refused {
            error: DecodedError {
                program: "runtime",
                code: 0,
                name: "ProgramError".into(),
                message: p.to_string(),
            },
            detail: String::new(),
        },
    }
}

/// The risk inputs of a valuation, as oracle values with their confidence (Fixed): the
/// pricer takes each at `value + confidence`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RiskInputs {
    /// The benchmark rate (annual).
    pub benchmark: Quote,
    /// The grade's credit spread (annual).
    pub spread: Quote,
    /// The grade's annual probability of default.
    pub pd: Quote,
    /// The grade's loss given default.
    pub lgd: Quote,
}

impl RiskInputs {
    /// From the four feed values the pricer reads (benchmark, spread, PD, LGD).
    pub fn from_feed_values(values: &[FeedValue; 4]) -> Self {
        let q = |v: &FeedValue| Quote {
            value: Fixed::from_raw(v.value),
            confidence: Fixed::from_raw(v.confidence),
        };
        RiskInputs {
            benchmark: q(&values[0]),
            spread: q(&values[1]),
            pd: q(&values[2]),
            lgd: q(&values[3]),
        }
    }
}

/// A pool's value as `refresh_rate` computes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PoolValuePreview {
    /// The flows' valuation (for a Defaulted pool, the lower of the defaulted and the
    /// scheduled valuation).
    pub flows: Valuation,
    /// Recoveries already in the vault, taken off a Defaulted pool's flows (0 otherwise).
    pub recovered: u64,
    /// Vault cash, the flows' value net of recoveries, and their sum.
    pub value: PoolValue,
}

/// The value at `now` of `pool` with `vault_cash` in its vault, under `inputs` (taken at value +
/// confidence) and the grade's overdue `write_down` steps: what dcf-pricer's `refresh_rate`
/// computes. Active, Late and Defaulted pools are valued from their outstanding flows (a
/// Defaulted pool at the lower of its expected recovery and its flows as scheduled, less the
/// recoveries already received); Matured, WrittenOff and Closed pools are their vault; Draft and
/// Cancelled pools are refused (`PoolNotPriceable`).
pub fn preview_pool_value(
    pool: &Pool,
    write_down: &[WriteDownStep],
    inputs: &RiskInputs,
    vault_cash: u64,
    now: i64,
) -> Result<PoolValuePreview, PreviewError> {
    use dcf_pricer::errors::PricerError;
    let zero = Valuation { value: 0, undiscounted: 0, value_q127: rwa_math::wide::U256::ZERO };
    let (flows, recovered) = match pool.status {
        PoolStatus::Draft | PoolStatus::Cancelled => {
            return Err(refused!("dcf-pricer", PricerError::PoolNotPriceable))
        }
        PoolStatus::Matured | PoolStatus::WrittenOff | PoolStatus::Closed => (zero, 0),
        PoolStatus::Active | PoolStatus::Late | PoolStatus::Defaulted => {
            let risk = biased_risk(inputs.benchmark, inputs.spread, inputs.pd, inputs.lgd)
                .map_err(|e| match e {
                    MathError::RateTooHigh
                    | MathError::ProbabilityAboveOne
                    | MathError::LgdAboveOne => {
                        refused!("dcf-pricer", PricerError::RiskInputOutOfRange)
                    }
                    other => PreviewError::Math(other),
                })?;
            let scheduled = value_cash_flows(
                pool.valuation_flows_as(FlowStatus::Scheduled),
                now,
                &risk,
                write_down,
            )?;
            if pool.status == PoolStatus::Defaulted {
                let defaulted = value_cash_flows(
                    pool.valuation_flows_as(FlowStatus::Defaulted),
                    now,
                    &risk,
                    write_down,
                )?;
                let lower = if defaulted.value <= scheduled.value { defaulted } else { scheduled };
                (lower, pool.total_recovered)
            } else {
                (scheduled, 0)
            }
        }
    };
    let value = PoolValue::new(vault_cash, &flows, recovered)?;
    Ok(PoolValuePreview { flows, recovered, value })
}

/// What a `refresh_rate` sent at `now` would publish.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RatePreview {
    /// The published unit price (the rise cap applied; never below the cash floor).
    pub unit_price: Fixed,
    /// The price as computed, `floor(pool_value / supply)`.
    pub computed_price: Fixed,
    /// Whether the rise cap holds the published price below the computed one.
    pub capped: bool,
    /// The pool's value.
    pub value: PoolValue,
    /// The unit supply the price divides by.
    pub units: u64,
}

/// The accounts a refresh reads, as the SDK fetched them.
#[derive(Clone, Copy)]
pub struct RefreshState<'a> {
    /// The pricer's config.
    pub pricer_config: &'a PricerConfig,
    /// The pool's pricing.
    pub pricing: &'a PoolPricing,
    /// The receivables pool.
    pub pool: &'a Pool,
    /// The oracle's pause flag.
    pub oracle_paused: bool,
    /// The pool's grade: its overdue write-down steps.
    pub grade: &'a rwa_oracle::state::GradeRisk,
    /// The benchmark, spread, PD and LGD feeds, in that order.
    pub feeds: [&'a Feed; 4],
    /// The pool vault's balance.
    pub vault_cash: u64,
    /// The unit mint's supply.
    pub units: u64,
}

/// The rate `refresh_rate` would publish at `now` from `state`: every feed read as the pricer
/// reads it (`Feed::read` with the pricing's input age; a refusal is the oracle's error), the
/// pool valued ([`preview_pool_value`]), the price rounded down and moved by the pricer's rule
/// (falls at once, rises capped, never below the cash floor).
pub fn preview_refresh(state: &RefreshState, now: i64) -> Result<RatePreview, PreviewError> {
    use dcf_pricer::errors::PricerError;
    if state.pricer_config.paused {
        return Err(refused!("dcf-pricer", PricerError::PricerPaused));
    }
    let kinds = [
        FeedKind::BenchmarkRate,
        FeedKind::CreditSpread,
        FeedKind::DefaultProbability,
        FeedKind::LossGivenDefault,
    ];
    let options = ReadOptions::max_age(state.pricing.params.max_input_age_secs);
    let mut values = [FeedValue { value: 0, confidence: 0, publish_ts: 0 }; 4];
    for ((slot, feed), kind) in values.iter_mut().zip(state.feeds).zip(kinds) {
        if feed.params.kind != kind {
            return Err(refused!("dcf-pricer", PricerError::FeedKindMismatch));
        }
        *slot = feed
            .read(state.oracle_paused, now, options)
            .map_err(|e| program_refusal(&dcf_pricer::ID, e))?;
    }
    let (steps, len) = state.grade.write_down_steps();
    let inputs = RiskInputs::from_feed_values(&values);
    let pv = preview_pool_value(state.pool, &steps[..len], &inputs, state.vault_cash, now)?;
    if state.units == 0 {
        return Err(refused!("dcf-pricer", PricerError::NoUnitsOutstanding));
    }
    let computed = pv.value.unit_price_floor(state.units)?;
    let limit =
        state.pricing.params.rise_limit().map_err(|e| program_refusal(&dcf_pricer::ID, e))?;
    let cash_floor = Fixed::from_ratio_floor(pv.value.vault_cash, state.units)?;
    let (next, capped) = next_price(state.pricing.price_state(), computed, cash_floor, now, limit)?;
    Ok(RatePreview {
        unit_price: next.published,
        computed_price: computed,
        capped,
        value: pv.value,
        units: state.units,
    })
}

/// What an exchange of `units` pays at `price` with a `haircut_bps` haircut.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ExchangeQuote {
    /// The unit price applied (Fixed).
    pub price: Fixed,
    /// `floor(units x price)`: the value added to the backing.
    pub value: u64,
    /// Anchor tokens minted: `floor(value x (10,000 - haircut_bps) / 10,000)`.
    pub minted: u64,
}

/// `floor(floor(units x price) x (10,000 - haircut_bps) / 10,000)`, as value-anchor's
/// `exchange` computes it.
pub fn exchange_out(
    units: u64,
    price: Fixed,
    haircut_bps: u16,
) -> Result<ExchangeQuote, MathError> {
    let value = price.mul_u64_floor(units)?;
    let keep = BPS.saturating_sub(haircut_bps as u64);
    let minted = u64::try_from(value as u128 * keep as u128 / BPS as u128)
        .map_err(|_| rwa_math::overflow!())?;
    Ok(ExchangeQuote { price, value, minted })
}

/// The value-anchor state an exchange reads, as the SDK fetched it.
#[derive(Clone, Copy)]
pub struct ExchangeState<'a> {
    /// value-anchor's config (pause, global ceiling, price age).
    pub config: &'a AnchorConfig,
    /// The pool's `AcceptedPool` (haircut, ceiling, capacity, intake).
    pub accepted: &'a AcceptedPool,
    /// The backing (the pool's entry and the pools' total value).
    pub backing: &'a Backing,
    /// The receivables pool.
    pub pool: &'a Pool,
}

/// What `exchange(units)` mints at `now` when the pool's fresh unit price is `price` (the
/// stored rate's, or [`preview_refresh`]'s when a refresh goes first in the same transaction),
/// refusing as the program would: `Paused`, `IntakeStopped`, `InvalidAmount`, `PoolInDefault`,
/// `RoundsToZero`, `CapacityExceeded`, `PoolCeilingExceeded`, `GlobalCeilingExceeded`. The mint
/// check after it (`StaleBacking`, `Undercollateralised`) depends on every other entry and is not
/// previewed.
pub fn preview_exchange(
    state: &ExchangeState,
    price: Fixed,
    units: u64,
    now: i64,
) -> Result<ExchangeQuote, PreviewError> {
    use value_anchor::errors::AnchorTokenError;
    const VA: &str = "value-anchor";
    let (config, accepted) = (state.config, state.accepted);
    if config.paused {
        return Err(refused!(VA, AnchorTokenError::Paused));
    }
    if !accepted.intake_open {
        return Err(refused!(VA, AnchorTokenError::IntakeStopped));
    }
    if units == 0 {
        return Err(refused!(VA, AnchorTokenError::InvalidAmount));
    }
    if state.pool.status == PoolStatus::Defaulted {
        return Err(refused!(VA, AnchorTokenError::PoolInDefault));
    }
    let quote = exchange_out(units, price, accepted.params.haircut_bps)?;
    if quote.minted == 0 {
        return Err(refused!(VA, AnchorTokenError::RoundsToZero));
    }
    let available =
        accepted.usage().available(now).map_err(|e| program_refusal(&value_anchor::ID, e))?;
    if quote.value > available {
        return Err(refused!(
            VA,
            AnchorTokenError::CapacityExceeded,
            format!("{available} of value fits now")
        ));
    }
    let entry = state.backing.entries.get(accepted.slot as usize).copied().unwrap_or_default();
    let entry_units = entry.units.checked_add(units).ok_or_else(|| rwa_math::overflow!())?;
    let entry_value = price.mul_u64_floor(entry_units)?;
    if entry_value > accepted.params.ceiling {
        return Err(refused!(VA, AnchorTokenError::PoolCeilingExceeded));
    }
    let pools_value = state
        .backing
        .pools_value
        .saturating_sub(entry.value)
        .checked_add(entry_value)
        .ok_or_else(|| rwa_math::overflow!())?;
    if pools_value > config.params.global_ceiling {
        return Err(refused!(VA, AnchorTokenError::GlobalCeilingExceeded));
    }
    Ok(quote)
}

/// What a sale to the reserve pays.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SaleQuote {
    /// The unit price applied (Fixed).
    pub price: Fixed,
    /// The curve's sale: `value = floor(units x price)`, the discount (rounded up) and
    /// `paid = value - discount`.
    pub sale: CurveSale,
    /// The discount's share paid to the insurance pool (while it has stakers).
    pub to_insurance: u64,
    /// The epoch budget's usage before and after the sale (after the epoch roll), and the
    /// budget.
    pub used_before: u64,
    /// Usage after the sale.
    pub used_after: u64,
    /// The epoch's sale budget.
    pub budget: u64,
}

/// The budget usage at `now` under the epoch roll rule: a new epoch (usage 0) once
/// `epoch_secs` have passed since `epoch_start`.
pub fn sale_used_at(book: &ReserveBook, epoch_secs: u32, now: i64) -> u64 {
    if now >= book.epoch_start.saturating_add(epoch_secs as i64) {
        0
    } else {
        book.sale_used
    }
}

/// What `sell_to_reserve(units)` pays at `now` at the fresh unit `price` (the stored rate's,
/// or [`preview_refresh`]'s when a refresh goes first in the same transaction): `value =
/// floor(units x price)`, the exit curve of the listed pool's grade over the utilisation the sale
/// spans after the epoch roll, and the insurance share of the discount; refusing as the program
/// would (`InvalidAmount`, `RoundsToZero`, `EpochBudgetExceeded` and `PoolCapExceeded` with what
/// fits, `InsufficientCash`). The pause and a Defaulted pool are the caller's to check (see
/// [`crate::Sdk::quote_sell_to_reserve`]).
pub fn preview_sell_to_reserve(
    book: &ReserveBook,
    params: &ReserveParams,
    listed: &ListedPool,
    price: Fixed,
    units: u64,
    now: i64,
) -> Result<SaleQuote, PreviewError> {
    use buyback_reserve::errors::ReserveError;
    const BR: &str = "buyback-reserve";
    if units == 0 {
        return Err(refused!(BR, ReserveError::InvalidAmount));
    }
    let used = sale_used_at(book, params.epoch_secs, now);
    let value = price.mul_u64_floor(units)?;
    if value == 0 {
        return Err(refused!(BR, ReserveError::RoundsToZero));
    }
    let left = params.sale_budget.saturating_sub(used);
    let units_for = |v: u64| -> Result<u64, MathError> {
        if price == Fixed::ZERO {
            return Ok(0);
        }
        Fixed::from_u64(v).div_floor(price)?.try_floor_u64()
    };
    if value > left {
        let fits = units_for(left)?;
        return Err(refused!(
            BR,
            ReserveError::EpochBudgetExceeded,
            format!("{fits} units fit ({left} of value)")
        ));
    }
    let held = book.holdings.get(listed.slot as usize).map_or(0, |h| h.units);
    let held_after = held.checked_add(units).ok_or_else(|| rwa_math::overflow!())?;
    if price.mul_u64_floor(held_after)? > listed.cap {
        let fits = units_for(listed.cap)?.saturating_sub(held);
        return Err(refused!(BR, ReserveError::PoolCapExceeded, format!("{fits} units fit")));
    }
    let min_bps = params
        .min_discount_bps
        .get(listed.grade as usize)
        .copied()
        .ok_or_else(|| refused!(BR, ReserveError::InvalidParams))?;
    let curve = ExitCurve::from_bps(min_bps, params.max_discount_bps, params.curve_exponent)
        .map_err(|_| refused!(BR, ReserveError::InvalidExitCurve))?;
    let sale = curve.sale(params.sale_budget, used, value)?;
    let to_insurance = if book.insurance_shares > 0 {
        u64::try_from(
            sale.discount as u128 * params.discount_to_insurance_bps as u128 / BPS as u128,
        )
        .map_err(|_| rwa_math::overflow!())?
    } else {
        0
    };
    let cost = sale.paid.checked_add(to_insurance).ok_or_else(|| rwa_math::overflow!())?;
    if cost > book.cash {
        return Err(refused!(
            BR,
            ReserveError::InsufficientCash,
            format!("{} of cost fits", book.cash)
        ));
    }
    if sale.paid == 0 {
        return Err(refused!(BR, ReserveError::RoundsToZero));
    }
    Ok(SaleQuote {
        price,
        sale,
        to_insurance,
        used_before: used,
        used_after: used + value,
        budget: params.sale_budget,
    })
}

/// What a deposit into one of the reserve's share vaults (its capital, or the insurance pool)
/// mints.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ShareQuote {
    /// The assets the shares are priced at: for the capital, its net assets (idle cash,
    /// holdings at the fresh price, anchor tokens held); for the insurance pool, its cash.
    pub assets: u64,
    /// Whether `assets` is what the program will compute (`false`: an upper bound, so `shares`
    /// is a lower bound of what the deposit mints, as `min_shares` needs).
    pub exact: bool,
    /// The vault's shares before the deposit.
    pub total_shares: u64,
    /// Shares minted: `floor(amount x (total_shares + V) / (assets + 1))` (rwa-math's
    /// `shares_for_deposit`).
    pub shares: u64,
}

/// What a deposit of `amount` into a share vault priced at `assets` behind `total_shares` mints,
/// refusing as buyback-reserve's `ShareVault` would: `InvalidAmount`, `FirstDepositTooSmall`
/// into an empty vault, `RoundsToZero`.
pub fn preview_share_deposit(
    assets: u64,
    exact: bool,
    total_shares: u64,
    amount: u64,
) -> Result<ShareQuote, PreviewError> {
    use buyback_reserve::{errors::ReserveError, state::MIN_FIRST_DEPOSIT};
    const BR: &str = "buyback-reserve";
    if amount == 0 {
        return Err(refused!(BR, ReserveError::InvalidAmount));
    }
    if total_shares == 0 && amount < MIN_FIRST_DEPOSIT {
        return Err(refused!(
            BR,
            ReserveError::FirstDepositTooSmall,
            format!("a first deposit is at least {MIN_FIRST_DEPOSIT}")
        ));
    }
    let shares = rwa_math::shares::shares_for_deposit(amount, assets, total_shares)?;
    if shares == 0 {
        return Err(refused!(BR, ReserveError::RoundsToZero));
    }
    Ok(ShareQuote { assets, exact, total_shares, shares })
}

/// What `stake_insurance(amount)` mints now: the insurance pool is priced at its cash, so the
/// quote is exact (`Paused` refused as the program does).
pub fn preview_stake_insurance(
    book: &ReserveBook,
    paused: bool,
    amount: u64,
) -> Result<ShareQuote, PreviewError> {
    if paused {
        return Err(refused!("buyback-reserve", buyback_reserve::errors::ReserveError::Paused));
    }
    preview_share_deposit(book.insurance_cash, true, book.insurance_shares, amount)
}

/// `min_out` for an expected payout less a tolerance of `slippage_bps`, rounded down.
pub fn min_out(expected: u64, slippage_bps: u16) -> u64 {
    let keep = BPS.saturating_sub(slippage_bps as u64);
    (expected as u128 * keep as u128 / BPS as u128) as u64
}

#[cfg(test)]
mod tests {
    use super::*;
    use buyback_reserve::state::Holding;
    use receivables::state::{AssetClass, CashFlow};
    use rwa_oracle::state::{GradeRisk, WriteDownStepRaw};

    const NOW: i64 = 1_800_000_000;
    const DAY: i64 = 86_400;

    /// A deterministic stream of pseudo-random numbers (xorshift), for grids of cases.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }

        fn below(&mut self, n: u64) -> u64 {
            self.next() % n
        }
    }

    fn bps(b: u64) -> u128 {
        ((b as u128) << 64) / 10_000
    }

    fn refused_name(e: PreviewError) -> String {
        match e {
            PreviewError::Refused { error, .. } => error.name,
            other => panic!("expected a refusal, got {other:?}"),
        }
    }

    #[test]
    fn an_exchange_pays_what_value_anchor_computes() {
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        for _ in 0..20_000 {
            let units = rng.below(1 << 40);
            // prices from 0 to 4 base units a unit, in any binary fraction
            let price = Fixed::from_raw((rng.next() as u128) % (4u128 << 64));
            let haircut = rng.below(5_001) as u16;
            let quote = exchange_out(units, price, haircut).unwrap();
            let (value, minted) = value_anchor::math::exchange_out(units, price, haircut).unwrap();
            assert_eq!((quote.value, quote.minted), (value, minted), "{units} {price:?} {haircut}");
        }
        // floor(floor(units x price) x (1 - haircut)): 0.97 in binary is a hair below 0.97
        let price = Fixed::from_ratio_floor(97, 100).unwrap();
        let q = exchange_out(1_000_000, price, 200).unwrap();
        assert_eq!((q.value, q.minted), (969_999, 950_599));
    }

    fn params() -> ReserveParams {
        ReserveParams {
            epoch_secs: 86_400,
            sale_budget: 100_000_000_000,
            min_discount_bps: [50, 100, 150, 200, 300],
            max_discount_bps: 1_000,
            curve_exponent: 2,
            bid_band_bps: 30,
            bid_budget: 50_000_000_000,
            max_price_age_secs: 900,
            discount_to_insurance_bps: 2_000,
            fee_to_insurance_bps: 3_000,
            fee_to_stakers_bps: 2_000,
            deposit_cooldown_secs: 7 * 86_400,
            deposit_window_secs: 2 * 86_400,
            stake_cooldown_secs: 10 * 86_400,
            stake_window_secs: 2 * 86_400,
        }
    }

    fn book(sale_used: u64, epoch_start: i64, cash: u64, held: u64, stakers: bool) -> ReserveBook {
        let mut holdings = [Holding::default(); 16];
        holdings[0].units = held;
        ReserveBook {
            holdings,
            holding_count: 1,
            cash,
            shares: 1,
            anchor_held: 0,
            epoch_start,
            sale_used,
            bid_used: 0,
            claim_open: false,
            claims_opened: 0,
            insurance_cash: 0,
            insurance_shares: if stakers { 1_000 } else { 0 },
            covered_total: 0,
            insurance_generation: 0,
            staked: 0,
            reward_per_token: 0,
            rewards_cash: 0,
            bump: 0,
        }
    }

    fn listed(grade: u8, cap: u64) -> ListedPool {
        ListedPool {
            pool: Pubkey::new_unique(),
            pricing: Pubkey::new_unique(),
            unit_mint: Pubkey::new_unique(),
            unit_token_program: Pubkey::new_unique(),
            units_vault: Pubkey::new_unique(),
            slot: 0,
            grade,
            cap,
            bump: 0,
        }
    }

    /// The sale as buyback-reserve's own functions compute it: the book's epoch roll, the
    /// config's curve of the grade, the curve's sale and the insurance share.
    fn program_sale(
        book: &ReserveBook,
        params: &ReserveParams,
        grade: u8,
        price: Fixed,
        units: u64,
        now: i64,
    ) -> (CurveSale, u64, u64) {
        let mut book = book.clone();
        book.roll_epoch(now, params.epoch_secs);
        let value = price.mul_u64_floor(units).unwrap();
        let sale =
            params.curve(grade).unwrap().sale(params.sale_budget, book.sale_used, value).unwrap();
        let to_insurance = if book.insurance_shares > 0 {
            buyback_reserve::math::bps_floor(sale.discount, params.discount_to_insurance_bps)
                .unwrap()
        } else {
            0
        };
        (sale, to_insurance, book.sale_used)
    }

    #[test]
    fn a_sale_to_the_reserve_pays_what_the_reserve_computes_after_the_epoch_roll() {
        let p = params();
        let mut rng = Rng(0x2545_f491_4f6c_dd1d);
        let mut checked = 0;
        for _ in 0..5_000 {
            let used = rng.below(p.sale_budget);
            let start = NOW - rng.below(3 * 86_400) as i64;
            let b = book(used, start, u64::MAX / 4, 0, rng.below(2) == 0);
            let grade = rng.below(5) as u8;
            let price = Fixed::from_raw(bps(5_000 + rng.below(10_000)));
            let units = 1 + rng.below(p.sale_budget / 4);
            let l = listed(grade, u64::MAX);
            match preview_sell_to_reserve(&b, &p, &l, price, units, NOW) {
                Ok(q) => {
                    let (sale, to_insurance, used_before) =
                        program_sale(&b, &p, grade, price, units, NOW);
                    assert_eq!(
                        (q.sale, q.to_insurance, q.used_before),
                        (sale, to_insurance, used_before)
                    );
                    assert_eq!(q.used_after, used_before + sale.value);
                    checked += 1;
                }
                Err(e) => assert_eq!(refused_name(e), "EpochBudgetExceeded"),
            }
        }
        assert!(checked > 1_000, "{checked} sales priced");
    }

    #[test]
    fn the_specs_grade_one_curve_takes_four_percent_of_a_whole_budget() {
        // d(u) = 1% + 9% u^2 for grade 1: a sale of the whole budget from an empty epoch pays
        // the curve's average, 1% + 3% = 4%
        let p = params();
        let b = book(0, NOW, u64::MAX / 4, 0, false);
        let q =
            preview_sell_to_reserve(&b, &p, &listed(1, u64::MAX), Fixed::ONE, p.sale_budget, NOW)
                .unwrap();
        assert_eq!(q.sale.discount, p.sale_budget / 25);
        assert_eq!(q.sale.paid, p.sale_budget - p.sale_budget / 25);
        assert_eq!(q.to_insurance, 0, "no stakers: the discount stays with the depositors");
    }

    #[test]
    fn a_new_epoch_starts_the_budget_over() {
        let p = params();
        let full = book(p.sale_budget, NOW - 86_400, u64::MAX / 4, 0, true);
        let l = listed(1, u64::MAX);
        // a second before the epoch ends nothing fits; at its end the whole budget does
        let e = preview_sell_to_reserve(&full, &p, &l, Fixed::ONE, 1, NOW - 1).unwrap_err();
        assert_eq!(refused_name(e), "EpochBudgetExceeded");
        let q = preview_sell_to_reserve(&full, &p, &l, Fixed::ONE, p.sale_budget, NOW).unwrap();
        assert_eq!((q.used_before, q.used_after), (0, p.sale_budget));
        assert_eq!(sale_used_at(&full, p.epoch_secs, NOW - 1), p.sale_budget);
    }

    #[test]
    fn a_sale_is_refused_by_the_reserves_own_errors_saying_what_fits() {
        let p = params();
        let l = listed(1, 1_000_000);
        let price = Fixed::from_u64(2);
        let b = book(p.sale_budget - 100, NOW, u64::MAX / 4, 0, false);
        match preview_sell_to_reserve(&b, &p, &l, price, 51, NOW).unwrap_err() {
            PreviewError::Refused { error, detail } => {
                assert_eq!(
                    (error.program, error.name.as_str(), error.code),
                    ("buyback-reserve", "EpochBudgetExceeded", 6810)
                );
                assert_eq!(detail, "50 units fit (100 of value)");
            }
            other => panic!("{other:?}"),
        }
        let b = book(0, NOW, u64::MAX / 4, 499_000, false);
        match preview_sell_to_reserve(&b, &p, &l, price, 1_001, NOW).unwrap_err() {
            PreviewError::Refused { error, detail } => {
                assert_eq!(error.name, "PoolCapExceeded");
                assert_eq!(detail, "1000 units fit");
            }
            other => panic!("{other:?}"),
        }
        let b = book(0, NOW, 10, 0, false);
        let e = preview_sell_to_reserve(&b, &p, &l, price, 100, NOW).unwrap_err();
        assert_eq!(refused_name(e), "InsufficientCash");
        let e = preview_sell_to_reserve(&b, &p, &l, price, 0, NOW).unwrap_err();
        assert_eq!(refused_name(e), "InvalidAmount");
        let e = preview_sell_to_reserve(&b, &p, &l, Fixed::from_raw(1), 1, NOW).unwrap_err();
        assert_eq!(refused_name(e), "RoundsToZero");
    }

    fn pool(amounts: &[u64], first_due_days: i64, status: PoolStatus) -> Pool {
        Pool {
            issuer: Pubkey::new_unique(),
            servicer: Pubkey::new_unique(),
            currency_mint: Pubkey::new_unique(),
            unit_mint: Pubkey::new_unique(),
            vault: Pubkey::new_unique(),
            index: 0,
            asset_class: AssetClass::SmeLoan,
            grade: 1,
            status,
            face_value: 1,
            unit_size: 1,
            units_minted: 1,
            total_repaid: 0,
            total_recovered: 0,
            doc_hash: [0; 32],
            uri: String::new(),
            schedule: amounts
                .iter()
                .enumerate()
                .map(|(i, &amount)| CashFlow {
                    due_ts: NOW + (first_due_days + 30 * i as i64) * DAY,
                    amount,
                    paid: 0,
                    written_off: 0,
                })
                .collect(),
            bump: 0,
            unit_mint_bump: 0,
            vault_bump: 0,
            defaulted_at: 0,
            version: 0,
        }
    }

    fn grade() -> GradeRisk {
        let mut g = GradeRisk {
            grade: 1,
            label: [0; 8],
            spread_feed: Pubkey::new_unique(),
            pd_feed: Pubkey::new_unique(),
            lgd_feed: Pubkey::new_unique(),
            write_down: Default::default(),
            write_down_len: 0,
            bump: 0,
        };
        let steps = [(30, 1_000), (90, 5_000), (180, 10_000)]
            .map(|(days_late, b)| WriteDownStepRaw { days_late, fraction: bps(b) });
        g.set_write_down(&steps).unwrap();
        g
    }

    fn inputs(rates: [u64; 4], conf: u64) -> [FeedValue; 4] {
        rates.map(|b| FeedValue { value: bps(b), confidence: bps(conf), publish_ts: NOW })
    }

    #[test]
    fn a_pools_value_is_what_the_pricer_computes() {
        let g = grade();
        let (steps, len) = g.write_down_steps();
        let mut rng = Rng(0xdead_beef_cafe_f00d);
        for case in 0..300 {
            let n = 1 + rng.below(64) as usize;
            let amounts: Vec<u64> = (0..n).map(|_| 1 + rng.below(10_000_000_000)).collect();
            let first_due = rng.below(260) as i64 - 200;
            let status = [PoolStatus::Active, PoolStatus::Late, PoolStatus::Defaulted][case % 3];
            let mut p = pool(&amounts, first_due, status);
            let vault = rng.below(100_000_000_000);
            if status == PoolStatus::Defaulted {
                p.total_recovered = vault / 2;
            }
            let values = inputs(
                [rng.below(3_000), rng.below(3_000), rng.below(10_000), rng.below(10_000)],
                rng.below(200),
            );
            let ours = preview_pool_value(
                &p,
                &steps[..len],
                &RiskInputs::from_feed_values(&values),
                vault,
                NOW,
            )
            .unwrap();
            let (flows, recovered) =
                dcf_pricer::instructions::refresh_rate::value_flows(&p, &g, &values, NOW).unwrap();
            let theirs = PoolValue::new(vault, &flows, recovered).unwrap();
            assert_eq!((ours.flows, ours.recovered, ours.value), (flows, recovered, theirs));
        }
    }

    #[test]
    fn settled_pools_are_their_vault_and_drafts_have_no_value() {
        let values = RiskInputs::from_feed_values(&inputs([450, 350, 300, 4_500], 1));
        for status in [PoolStatus::Matured, PoolStatus::WrittenOff, PoolStatus::Closed] {
            let v = preview_pool_value(&pool(&[100], -400, status), &[], &values, 77, NOW).unwrap();
            assert_eq!((v.value.value, v.value.flows_value), (77, 0));
        }
        for status in [PoolStatus::Draft, PoolStatus::Cancelled] {
            let e =
                preview_pool_value(&pool(&[100], 10, status), &[], &values, 0, NOW).unwrap_err();
            assert_eq!(refused_name(e), "PoolNotPriceable");
        }
        let wild = RiskInputs::from_feed_values(&inputs([60_000, 50_000, 300, 4_500], 0));
        let active = pool(&[100], 10, PoolStatus::Active);
        let e = preview_pool_value(&active, &[], &wild, 0, NOW).unwrap_err();
        assert_eq!(refused_name(e), "RiskInputOutOfRange");
    }

    #[test]
    fn a_share_deposit_mints_what_the_reserves_share_vault_mints() {
        use buyback_reserve::state::ShareVault;
        let mut rng = Rng(0x0123_4567_89ab_cdef);
        for _ in 0..5_000 {
            let assets = rng.below(1 << 50);
            let shares = if rng.below(8) == 0 { 0 } else { rng.below(1 << 60) };
            let amount = rng.below(1 << 44);
            let ours = preview_share_deposit(assets, true, shares, amount);
            let (mut cash, mut total) = (0u64, shares);
            let mut vault = ShareVault { assets, cash: &mut cash, shares: &mut total };
            let theirs = vault.check_first(amount).and_then(|_| vault.deposit(amount, 0));
            match (ours, theirs) {
                (Ok(q), Ok(minted)) => assert_eq!(q.shares, minted),
                (Err(e), Err(_)) => {
                    let name = refused_name(e);
                    assert!(
                        ["InvalidAmount", "FirstDepositTooSmall", "RoundsToZero"]
                            .contains(&name.as_str()),
                        "{name}"
                    );
                }
                (ours, theirs) => panic!("{assets} {shares} {amount}: {ours:?} vs {theirs:?}"),
            }
        }
    }

    #[test]
    fn a_stake_is_quoted_at_the_insurance_pools_cash_and_refused_while_paused() {
        let mut b = book(0, NOW, 0, 0, true);
        b.insurance_cash = 20_000_000_000;
        let q = preview_stake_insurance(&b, false, 1_000_000_000).unwrap();
        let expected =
            rwa_math::shares::shares_for_deposit(1_000_000_000, b.insurance_cash, 1_000).unwrap();
        assert_eq!((q.shares, q.assets, q.exact), (expected, b.insurance_cash, true));
        let e = preview_stake_insurance(&b, true, 1_000_000_000).unwrap_err();
        assert_eq!(refused_name(e), "Paused");
        b.insurance_shares = 0;
        let e = preview_stake_insurance(&b, false, 999_999).unwrap_err();
        assert_eq!(refused_name(e), "FirstDepositTooSmall");
    }

    #[test]
    fn min_out_keeps_the_tolerance_rounded_down() {
        assert_eq!(min_out(1_000_000, 50), 995_000);
        assert_eq!(min_out(999, 1), 998);
        assert_eq!(min_out(5, 10_000), 0);
    }
}
