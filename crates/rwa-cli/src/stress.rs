//! `rwa stress`: a credit crunch played day by day on the real programs.
//!
//! The same embedded bank as `rwa demo` (solana-program-test, the five programs natively, the
//! real SPL Token and Associated Token programs; the setup is [`crate::demo::ProtocolSetup`]):
//! N pools across grades with schedules of a few flows each, value-anchor with a funded PSM
//! reserve, the buyback reserve with capital and an insurance pool. Then, each day: publishers
//! move the benchmark rate, spreads, PD and LGD toward the day's values in hourly steps within
//! the oracle's deployed deviation bound (5% an hour); the servicer records the healthy pools'
//! repayments while a share of the pools (the worst grades first: defaults come together) stop
//! paying, go Late, cross the grade's write-down steps and default; a keeper refreshes every
//! price and backing entry and calls `cover_shortfall` (each refusal recorded); and a share of
//! the anchor-token and unit holders try to leave through every door: PSM redemption, the
//! reserve's anchor bid, in-kind redemption, sale to the reserve and exchange into the anchor
//! token. A door the programs refuse is recorded by its error name, and the holder tries the
//! next; an attempt every door refuses is recorded as stuck.
//!
//! Every figure in the report is read from program accounts (value-anchor's `Backing`, the
//! reserve's `ReserveBook` and `ReserveConfig`, dcf-pricer's `PoolPricing`, the oracle's feeds,
//! the pools, token balances and mint supplies); where the tool also computes a figure (the
//! backing ratio, the exit discount, what a redemption should pay) both are kept and compared.
//! The simulation only records; [`judge`] decides the verdict from the records, with integer
//! arithmetic only.
use std::collections::BTreeMap;
use std::path::Path;
use std::time::Instant;

use anchor_lang::{prelude::Pubkey, solana_program::system_instruction};
use anchor_spl::associated_token::get_associated_token_address_with_program_id;
use anyhow::{anyhow, bail, Context, Result};
use buyback_reserve::state::{ReserveBook, ReserveConfig, ReserveParams};
use dcf_pricer::state::PoolPricing;
use receivables::{
    state::{IssuerLimits, Pool, PoolStatus},
    ScheduledPayment,
};
use rwa_math::Fixed;
use rwa_oracle::state::WriteDownStepRaw;
use rwa_testkit::{
    anchor_token::{self as va, ExchangeAccounts, PsmAccounts},
    oracle::{self, GradeFeeds},
    pricer::{self, RefreshAccounts},
    registry::{self, Currency},
    reserve::{self, Valuation},
    solana_sdk::{
        instruction::Instruction,
        signature::{Keypair, Signer},
    },
    spl_token,
    token::TokenProgram,
    TestEnv,
};
use serde::{Deserialize, Serialize};
use value_anchor::state::{AnchorParams, Backing, PoolParams};

use crate::demo::{
    amount, feed_id, fixed_bps, token_program_of, Chain, Progress, ProtocolSetup, T0,
};
use crate::format::{self, Table};

const ONE: u64 = 1_000_000;
const DAY: i64 = 86_400;
const HOUR: i64 = 3_600;
/// Per-token values are in millionths of par (1,000,000 = one stable base unit per anchor
/// base unit).
const PPM: u128 = 1_000_000;
/// What is left in the insurance pool below which it counts as exhausted: the reserve wipes a
/// pool left under one whole token out (buyback-reserve SPEC, insurance step 2).
const INSURANCE_DUST: u64 = ONE;
/// The benchmark rate before the crunch, bps.
const BENCHMARK_BPS: u64 = 450;
/// value-anchor's PSM fees, bps.
const FEE_OUT_BPS: u16 = 5;
/// Each grade's spread, PD and LGD before the crunch, bps (grades 1..=4).
const GRADE_BPS: [[u64; 3]; 4] =
    [[200, 100, 4_000], [350, 250, 4_500], [600, 800, 5_500], [900, 1_500, 6_500]];
/// The oracle's deviation bound on the rate feeds (`rwa_testkit::oracle::rate_params`, as
/// deployed): 5% of the last accepted value within an hour's window.
const ORACLE_DEVIATION_BPS: u16 = 500;
/// Most hourly publications a day: a day's events happen at its `at`, 24 hours after the
/// previous day's, so the steps run from an hour after the previous day's last one to `at`.
const MAX_ORACLE_STEPS: usize = 24;

/// One hourly step of a feed from `current` toward `target` within the deviation bound:
/// at most `floor(current x bound / 10,000)` either way (the oracle's own rounding).
pub fn oracle_step(current: u128, target: u128, bound_bps: u16) -> u128 {
    let room = current / 10_000 * bound_bps as u128 + current % 10_000 * bound_bps as u128 / 10_000;
    if target >= current {
        target.min(current.saturating_add(room))
    } else {
        target.max(current - room)
    }
}

// ---------------------------------------------------------------------------------------
// The scenario

/// A stress scenario: every field has a default (`rwa stress` with no arguments), a TOML file
/// sets any of them (`--scenario`), and flags override both.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(default, deny_unknown_fields)]
pub struct Scenario {
    /// A name for the report.
    pub name: String,
    /// The seed of the deterministic generator (pool sizes, schedules, who exits when).
    pub seed: u64,
    /// Pools, 1..=16 (value-anchor and the reserve take 16), grades 1 to 4 in turn.
    pub pools: usize,
    /// Days played.
    pub days: u32,
    /// Investors holding the pools' units, 2..=32.
    pub holders: usize,
    /// Share of the investors that exchange all their units into the anchor token at the
    /// start (the anchor holders); the others keep units.
    pub anchor_holder_share_bps: u64,
    /// Share of the pools that stop paying (worst grades first), bps.
    pub default_share_bps: u64,
    /// Share of the anchor holders that try to exit, bps.
    pub anchor_exit_share_bps: u64,
    /// Share of the unit holders that try to exit, bps.
    pub unit_exit_share_bps: u64,
    /// Each exiting holder leaves in this many daily tranches.
    pub exit_tranches: u32,
    /// The first day a pool stops paying (the worst grade; each better grade a day later).
    pub stress_start_day: u32,
    /// Days late at which the servicer declares a Late pool in default.
    pub default_after_days_late: u32,
    /// Every grade's overdue write-down steps, [days late, bps written down].
    pub write_down_steps: Vec<[u32; 2]>,
    /// Benchmark rate rise by the last day, bps.
    pub rate_shock_bps: u64,
    /// Spreads on the last day, bps of the starting spreads (25,000 = 2.5 times).
    pub spread_widening_bps: u64,
    /// PDs on the last day, bps of the starting PDs.
    pub pd_widening_bps: u64,
    /// LGD rise by the last day, bps (capped at 95%).
    pub lgd_shock_bps: u64,
    /// Stable minted into value-anchor's PSM reserve, bps of the anchor supply the exchanges
    /// created.
    pub psm_funding_bps: u64,
    /// The insurance pool's stake, bps of that anchor supply.
    pub insurance_bps: u64,
    /// The buyback reserve's capital, bps of the pools' face value.
    pub reserve_capital_bps: u64,
    /// The reserve's daily sale budget, bps of the pools' face value.
    pub sale_budget_bps: u64,
    /// The reserve's daily anchor bid budget, bps of the pools' face value.
    pub bid_budget_bps: u64,
}

impl Default for Scenario {
    fn default() -> Self {
        Scenario {
            name: "default".into(),
            seed: 17,
            pools: 12,
            days: 30,
            holders: 8,
            anchor_holder_share_bps: 6_000,
            default_share_bps: 3_000,
            anchor_exit_share_bps: 5_000,
            unit_exit_share_bps: 5_000,
            exit_tranches: 3,
            stress_start_day: 3,
            default_after_days_late: 10,
            write_down_steps: vec![[3, 1_000], [7, 3_000], [14, 6_000]],
            rate_shock_bps: 150,
            spread_widening_bps: 25_000,
            pd_widening_bps: 30_000,
            lgd_shock_bps: 1_500,
            psm_funding_bps: 2_000,
            insurance_bps: 1_500,
            reserve_capital_bps: 1_500,
            sale_budget_bps: 300,
            bid_budget_bps: 200,
        }
    }
}

impl Scenario {
    /// Reads a TOML scenario file; fields it leaves out keep their defaults.
    pub fn from_toml_file(path: &Path) -> Result<Scenario> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read the scenario file {}", path.display()))?;
        toml::from_str(&text).map_err(|e| {
            anyhow!(
                "{}: not a scenario: {e}(see examples/stress-mild.toml for the fields)",
                path.display()
            )
        })
    }

    /// Refuses a scenario the programs or this simulation cannot play, saying which field.
    pub fn validate(&self) -> Result<()> {
        let share = |name: &str, v: u64| -> Result<()> {
            if v > 10_000 {
                bail!("{name} = {v}: a share is at most 10000 bps");
            }
            Ok(())
        };
        if !(1..=16).contains(&self.pools) {
            bail!("pools = {}: 1 to 16 (value-anchor and the reserve hold 16 pools)", self.pools);
        }
        if !(1..=365).contains(&self.days) {
            bail!("days = {}: 1 to 365", self.days);
        }
        if !(2..=32).contains(&self.holders) {
            bail!("holders = {}: 2 to 32", self.holders);
        }
        share("anchor_holder_share_bps", self.anchor_holder_share_bps)?;
        share("default_share_bps", self.default_share_bps)?;
        share("anchor_exit_share_bps", self.anchor_exit_share_bps)?;
        share("unit_exit_share_bps", self.unit_exit_share_bps)?;
        share("psm_funding_bps", self.psm_funding_bps)?;
        share("insurance_bps", self.insurance_bps)?;
        share("reserve_capital_bps", self.reserve_capital_bps)?;
        share("sale_budget_bps", self.sale_budget_bps)?;
        share("bid_budget_bps", self.bid_budget_bps)?;
        if !(1..=10).contains(&self.exit_tranches) {
            bail!("exit_tranches = {}: 1 to 10", self.exit_tranches);
        }
        if self.stress_start_day == 0 {
            bail!("stress_start_day = 0: the first day is 1");
        }
        if self.default_after_days_late == 0 {
            bail!("default_after_days_late = 0: at least 1");
        }
        if self.write_down_steps.len() > 8 {
            bail!("write_down_steps: at most 8 steps (the oracle's grade holds 8)");
        }
        let mut last = (0u32, 0u32);
        for (i, [d, b]) in self.write_down_steps.iter().copied().enumerate() {
            if b > 10_000 || (i > 0 && (d <= last.0 || b < last.1)) {
                bail!(
                    "write_down_steps: days late must increase, bps must not fall and stay at \
                     most 10000 (step {} is [{d}, {b}])",
                    i + 1
                );
            }
            last = (d, b);
        }
        if self.spread_widening_bps > 100_000 || self.pd_widening_bps > 100_000 {
            bail!("spread_widening_bps and pd_widening_bps: at most 100000 (10 times)");
        }
        if self.rate_shock_bps > 5_000 || self.lgd_shock_bps > 10_000 {
            bail!("rate_shock_bps at most 5000, lgd_shock_bps at most 10000");
        }
        Ok(())
    }
}

/// SplitMix64: a small deterministic generator, so a seed fixes the whole run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0).
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

fn bps_of(value: u64, bps: u64) -> Result<u64> {
    u64::try_from(value as u128 * bps as u128 / 10_000).map_err(|_| anyhow!("amount overflows"))
}

fn ceil_share(n: usize, bps: u64) -> usize {
    ((n as u128 * bps as u128).div_ceil(10_000)) as usize
}

// ---------------------------------------------------------------------------------------
// The report

/// One exit attempt that went through.
#[derive(Clone, Debug, Serialize)]
pub struct Exit {
    pub day: u32,
    pub holder: usize,
    /// `psm`, `bid`, `in-kind` (anchor tokens) or `sale`, `exchange` (units).
    pub door: String,
    /// Anchor tokens or units given up, base units.
    pub amount: u64,
    /// What they were worth at the moment: for anchor tokens, their pro-rata value at the
    /// backing proven from the accounts just before ([`Proven`]: `amount x min(low, supply) /
    /// supply`); for units, `floor(units x price)` at the pricer's published price.
    pub worth: u64,
    /// What the door's rule owes before its stated cost: `worth` for the PSM and the bid; in
    /// kind, the share `amount / max(supply, high)` of everything, valued at the published
    /// prices (`amount x low / max(supply, high)`); `worth` for units.
    pub due: u64,
    /// The door's stated cost, bps of `due` (the PSM fee; the bid: the fee and its band; none
    /// in kind; an exchange: the pool's haircut, `AcceptedPool.params.haircut_bps`; a sale: the
    /// exit curve's discount at the book's use after the sale, `ReserveConfig.params.curve(grade)
    /// .discount_bps_at(used + worth, budget)`, the highest the sale spans), and the base units
    /// of rounding it may take beyond it.
    pub cost_bps: u64,
    pub rounding: u64,
    /// What the holder received, read from its accounts: stable, plus (in kind) the units at
    /// the published price; anchor tokens for an exchange (value-anchor mints one token per
    /// base unit of `floor(worth x (10,000 - haircut) / 10,000)`: exactly `due` less its cost).
    pub paid: u64,
    /// Paid per token, millionths of par.
    pub per_token_ppm: u64,
    /// The pool, for units.
    pub pool: Option<usize>,
    /// The proven backing and the anchor supply just before and just after (anchor doors and
    /// the exchange; `None` for a sale, which does not touch value-anchor), and the insurance
    /// pool's cash (`ReserveBook.insurance_cash`) just before.
    pub before: Option<Proven>,
    pub after: Option<Proven>,
    pub insurance_cash: u64,
    /// The exit discount from the accounts' fields, and the tool's own figure; `None` for doors
    /// without a discount. A sale: the budget the reserve's book counted
    /// (`ReserveBook.sale_used` grew by it) less what left its cash other than the insurance
    /// pool's share (`cash` fell by it, `insurance_cash` rose by the share); the tool's:
    /// `floor(units x PoolPricing.rate.unit_price)` less what the holder's account received.
    /// The bid: the tokens at value-anchor's stored `Backing` (`total_backing`,
    /// `anchor_supply`) less the PSM's fee, less what left the book's `cash` (this is the
    /// tool's formula applied to the stored figures); the tool's: the same formula at the
    /// backing proven from the current prices, less what the holder received. The programs'
    /// events (`SoldToReserve`, `AnchorBought`) are not read: `emit!` logs nothing when the
    /// programs run natively in the embedded bank (Anchor's `sol_log_data` is a no-op off the
    /// SBF target), so the transaction's logs carry no `Program data:` lines.
    pub discount: Option<u64>,
    pub discount_expected: Option<u64>,
}

impl Exit {
    fn is_anchor(&self) -> bool {
        matches!(self.door.as_str(), "psm" | "bid" | "in-kind")
    }

    /// What the anchor-door checks read: the proven backing just before and after (recorded
    /// for every anchor door).
    fn proven_before(&self) -> Proven {
        self.before.unwrap_or_default()
    }
}

/// value-anchor's backing proven from the accounts as they are at a moment, not from the
/// stored `Backing` totals: the stable reserve's token balance plus every entry's units (from
/// `Backing`) at the pricer's current published price (`PoolPricing.rate.unit_price`), counted
/// only when that price is fresh (`max_entry_age_secs`) and for the pool's current version
/// (`low`, as value-anchor's `backing_low`), or at the higher of the published and uncapped
/// price, every entry (`high`, as `backing_high`); and the anchor mint's supply.
#[derive(Clone, Copy, Debug, Default, Serialize, PartialEq, Eq)]
pub struct Proven {
    pub low: u64,
    pub high: u64,
    pub supply: u64,
}

impl Proven {
    /// What `amount` tokens are worth pro rata: `amount x min(low, supply) / supply`.
    pub fn pro_rata(&self, amount: u64) -> u64 {
        if self.supply == 0 {
            return amount;
        }
        (amount as u128 * self.low.min(self.supply) as u128 / self.supply as u128) as u64
    }

    pub fn pro_rata_ppm(&self) -> u64 {
        if self.supply == 0 {
            return PPM as u64;
        }
        (self.low.min(self.supply) as u128 * PPM / self.supply as u128) as u64
    }

    /// What an in-kind redemption of `amount` hands out, at the published prices.
    pub fn in_kind_share(&self, amount: u64) -> u64 {
        let denominator = self.supply.max(self.high).max(1) as u128;
        (amount as u128 * self.low as u128 / denominator).min(amount as u128) as u64
    }
}

/// An exit attempt every door refused: the holder is still holding.
#[derive(Clone, Debug, Serialize)]
pub struct Stuck {
    pub day: u32,
    pub holder: usize,
    /// `anchor`, or the pool (index from 0) whose units.
    pub pool: Option<usize>,
    pub amount: u64,
    /// Each door's refusal, `door: ErrorName`.
    pub refusals: Vec<String>,
}

/// One door's refusal of an exit attempt (every one, not only those of stuck attempts), with
/// the state its intended reason depends on, read from the accounts just before the attempt.
#[derive(Clone, Debug, Serialize)]
pub struct Refusal {
    pub day: u32,
    pub holder: usize,
    /// `psm`, `bid`, `in-kind`, `sale`, `exchange`, or `claim in kind`.
    pub door: String,
    pub error: String,
    /// The pool, for units and for an in-kind claim's units.
    pub pool: Option<usize>,
    /// Anchor tokens or units asked for.
    pub amount: u64,
    pub premise: Premise,
}

/// The accounts' state a refusal depends on, read just before the attempt.
#[derive(Clone, Debug, Default, Serialize, PartialEq, Eq)]
pub struct Premise {
    /// The pool's `PoolStatus` (unit doors).
    pub pool_status: Option<String>,
    /// Unit doors: `floor(units x PoolPricing.rate.unit_price)`.
    pub value: Option<u64>,
    /// The backing proven from the accounts ([`Proven`]).
    pub proven: Proven,
    /// value-anchor's stored `Backing.total_backing`, `anchor_supply` and `pools_value`.
    pub stored_backing: u64,
    pub stored_supply: u64,
    pub pools_value: u64,
    /// `10,000 + AnchorConfig.params.overcollateral_bps`.
    pub required_bps: u64,
    /// value-anchor's stable reserve account.
    pub stable_reserve: u64,
    /// `ReserveBook.cash`; `sale_used` and `bid_used` as the program reads them (zero once the
    /// epoch has rolled: `now >= epoch_start + epoch_secs`); the budgets and the bid's band
    /// from `ReserveConfig.params`.
    pub book_cash: u64,
    pub sale_used: u64,
    pub sale_budget: u64,
    pub bid_used: u64,
    pub bid_budget: u64,
    pub bid_band_bps: u64,
    /// Sales: the reserve's holding of the pool plus these units at the price, and the pool's
    /// cap (`ListedPool.cap`).
    pub held_value: Option<u64>,
    pub cap: Option<u64>,
    /// Exchanges: `AcceptedPool.params` (haircut, ceiling, capacity), the stored usage
    /// (`AcceptedPool.usage`, which only decays until the next intake: at least what the
    /// program counts), the pool's `Backing` entry value, and `global_ceiling`.
    pub haircut_bps: Option<u64>,
    pub entry_value: Option<u64>,
    pub ceiling: Option<u64>,
    pub capacity_used: Option<u64>,
    pub capacity: Option<u64>,
    pub global_ceiling: u64,
}

/// A keeper step the programs refused (`step`: `refresh pool N`, `cover`, `crank`, `oracle
/// FEED`), with the insurance pool's cash at the time and, for the cover and the crank, what
/// their refusals depend on: the backing proven from the accounts, value-anchor's stable
/// reserve, the anchor tokens the reserve holds (`ReserveBook.anchor_held`) and `10,000 +
/// overcollateral_bps`.
#[derive(Clone, Debug, Serialize)]
pub struct KeeperStep {
    pub day: u32,
    pub step: String,
    pub error: String,
    pub insurance_cash: u64,
    pub proven: Option<Proven>,
    pub stable_reserve: Option<u64>,
    pub anchor_held: Option<u64>,
    pub required_bps: Option<u64>,
}

/// The refusals the protocol intends, by door: every exit refusal counts against equal
/// treatment unless it is one of these and its premise held in the accounts
/// ([`refusal_premise_holds`]). Anchor tokens: the PSM's stable
/// reserve spent, the bid's daily budget or the reserve's idle cash spent; never in kind (the
/// door of last resort is never paused nor limited). Units: a Defaulted pool's units are neither
/// bought nor exchanged (every holder of that pool waits for its recoveries alike); the
/// reserve's daily budget, pool cap and idle cash; no exchange while the backing is short of
/// the supply plus the overcollateral, nor past value-anchor's capacity and ceilings.
pub const INTENDED_REFUSALS: &[&str] = &[
    "psm: InsufficientStableReserve",
    "bid: BidBudgetExceeded",
    "bid: InsufficientCash",
    "sale: PoolInDefault",
    "sale: EpochBudgetExceeded",
    "sale: PoolCapExceeded",
    "sale: InsufficientCash",
    "exchange: PoolInDefault",
    "exchange: Undercollateralised",
    "exchange: CapacityExceeded",
    "exchange: PoolCeilingExceeded",
    "exchange: GlobalCeilingExceeded",
];

impl KeeperStep {
    /// A refused step with no premise recorded (a refresh, an oracle publication).
    pub fn refused(day: u32, step: &str, error: &str, insurance_cash: u64) -> KeeperStep {
        KeeperStep {
            day,
            step: step.into(),
            error: error.into(),
            insurance_cash,
            proven: None,
            stable_reserve: None,
            anchor_held: None,
            required_bps: None,
        }
    }
}

/// `ceil(supply x required_bps / 10,000)`: the backing value-anchor requires
/// (`math::required_backing_ceil`).
fn required_backing(supply: u64, required_bps: u64) -> u128 {
    (supply as u128 * required_bps as u128).div_ceil(10_000)
}

/// What `amount` tokens pay through the PSM at `low` (plus `rounding`) behind `supply`, or
/// `u64::MAX` when it cannot be computed.
fn psm_pays(amount: u64, low: u64, rounding: u64, supply: u64) -> u64 {
    psm_value(amount, low.saturating_add(rounding), supply).unwrap_or(u64::MAX)
}

/// Whether a keeper step's refusal is one the protocol expects, its premise read from the
/// accounts at the step (`rounding`: base units the proven backing may differ from value-anchor's
/// stored entry values, one per entry and one for the reserve): a cover with no shortfall
/// (`NoShortfall`, only when the backing proven reaches `supply x (1 + overcollateral)`) or with
/// the insurance pool empty (`NothingOwed`, only then); the reserve's crank while
/// value-anchor's stable reserve cannot pay what its anchor tokens redeem for
/// (`InsufficientStableReserve`, only when the PSM's payout at the proven backing exceeds the
/// stable reserve: the reserve keeps them, counted in its book). A refresh or an oracle
/// publication never fails by design.
pub fn keeper_refusal_expected(k: &KeeperStep, rounding: u64) -> bool {
    match (k.step.as_str(), k.error.as_str()) {
        ("cover", "NoShortfall") => match (k.proven, k.required_bps) {
            (Some(p), Some(bps)) => {
                p.low as u128 + rounding as u128 >= required_backing(p.supply, bps)
            }
            _ => false,
        },
        ("cover", "NothingOwed") => k.insurance_cash == 0,
        ("crank", "InsufficientStableReserve") => match (k.proven, k.anchor_held, k.stable_reserve)
        {
            (Some(p), Some(held), Some(reserve)) => {
                psm_pays(held, p.low, rounding, p.supply) > reserve
            }
            _ => false,
        },
        _ => false,
    }
}

/// Whether an intended exit refusal's premise held in the accounts read just before the attempt
/// (`rounding` as in [`keeper_refusal_expected`]). Where the program decides on its stored
/// figures rather than on the backing proven from the current prices, the stored ones are used
/// (the verdict separately requires stored and proven to agree within that rounding after every
/// refresh): the exchange's `Undercollateralised` is `Backing::require_backed` on the stored
/// `total_backing` (this pool's entry re-priced at the same price) against the stored supply
/// plus the tokens minted, and the PSM's `InsufficientStableReserve` compares its payout at
/// `backing_low` (the stored entry values of the fresh entries plus the live stable reserve) with
/// the stable reserve. Refusals outside [`INTENDED_REFUSALS`] never hold.
pub fn refusal_premise_holds(r: &Refusal, rounding: u64) -> bool {
    let key = format!("{}: {}", r.door, r.error);
    if !INTENDED_REFUSALS.contains(&key.as_str()) {
        return false;
    }
    let p = &r.premise;
    let defaulted = p.pool_status.as_deref() == Some("Defaulted");
    let value = p.value.unwrap_or(0);
    match key.as_str() {
        "psm: InsufficientStableReserve" => {
            psm_pays(r.amount, p.proven.low, rounding, p.proven.supply) > p.stable_reserve
        }
        "bid: BidBudgetExceeded" => r.amount > p.bid_budget.saturating_sub(p.bid_used),
        "bid: InsufficientCash" => {
            let worth = psm_pays(r.amount, p.proven.low, rounding, p.proven.supply);
            (worth as u128 * (10_000 - p.bid_band_bps.min(10_000)) as u128 / 10_000)
                > p.book_cash as u128
        }
        "sale: PoolInDefault" | "exchange: PoolInDefault" => defaulted,
        // the sale's cost (its payout plus the insurance pool's share) is at most its value
        "sale: InsufficientCash" => p.book_cash < value,
        "sale: EpochBudgetExceeded" => value > p.sale_budget.saturating_sub(p.sale_used),
        "sale: PoolCapExceeded" => match (p.held_value, p.cap) {
            (Some(held), Some(cap)) => held > cap,
            _ => false,
        },
        "exchange: Undercollateralised" => {
            let minted =
                value as u128 * (10_000 - p.haircut_bps.unwrap_or(0).min(10_000)) as u128 / 10_000;
            let need =
                required_backing(p.stored_supply.saturating_add(minted as u64), p.required_bps);
            (p.stored_backing as u128 + value as u128) < need + rounding as u128
        }
        "exchange: CapacityExceeded" => match (p.capacity_used, p.capacity) {
            (Some(used), Some(cap)) => used.saturating_add(value) > cap,
            _ => false,
        },
        "exchange: PoolCeilingExceeded" => match (p.entry_value, p.ceiling) {
            (Some(entry), Some(ceiling)) => entry.saturating_add(value) + rounding > ceiling,
            _ => false,
        },
        "exchange: GlobalCeilingExceeded" => {
            p.pools_value.saturating_add(value) + rounding > p.global_ceiling
        }
        _ => false,
    }
}

/// One day's figures, read from the accounts after the day's exits (`*_morning`: after the
/// keeper's refresh, before the insurance cover; `*_after_cover`: right after the cover).
#[derive(Clone, Debug, Serialize)]
pub struct Day {
    pub day: u32,
    pub at: i64,
    /// The benchmark rate the oracle served (the feed's accepted value), and the scenario's
    /// target for the day (the oracle moves at most its deviation bound an hour).
    pub benchmark_bps: u64,
    pub benchmark_target_bps: u64,
    /// Every feed: what the oracle served at the day's `at` (`Feed.accepted.value`) and the
    /// scenario's target; a feed short of its target lags the scenario (reported by the
    /// verdict, [`Verdict::oracle_lags`]).
    pub feeds: Vec<FeedServed>,
    /// Hourly publications it took the oracle to move every input toward the day's targets.
    pub oracle_steps: u32,
    pub pools_late: usize,
    pub pools_defaulted: usize,
    /// `Backing.ratio_bps` after every entry was refreshed, before the cover.
    pub ratio_morning_bps: u64,
    /// `Backing.ratio_bps` at the end of the day.
    pub ratio_bps: u64,
    /// The tool's own `floor(total_backing x 10,000 / anchor_supply)` of the same accounts.
    pub ratio_expected_bps: u64,
    pub total_backing: u64,
    /// The backing proven from the accounts at the end of the day ([`Proven`]).
    pub proven: Proven,
    /// After the keeper's refresh, just before its cover: `Backing.total_backing` as stored,
    /// the backing proven from the current prices, value-anchor's stable reserve account,
    /// `ReserveBook.insurance_cash` and `covered_total`, and `10,000 + overcollateral_bps`.
    pub backing_morning: u64,
    pub proven_morning: Proven,
    pub stable_reserve_morning: u64,
    pub insurance_morning: u64,
    pub covered_total_morning: u64,
    pub required_bps: u64,
    /// Right after the keeper's cover: the same figures.
    pub backing_after_cover: u64,
    pub proven_after_cover: Proven,
    pub stable_reserve_after_cover: u64,
    pub insurance_after_cover: u64,
    pub covered_total_after_cover: u64,
    /// The anchor mint's supply.
    pub anchor_supply: u64,
    /// value-anchor's stable reserve account.
    pub stable_reserve: u64,
    /// `ReserveBook.insurance_cash`.
    pub insurance_cash: u64,
    /// `ReserveBook.covered_total` grew by this today.
    pub covered: u64,
    pub sale_used: u64,
    pub sale_budget: u64,
    pub bid_used: u64,
    pub bid_budget: u64,
    /// Exit discounts holders paid today from the accounts' fields and the tool's own figure
    /// (the sum of [`Exit::discount`] and [`Exit::discount_expected`]).
    pub discount_paid: u64,
    pub discount_expected: u64,
    /// Anchor tokens redeemed or sold today, and what their holders got.
    pub anchor_exited: u64,
    pub anchor_paid: u64,
    /// Per token paid to today's first and last anchor exit, millionths of par.
    pub first_per_token_ppm: Option<u64>,
    pub last_per_token_ppm: Option<u64>,
    /// What a token redeems for at the end of the day, pro rata at the backing proven from the
    /// current prices: `min(low, supply) / supply`, millionths of par.
    pub pro_rata_ppm: u64,
    pub exits: usize,
    /// Exit attempts every door refused today.
    pub stuck: usize,
    /// Refused exit attempts by door and error name.
    pub refused: BTreeMap<String, u32>,
    /// Keeper steps refused today, by step and error name (expected or not).
    pub keeper: BTreeMap<String, u32>,
    /// The day's ledger mismatches (Backing, the book, the vaults, the stablecoin).
    pub ledger: Vec<String>,
}

/// A feed's value served on a day against the scenario's target, bps.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct FeedServed {
    pub feed: String,
    pub served_bps: u64,
    pub target_bps: u64,
}

/// The final verdict ([`judge`]). The run passes when the four invariants hold; solvency and
/// the insurance pool's state are outcomes of the scenario.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Verdict {
    /// The backing proven from the current prices at the end covers the anchor supply: every
    /// token redeems at par.
    pub solvent: bool,
    /// The insurance pool is spent (under one token left).
    pub insurance_exhausted: bool,
    /// No anchor holder was paid below par, and the backing proven from the current prices
    /// never stayed below the supply after the cover, while the insurance pool still had cash;
    /// every cover moved the same amount out of the insurance pool (`insurance_cash`), into
    /// `covered_total` and into value-anchor's stable reserve, and at least the lesser of the
    /// shortfall (proven) and what the insurance pool held.
    pub first_loss_order_respected: bool,
    /// Every anchor exit got at most its pro-rata share and at least what its door owes less
    /// the door's stated cost, none lowered what a remaining token redeems for, none was paid
    /// less per token than a later one while the value per token did not rise; every exchange
    /// minted at most (and no fewer than) the units' value less the haircut and lowered no
    /// remaining token's value; every sale was paid at most the units' value and at least that
    /// less the exit curve's discount; and every door's refusal was an intended one whose
    /// premise held in the accounts.
    pub equal_treatment: bool,
    /// Backing, the reserve's book and every stable account agree with the token accounts, the
    /// discount from the book's fields with the tool's, and the stored backing with the one
    /// proven from the current prices after every refresh.
    pub accounts_reconcile: bool,
    /// Every keeper step (refresh, cover, crank, oracle publication) went through or was
    /// refused only as expected ([`keeper_refusal_expected`]).
    pub keepers_ok: bool,
    pub all_invariants_hold: bool,
    pub min_ratio_bps: u64,
    pub insurance_staked: u64,
    /// What the insurance pool paid into value-anchor (`ReserveBook.covered_total`).
    pub insurance_used: u64,
    pub insurance_left: u64,
    /// First day the insurance pool was exhausted, and first day a holder got below par.
    pub insurance_exhausted_day: Option<u32>,
    pub first_holder_loss_day: Option<u32>,
    /// What a token redeems for at the end, and the holders' loss per token, millionths.
    pub final_pro_rata_ppm: u64,
    pub holder_loss_ppm: u64,
    /// Per token paid to the first and the last anchor exit of the run.
    pub first_exit_per_token_ppm: Option<u64>,
    pub last_exit_per_token_ppm: Option<u64>,
    pub exits: usize,
    /// Exit attempts refused by every door, those with a refusal the protocol does not intend,
    /// and the holders' claims (`holder N: anchor tokens, pool P, ...`) that never got out at
    /// all over the run.
    pub stuck_attempts: usize,
    pub stuck_unintended: usize,
    pub stuck_all_run: Vec<String>,
    /// Door refusals whose reason is not intended or whose premise did not hold.
    pub refusals_unjustified: usize,
    /// Whether the oracle served every feed's target every day, and each day and feed where it
    /// lagged (`day D: FEED served S bps, target T bps`): the crunch was played that much
    /// milder than the scenario.
    pub oracle_reached_targets: bool,
    pub oracle_lags: Vec<String>,
    /// Refused exit attempts over the run, by error name; keeper refusals by step and error.
    pub refused: BTreeMap<String, u32>,
    pub keeper_refusals: BTreeMap<String, u32>,
    pub violations: Vec<String>,
}

/// Figures read at the end through `rwa_sdk`'s readers (a second path to the same accounts,
/// for the tests to hold the daily figures against).
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct FinalAccounts {
    pub anchor_supply: u64,
    pub total_backing: u64,
    pub ratio_bps: u64,
    pub stable_reserve: u64,
    pub insurance_cash: u64,
    pub covered_total: u64,
    pub sale_used: u64,
    pub bid_used: u64,
}

#[derive(Clone, Debug, Serialize)]
pub struct StressReport {
    pub scenario: Scenario,
    pub pools: Vec<PoolSummary>,
    pub days: Vec<Day>,
    pub exit_log: Vec<Exit>,
    pub stuck: Vec<Stuck>,
    /// Every door's refusal of an exit attempt.
    pub refusals: Vec<Refusal>,
    pub keeper_log: Vec<KeeperStep>,
    /// What the insurance pool held right after the stake (`ReserveBook.insurance_cash`).
    pub insurance_staked: u64,
    pub verdict: Verdict,
    pub final_accounts: FinalAccounts,
    pub transactions: u64,
    pub elapsed_ms: u64,
}

#[derive(Clone, Debug, Serialize)]
pub struct PoolSummary {
    pub address: String,
    pub grade: u8,
    pub face: u64,
    pub flows: usize,
    /// The day it stops paying, for the stressed pools.
    pub stress_day: Option<u32>,
    /// `PoolStatus` at the end, and the published unit price, millionths of par.
    pub status: String,
    pub unit_price_ppm: u64,
}

// ---------------------------------------------------------------------------------------
// The run

struct PoolInfo {
    grade: u8,
    address: Pubkey,
    unit_mint: Pubkey,
    vault: Pubkey,
    face: u64,
    stress_day: Option<u32>,
    refresh: RefreshAccounts,
}

struct Holder {
    key: Keypair,
    usd: Pubkey,
    anchor: Pubkey,
    units: Vec<Pubkey>,
    /// Exits at all, from this day, and in which door order (anchor: PSM first or the bid
    /// first; units: sale first or exchange first).
    exit_from: Option<u32>,
    bid_first: bool,
    exchange_first: bool,
    /// Left to exit and the tranche size: anchor tokens, units per pool.
    anchor_left: u64,
    anchor_tranche: u64,
    units_left: Vec<u64>,
    units_tranche: Vec<u64>,
    next_nonce: u64,
}

struct Sim<'p> {
    chain: Chain<'p>,
    sc: Scenario,
    admin: Keypair,
    usd_issuer: Keypair,
    publishers: Vec<Keypair>,
    servicer: Keypair,
    servicer_usd: Pubkey,
    usd_mint: Pubkey,
    pools: Vec<PoolInfo>,
    holders: Vec<Holder>,
    /// Other stable accounts (the issuer, the PSM funder, the depositor, the staker).
    other_usd: Vec<Pubkey>,
    usd_minted: u64,
    benchmark: [u8; 32],
    grades: Vec<(u8, GradeFeeds)>,
    /// Every feed (name, id) and the value last published to it (Fixed raw; 0 before day 0).
    feeds: Vec<(String, [u8; 32], u128)>,
    exits: Vec<Exit>,
    stuck: Vec<Stuck>,
    refusals: Vec<Refusal>,
    keeper_log: Vec<KeeperStep>,
    refused_today: BTreeMap<String, u32>,
    ledger_today: Vec<String>,
    insurance_staked: u64,
    reserve_params: ReserveParams,
    /// value-anchor's `max_entry_age_secs` (read from its config after the setup).
    max_entry_age: u32,
}

/// Runs `scenario` on a fresh embedded bank.
pub fn run_stress(scenario: &Scenario) -> Result<StressReport> {
    run_stress_with(scenario, &mut |_| {})
}

/// As [`run_stress`], telling `progress` about each day (as a step) and each transaction.
pub fn run_stress_with(
    scenario: &Scenario,
    progress: &mut dyn FnMut(Progress<'_>),
) -> Result<StressReport> {
    scenario.validate()?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    runtime.block_on(run(scenario.clone(), progress))
}

async fn run(sc: Scenario, progress: &mut dyn FnMut(Progress<'_>)) -> Result<StressReport> {
    let started = Instant::now();
    let mut env = TestEnv::start().await;
    env.set_unix_timestamp(T0).await;
    let grades: Vec<(u8, GradeFeeds)> = (1..=4u8)
        .map(|g| {
            (
                g,
                GradeFeeds {
                    spread: feed_id(&format!("SPREAD-G{g}")),
                    pd: feed_id(&format!("PD-G{g}")),
                    lgd: feed_id(&format!("LGD-G{g}")),
                },
            )
        })
        .collect();
    let mut feeds = vec![("USD-SOFR-1M".to_string(), feed_id("USD-SOFR-1M"), 0)];
    for (g, f) in &grades {
        feeds.extend([
            (format!("SPREAD-G{g}"), f.spread, 0),
            (format!("PD-G{g}"), f.pd, 0),
            (format!("LGD-G{g}"), f.lgd, 0),
        ]);
    }
    let mut sim = Sim {
        chain: Chain { env, transactions: 0, progress },
        sc,
        admin: Keypair::new(),
        usd_issuer: Keypair::new(),
        publishers: (0..3).map(|_| Keypair::new()).collect(),
        servicer: Keypair::new(),
        servicer_usd: Pubkey::default(),
        usd_mint: Pubkey::default(),
        pools: vec![],
        holders: vec![],
        other_usd: vec![],
        usd_minted: 0,
        benchmark: feed_id("USD-SOFR-1M"),
        feeds,
        grades,
        exits: vec![],
        stuck: vec![],
        refusals: vec![],
        keeper_log: vec![],
        refused_today: BTreeMap::new(),
        ledger_today: vec![],
        insurance_staked: 0,
        reserve_params: reserve::PARAMS,
        max_entry_age: 0,
    };
    let total_steps = sim.sc.days as usize + 1;
    (sim.chain.progress)(Progress::Step { index: 1, of: total_steps, title: "setting up" });
    sim.setup().await?;
    let mut days = vec![];
    for day in 1..=sim.sc.days {
        let title = format!("day {day} of {}", sim.sc.days);
        (sim.chain.progress)(Progress::Step {
            index: day as usize + 1,
            of: total_steps,
            title: &title,
        });
        days.push(sim.play_day(day).await?);
    }
    let final_accounts = sim.final_accounts().await?;
    let pools = sim.pool_summaries().await?;
    let mut report = StressReport {
        scenario: sim.sc.clone(),
        pools,
        days,
        exit_log: std::mem::take(&mut sim.exits),
        stuck: std::mem::take(&mut sim.stuck),
        refusals: std::mem::take(&mut sim.refusals),
        keeper_log: std::mem::take(&mut sim.keeper_log),
        insurance_staked: sim.insurance_staked,
        verdict: Verdict::default(),
        final_accounts,
        transactions: sim.chain.transactions,
        elapsed_ms: started.elapsed().as_millis() as u64,
    };
    report.verdict = judge(&report);
    Ok(report)
}

/// What a failed transaction's error is called (`rwa_sdk`'s decoder), for the refusal tally.
fn refusal_name(f: &rwa_testkit::TxFailure, ixs: &[Instruction]) -> String {
    let programs: Vec<Pubkey> = ixs.iter().map(|i| i.program_id).collect();
    match rwa_sdk::errors::decode_transaction_error(&f.error, &programs, &f.logs) {
        Some(d) => d.name,
        None => format!("{:?}", f.error),
    }
}

/// What `amount` anchor tokens redeem for through the PSM at `backing` behind `supply`:
/// `floor(amount x min(backing, supply) / supply)` less the fee rounded up.
fn psm_value(amount: u64, backing: u64, supply: u64) -> Result<u64> {
    let value = if supply == 0 {
        amount
    } else {
        (amount as u128 * backing.min(supply) as u128 / supply as u128) as u64
    };
    let fee =
        value_anchor::math::fee_ceil(value, FEE_OUT_BPS).map_err(|e| anyhow!("fee: {e:?}"))?;
    Ok(value - fee.min(value))
}

/// A Fixed raw value in bps, rounded to the nearest.
fn raw_bps(raw: u128) -> u64 {
    ((raw * 10_000 + (1 << 63)) >> 64) as u64
}

fn per_token_ppm(paid: u64, amount: u64) -> u64 {
    if amount == 0 {
        return 0;
    }
    (paid as u128 * PPM / amount as u128) as u64
}

impl Sim<'_> {
    fn payer(&self) -> Pubkey {
        self.chain.env.payer().pubkey()
    }

    fn accepted(&self) -> Vec<Pubkey> {
        self.pools.iter().map(|p| p.address).collect()
    }

    fn currency(&self) -> Currency {
        Currency { mint: self.usd_mint, program: TokenProgram::Classic }
    }

    fn ata(owner: &Pubkey, mint: &Pubkey) -> Pubkey {
        get_associated_token_address_with_program_id(owner, mint, &token_program_of(mint))
    }

    async fn backing(&mut self) -> Result<Backing> {
        self.chain.get(va::backing_pda()).await
    }

    async fn book(&mut self) -> Result<ReserveBook> {
        self.chain.get(reserve::book_pda()).await
    }

    async fn pricing(&mut self, pool: usize) -> Result<PoolPricing> {
        self.chain.get(pricer::pool_pricing_pda(&self.pools[pool].address)).await
    }

    async fn pool(&mut self, pool: usize) -> Result<Pool> {
        self.chain.get(self.pools[pool].address).await
    }

    /// Sends a transaction that the programs may refuse: its logs when it went through, the
    /// error's name when a program refused it.
    async fn attempt(
        &mut self,
        ixs: &[Instruction],
        signers: &[&Keypair],
    ) -> std::result::Result<Vec<String>, String> {
        match self.chain.env.send(ixs, signers).await {
            Ok(logs) => {
                self.chain.transactions += 1;
                (self.chain.progress)(Progress::Transactions(self.chain.transactions));
                Ok(logs)
            }
            Err(f) => Err(refusal_name(&f, ixs)),
        }
    }

    /// A keeper step: sent, and a refusal recorded (the verdict decides whether it was
    /// expected, [`keeper_refusal_expected`]).
    async fn keeper(&mut self, day: u32, step: String, ixs: &[Instruction]) -> Result<bool> {
        let book = self.book().await?;
        // what the cover's and the crank's refusals depend on, read before the step
        let premise = if step == "cover" || step == "crank" {
            let proven = self.proven().await?;
            let reserve = self.chain.balance(va::stable_reserve_pda()).await?;
            Some((proven, reserve, book.anchor_held, self.required_bps().await?))
        } else {
            None
        };
        match self.attempt(ixs, &[]).await {
            Ok(_) => Ok(true),
            Err(error) => {
                self.keeper_log.push(KeeperStep {
                    day,
                    step,
                    error,
                    insurance_cash: book.insurance_cash,
                    proven: premise.map(|p| p.0),
                    stable_reserve: premise.map(|p| p.1),
                    anchor_held: premise.map(|p| p.2),
                    required_bps: premise.map(|p| p.3),
                });
                Ok(false)
            }
        }
    }

    /// `10,000 + AnchorConfig.params.overcollateral_bps`.
    async fn required_bps(&mut self) -> Result<u64> {
        let config: value_anchor::state::AnchorConfig = self.chain.get(va::config_pda()).await?;
        Ok(10_000 + config.params.overcollateral_bps as u64)
    }

    /// What an exit refusal depends on, read from the accounts now: for `units` of pool `p`,
    /// or (`p` = `None`) for anchor tokens.
    async fn premise(&mut self, p: Option<usize>, units: u64) -> Result<Premise> {
        let now = self.chain.now().await;
        let proven = self.proven().await?;
        let b = self.backing().await?;
        let book = self.book().await?;
        let cfg: ReserveConfig = self.chain.get(reserve::config_pda()).await?;
        let config: value_anchor::state::AnchorConfig = self.chain.get(va::config_pda()).await?;
        // the budgets' use as the program reads it: nothing once the epoch has rolled
        let rolled = now >= book.epoch_start.saturating_add(cfg.params.epoch_secs as i64);
        let used = |u: u64| if rolled { 0 } else { u };
        let mut premise = Premise {
            proven,
            stored_backing: b.total_backing,
            stored_supply: b.anchor_supply,
            pools_value: b.pools_value,
            required_bps: 10_000 + config.params.overcollateral_bps as u64,
            stable_reserve: self.chain.balance(va::stable_reserve_pda()).await?,
            book_cash: book.cash,
            sale_used: used(book.sale_used),
            sale_budget: cfg.params.sale_budget,
            bid_used: used(book.bid_used),
            bid_budget: cfg.params.bid_budget,
            bid_band_bps: cfg.params.bid_band_bps as u64,
            global_ceiling: config.params.global_ceiling,
            ..Premise::default()
        };
        if let Some(p) = p {
            let address = self.pools[p].address;
            let price = Fixed::from_raw(self.pricing(p).await?.rate.unit_price);
            let value_of = |u: u64| price.mul_u64_floor(u).map_err(|e| anyhow!("{e:?}"));
            premise.pool_status = Some(format!("{:?}", self.pool(p).await?.status));
            premise.value = Some(value_of(units)?);
            let listed: buyback_reserve::state::ListedPool =
                self.chain.get(reserve::listed_pool_pda(&address)).await?;
            let held = book.holdings[listed.slot as usize].units;
            premise.held_value = Some(value_of(held.saturating_add(units))?);
            premise.cap = Some(listed.cap);
            let accepted: value_anchor::state::AcceptedPool =
                self.chain.get(va::accepted_pool_pda(&address)).await?;
            premise.haircut_bps = Some(accepted.params.haircut_bps as u64);
            premise.ceiling = Some(accepted.params.ceiling);
            premise.capacity = Some(accepted.params.capacity);
            premise.capacity_used = Some(accepted.usage);
            premise.entry_value = Some(b.entries[accepted.slot as usize].value);
        }
        Ok(premise)
    }

    /// Records a door's refusal of an exit attempt with its premise.
    #[allow(clippy::too_many_arguments)]
    fn refusal(
        &mut self,
        day: u32,
        holder: usize,
        door: &str,
        error: &str,
        pool: Option<usize>,
        amount: u64,
        premise: Premise,
    ) -> String {
        let name = format!("{door}: {error}");
        self.refused(name.clone());
        self.refusals.push(Refusal {
            day,
            holder,
            door: door.into(),
            error: error.into(),
            pool,
            amount,
            premise,
        });
        name
    }

    /// value-anchor's backing proven from the accounts now ([`Proven`]).
    async fn proven(&mut self) -> Result<Proven> {
        let now = self.chain.now().await;
        let b = self.backing().await?;
        let mut low = self.chain.balance(va::stable_reserve_pda()).await?;
        let mut high = low;
        for e in b.entries[..b.pool_count as usize].iter() {
            if e.units == 0 {
                continue;
            }
            let pool: Pool = self.chain.get(e.pool).await?;
            let pricing: PoolPricing = self.chain.get(pricer::pool_pricing_pda(&e.pool)).await?;
            let r = &pricing.rate;
            let value = |raw: u128| {
                Fixed::from_raw(raw).mul_u64_floor(e.units).map_err(|e| anyhow!("{e:?}"))
            };
            let fresh = r.updated_at > 0
                && now.saturating_sub(r.updated_at) <= self.max_entry_age as i64
                && r.pool_version == pool.version;
            if fresh {
                low = low.checked_add(value(r.unit_price)?).context("backing overflows")?;
            }
            let top = value(r.unit_price.max(r.computed_price))?;
            high = high.checked_add(top).context("backing overflows")?;
        }
        let supply = self.chain.supply(va::anchor_mint_pda()).await?;
        Ok(Proven { low, high, supply })
    }

    fn refused(&mut self, name: String) {
        *self.refused_today.entry(name).or_default() += 1;
    }

    fn mint_usd_ix(&mut self, to: &Pubkey, amount: u64) -> Result<Instruction> {
        self.usd_minted = self.usd_minted.checked_add(amount).context("stable minted overflows")?;
        Ok(spl_token::instruction::mint_to(
            &spl_token::ID,
            &self.usd_mint,
            to,
            &self.usd_issuer.pubkey(),
            &[],
            amount,
        )?)
    }

    /// The oracle inputs on `day`: each moves in a straight line from its starting value to
    /// its crunch value on the last day. Returns (benchmark, [spread, pd, lgd] per grade).
    fn inputs(&self, day: u32) -> (u64, Vec<[u64; 3]>) {
        let (d, n) = (day.min(self.sc.days) as u64, self.sc.days.max(1) as u64);
        let lerp = |from: u64, to: u64| {
            if to >= from {
                from + (to - from) * d / n
            } else {
                from - (from - to) * d / n
            }
        };
        let benchmark = lerp(BENCHMARK_BPS, BENCHMARK_BPS + self.sc.rate_shock_bps);
        let grades = GRADE_BPS
            .iter()
            .map(|[s, pd, lgd]| {
                [
                    lerp(*s, s * self.sc.spread_widening_bps / 10_000),
                    lerp(*pd, (pd * self.sc.pd_widening_bps / 10_000).min(9_000)),
                    lerp(*lgd, (lgd + self.sc.lgd_shock_bps).min(9_500)),
                ]
            })
            .collect();
        (benchmark, grades)
    }

    /// Publishes the day's oracle inputs as the oracle allows: every feed moves at most its
    /// deviation bound (5%) from its last accepted value in a window (an hour), so a move
    /// larger than that is published in hourly steps, the last at `at`; at most 24 steps a
    /// day (a target further away is reached on a later day: the oracle lags the scenario, and
    /// each feed's served value and target are recorded so the verdict reports the lag).
    /// Each step is checked on the feed accounts: accepted, nothing held. Returns the
    /// benchmark's target, the number of steps and every feed's served value and target.
    async fn publish(&mut self, day: u32, at: i64) -> Result<(u64, u32, Vec<FeedServed>)> {
        let (benchmark, grades) = self.inputs(day);
        let mut targets = vec![benchmark];
        for bps in &grades {
            targets.extend(bps.iter().copied());
        }
        let target_bps = targets.clone();
        let targets: Vec<u128> = targets.into_iter().map(fixed_bps).collect();
        let mut steps: Vec<Vec<u128>> = vec![];
        let mut current: Vec<u128> = self.feeds.iter().map(|f| f.2).collect();
        if current.contains(&0) {
            // the first values are accepted without a bound
            steps.push(targets.clone());
        } else {
            while current != targets && steps.len() < MAX_ORACLE_STEPS {
                current = current
                    .iter()
                    .zip(&targets)
                    .map(|(c, t)| oracle_step(*c, *t, ORACLE_DEVIATION_BPS))
                    .collect();
                steps.push(current.clone());
            }
        }
        let n = steps.len() as i64;
        for (j, values) in steps.iter().enumerate() {
            self.chain.env.set_unix_timestamp(at - (n - 1 - j as i64) * HOUR).await;
            let now = self.chain.now().await;
            for i in 0..self.publishers.len() {
                let p = self.publishers[i].insecure_clone();
                let ixs: Vec<Instruction> = self
                    .feeds
                    .iter()
                    .zip(values)
                    .map(|((_, id, _), v)| oracle::submit_ix(&p.pubkey(), id, *v, v / 10_000, now))
                    .collect();
                self.chain.send("publishing oracle inputs", &ixs, &[&p]).await?;
            }
            for (f, v) in self.feeds.iter_mut().zip(values) {
                f.2 = *v;
            }
        }
        self.chain.env.set_unix_timestamp(at).await;
        // the oracle's own account of it: each feed serves the last value, holds nothing
        let insurance_cash = self.book().await?.insurance_cash;
        let mut served = vec![];
        for ((name, id, v), target_bps) in self.feeds.clone().into_iter().zip(target_bps) {
            let feed: rwa_oracle::state::Feed = self.chain.get(oracle::feed_pda(&id)).await?;
            served.push(FeedServed {
                feed: name.clone(),
                served_bps: raw_bps(feed.accepted.value),
                target_bps,
            });
            let error = if feed.held.publishers != 0 {
                Some("DeviationHeld")
            } else if feed.accepted.value != v {
                Some("NotAccepted")
            } else {
                None
            };
            if let Some(error) = error {
                self.keeper_log.push(KeeperStep::refused(
                    day,
                    &format!("oracle {name}"),
                    error,
                    insurance_cash,
                ));
            }
        }
        Ok((benchmark, steps.len() as u32, served))
    }

    // -----------------------------------------------------------------------------------
    // Setup

    async fn setup(&mut self) -> Result<()> {
        let mut rng = Rng(self.sc.seed);
        // the pools: sizes and schedules from the seed, grades 1..=4 in turn
        let mut specs = vec![];
        for i in 0..self.sc.pools {
            let grade = (i % 4) as u8 + 1;
            let face_whole = 100_000 + 1_000 * rng.below(301);
            let flows = 4 + rng.below(5) as i64;
            let first = 2 + rng.below(7) as i64;
            let spacing = 10 + rng.below(11) as i64;
            let face = face_whole * ONE;
            let each = face / flows as u64;
            let schedule: Vec<ScheduledPayment> = (0..flows)
                .map(|k| ScheduledPayment {
                    due_ts: T0 + (first + k * spacing) * DAY,
                    amount: if k == flows - 1 { face - each * (flows as u64 - 1) } else { each },
                })
                .collect();
            specs.push((grade, face, schedule, rng.next()));
        }
        // the stressed pools: the worst grades first (correlated within a grade)
        let mut order: Vec<usize> = (0..specs.len()).collect();
        order.sort_by_key(|&i| (std::cmp::Reverse(specs[i].0), specs[i].3));
        let stressed = ceil_share(specs.len(), self.sc.default_share_bps);
        let mut stress_days = vec![None; specs.len()];
        for &i in order.iter().take(stressed) {
            stress_days[i] = Some(self.sc.stress_start_day + 4 - specs[i].0 as u32);
        }
        let total_face: u64 = specs.iter().map(|s| s.1).sum();

        // keys and SOL
        let issuer = Keypair::new();
        let psm_funder = Keypair::new();
        let depositor = Keypair::new();
        let staker = Keypair::new();
        let holder_keys: Vec<Keypair> = (0..self.sc.holders).map(|_| Keypair::new()).collect();
        let payer = self.payer();
        let mut funded = vec![
            self.admin.pubkey(),
            issuer.pubkey(),
            self.servicer.pubkey(),
            psm_funder.pubkey(),
            depositor.pubkey(),
            staker.pubkey(),
        ];
        funded.extend(self.publishers.iter().map(|p| p.pubkey()));
        funded.extend(holder_keys.iter().map(|k| k.pubkey()));
        for chunk in funded.chunks(8) {
            let ixs: Vec<Instruction> = chunk
                .iter()
                .map(|to| system_instruction::transfer(&payer, to, 10_000_000_000))
                .collect();
            self.chain.send("funding the participants' keys", &ixs, &[]).await?;
        }

        // the programs, through the demo's setup
        let anchor_params = AnchorParams {
            fee_in_bps: FEE_OUT_BPS,
            fee_out_bps: FEE_OUT_BPS,
            overcollateral_bps: 100,
            max_entry_age_secs: 900,
            max_price_age_secs: 900,
            global_ceiling: total_face.saturating_mul(2),
        };
        self.reserve_params = ReserveParams {
            sale_budget: bps_of(total_face, self.sc.sale_budget_bps)?,
            bid_budget: bps_of(total_face, self.sc.bid_budget_bps)?,
            ..reserve::PARAMS
        };
        let steps: Vec<WriteDownStepRaw> = self
            .sc
            .write_down_steps
            .iter()
            .map(|[d, b]| WriteDownStepRaw { days_late: *d, fraction: fixed_bps(*b as u64) })
            .collect();
        let admin = self.admin.insecure_clone();
        let setup = ProtocolSetup {
            admin: &admin,
            guardian: Keypair::new().pubkey(),
            usd_issuer: self.usd_issuer.pubkey(),
            anchor_params,
            reserve_params: self.reserve_params,
            benchmark: self.benchmark,
            grades: self.grades.iter().map(|(g, f)| (*g, *f, steps.clone())).collect(),
            publishers: self.publishers.iter().map(|p| p.pubkey()).collect(),
            // the deployed bound (5% an hour): the crunch's moves are published in hourly
            // steps within it (`publish`)
            max_deviation_bps: ORACLE_DEVIATION_BPS,
        };
        let (usd_mint, _) = setup.run(&mut self.chain).await?;
        self.usd_mint = usd_mint;
        let config: value_anchor::state::AnchorConfig = self.chain.get(va::config_pda()).await?;
        self.max_entry_age = config.params.max_entry_age_secs;

        // the issuer's pools
        let limits = IssuerLimits { max_pools: self.sc.pools as u32, max_face_value: total_face };
        let ixs = [
            registry::approve_issuer_ix(&admin.pubkey(), &issuer.pubkey(), limits),
            registry::approve_servicer_ix(&admin.pubkey(), &self.servicer.pubkey()),
        ];
        self.chain.send("approving the issuer and its servicer", &ixs, &[&admin]).await?;
        for (index, (grade, face, schedule, _)) in specs.into_iter().enumerate() {
            let address = registry::pool_pda(&issuer.pubkey(), index as u32);
            let feeds = self.grades[grade as usize - 1].1;
            let uri = format!("https://issuer.example/stress/pools/{}.json", index + 1);
            let (servicer, usd) = (self.servicer.pubkey(), self.usd_mint);
            let i = index as u32;
            self.chain
                .create_classic_pool(&issuer, &servicer, i, &usd, grade, face, uri, schedule)
                .await?;
            self.pools.push(PoolInfo {
                grade,
                address,
                unit_mint: registry::unit_mint_pda(&address),
                vault: registry::vault_pda(&address),
                face,
                stress_day: stress_days[index],
                refresh: RefreshAccounts::new(&address, grade, &self.benchmark, &feeds),
            });
        }
        let pairs: Vec<(Pubkey, Pubkey)> =
            self.pools.iter().map(|p| (issuer.pubkey(), p.unit_mint)).collect();
        self.chain.create_atas("creating token accounts", &pairs).await?;
        let issuer_units: Vec<Pubkey> =
            self.pools.iter().map(|p| Self::ata(&issuer.pubkey(), &p.unit_mint)).collect();
        for (k, chunk) in self.pools.chunks(4).enumerate() {
            let ixs: Vec<Instruction> = chunk
                .iter()
                .enumerate()
                .map(|(j, p)| {
                    registry::activate_pool_ix(
                        &issuer.pubkey(),
                        &p.address,
                        &issuer_units[k * 4 + j],
                        TokenProgram::Classic,
                    )
                })
                .collect();
            self.chain.send("activating the pools", &ixs, &[&issuer]).await?;
        }

        // pricing, collateral and listing
        let bench = oracle::feed_pda(&self.benchmark);
        let accepted = self.accepted();
        for chunk in self.pools.chunks(4) {
            let ixs: Vec<Instruction> = chunk
                .iter()
                .map(|p| {
                    pricer::create_pool_pricing_ix(
                        &admin.pubkey(),
                        &p.address,
                        &oracle::grade_pda(p.grade),
                        &bench,
                        pricer::PRICING,
                    )
                })
                .collect();
            self.chain.send("accepting the pools for pricing", &ixs, &[&admin]).await?;
            let ixs: Vec<Instruction> = chunk
                .iter()
                .map(|p| {
                    let params = PoolParams {
                        haircut_bps: 100 + 100 * p.grade as u16,
                        ceiling: p.face,
                        capacity: p.face,
                        capacity_window_secs: 86_400,
                    };
                    va::accept_pool_ix(&admin.pubkey(), &p.address, params)
                })
                .collect();
            self.chain.send("accepting the pools as collateral", &ixs, &[&admin]).await?;
            let ixs: Vec<Instruction> = chunk
                .iter()
                .map(|p| reserve::list_pool_ix(&admin.pubkey(), &p.address, p.face / 3))
                .collect();
            self.chain.send("listing the pools on the reserve", &ixs, &[&admin]).await?;
        }

        // the investors: token accounts, their units (bought off protocol), exit plans
        let anchor_mint = va::anchor_mint_pda();
        let mut pairs = vec![];
        for k in &holder_keys {
            pairs.push((k.pubkey(), usd_mint));
            pairs.push((k.pubkey(), anchor_mint));
            pairs.extend(self.pools.iter().map(|p| (k.pubkey(), p.unit_mint)));
        }
        for k in [&issuer, &psm_funder, &depositor, &staker] {
            pairs.push((k.pubkey(), usd_mint));
        }
        pairs.push((psm_funder.pubkey(), anchor_mint));
        pairs.push((self.servicer.pubkey(), usd_mint));
        self.chain.create_atas("creating token accounts", &pairs).await?;
        self.servicer_usd = Self::ata(&self.servicer.pubkey(), &usd_mint);
        self.other_usd = [&issuer, &psm_funder, &depositor, &staker]
            .iter()
            .map(|k| Self::ata(&k.pubkey(), &usd_mint))
            .collect();

        let n = self.sc.holders;
        let anchor_holders = ceil_share(n, self.sc.anchor_holder_share_bps).min(n);
        let anchor_exiting = ceil_share(anchor_holders, self.sc.anchor_exit_share_bps);
        let unit_exiting = ceil_share(n - anchor_holders, self.sc.unit_exit_share_bps);
        let last_day = self.sc.days.max(self.sc.stress_start_day);
        for (h, key) in holder_keys.into_iter().enumerate() {
            let is_anchor = h < anchor_holders;
            let exits =
                if is_anchor { h < anchor_exiting } else { h - anchor_holders < unit_exiting };
            // panics come early: the earlier of two draws from the stress start to the end
            let span = (last_day - self.sc.stress_start_day + 1) as u64;
            let start = self.sc.stress_start_day + rng.below(span).min(rng.below(span)) as u32;
            let owner = key.pubkey();
            self.holders.push(Holder {
                usd: Self::ata(&owner, &usd_mint),
                anchor: Self::ata(&owner, &anchor_mint),
                units: self.pools.iter().map(|p| Self::ata(&owner, &p.unit_mint)).collect(),
                key,
                exit_from: exits.then_some(start),
                bid_first: rng.below(3) == 0,
                exchange_first: rng.below(2) == 0,
                anchor_left: 0,
                anchor_tranche: 0,
                units_left: vec![0; self.pools.len()],
                units_tranche: vec![0; self.pools.len()],
                next_nonce: 0,
            });
        }
        for (p, pool) in self.pools.iter().enumerate() {
            let each = pool.face / n as u64;
            let mut ixs = vec![];
            for (h, holder) in self.holders.iter().enumerate() {
                let units = if h == n - 1 { pool.face - each * (n as u64 - 1) } else { each };
                ixs.push(spl_token::instruction::transfer(
                    &spl_token::ID,
                    &issuer_units[p],
                    &holder.units[p],
                    &issuer.pubkey(),
                    &[],
                    units,
                )?);
            }
            for chunk in ixs.chunks(8) {
                self.chain.send("selling units to the investors", chunk, &[&issuer]).await?;
            }
        }

        // day 0: prices, the anchor holders exchange every unit
        self.publish(0, T0 + HOUR).await?;
        for i in 0..self.pools.len() {
            let ix = self.pools[i].refresh.ix();
            self.chain.send("refreshing a pool's rate", &[ix], &[]).await?;
        }
        for h in 0..anchor_holders {
            for p in 0..self.pools.len() {
                let holder = self.holders[h].key.insecure_clone();
                let units = self.chain.balance(self.holders[h].units[p]).await?;
                let mut accounts = ExchangeAccounts::new(
                    &holder.pubkey(),
                    &self.pools[p].address,
                    &self.holders[h].units[p],
                    &self.holders[h].anchor,
                );
                accounts.accepted = accepted.clone();
                let ixs = [self.pools[p].refresh.ix(), accounts.ix(units, 1)];
                self.chain.send("exchanging units for anchor tokens", &ixs, &[&holder]).await?;
            }
        }
        for (h, holder) in self.holders.iter_mut().enumerate() {
            if holder.exit_from.is_none() {
                continue;
            }
            let tranches = self.sc.exit_tranches as u64;
            if h < anchor_holders {
                let balance = self.chain.balance(holder.anchor).await?;
                holder.anchor_left = balance;
                holder.anchor_tranche = balance.div_ceil(tranches);
            } else {
                for p in 0..self.pools.len() {
                    let balance = self.chain.balance(holder.units[p]).await?;
                    holder.units_left[p] = balance;
                    holder.units_tranche[p] = balance.div_ceil(tranches);
                }
            }
        }

        // the PSM reserve, the reserve's capital and the insurance pool
        let supply = self.chain.supply(anchor_mint).await?;
        let psm = bps_of(supply, self.sc.psm_funding_bps)?;
        let insurance = bps_of(supply, self.sc.insurance_bps)?.max(ONE);
        let capital = bps_of(total_face, self.sc.reserve_capital_bps)?.max(ONE);
        let usd_issuer = self.usd_issuer.insecure_clone();
        let [_, funder_usd, depositor_usd, staker_usd] =
            [self.other_usd[0], self.other_usd[1], self.other_usd[2], self.other_usd[3]];
        let ixs = vec![
            self.mint_usd_ix(&funder_usd, psm.max(ONE))?,
            self.mint_usd_ix(&depositor_usd, capital)?,
            self.mint_usd_ix(&staker_usd, insurance)?,
        ];
        self.chain.send("funding the PSM funder and the reserve", &ixs, &[&usd_issuer]).await?;
        let funder_psm = PsmAccounts {
            holder: psm_funder.pubkey(),
            reserve_mint: usd_mint,
            holder_stable: funder_usd,
            holder_anchor: Self::ata(&psm_funder.pubkey(), &anchor_mint),
            accepted: accepted.clone(),
            anchor_token_program: va::ANCHOR_TOKEN_PROGRAM,
        };
        self.chain
            .send(
                "funding value-anchor's PSM reserve",
                &[funder_psm.mint_ix(psm.max(ONE), 1)],
                &[&psm_funder],
            )
            .await?;
        let valuation = Valuation { listed: accepted.clone(), accepted: vec![] };
        let ix = reserve::deposit_ix(
            &depositor.pubkey(),
            &depositor_usd,
            &usd_mint,
            &valuation,
            capital,
            1,
        );
        self.chain.send("depositing reserve capital", &[ix], &[&depositor]).await?;
        let ix =
            reserve::stake_insurance_ix(&staker.pubkey(), &staker_usd, &usd_mint, insurance, 1);
        self.chain.send("staking in the insurance pool", &[ix], &[&staker]).await?;
        self.insurance_staked = self.book().await?.insurance_cash;
        Ok(())
    }

    // -----------------------------------------------------------------------------------
    // A day

    async fn play_day(&mut self, day: u32) -> Result<Day> {
        let at = T0 + day as i64 * DAY + 2 * HOUR;
        self.refused_today.clear();
        let keeper_from = self.keeper_log.len();
        let (benchmark_target, oracle_steps, feeds) = self.publish(day, at).await?;
        self.service(day, at).await?;
        let covered_before = self.book().await?.covered_total;
        // the keeper: every price and backing entry, then the cover and the reserve's crank;
        // each refusal is recorded, and the verdict fails on any it does not expect
        for i in 0..self.pools.len() {
            let ixs = [self.pools[i].refresh.ix(), va::refresh_backing_ix(&self.pools[i].address)];
            self.keeper(day, format!("refresh pool {}", i + 1), &ixs).await?;
        }
        // just before the cover and right after it: the stored and the proven backing,
        // value-anchor's stable reserve and the insurance pool's book (the cover must move the
        // same amount out of the insurance pool, into covered_total and into the reserve)
        let morning = self.backing().await?;
        let proven_morning = self.proven().await?;
        let stable_reserve_morning = self.chain.balance(va::stable_reserve_pda()).await?;
        let book_morning = self.book().await?;
        let required_bps = self.required_bps().await?;
        let ix = reserve::cover_shortfall_ix(&self.usd_mint, &self.accepted());
        self.keeper(day, "cover".into(), &[ix]).await?;
        // first loss is judged on the backing proven from the current prices, not on the
        // stored Backing (which a failed refresh would leave stale)
        let backing_after_cover = self.backing().await?.total_backing;
        let proven_after_cover = self.proven().await?;
        let stable_reserve_after_cover = self.chain.balance(va::stable_reserve_pda()).await?;
        let book_after_cover = self.book().await?;
        if self.book().await?.anchor_held > 0 {
            let ix = reserve::redeem_anchor_ix(&self.usd_mint, &self.accepted());
            self.keeper(day, "crank".into(), &[ix]).await?;
        }

        // the holders' exits
        let first_exit = self.exits.len();
        let first_stuck = self.stuck.len();
        for h in 0..self.holders.len() {
            match self.holders[h].exit_from {
                Some(from) if from <= day => {}
                _ => continue,
            }
            for p in 0..self.pools.len() {
                let units = self.holders[h].units_tranche[p].min(self.holders[h].units_left[p]);
                if units > 0 {
                    self.exit_units(day, h, p, units).await?;
                }
            }
            let tokens = self.holders[h].anchor_tranche.min(self.holders[h].anchor_left);
            if tokens > 0 {
                self.exit_anchor(day, h, tokens).await?;
            }
        }

        // the day's figures, from the accounts
        let b = self.backing().await?;
        let book = self.book().await?;
        let supply = self.chain.supply(va::anchor_mint_pda()).await?;
        let stable_reserve = self.chain.balance(va::stable_reserve_pda()).await?;
        let proven = self.proven().await?;
        self.reconcile(day, &b, &book, supply, stable_reserve).await?;
        let mut late = 0;
        let mut defaulted = 0;
        for i in 0..self.pools.len() {
            match self.pool(i).await?.status {
                PoolStatus::Late => late += 1,
                PoolStatus::Defaulted => defaulted += 1,
                _ => {}
            }
        }
        let cfg: ReserveConfig = self.chain.get(reserve::config_pda()).await?;
        let benchmark: rwa_oracle::state::Feed =
            self.chain.get(oracle::feed_pda(&self.benchmark)).await?;
        let today = &self.exits[first_exit..];
        let anchor_today: Vec<&Exit> = today.iter().filter(|e| e.is_anchor()).collect();
        let ratio_expected_bps = if supply == 0 {
            0
        } else {
            (b.total_backing as u128 * 10_000 / supply as u128) as u64
        };
        let mut keeper = BTreeMap::new();
        for k in &self.keeper_log[keeper_from..] {
            *keeper.entry(format!("{}: {}", k.step, k.error)).or_insert(0) += 1;
        }
        Ok(Day {
            day,
            at,
            benchmark_bps: raw_bps(benchmark.accepted.value),
            benchmark_target_bps: benchmark_target,
            feeds,
            oracle_steps,
            pools_late: late,
            pools_defaulted: defaulted,
            ratio_morning_bps: morning.ratio_bps,
            ratio_bps: b.ratio_bps,
            ratio_expected_bps,
            total_backing: b.total_backing,
            proven,
            backing_morning: morning.total_backing,
            proven_morning,
            stable_reserve_morning,
            insurance_morning: book_morning.insurance_cash,
            covered_total_morning: book_morning.covered_total,
            required_bps,
            backing_after_cover,
            proven_after_cover,
            stable_reserve_after_cover,
            insurance_after_cover: book_after_cover.insurance_cash,
            covered_total_after_cover: book_after_cover.covered_total,
            anchor_supply: supply,
            stable_reserve,
            insurance_cash: book.insurance_cash,
            covered: book.covered_total.saturating_sub(covered_before),
            sale_used: book.sale_used,
            sale_budget: cfg.params.sale_budget,
            bid_used: book.bid_used,
            bid_budget: cfg.params.bid_budget,
            discount_paid: today.iter().filter_map(|e| e.discount).sum(),
            discount_expected: today.iter().filter_map(|e| e.discount_expected).sum(),
            anchor_exited: anchor_today.iter().map(|e| e.amount).sum(),
            anchor_paid: anchor_today.iter().map(|e| e.paid).sum(),
            first_per_token_ppm: anchor_today.first().map(|e| e.per_token_ppm),
            last_per_token_ppm: anchor_today.last().map(|e| e.per_token_ppm),
            pro_rata_ppm: proven.pro_rata_ppm(),
            exits: today.len(),
            stuck: self.stuck.len() - first_stuck,
            refused: std::mem::take(&mut self.refused_today),
            keeper,
            ledger: std::mem::take(&mut self.ledger_today),
        })
    }

    /// The servicer: healthy pools repay what falls due; stressed pools stop paying from
    /// their stress day, are marked Late, and are declared in default once late enough.
    async fn service(&mut self, day: u32, now: i64) -> Result<()> {
        let servicer = self.servicer.insecure_clone();
        let usd_issuer = self.usd_issuer.insecure_clone();
        for i in 0..self.pools.len() {
            let pool = self.pool(i).await?;
            let address = self.pools[i].address;
            let stressed = self.pools[i].stress_day.is_some_and(|d| day >= d);
            let overdue = pool.first_overdue(now).is_some();
            if !stressed {
                let due: u64 = pool
                    .schedule
                    .iter()
                    .filter(|cf| cf.due_ts < now)
                    .map(|cf| cf.outstanding())
                    .sum();
                if due > 0 && matches!(pool.status, PoolStatus::Active | PoolStatus::Late) {
                    let servicer_usd = self.servicer_usd;
                    let ixs = [
                        self.mint_usd_ix(&servicer_usd, due)?,
                        registry::payment_ix(
                            &servicer.pubkey(),
                            &address,
                            self.currency(),
                            &servicer_usd,
                            receivables::instruction::RecordRepayment { amount: due },
                        ),
                    ];
                    self.chain
                        .send("recording a repayment", &ixs, &[&usd_issuer, &servicer])
                        .await?;
                }
                continue;
            }
            let late_days = pool.days_late(now);
            match pool.status {
                PoolStatus::Active if overdue => {
                    let ix = registry::mark_late_ix(&servicer.pubkey(), &address);
                    self.chain.send("marking a pool late", &[ix], &[&servicer]).await?;
                }
                PoolStatus::Late if late_days >= self.sc.default_after_days_late as u64 => {
                    let ix = registry::declare_default_ix(&servicer.pubkey(), &address);
                    self.chain.send("declaring a default", &[ix], &[&servicer]).await?;
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// Units of `pool` through the sale to the reserve or the exchange (the holder's order);
    /// an attempt every door refuses is recorded as stuck.
    async fn exit_units(&mut self, day: u32, h: usize, p: usize, units: u64) -> Result<()> {
        let holder = self.holders[h].key.insecure_clone();
        let doors = if self.holders[h].exchange_first {
            ["exchange", "sale"]
        } else {
            ["sale", "exchange"]
        };
        let quoted = Fixed::from_raw(self.pricing(p).await?.rate.unit_price)
            .mul_u64_floor(units)
            .map_err(|e| anyhow!("{e:?}"))?;
        let mut refusals = vec![];
        for door in doors {
            // the least the holder accepts: the value at the last price less the most the door
            // can take (the curve's maximum discount, the pool's haircut) and 1% for the move
            let most_taken = if door == "sale" {
                self.reserve_params.max_discount_bps as u64
            } else {
                100 + 100 * self.pools[p].grade as u64
            };
            let min_out = bps_of(quoted, 10_000 - most_taken - 100)?.max(1);
            let (usd_before, anchor_before) = (
                self.chain.balance(self.holders[h].usd).await?,
                self.chain.balance(self.holders[h].anchor).await?,
            );
            let book_before = self.book().await?;
            let premise = self.premise(Some(p), units).await?;
            let ix = if door == "sale" {
                reserve::sell_ix(
                    &holder.pubkey(),
                    &self.pools[p].address,
                    &self.holders[h].units[p],
                    &self.holders[h].usd,
                    &self.usd_mint,
                    units,
                    min_out,
                )
            } else {
                let mut accounts = ExchangeAccounts::new(
                    &holder.pubkey(),
                    &self.pools[p].address,
                    &self.holders[h].units[p],
                    &self.holders[h].anchor,
                );
                accounts.accepted = self.accepted();
                accounts.ix(units, min_out)
            };
            let ixs = [self.pools[p].refresh.ix(), ix];
            if let Err(e) = self.attempt(&ixs, &[&holder]).await {
                refusals.push(self.refusal(day, h, door, &e, Some(p), units, premise));
                continue;
            }
            let price = Fixed::from_raw(self.pricing(p).await?.rate.unit_price);
            let worth = price.mul_u64_floor(units).map_err(|e| anyhow!("{e:?}"))?;
            self.holders[h].units_left[p] -= units;
            let (paid, discount, discount_expected) = if door == "sale" {
                let paid = self.chain.balance(self.holders[h].usd).await? - usd_before;
                // the reserve's own record of the sale: the gross value its budget counted,
                // and what left its cash other than the insurance pool's share: the discount
                let book = self.book().await?;
                let value = if book.epoch_start == book_before.epoch_start {
                    book.sale_used - book_before.sale_used
                } else {
                    book.sale_used
                };
                let booked_paid = (book_before.cash - book.cash)
                    - (book.insurance_cash - book_before.insurance_cash);
                if (value, booked_paid) != (worth, paid) {
                    self.ledger_today.push(format!(
                        "day {day}, holder {h}, sale of pool {}: the reserve's book counts \
                         {value} of value and {booked_paid} paid, the holder received {paid} \
                         for {units} units worth {worth}",
                        p + 1
                    ));
                }
                (paid, Some(value.saturating_sub(booked_paid)), Some(worth.saturating_sub(paid)))
            } else {
                (self.chain.balance(self.holders[h].anchor).await? - anchor_before, None, None)
            };
            // the door's stated cost: the exchange's haircut; the sale's exit curve at the
            // book's use after the sale (the curve rises, so the highest the sale spans), the
            // use counted from the epoch the sale fell in
            let (cost_bps, rounding, before, after) = if door == "sale" {
                let cfg: ReserveConfig = self.chain.get(reserve::config_pda()).await?;
                let book = self.book().await?;
                let used_before = if book.epoch_start == book_before.epoch_start {
                    book_before.sale_used
                } else {
                    0
                };
                let curve = cfg.params.curve(self.pools[p].grade).map_err(|e| anyhow!("{e:?}"))?;
                let bps = curve
                    .discount_bps_at(used_before.saturating_add(worth), cfg.params.sale_budget)
                    .map_err(|e| anyhow!("{e:?}"))?;
                // the flat part and the curve's area are each rounded up
                (bps, 2, None, None)
            } else {
                (
                    premise.haircut_bps.unwrap_or(0),
                    0,
                    Some(premise.proven),
                    Some(self.proven().await?),
                )
            };
            self.exits.push(Exit {
                day,
                holder: h,
                door: door.into(),
                amount: units,
                worth,
                due: worth,
                cost_bps,
                rounding,
                paid,
                per_token_ppm: per_token_ppm(paid, worth),
                pool: Some(p),
                before,
                after,
                insurance_cash: book_before.insurance_cash,
                discount,
                discount_expected,
            });
            if door == "exchange" {
                // the anchor tokens leave at once through the anchor doors
                self.exit_anchor_now(day, h, paid).await?;
            }
            return Ok(());
        }
        self.stuck.push(Stuck { day, holder: h, pool: Some(p), amount: units, refusals });
        Ok(())
    }

    /// Anchor tokens of an exiting anchor holder's tranche.
    async fn exit_anchor(&mut self, day: u32, h: usize, tokens: u64) -> Result<()> {
        let before = self.chain.balance(self.holders[h].anchor).await?;
        self.exit_anchor_now(day, h, tokens).await?;
        let after = self.chain.balance(self.holders[h].anchor).await?;
        let gone = before.saturating_sub(after);
        self.holders[h].anchor_left = self.holders[h].anchor_left.saturating_sub(gone);
        Ok(())
    }

    /// `tokens` through the PSM, the bid (in the holder's order) and, failing both, in kind;
    /// an attempt every door refuses is recorded as stuck.
    async fn exit_anchor_now(&mut self, day: u32, h: usize, tokens: u64) -> Result<()> {
        let holder = self.holders[h].key.insecure_clone();
        let doors = if self.holders[h].bid_first {
            ["bid", "psm", "in-kind"]
        } else {
            ["psm", "bid", "in-kind"]
        };
        let accepted = self.accepted();
        let band = self.reserve_params.bid_band_bps as u64;
        let mut refusals = vec![];
        for door in doors {
            let premise = self.premise(None, tokens).await?;
            let before = premise.proven;
            let insurance_cash = self.book().await?.insurance_cash;
            let usd_before = self.chain.balance(self.holders[h].usd).await?;
            let (book_before, stored) = (self.book().await?, self.backing().await?);
            let reserve_before = self.chain.balance(va::stable_reserve_pda()).await?;
            let worth = before.pro_rata(tokens);
            // quotes as a holder's client makes them, from the same accounts, accepting 0.5%
            // less (`rwa holder redeem`'s default slippage)
            let psm_quote = psm_value(tokens, before.low, before.supply)?;
            let bid_quote = bps_of(psm_quote, 10_000 - band)?;
            let psm_min = bps_of(psm_quote, 9_950)?.max(1);
            let bid_min = bps_of(bid_quote, 9_950)?.max(1);
            let (usd, anchor) = (self.holders[h].usd, self.holders[h].anchor);
            let outcome = match door {
                "psm" => {
                    let psm = PsmAccounts {
                        holder: holder.pubkey(),
                        reserve_mint: self.usd_mint,
                        holder_stable: usd,
                        holder_anchor: anchor,
                        accepted: accepted.clone(),
                        anchor_token_program: va::ANCHOR_TOKEN_PROGRAM,
                    };
                    self.attempt(&[psm.redeem_ix(tokens, psm_min)], &[&holder]).await
                }
                "bid" => {
                    let ix = reserve::sell_anchor_ix(
                        &holder.pubkey(),
                        &anchor,
                        &usd,
                        &self.usd_mint,
                        &accepted,
                        tokens,
                        bid_min,
                    );
                    self.attempt(&[ix], &[&holder]).await
                }
                _ => {
                    let nonce = self.holders[h].next_nonce;
                    let ix = va::redeem_in_kind_ix(
                        &holder.pubkey(),
                        &self.usd_mint,
                        &usd,
                        &anchor,
                        &holder.pubkey(),
                        nonce,
                        tokens,
                    );
                    self.attempt(&[ix], &[&holder]).await
                }
            };
            if let Err(e) = outcome {
                refusals.push(self.refusal(day, h, door, &e, None, tokens, premise));
                continue;
            }
            let mut paid = self.chain.balance(self.holders[h].usd).await? - usd_before;
            // what left the paying program's stable account against what the holder received
            let (payer, booked_paid) = if door == "bid" {
                ("the reserve's cash", book_before.cash - self.book().await?.cash)
            } else {
                let now = self.chain.balance(va::stable_reserve_pda()).await?;
                ("value-anchor's stable reserve", reserve_before - now)
            };
            if booked_paid != paid {
                self.ledger_today.push(format!(
                    "day {day}, holder {h}, {door}: {booked_paid} left {payer}, the holder's \
                     account received {paid}"
                ));
            }
            // the bid's discount: the tokens at value-anchor's stored backing, less the PSM's
            // fee (what they redeem for), less what the reserve paid; and the tool's
            let (discount, discount_expected) = if door == "bid" {
                let at_stored = psm_value(tokens, stored.total_backing, stored.anchor_supply)?;
                (Some(at_stored.saturating_sub(booked_paid)), Some(psm_quote.saturating_sub(paid)))
            } else {
                (None, None)
            };
            if door == "in-kind" {
                paid += self.claim_in_kind(day, h).await?;
            }
            let after = self.proven().await?;
            let pools = self.pools.len() as u64;
            let (due, cost_bps, rounding) = match door {
                "psm" => (worth, FEE_OUT_BPS as u64, 1),
                "bid" => (worth, FEE_OUT_BPS as u64 + band, 2),
                // each pool's share and its value rounded down, and the stable's
                _ => (before.in_kind_share(tokens), 0, 2 * pools + 2),
            };
            self.exits.push(Exit {
                day,
                holder: h,
                door: door.into(),
                amount: tokens,
                worth,
                due,
                cost_bps,
                rounding,
                paid,
                per_token_ppm: per_token_ppm(paid, tokens),
                pool: None,
                before: Some(before),
                after: Some(after),
                insurance_cash,
                discount,
                discount_expected,
            });
            return Ok(());
        }
        self.stuck.push(Stuck { day, holder: h, pool: None, amount: tokens, refusals });
        Ok(())
    }

    /// Collects every pool's units an in-kind claim owes; returns their worth at the
    /// published prices.
    async fn claim_in_kind(&mut self, day: u32, h: usize) -> Result<u64> {
        let holder = self.holders[h].key.insecure_clone();
        let nonce = self.holders[h].next_nonce;
        self.holders[h].next_nonce += 1;
        let claim_address = va::claim_pda(&holder.pubkey(), nonce);
        if self.chain.env.account(claim_address).await.is_none() {
            return Ok(0);
        }
        let claim: value_anchor::state::InKindClaim = self.chain.get(claim_address).await?;
        let mut worth = 0u64;
        for p in 0..self.pools.len() {
            if claim.units_owed[p] == 0 {
                continue;
            }
            let before = self.chain.balance(self.holders[h].units[p]).await?;
            let ix = va::claim_in_kind_ix(
                &holder.pubkey(),
                &self.pools[p].address,
                nonce,
                &self.holders[h].units[p],
            );
            let premise = self.premise(Some(p), claim.units_owed[p]).await?;
            if let Err(e) = self.attempt(&[ix], &[&holder]).await {
                // never intended: the claim's units are set aside for it
                self.refusal(day, h, "claim in kind", &e, Some(p), claim.units_owed[p], premise);
                continue;
            }
            let got = self.chain.balance(self.holders[h].units[p]).await? - before;
            let price = Fixed::from_raw(self.pricing(p).await?.rate.unit_price);
            worth += price.mul_u64_floor(got).map_err(|e| anyhow!("{e:?}"))?;
        }
        Ok(worth)
    }

    /// The day's ledger checks: Backing and the reserve's book against their token accounts,
    /// the stablecoin conserved.
    async fn reconcile(
        &mut self,
        day: u32,
        b: &Backing,
        book: &ReserveBook,
        supply: u64,
        stable_reserve: u64,
    ) -> Result<()> {
        let mut pairs: Vec<(&str, u64, u64)> = vec![
            ("Backing.stable_reserve = stable reserve account", b.stable_reserve, stable_reserve),
            ("Backing.anchor_supply = anchor mint supply", b.anchor_supply, supply),
        ];
        let entries: u64 = b.entries[..b.pool_count as usize].iter().map(|e| e.value).sum();
        pairs.push((
            "Backing.total_backing = reserve + entries",
            b.total_backing,
            b.stable_reserve + entries,
        ));
        let vaults = [
            ("book.cash = stable vault", book.cash, reserve::stable_vault_pda()),
            (
                "book.insurance_cash = insurance vault",
                book.insurance_cash,
                reserve::insurance_vault_pda(),
            ),
            ("book.anchor_held = anchor vault", book.anchor_held, reserve::anchor_vault_pda()),
        ];
        let mut owned = vec![];
        for (name, booked, vault) in vaults {
            owned.push((name, booked, self.chain.balance(vault).await?));
        }
        // the units the proven backing counts are the units value-anchor holds
        for e in b.entries[..b.pool_count as usize].iter() {
            let held = self.chain.balance(va::collateral_pda(&e.pool)).await?;
            owned.push((
                "Backing entry units + reserved = collateral account",
                e.units + e.reserved,
                held,
            ));
        }
        pairs.extend(owned);
        let mut usd_accounts: Vec<Pubkey> = self.holders.iter().map(|h| h.usd).collect();
        usd_accounts.extend(self.other_usd.iter().copied());
        usd_accounts.push(self.servicer_usd);
        usd_accounts.extend(self.pools.iter().map(|p| p.vault));
        usd_accounts.extend([
            va::stable_reserve_pda(),
            reserve::stable_vault_pda(),
            reserve::insurance_vault_pda(),
            reserve::fee_vault_pda(),
            reserve::rewards_vault_pda(),
        ]);
        let mut sum = 0u64;
        for a in usd_accounts {
            sum += self.chain.balance(a).await?;
        }
        let usd_supply = self.chain.supply(self.usd_mint).await?;
        pairs.push(("stable: accounts add up to the supply", sum, usd_supply));
        pairs.push(("stable: supply = all minted in", self.usd_minted, usd_supply));
        for (name, left, right) in pairs {
            if left != right {
                self.ledger_today.push(format!("day {day}: {name}: {left} != {right}"));
            }
        }
        Ok(())
    }

    async fn final_accounts(&mut self) -> Result<FinalAccounts> {
        let sdk = self.chain.env.sdk();
        let b = sdk.backing().await.map_err(|e| anyhow!("reading the backing: {e}"))?;
        let book = sdk.book().await.map_err(|e| anyhow!("reading the reserve's book: {e}"))?;
        Ok(FinalAccounts {
            anchor_supply: sdk
                .mint_supply(&va::anchor_mint_pda())
                .await
                .map_err(|e| anyhow!("reading the anchor supply: {e}"))?,
            total_backing: b.total_backing,
            ratio_bps: b.ratio_bps,
            stable_reserve: sdk
                .token_balance(&va::stable_reserve_pda())
                .await
                .map_err(|e| anyhow!("reading the stable reserve: {e}"))?,
            insurance_cash: book.insurance_cash,
            covered_total: book.covered_total,
            sale_used: book.sale_used,
            bid_used: book.bid_used,
        })
    }

    async fn pool_summaries(&mut self) -> Result<Vec<PoolSummary>> {
        let mut out = vec![];
        for i in 0..self.pools.len() {
            let pool = self.pool(i).await?;
            let price = self.pricing(i).await?.rate.unit_price;
            let ppm = Fixed::from_raw(price).mul_u64_floor(PPM as u64).unwrap_or(u64::MAX);
            out.push(PoolSummary {
                address: self.pools[i].address.to_string(),
                grade: pool.grade,
                face: pool.face_value,
                flows: pool.schedule.len(),
                stress_day: self.pools[i].stress_day,
                status: format!("{:?}", pool.status),
                unit_price_ppm: ppm,
            });
        }
        Ok(out)
    }
}

/// The verdict on a run's records (the days, the exit log, the stuck attempts, the keeper's
/// refusals and the final accounts), with integers only: the simulation only records, this
/// judges, so a test can hand it records that must fail.
pub fn judge(r: &StressReport) -> Verdict {
    let f = &r.final_accounts;
    let mut loss = vec![];
    let mut equal = vec![];
    let mut ledger = vec![];
    let mut keeper_failures = vec![];
    // base units the proven backing may differ from the stored one: one per backing entry
    // (each entry's value rounded down) and one for the reserve
    let rounding = r.pools.len() as u64 + 1;

    for d in &r.days {
        // the cover: the same amount out of the insurance pool, into covered_total (the
        // reserve's book) and into value-anchor's stable reserve
        let dropped = d.insurance_morning as i128 - d.insurance_after_cover as i128;
        let covered = d.covered_total_after_cover as i128 - d.covered_total_morning as i128;
        let arrived = d.stable_reserve_after_cover as i128 - d.stable_reserve_morning as i128;
        if dropped != covered || covered != arrived {
            loss.push(format!(
                "day {}, the keeper's cover: the insurance pool fell by {dropped}, covered_total \
                 rose by {covered}, value-anchor's stable reserve by {arrived}",
                d.day
            ));
        }
        // ... at least the lesser of the shortfall (to supply x (1 + overcollateral), at the
        // backing proven just before) and what the insurance pool held
        let p = d.proven_morning;
        let shortfall = required_backing(p.supply, d.required_bps).saturating_sub(p.low as u128);
        let need = shortfall.min(d.insurance_morning as u128);
        if (covered.max(0) as u128) + (rounding as u128) < need {
            loss.push(format!(
                "day {}, the keeper's cover: {covered} reached value-anchor, short of the {need} \
                 owed (shortfall {shortfall} at the proven backing {} behind {}, insurance held \
                 {})",
                d.day, p.low, p.supply, d.insurance_morning
            ));
        }
        // the stored backing agrees with the one proven from the current prices after the
        // keeper's refresh, after its cover and at the end of the day
        for (when, stored, proven) in [
            ("after the keeper's refresh", d.backing_morning, d.proven_morning),
            ("after the keeper's cover", d.backing_after_cover, d.proven_after_cover),
            ("at the end of the day", d.total_backing, d.proven),
        ] {
            if stored.abs_diff(proven.low) > rounding {
                ledger.push(format!(
                    "day {}, {when}: Backing.total_backing {stored}, proven at the current \
                     prices {}",
                    d.day, proven.low
                ));
            }
        }
        // first loss: after the keeper's cover, the backing proven from the current prices
        // must reach the supply while the insurance pool still has cash
        let p = d.proven_after_cover;
        if p.low < p.supply && d.insurance_after_cover >= INSURANCE_DUST {
            loss.push(format!(
                "day {}, after the keeper's cover: backing proven at the current prices {} \
                 (stored: {}) below the supply {} while insurance holds {}",
                d.day, p.low, d.backing_after_cover, p.supply, d.insurance_after_cover
            ));
        }
        ledger.extend(d.ledger.iter().cloned());
    }

    let anchor: Vec<&Exit> = r.exit_log.iter().filter(|e| e.is_anchor()).collect();
    for e in &anchor {
        let who = format!("day {}, holder {}, {}", e.day, e.holder, e.door);
        // no exit takes more than its pro-rata share ...
        if e.paid > e.worth {
            equal.push(format!(
                "{who}: paid {} for {} tokens worth {} pro rata",
                e.paid, e.amount, e.worth
            ));
        }
        // ... nor less than its door owes, less the door's stated cost and rounding
        let owed = e.due - ceil_bps(e.due, e.cost_bps).min(e.due);
        if e.paid.saturating_add(e.rounding) < owed {
            equal.push(format!(
                "{who}: paid {} for {} tokens, below the {} its door owes ({} less {} bps and \
                 {} of rounding)",
                e.paid, e.amount, owed, e.due, e.cost_bps, e.rounding
            ));
        }
        // what a remaining token redeems for must not fall (a base unit of rounding per
        // backing entry and one for the reserve)
        if let Some(x) = value_per_token_fell(e, rounding) {
            equal.push(format!("{who}: {x}"));
        }
        // first loss: below par (less the door's stated cost and rounding) only once the
        // insurance pool is spent
        let par = e.amount - ceil_bps(e.amount, e.cost_bps).min(e.amount);
        let lost = e.worth < e.amount || e.paid.saturating_add(e.rounding) < par;
        if lost && e.insurance_cash >= INSURANCE_DUST {
            loss.push(format!(
                "{who}: {} tokens worth {} paid {} while insurance holds {}",
                e.amount, e.worth, e.paid, e.insurance_cash
            ));
        }
    }
    // no exit is paid less per token than a later one, beyond its door's cost and rounding,
    // unless what a token was worth rose in between (a recovery, a cover)
    for (i, early) in anchor.iter().enumerate() {
        let allowance = early.cost_bps * 100
            + (early.rounding as u128 * PPM).div_ceil(early.amount.max(1) as u128) as u64
            + 1;
        let worth = early.proven_before().pro_rata_ppm();
        let later = anchor[i + 1..].iter().find(|l| {
            l.proven_before().pro_rata_ppm() <= worth
                && l.per_token_ppm > early.per_token_ppm + allowance
        });
        if let Some(l) = later {
            equal.push(format!(
                "day {}, holder {}, {}: paid {} per token, day {} holder {} ({}) got {} while a \
                 token was worth no more",
                early.day,
                early.holder,
                early.door,
                ppm(early.per_token_ppm),
                l.day,
                l.holder,
                l.door,
                ppm(l.per_token_ppm)
            ));
        }
    }
    // the unit doors: an exchange mints at most (and no fewer than) the units' value less the
    // haircut, one anchor token a base unit (value-anchor's `exchange_out`), and lowers no
    // remaining token's value; a sale is paid at most the units' value and at least that less
    // the exit curve's discount
    for e in r.exit_log.iter().filter(|e| !e.is_anchor()) {
        let who = format!(
            "day {}, holder {}, {} of pool {}",
            e.day,
            e.holder,
            e.door,
            e.pool.map_or(0, |p| p + 1)
        );
        let owed = e.due - ceil_bps(e.due, e.cost_bps).min(e.due);
        let most = if e.door == "exchange" { owed } else { e.worth };
        if e.paid > most {
            equal.push(format!(
                "{who}: {} for {} units worth {}, more than the {most} the door owes ({} bps \
                 off)",
                e.paid, e.amount, e.worth, e.cost_bps
            ));
        }
        if e.paid.saturating_add(e.rounding) < owed {
            equal.push(format!(
                "{who}: paid {} for {} units worth {}, below the {} its door owes ({} less {} \
                 bps and {} of rounding)",
                e.paid, e.amount, e.worth, owed, e.due, e.cost_bps, e.rounding
            ));
        }
        if e.door == "exchange" {
            match value_per_token_fell(e, rounding) {
                Some(x) => equal.push(format!("{who}: {x}")),
                None if e.before.is_none() || e.after.is_none() => {
                    equal.push(format!("{who}: the backing before and after is not recorded"))
                }
                None => {}
            }
        }
    }
    // every door's refusal is an intended one whose premise held in the accounts
    let mut refusals_unjustified = 0;
    for x in &r.refusals {
        if !refusal_premise_holds(x, rounding) {
            refusals_unjustified += 1;
            let claim = match (x.door.as_str(), x.pool) {
                ("claim in kind", Some(p)) => {
                    format!("{} units of pool {} owed in kind", x.amount, p + 1)
                }
                (_, Some(p)) => format!("{} units of pool {}", x.amount, p + 1),
                _ => format!("{} anchor tokens", x.amount),
            };
            let why = if INTENDED_REFUSALS.contains(&format!("{}: {}", x.door, x.error).as_str()) {
                "its premise did not hold in the accounts"
            } else {
                "not an intended refusal"
            };
            equal.push(format!(
                "day {}, holder {}: {claim} refused by {} ({}): {why}",
                x.day, x.holder, x.door, x.error
            ));
        }
    }
    // an exit attempt every door refused counts against equal treatment unless each refusal
    // is one the protocol intends
    let mut stuck_unintended = 0;
    for s in &r.stuck {
        let unintended: Vec<&String> =
            s.refusals.iter().filter(|x| !INTENDED_REFUSALS.contains(&x.as_str())).collect();
        if !unintended.is_empty() || s.refusals.is_empty() {
            stuck_unintended += 1;
            let claim =
                s.pool.map_or("anchor tokens".to_string(), |p| format!("units of pool {}", p + 1));
            equal.push(format!(
                "day {}, holder {}: {} {claim} refused by every door ({})",
                s.day,
                s.holder,
                s.amount,
                s.refusals.join(", ")
            ));
        }
    }
    // the claims (a holder's anchor tokens, or its units of a pool) that never got out
    let mut never_out: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    for s in &r.stuck {
        let got_out = r.exit_log.iter().any(|e| {
            e.holder == s.holder && if s.pool.is_some() { e.pool == s.pool } else { e.is_anchor() }
        });
        let claim = s.pool.map_or("anchor tokens".to_string(), |p| format!("pool {}", p + 1));
        let claims = never_out.entry(s.holder).or_default();
        if !got_out && !claims.contains(&claim) {
            claims.push(claim);
        }
    }
    let stuck_all_run: Vec<String> = never_out
        .into_iter()
        .filter(|(_, claims)| !claims.is_empty())
        .map(|(h, claims)| format!("holder {h}: {}", claims.join(", ")))
        .collect();
    // every keeper step went through or was refused as expected
    let mut keeper_refusals = BTreeMap::new();
    for k in &r.keeper_log {
        *keeper_refusals.entry(format!("{}: {}", k.step, k.error)).or_insert(0) += 1;
        if !keeper_refusal_expected(k, rounding) {
            keeper_failures.push(format!(
                "day {}, keeper {}: refused {} (insurance held {})",
                k.day, k.step, k.error, k.insurance_cash
            ));
        }
    }
    // the exit discounts the programs stated are the tool's
    for e in &r.exit_log {
        if e.discount_expected.is_some() && e.discount != e.discount_expected {
            ledger.push(format!(
                "day {}, holder {}, {}: the program's exit discount {:?}, the tool's {:?}",
                e.day, e.holder, e.door, e.discount, e.discount_expected
            ));
        }
    }

    let mut refused = BTreeMap::new();
    for d in &r.days {
        for (k, v) in &d.refused {
            *refused.entry(k.clone()).or_insert(0) += v;
        }
    }
    // the oracle's lag behind the scenario, reported
    let mut oracle_lags = vec![];
    for d in &r.days {
        for x in d.feeds.iter().filter(|x| x.served_bps != x.target_bps) {
            oracle_lags.push(format!(
                "day {}: {} served {} bps, target {} bps",
                d.day, x.feed, x.served_bps, x.target_bps
            ));
        }
    }
    // solvency and what a token redeems for at the end, at the backing proven from the
    // current prices (the stored Backing when no day was played)
    let end = r.days.last().map_or(
        Proven { low: f.total_backing, high: f.total_backing, supply: f.anchor_supply },
        |d| d.proven,
    );
    let final_pro_rata_ppm = end.pro_rata_ppm();
    let (first_loss, equal_ok) = (loss.is_empty(), equal.is_empty());
    let (reconcile, keepers_ok) = (ledger.is_empty(), keeper_failures.is_empty());
    let mut violations = loss;
    violations.extend(equal);
    violations.extend(ledger);
    violations.extend(keeper_failures);
    Verdict {
        solvent: end.low >= end.supply,
        insurance_exhausted: f.insurance_cash < INSURANCE_DUST,
        first_loss_order_respected: first_loss,
        equal_treatment: equal_ok,
        accounts_reconcile: reconcile,
        keepers_ok,
        all_invariants_hold: first_loss && equal_ok && reconcile && keepers_ok,
        min_ratio_bps: r
            .days
            .iter()
            .map(|d| d.ratio_morning_bps.min(d.ratio_bps))
            .min()
            .unwrap_or(f.ratio_bps),
        insurance_staked: r.insurance_staked,
        insurance_used: f.covered_total,
        insurance_left: f.insurance_cash,
        insurance_exhausted_day: r
            .days
            .iter()
            .find(|d| d.insurance_cash < INSURANCE_DUST)
            .map(|d| d.day),
        first_holder_loss_day: anchor.iter().find(|e| e.worth < e.amount).map(|e| e.day),
        refusals_unjustified,
        oracle_reached_targets: oracle_lags.is_empty(),
        oracle_lags,
        final_pro_rata_ppm,
        holder_loss_ppm: PPM as u64 - final_pro_rata_ppm.min(PPM as u64),
        first_exit_per_token_ppm: anchor.first().map(|e| e.per_token_ppm),
        last_exit_per_token_ppm: anchor.last().map(|e| e.per_token_ppm),
        exits: r.exit_log.len(),
        stuck_attempts: r.stuck.len(),
        stuck_unintended,
        stuck_all_run,
        refused,
        keeper_refusals,
        violations,
    }
}

/// Whether an exit lowered what a remaining anchor token redeems for, pro rata at the backing
/// proven just before and just after, beyond `rounding` base units of the backing.
fn value_per_token_fell(e: &Exit, rounding: u64) -> Option<String> {
    let (b, a) = (e.before?, e.after?);
    if a.supply == 0 || b.supply == 0 {
        return None;
    }
    let lhs = (a.low.min(a.supply) as u128 + rounding as u128) * b.supply as u128;
    let rhs = b.low.min(b.supply) as u128 * a.supply as u128;
    (lhs < rhs).then(|| {
        format!(
            "value per remaining token fell from {}/{} to {}/{}",
            b.low, b.supply, a.low, a.supply
        )
    })
}

/// `ceil(amount x bps / 10,000)`.
fn ceil_bps(amount: u64, bps: u64) -> u64 {
    (amount as u128 * bps as u128).div_ceil(10_000) as u64
}

// ---------------------------------------------------------------------------------------
// Output

fn ppm(v: u64) -> String {
    format!("{}.{:04}", v / 1_000_000, (v % 1_000_000) / 100)
}

fn ratio(bps: u64) -> String {
    format::percent(bps as u128, 10_000, 2)
}

fn whole(base: u64) -> String {
    let s = amount(base / ONE * ONE);
    s.split('.').next().unwrap_or(&s).to_string()
}

/// The report as a person reads it: the setup, the daily table, refusals and the verdict.
pub fn render(r: &StressReport, chart: Option<&Path>) -> Vec<String> {
    let sc = &r.scenario;
    let mut out = vec![
        format!(
            "rwa stress: scenario `{}` (seed {}), {} pools, {} days",
            sc.name, sc.seed, sc.pools, sc.days
        ),
        "Every figure below is read from the programs' accounts in an embedded Solana bank \
         (value-anchor's Backing, the reserve's book and config, the pricer's PoolPricing, \
         the oracle's feeds, the pools, token balances and supplies). Amounts in whole USD; \
         per-token values in par (1.0000)."
            .to_string(),
        String::new(),
    ];
    let mut t = Table::new(&[
        "pool",
        ">grade",
        ">face",
        ">flows",
        "stops paying",
        "status at end",
        ">unit price",
    ]);
    for (i, p) in r.pools.iter().enumerate() {
        t.row(vec![
            format!("{}", i + 1),
            p.grade.to_string(),
            whole(p.face),
            p.flows.to_string(),
            p.stress_day.map_or("-".into(), |d| format!("day {d}")),
            p.status.clone(),
            ppm(p.unit_price_ppm),
        ]);
    }
    out.extend(t.lines(2));
    out.push(String::new());
    let mut t = Table::new(&[
        ">day",
        ">late/def",
        ">ratio am",
        ">ratio",
        ">anchor supply",
        ">stable reserve",
        ">insurance",
        ">covered",
        ">sale used",
        ">bid used",
        ">discount",
        ">(tool)",
        ">exits",
        ">stuck",
        ">first/token",
        ">last/token",
        ">pro rata",
        ">refused",
    ]);
    for d in &r.days {
        t.row(vec![
            d.day.to_string(),
            format!("{}/{}", d.pools_late, d.pools_defaulted),
            ratio(d.ratio_morning_bps),
            ratio(d.ratio_bps),
            whole(d.anchor_supply),
            whole(d.stable_reserve),
            whole(d.insurance_cash),
            whole(d.covered),
            format::percent(d.sale_used as u128, d.sale_budget.max(1) as u128, 0),
            format::percent(d.bid_used as u128, d.bid_budget.max(1) as u128, 0),
            whole(d.discount_paid),
            whole(d.discount_expected),
            d.exits.to_string(),
            d.stuck.to_string(),
            d.first_per_token_ppm.map_or("-".into(), ppm),
            d.last_per_token_ppm.map_or("-".into(), ppm),
            ppm(d.pro_rata_ppm),
            d.refused.values().sum::<u32>().to_string(),
        ]);
    }
    out.extend(t.lines(2));
    out.push(String::new());
    out.push(
        "  ratio am: backing / supply after the keeper's refresh, before the insurance cover; \
         ratio: at the end of the day (Backing.ratio_bps; the tool's own ratio of the same \
         accounts agrees every day). discount: exit discounts from account fields (sales: \
         ReserveBook.sale_used's growth less the cash paid out; the bid: the tool's formula at \
         value-anchor's stored Backing less the book's cash paid), (tool): the tool's own \
         figure from the pricer's price, the backing proven at the current prices and the \
         holders' accounts. stuck: \
         exit attempts every door refused. first/last/token: what the day's first and last \
         anchor exit got per token; pro rata: what a token redeems for at the end of the day, \
         at the backing proven from the current prices."
            .to_string(),
    );
    let v = &r.verdict;
    out.push(format!(
        "  The oracle keeps its deployed deviation bound ({}% an hour): the crunch's moves are \
         published in hourly steps within it, up to {} a day ({} steps over the run); {}",
        ORACLE_DEVIATION_BPS / 100,
        MAX_ORACLE_STEPS,
        r.days.iter().map(|d| d.oracle_steps).sum::<u32>(),
        if v.oracle_reached_targets {
            "every feed served the scenario's target every day.".to_string()
        } else {
            format!(
                "the oracle LAGGED the scenario ({} feed-days short of their targets; the crunch \
                 was played that much milder):",
                v.oracle_lags.len()
            )
        },
    ));
    for line in v.oracle_lags.iter().take(12) {
        out.push(format!("    {line}"));
    }
    if v.oracle_lags.len() > 12 {
        out.push(format!("    ... and {} more (in the JSON report)", v.oracle_lags.len() - 12));
    }
    for (title, header, tally) in [
        ("Refused exits, by door and error:", "door: error", &v.refused),
        (
            "Keeper steps refused, by step and error (expected unless listed below):",
            "step: error",
            &v.keeper_refusals,
        ),
    ] {
        if !tally.is_empty() {
            out.push(String::new());
            out.push(title.to_string());
            let mut t = Table::new(&[header, ">times"]);
            for (k, n) in tally {
                t.row(vec![k.clone(), n.to_string()]);
            }
            out.extend(t.lines(2));
        }
    }
    out.push(String::new());
    let yes = |b: bool| if b { "yes" } else { "no" };
    let held = |b: bool| if b { "held" } else { "VIOLATED" };
    let mut t = Table::new(&["verdict", "value"]);
    t.row(vec!["solvent (backing >= supply at the end)".into(), yes(v.solvent).into()]);
    t.row(vec![
        "insurance exhausted".into(),
        match v.insurance_exhausted_day {
            Some(d) if v.insurance_exhausted => format!("yes (from day {d})"),
            _ => "no".into(),
        },
    ]);
    t.row(vec![
        "insurance staked / used / left".into(),
        format!(
            "{} / {} / {}",
            whole(v.insurance_staked),
            whole(v.insurance_used),
            whole(v.insurance_left)
        ),
    ]);
    t.row(vec!["lowest backing ratio".into(), ratio(v.min_ratio_bps)]);
    t.row(vec![
        "first day a holder got below par".into(),
        v.first_holder_loss_day.map_or("never".into(), |d| format!("day {d}")),
    ]);
    t.row(vec!["holders' loss per token at the end".into(), ppm(v.holder_loss_ppm)]);
    t.row(vec![
        "per token: first exit / last exit".into(),
        format!(
            "{} / {}",
            v.first_exit_per_token_ppm.map_or("-".into(), ppm),
            v.last_exit_per_token_ppm.map_or("-".into(), ppm)
        ),
    ]);
    t.row(vec![
        "first-loss order (insurance before holders)".into(),
        held(v.first_loss_order_respected).into(),
    ]);
    t.row(vec![
        "exit attempts refused by every door".into(),
        format!(
            "{} ({} by a refusal the protocol does not intend)",
            v.stuck_attempts, v.stuck_unintended
        ),
    ]);
    if !v.stuck_all_run.is_empty() {
        t.row(vec!["claims that never got out".into(), v.stuck_all_run.join(", ")]);
    }
    t.row(vec![
        "door refusals not intended or without their premise".into(),
        v.refusals_unjustified.to_string(),
    ]);
    t.row(vec!["equal treatment per token".into(), held(v.equal_treatment).into()]);
    t.row(vec!["accounts reconcile every day".into(), held(v.accounts_reconcile).into()]);
    t.row(vec!["keeper steps as expected".into(), held(v.keepers_ok).into()]);
    out.extend(t.lines(2));
    for line in v.violations.iter().take(20) {
        out.push(format!("  ! {line}"));
    }
    out.push(String::new());
    if let Some(path) = chart {
        out.push(format!("Chart: {}", path.display()));
    }
    out.push(format!(
        "{}: {} exits, {} refused attempts, {} transactions in {:.1} s.",
        if v.all_invariants_hold { "EVERY INVARIANT HELD" } else { "INVARIANTS VIOLATED" },
        v.exits,
        v.refused.values().sum::<u32>(),
        r.transactions,
        r.elapsed_ms as f64 / 1_000.0
    ));
    out
}

/// An SVG chart of the run: the backing ratio (morning and evening) and the exit prices per
/// token by door, day by day.
pub fn chart_svg(r: &StressReport) -> String {
    let (w, h) = (900.0f64, 640.0f64);
    let days = r.scenario.days.max(1) as f64;
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" \
         viewBox=\"0 0 {w} {h}\" font-family=\"sans-serif\" font-size=\"12\">\n\
         <rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n\
         <text x=\"{}\" y=\"22\" text-anchor=\"middle\" font-size=\"15\">rwa stress: {} (seed {})</text>\n",
        w / 2.0,
        xml(&r.scenario.name),
        r.scenario.seed
    );
    // (title, y range, series: (label, colour, points (day, value)))
    let ratio_series = vec![
        (
            "backing ratio before cover",
            "#d62728",
            r.days.iter().map(|d| (d.day as f64, d.ratio_morning_bps as f64 / 100.0)).collect(),
        ),
        (
            "backing ratio end of day",
            "#1f77b4",
            r.days.iter().map(|d| (d.day as f64, d.ratio_bps as f64 / 100.0)).collect::<Vec<_>>(),
        ),
    ];
    let mut exit_series = vec![];
    for (door, colour) in
        [("psm", "#1f77b4"), ("bid", "#ff7f0e"), ("in-kind", "#2ca02c"), ("sale", "#9467bd")]
    {
        let mut points: Vec<(f64, f64)> = vec![];
        for d in &r.days {
            let (mut paid, mut worth) = (0u128, 0u128);
            for e in r.exit_log.iter().filter(|e| e.day == d.day && e.door == door) {
                paid += e.paid as u128;
                worth += if door == "sale" { e.worth as u128 } else { e.amount as u128 };
            }
            if worth > 0 {
                points.push((d.day as f64, paid as f64 / worth as f64 * 100.0));
            }
        }
        let label = match door {
            "psm" => "PSM redemption, per anchor token",
            "bid" => "anchor bid, per anchor token",
            "in-kind" => "in kind, per anchor token",
            _ => "sale to the reserve, per unit value",
        };
        exit_series.push((label, colour, points));
    }
    exit_series.push((
        "pro rata value of a token",
        "#7f7f7f",
        r.days.iter().map(|d| (d.day as f64, d.pro_rata_ppm as f64 / 10_000.0)).collect(),
    ));
    let panels = [
        ("backing ratio (% of anchor supply)", 50.0, ratio_series),
        ("exit price (% of par / of value at the price)", 350.0, exit_series),
    ];
    for (title, top, series) in panels {
        let (left, width, height) = (70.0, w - 300.0, 220.0);
        let values: Vec<f64> = series.iter().flat_map(|s| s.2.iter().map(|p| p.1)).collect();
        let mut lo = values.iter().cloned().fold(f64::INFINITY, f64::min).min(100.0);
        let mut hi = values.iter().cloned().fold(f64::NEG_INFINITY, f64::max).max(100.0);
        if !lo.is_finite() || !hi.is_finite() {
            (lo, hi) = (90.0, 110.0);
        }
        let pad = ((hi - lo) * 0.1).max(0.5);
        (lo, hi) = ((lo - pad).floor(), (hi + pad).ceil());
        let x = |d: f64| left + (d - 1.0).max(0.0) / (days - 1.0).max(1.0) * width;
        let y = |v: f64| top + height - (v - lo) / (hi - lo) * height;
        svg += &format!(
            "<text x=\"{left}\" y=\"{}\" font-size=\"13\">{}</text>\n\
             <rect x=\"{left}\" y=\"{top}\" width=\"{width}\" height=\"{height}\" fill=\"none\" stroke=\"#999\"/>\n",
            top - 8.0,
            xml(title)
        );
        for k in 0..=4 {
            let v = lo + (hi - lo) * k as f64 / 4.0;
            svg += &format!(
                "<line x1=\"{left}\" x2=\"{}\" y1=\"{y:.1}\" y2=\"{y:.1}\" stroke=\"#eee\"/>\
                 <text x=\"{}\" y=\"{:.1}\" text-anchor=\"end\">{v:.1}</text>\n",
                left + width,
                left - 6.0,
                y(v) + 4.0,
                y = y(v)
            );
        }
        let y100 = y(100.0);
        svg += &format!(
            "<line x1=\"{left}\" x2=\"{}\" y1=\"{y100:.1}\" y2=\"{y100:.1}\" stroke=\"#444\" stroke-dasharray=\"4 3\"/>\n",
            left + width
        );
        let step = ((days / 10.0).ceil() as u32).max(1);
        let mut d = 1;
        while d <= r.scenario.days {
            svg += &format!(
                "<text x=\"{:.1}\" y=\"{}\" text-anchor=\"middle\">{d}</text>\n",
                x(d as f64),
                top + height + 16.0
            );
            d += step;
        }
        svg += &format!(
            "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">day</text>\n",
            left + width / 2.0,
            top + height + 32.0
        );
        for (i, (label, colour, points)) in series.iter().enumerate() {
            if !points.is_empty() {
                let coords: Vec<String> =
                    points.iter().map(|(d, v)| format!("{:.1},{:.1}", x(*d), y(*v))).collect();
                svg += &format!(
                    "<polyline fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\" points=\"{}\"/>\n",
                    coords.join(" ")
                );
                for (d, v) in points {
                    svg += &format!(
                        "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"2.5\" fill=\"{colour}\"/>\n",
                        x(*d),
                        y(*v)
                    );
                }
            }
            let ly = top + 14.0 + i as f64 * 18.0;
            svg += &format!(
                "<line x1=\"{}\" x2=\"{}\" y1=\"{ly}\" y2=\"{ly}\" stroke=\"{colour}\" stroke-width=\"3\"/>\
                 <text x=\"{}\" y=\"{}\">{}</text>\n",
                left + width + 12.0,
                left + width + 32.0,
                left + width + 38.0,
                ly + 4.0,
                xml(label)
            );
        }
    }
    svg += "</svg>\n";
    svg
}

fn xml(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}
