//! `rwa demo`: the SME story end to end in the embedded Solana runtime.
//!
//! One bank of solana-program-test runs the five programs natively with the real SPL Token and
//! Associated Token programs (`rwa_testkit`); every step below is a real transaction through
//! them. An admin initialises the protocol; an SME issuer is approved and packages twenty
//! invoices into two pools of different grades; units are sold to three investors; publishers
//! post the benchmark rate and each grade's spread, PD and LGD; prices refresh; investor A
//! exits instantly into the anchor token and investor B sells to the buyback reserve on the exit
//! curve; pool 2's debtor defaults and the insurance pool absorbs the loss; pool 1 matures and
//! pays out; and every balance, the backing and the reserve's book reconcile to the base unit.
//!
//! [`run_demo`] returns a [`DemoReport`]: the narrative, the reconciliation checks and the
//! reconciled totals. It prints nothing itself, but the programs' `msg!` lines go to stdout in
//! native runs: the `rwa` binary silences stdout while it runs ([`crate::quiet`]).
use std::time::Instant;

use anchor_lang::{prelude::Pubkey, solana_program::system_instruction, AccountDeserialize};
use anchor_spl::associated_token::{
    get_associated_token_address_with_program_id,
    spl_associated_token_account::instruction::create_associated_token_account_idempotent,
};
use anyhow::{anyhow, bail, Context, Result};
use buyback_reserve::state::{PositionKind, ReserveBook, ReserveParams};
use dcf_pricer::state::PoolPricing;
use receivables::{
    state::{AssetClass, IssuerLimits, Pool, PoolStatus},
    CreatePoolParams, ScheduledPayment,
};
use rwa_math::{shares, ExitCurve, Fixed};
use rwa_oracle::state::{FeedKind, FeedParams};
use rwa_testkit::{
    anchor_token::{self as va, ExchangeAccounts, PsmAccounts},
    authority::program_data_address,
    oracle::{self, GradeFeeds},
    pricer::{self, RefreshAccounts},
    registry::{self, Currency},
    reserve::{self, Valuation},
    solana_sdk::{
        instruction::Instruction,
        program_pack::Pack,
        signature::{Keypair, Signer},
    },
    spl_token,
    token::TokenProgram,
    TestEnv,
};
use serde::Serialize;
use value_anchor::state::{AnchorParams, Backing, PoolParams};

use crate::format::{self, Table};

/// Decimals of every token in the demo (the reserve stablecoin, the anchor token, pool units).
pub const DECIMALS: u8 = 6;
/// One whole token in base units.
const ONE: u64 = 1_000_000;
/// The demo's clock origin: 2027-01-15 08:00:00 UTC. Every invoice falls due at 08:00 UTC
/// (receivables takes day-aligned schedules only).
pub const T0: i64 = 1_800_000_000;
const HOUR: i64 = 3_600;
const DAY: i64 = 86_400;

/// What a step of the demo tells the caller while it runs (for a progress bar).
#[derive(Clone, Copy, Debug)]
pub enum Progress<'a> {
    /// Step `index` (1-based) of `of` starts.
    Step { index: usize, of: usize, title: &'a str },
    /// The demo has sent this many transactions so far.
    Transactions(u64),
}

/// One part of the story: a title, the clock, and what happened, as lines for people.
#[derive(Clone, Debug, Serialize)]
pub struct Section {
    pub title: String,
    /// The bank's clock when the step ran (unix seconds).
    pub at: i64,
    pub lines: Vec<String>,
}

/// One reconciliation check: an expected and an actual amount in base units.
#[derive(Clone, Debug, Serialize)]
pub struct Check {
    /// When it was checked: during the story, while positions are open, at the end.
    pub stage: &'static str,
    pub name: String,
    pub expected: u64,
    pub actual: u64,
    pub ok: bool,
}

/// A participant's or protocol account's holdings at the end, in base units.
#[derive(Clone, Debug, Serialize)]
pub struct Holding {
    pub owner: String,
    /// Reserve stablecoin that came in from outside (minted to this participant).
    pub usd_in: u64,
    pub usd: u64,
    pub anchor: u64,
    pub pool1_units: u64,
    pub pool2_units: u64,
    /// Shares held in the buyback reserve's capital or insurance vault, valued at the book.
    pub shares_worth: u64,
}

/// The reconciled totals, in base units.
#[derive(Clone, Debug, Default, Serialize, PartialEq, Eq)]
pub struct Totals {
    /// Every base unit of the reserve stablecoin minted into the demo.
    pub usd_minted: u64,
    /// The stablecoin's mint supply at the end.
    pub usd_supply: u64,
    /// The sum of every stablecoin account in the demo at the end.
    pub usd_in_accounts: u64,
    /// Anchor tokens minted by exchanges and redeemed through the PSM.
    pub anchor_minted: u64,
    pub anchor_redeemed: u64,
    /// The anchor mint's supply at the end.
    pub anchor_supply: u64,
    pub pool1_face: u64,
    pub pool1_repaid: u64,
    /// What pool 1's vault paid its unit holders.
    pub pool1_paid_out: u64,
    pub pool2_face: u64,
    pub pool2_recovered: u64,
    pub pool2_paid_out: u64,
    /// value-anchor's shortfall after the default, and what the insurance pool covered.
    pub shortfall: u64,
    pub insurance_covered: u64,
    pub insurance_staked: u64,
    /// The insurance pool's share of the exit discount investor B paid.
    pub insurance_discount_share: u64,
    /// The insurance pool's cash at the end.
    pub insurance_cash: u64,
    pub reserve_deposit: u64,
    /// The buyback reserve's idle cash at the end.
    pub reserve_cash: u64,
    /// What investor B was paid by the reserve, and what A got from the PSM.
    pub exit_curve_paid: u64,
    pub psm_paid: u64,
    /// value-anchor's stable reserve (and total backing) at the end: the protocol's surplus.
    pub value_anchor_reserve: u64,
    pub backing_total: u64,
}

/// What the demo did and whether everything reconciled.
#[derive(Clone, Debug, Serialize)]
pub struct DemoReport {
    pub sections: Vec<Section>,
    pub checks: Vec<Check>,
    pub holdings: Vec<Holding>,
    pub totals: Totals,
    pub transactions: u64,
    /// Wall-clock time of the run, milliseconds.
    pub elapsed_ms: u64,
    /// Every check holds.
    pub reconciled: bool,
}

/// Runs the demo on a fresh embedded bank and returns its report.
pub fn run_demo() -> Result<DemoReport> {
    run_demo_with(&mut |_| {})
}

/// As [`run_demo`], telling `progress` about each step and transaction.
pub fn run_demo_with(progress: &mut dyn FnMut(Progress<'_>)) -> Result<DemoReport> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    runtime.block_on(run(progress))
}

/// The titles of the demo's steps, in order.
pub const STEPS: [&str; 13] = [
    "The admin initialises the protocol",
    "An SME issuer is approved and packages 20 invoices into two pools",
    "Units are sold to three investors",
    "Publishers post the benchmark rate, spreads, PD and LGD",
    "The pools are accepted and their prices refresh",
    "Investor A exits instantly into the anchor token",
    "Capital arrives: a reserve depositor and two insurance stakers",
    "Investor B sells units to the buyback reserve on the exit curve",
    "Pool 2's debtor defaults; the insurance pool absorbs the loss",
    "Pool 2 recovers part of the debt and pays out",
    "Pool 1's invoices are paid; the pool matures and pays out",
    "Investor A redeems its anchor tokens for stable",
    "Reconciliation",
];

// ---------------------------------------------------------------------------------------
// The scenario's data

/// An invoice: who owes it, when (days after T0) and how much (cents).
struct Invoice {
    number: &'static str,
    debtor: &'static str,
    due_day: i64,
    cents: u64,
}

const fn inv(number: &'static str, debtor: &'static str, due_day: i64, cents: u64) -> Invoice {
    Invoice { number, debtor, due_day, cents }
}

/// Pool 1, grade 1: twelve invoices on established customers.
const POOL1_INVOICES: [Invoice; 12] = [
    inv("INV-2027-0101", "Nordwind Logistik AG", 30, 4_825_040),
    inv("INV-2027-0102", "Baltic Freight Oy", 34, 5_260_000),
    inv("INV-2027-0103", "Alpen Bau GmbH", 39, 6_137_525),
    inv("INV-2027-0104", "Nordwind Logistik AG", 45, 3_980_000),
    inv("INV-2027-0105", "Costa Foods SL", 49, 5_542_075),
    inv("INV-2027-0106", "Baltic Freight Oy", 56, 4_731_010),
    inv("INV-2027-0107", "Meridian Retail plc", 60, 5_890_000),
    inv("INV-2027-0108", "Alpen Bau GmbH", 64, 4_415_060),
    inv("INV-2027-0109", "Costa Foods SL", 71, 5_073_000),
    inv("INV-2027-0110", "Meridian Retail plc", 77, 5_361_550),
    inv("INV-2027-0111", "Nordwind Logistik AG", 83, 4_296_000),
    inv("INV-2027-0112", "Alpen Bau GmbH", 90, 4_488_740),
];

/// Pool 2, grade 3: eight invoices on one weaker customer, who defaults.
const POOL2_INVOICES: [Invoice; 8] = [
    inv("INV-2027-0201", "Kestrel Home Stores Ltd", 20, 4_500_000),
    inv("INV-2027-0202", "Kestrel Home Stores Ltd", 27, 5_250_000),
    inv("INV-2027-0203", "Kestrel Home Stores Ltd", 34, 3_875_000),
    inv("INV-2027-0204", "Kestrel Home Stores Ltd", 41, 6_120_000),
    inv("INV-2027-0205", "Kestrel Home Stores Ltd", 48, 4_990_000),
    inv("INV-2027-0206", "Kestrel Home Stores Ltd", 55, 5_530_000),
    inv("INV-2027-0207", "Kestrel Home Stores Ltd", 62, 4_765_000),
    inv("INV-2027-0208", "Kestrel Home Stores Ltd", 69, 4_970_000),
];

/// Oracle inputs in bps: benchmark; then spread, PD, LGD of grades 1 and 3.
const BENCHMARK_BPS: u64 = 450;
const GRADE1_BPS: [u64; 3] = [200, 100, 4_000];
const GRADE3_BPS: [u64; 3] = [600, 800, 6_000];

/// Prices the investors pay the issuer for units, in bps of face (off protocol).
const SALE_PRICE_BPS: [u64; 2] = [9_850, 9_500];
/// Units each investor buys: (investor, pool, units; `None` = what is left).
const SALES: [(usize, usize, Option<u64>); 5] = [
    (A, 0, Some(200_000 * ONE)),
    (A, 1, Some(150_000 * ONE)),
    (B, 0, Some(150_000 * ONE)),
    (C, 0, None),
    (C, 1, None),
];
/// Stable each investor starts with.
const INVESTOR_USD: u64 = 500_000 * ONE;
const DEPOSIT: u64 = 400_000 * ONE;
const STAKES: [u64; 2] = [60_000 * ONE, 40_000 * ONE];
/// What the defaulted debtor's administrator pays, in bps of what pool 2 is owed.
const RECOVERY_BPS: u64 = 4_500;

const ANCHOR_PARAMS: AnchorParams = AnchorParams {
    fee_in_bps: 5,
    fee_out_bps: 5,
    overcollateral_bps: 100,
    max_entry_age_secs: 900,
    max_price_age_secs: 900,
    global_ceiling: 2_000_000 * ONE,
};
const ANCHOR_POOL_PARAMS: PoolParams = PoolParams {
    haircut_bps: 300,
    ceiling: 1_000_000 * ONE,
    capacity: 500_000 * ONE,
    capacity_window_secs: 86_400,
};
const RESERVE_PARAMS: ReserveParams = ReserveParams {
    sale_budget: 500_000 * ONE,
    bid_budget: 100_000 * ONE,
    ..rwa_testkit::reserve::PARAMS
};
/// What the reserve may hold of each pool, in value.
const RESERVE_POOL_CAP: u64 = 300_000 * ONE;

/// The stages reconciliation checks are recorded under.
pub const STAGE_STORY: &str = "along the way";
pub const STAGE_OPEN: &str = "with every position open (after the cover, step 9)";
pub const STAGE_END: &str = "at the end";

// participants, by index into `Demo::parties`
const ISSUER: usize = 0;
const SERVICER: usize = 1;
const A: usize = 2;
const B: usize = 3;
const C: usize = 4;
const DEPOSITOR: usize = 5;
const STAKER1: usize = 6;
const STAKER2: usize = 7;

pub(crate) fn feed_id(name: &str) -> [u8; 32] {
    let mut id = [0u8; 32];
    id[..name.len()].copy_from_slice(name.as_bytes());
    id
}

pub(crate) fn fixed_bps(bps: u64) -> u128 {
    oracle::bps(bps)
}

/// Currency base units one whole unit is worth at `price` (Fixed raw).
fn per_unit(price: u128) -> u64 {
    Fixed::from_raw(price).mul_u64_floor(ONE).unwrap_or(u64::MAX)
}

pub(crate) fn usd(base: u64) -> String {
    format!("{} USD", format::units(base, DECIMALS))
}

pub(crate) fn amount(base: u64) -> String {
    format::units(base, DECIMALS)
}

fn kv(label: &str, value: impl AsRef<str>) -> String {
    format!("{label:<35} {}", value.as_ref())
}

fn short(key: &Pubkey) -> String {
    let s = key.to_string();
    format!("{}..{}", &s[..4], &s[s.len() - 4..])
}

// ---------------------------------------------------------------------------------------
// The bank and its bookkeeping

/// The bank, the transaction count and the progress callback.
pub(crate) struct Chain<'p> {
    pub(crate) env: TestEnv,
    pub(crate) transactions: u64,
    pub(crate) progress: &'p mut dyn FnMut(Progress<'_>),
}

impl Chain<'_> {
    /// Sends one transaction (the bank's payer pays the fee); a failure names the step and
    /// carries the program logs.
    pub(crate) async fn send(
        &mut self,
        what: &str,
        ixs: &[Instruction],
        signers: &[&Keypair],
    ) -> Result<()> {
        if let Err(f) = self.env.send(ixs, signers).await {
            bail!(
                "{what}: the transaction failed: {:?}\nprogram logs:\n{}",
                f.error,
                f.logs.join("\n")
            );
        }
        self.transactions += 1;
        (self.progress)(Progress::Transactions(self.transactions));
        Ok(())
    }

    pub(crate) async fn raw(&mut self, address: Pubkey) -> Result<Vec<u8>> {
        let account = self.env.account(address).await;
        Ok(account.ok_or_else(|| anyhow!("account {address} does not exist"))?.data)
    }

    /// An Anchor account, discriminator checked.
    pub(crate) async fn get<T: AccountDeserialize>(&mut self, address: Pubkey) -> Result<T> {
        let data = self.raw(address).await?;
        T::try_deserialize(&mut data.as_slice())
            .map_err(|e| anyhow!("account {address} does not deserialise: {e:?}"))
    }

    /// A token account's balance; 0 for an account that does not exist (closed or never
    /// created).
    pub(crate) async fn balance(&mut self, account: Pubkey) -> Result<u64> {
        match self.env.account(account).await {
            None => Ok(0),
            Some(a) => Ok(spl_token::state::Account::unpack_from_slice(
                &a.data[..spl_token::state::Account::LEN],
            )
            .map_err(|e| anyhow!("{account} is not a token account: {e}"))?
            .amount),
        }
    }

    pub(crate) async fn supply(&mut self, mint: Pubkey) -> Result<u64> {
        let data = self.raw(mint).await?;
        Ok(spl_token::state::Mint::unpack_from_slice(&data[..spl_token::state::Mint::LEN])
            .map_err(|e| anyhow!("{mint} is not a mint: {e}"))?
            .supply)
    }

    pub(crate) async fn now(&mut self) -> i64 {
        self.env.clock().await.unix_timestamp
    }

    /// `create_pool` of `issuer`'s trade-receivable pool `index` (face `face`, one unit per
    /// base unit, document hash `[index + 1; 32]`) in `currency` (SPL Token), with SPL Token
    /// units: bare mints, open (no metadata, no hook).
    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn create_classic_pool(
        &mut self,
        issuer: &Keypair,
        servicer: &Pubkey,
        index: u32,
        currency: &Pubkey,
        grade: u8,
        face: u64,
        uri: String,
        schedule: Vec<ScheduledPayment>,
    ) -> Result<()> {
        let params = CreatePoolParams {
            asset_class: AssetClass::TradeReceivable,
            grade,
            face_value: face,
            unit_size: 1,
            doc_hash: [index as u8 + 1; 32],
            uri,
            schedule,
            name: String::new(),
            symbol: String::new(),
            unit_access: receivables::state::UnitAccess::Open,
        };
        let ix = registry::create_pool_ix(
            &issuer.pubkey(),
            servicer,
            index,
            currency,
            TokenProgram::Classic,
            TokenProgram::Classic,
            params,
        );
        self.send("creating a pool", &[ix], &[issuer]).await
    }

    /// Creates (idempotently) the associated token accounts of `(owner, mint)` pairs under
    /// each mint's program ([`token_program_of`]), four a transaction, the bank's payer paying.
    pub(crate) async fn create_atas(
        &mut self,
        what: &str,
        pairs: &[(Pubkey, Pubkey)],
    ) -> Result<()> {
        let payer = self.env.payer().pubkey();
        for chunk in pairs.chunks(4) {
            let ixs: Vec<Instruction> = chunk
                .iter()
                .map(|(owner, mint)| {
                    let program = token_program_of(mint);
                    create_associated_token_account_idempotent(&payer, owner, mint, &program)
                })
                .collect();
            self.send(what, &ixs, &[]).await?;
        }
        Ok(())
    }
}

/// The token program of a mint the demo and the stress run set up: the anchor token is a
/// Token-2022 mint with metadata ([`va::ANCHOR_TOKEN_PROGRAM`]); the stablecoin, the units
/// and the protocol token are classic SPL Token mints.
pub(crate) fn token_program_of(mint: &Pubkey) -> Pubkey {
    if *mint == va::anchor_mint_pda() {
        va::ANCHOR_TOKEN_PROGRAM
    } else {
        spl_token::ID
    }
}

/// The anchor token's metadata in the demo and the stress run.
pub(crate) const ANCHOR_NAME: &str = "RWA Anchor Dollar";
pub(crate) const ANCHOR_SYMBOL: &str = "RWAD";
pub(crate) const ANCHOR_URI: &str = "https://rwa.example/anchor.json";

/// What [`ProtocolSetup::run`] needs to bring the five programs up on a fresh bank: the admin
/// (made every program's upgrade authority), the guardian, the stablecoin's mint authority,
/// value-anchor's and the reserve's parameters, the benchmark feed and each grade's feeds and
/// write-down steps, and the oracle publishers (a quorum of three).
pub(crate) struct ProtocolSetup<'k> {
    pub(crate) admin: &'k Keypair,
    pub(crate) guardian: Pubkey,
    pub(crate) usd_issuer: Pubkey,
    pub(crate) anchor_params: AnchorParams,
    pub(crate) reserve_params: ReserveParams,
    pub(crate) benchmark: [u8; 32],
    pub(crate) grades: Vec<(u8, GradeFeeds, Vec<rwa_oracle::state::WriteDownStepRaw>)>,
    pub(crate) publishers: Vec<Pubkey>,
    /// Every feed's bound on a move within its deviation window, bps.
    pub(crate) max_deviation_bps: u16,
}

impl ProtocolSetup<'_> {
    /// Creates the reserve stablecoin (6 decimals, minted by `usd_issuer`), initialises every
    /// program from its upgrade authority, creates the feeds with their publishers and defines
    /// the grades. Returns the stablecoin's mint and how many feeds were created.
    pub(crate) async fn run(&self, chain: &mut Chain<'_>) -> Result<(Pubkey, usize)> {
        let admin = self.admin.pubkey();
        let guardian = self.guardian;
        let payer = chain.env.payer().pubkey();
        let mint = Keypair::new();
        let len = spl_token::state::Mint::LEN;
        let ixs = [
            system_instruction::create_account(
                &payer,
                &mint.pubkey(),
                TestEnv::rent_exempt(len),
                len as u64,
                &spl_token::ID,
            ),
            spl_token::instruction::initialize_mint2(
                &spl_token::ID,
                &mint.pubkey(),
                &self.usd_issuer,
                None,
                DECIMALS,
            )?,
        ];
        chain.send("creating the stablecoin", &ixs, &[&mint]).await?;
        let usd_mint = mint.pubkey();

        // every program's `initialize` is accepted from its upgrade authority only
        for id in
            [receivables::ID, rwa_oracle::ID, dcf_pricer::ID, value_anchor::ID, buyback_reserve::ID]
        {
            chain.env.set_upgrade_authority(&id, &admin);
        }
        let a = self.admin;
        let ixs = [
            registry::initialize_ix(&admin, &program_data_address(&receivables::ID), guardian),
            registry::add_currency_ix(&admin, &usd_mint, TokenProgram::Classic),
        ];
        chain.send("initialising receivables", &ixs, &[a]).await?;
        let oracle_init =
            rwa_oracle::InitializeParams { guardian, max_staleness_secs: 600, min_publishers: 3 };
        let pricer_init = dcf_pricer::InitializeParams { guardian, max_rate_age_secs: 900 };
        let ixs = [
            oracle::initialize_ix(&admin, &program_data_address(&rwa_oracle::ID), oracle_init),
            pricer::initialize_ix(&admin, &program_data_address(&dcf_pricer::ID), pricer_init),
        ];
        chain.send("initialising rwa-oracle and dcf-pricer", &ixs, &[a]).await?;
        let va_init = value_anchor::InitializeParams {
            guardian,
            params: self.anchor_params,
            name: ANCHOR_NAME.into(),
            symbol: ANCHOR_SYMBOL.into(),
            uri: ANCHOR_URI.into(),
        };
        let ix = va::initialize_ix(
            &admin,
            &program_data_address(&value_anchor::ID),
            &usd_mint,
            TokenProgram::Classic,
            TokenProgram::Token2022,
            va_init,
        );
        chain.send("initialising value-anchor", &[ix], &[a]).await?;
        let br_init = buyback_reserve::InitializeParams { guardian, params: self.reserve_params };
        let ix = reserve::initialize_ix(
            &admin,
            &program_data_address(&buyback_reserve::ID),
            &usd_mint,
            br_init,
        );
        chain.send("initialising buyback-reserve", &[ix], &[a]).await?;

        // feeds: the benchmark and three per grade, each with every publisher (quorum 3)
        let mut feeds = vec![(self.benchmark, FeedKind::BenchmarkRate)];
        for (_, f, _) in &self.grades {
            feeds.extend([
                (f.spread, FeedKind::CreditSpread),
                (f.pd, FeedKind::DefaultProbability),
                (f.lgd, FeedKind::LossGivenDefault),
            ]);
        }
        for (id, kind) in &feeds {
            let params = FeedParams {
                min_publishers: 3,
                max_deviation_bps: self.max_deviation_bps,
                ..oracle::rate_params(*kind)
            };
            let mut ixs = vec![oracle::create_feed_ix(&admin, *id, params)];
            ixs.extend(self.publishers.iter().map(|p| oracle::add_publisher_ix(&admin, id, *p)));
            chain.send("creating an oracle feed", &ixs, &[a]).await?;
        }
        for chunk in self.grades.chunks(4) {
            let ixs: Vec<Instruction> = chunk
                .iter()
                .map(|(g, f, steps)| oracle::set_grade_ix(&admin, *g, f, steps.clone()))
                .collect();
            chain.send("defining the grades", &ixs, &[a]).await?;
        }
        Ok((usd_mint, feeds.len()))
    }
}

/// A participant: a key and its token accounts (associated token accounts).
struct Party {
    name: &'static str,
    key: Keypair,
    usd: Pubkey,
    anchor: Pubkey,
    units: [Pubkey; 2],
    /// Stable minted to it from outside the demo (its starting money, debtors' payments).
    usd_in: u64,
}

/// A pool and the accounts around it.
struct PoolInfo {
    label: &'static str,
    grade: u8,
    address: Pubkey,
    unit_mint: Pubkey,
    vault: Pubkey,
    face: u64,
    invoices: &'static [Invoice],
    refresh: RefreshAccounts,
}

impl PoolInfo {
    fn schedule(&self) -> Vec<ScheduledPayment> {
        self.invoices
            .iter()
            .map(|i| ScheduledPayment { due_ts: T0 + i.due_day * DAY, amount: i.cents * 10_000 })
            .collect()
    }
}

struct Demo<'p> {
    chain: Chain<'p>,
    admin: Keypair,
    guardian: Keypair,
    /// The stablecoin's mint authority (its issuer, outside the protocol).
    usd_issuer: Keypair,
    publishers: Vec<Keypair>,
    parties: Vec<Party>,
    usd_mint: Pubkey,
    pools: Vec<PoolInfo>,
    benchmark: [u8; 32],
    grades: Vec<(u8, GradeFeeds, [u64; 3])>,
    sections: Vec<Section>,
    checks: Vec<Check>,
    totals: Totals,
    step: usize,
    /// The stage checks are recorded under.
    stage: &'static str,
}

async fn run(progress: &mut dyn FnMut(Progress<'_>)) -> Result<DemoReport> {
    let started = Instant::now();
    let mut env = TestEnv::start().await;
    env.set_unix_timestamp(T0).await;
    let names =
        ["SME issuer", "servicer (for the debtors)", "investor A", "investor B", "investor C"];
    let more = ["reserve depositor", "insurance staker 1", "insurance staker 2"];
    let parties = names
        .iter()
        .chain(more.iter())
        .map(|&name| Party {
            name,
            key: Keypair::new(),
            usd: Pubkey::default(),
            anchor: Pubkey::default(),
            units: [Pubkey::default(); 2],
            usd_in: 0,
        })
        .collect();
    let grades = vec![
        (
            1,
            GradeFeeds {
                spread: feed_id("SPREAD-G1"),
                pd: feed_id("PD-G1"),
                lgd: feed_id("LGD-G1"),
            },
            GRADE1_BPS,
        ),
        (
            3,
            GradeFeeds {
                spread: feed_id("SPREAD-G3"),
                pd: feed_id("PD-G3"),
                lgd: feed_id("LGD-G3"),
            },
            GRADE3_BPS,
        ),
    ];
    let mut demo = Demo {
        chain: Chain { env, transactions: 0, progress },
        admin: Keypair::new(),
        guardian: Keypair::new(),
        usd_issuer: Keypair::new(),
        publishers: (0..3).map(|_| Keypair::new()).collect(),
        parties,
        usd_mint: Pubkey::default(),
        pools: vec![],
        benchmark: feed_id("USD-SOFR-1M"),
        grades,
        sections: vec![],
        checks: vec![],
        totals: Totals::default(),
        step: 0,
        stage: STAGE_STORY,
    };
    demo.initialise().await?;
    demo.package_pools().await?;
    demo.sell_units().await?;
    demo.publish_inputs().await?;
    demo.refresh_prices().await?;
    demo.exchange().await?;
    demo.capital().await?;
    demo.sell_to_reserve().await?;
    demo.default_and_cover().await?;
    demo.audit(STAGE_OPEN).await?;
    demo.recover_pool2().await?;
    demo.mature_pool1().await?;
    demo.redeem_anchor().await?;
    let holdings = demo.reconcile().await?;
    let reconciled = demo.checks.iter().all(|c| c.ok);
    Ok(DemoReport {
        sections: demo.sections,
        checks: demo.checks,
        holdings,
        totals: demo.totals,
        transactions: demo.chain.transactions,
        elapsed_ms: started.elapsed().as_millis() as u64,
        reconciled,
    })
}

impl Demo<'_> {
    /// Starts the next step: tells the progress callback and opens its section.
    async fn begin(&mut self) {
        self.step += 1;
        let title = STEPS[self.step - 1];
        (self.chain.progress)(Progress::Step { index: self.step, of: STEPS.len(), title });
        let at = self.chain.now().await;
        self.sections.push(Section { title: title.to_string(), at, lines: vec![] });
    }

    fn line(&mut self, line: impl Into<String>) {
        self.sections.last_mut().expect("a step is open").lines.push(line.into());
    }

    fn table(&mut self, table: &Table) {
        for l in table.lines(0) {
            self.line(l);
        }
    }

    fn check(&mut self, name: impl Into<String>, expected: u64, actual: u64) {
        let stage = self.stage;
        self.checks.push(Check {
            stage,
            name: name.into(),
            expected,
            actual,
            ok: expected == actual,
        });
    }

    async fn set_time(&mut self, ts: i64) {
        self.chain.env.set_unix_timestamp(ts).await;
    }

    fn payer(&self) -> Pubkey {
        self.chain.env.payer().pubkey()
    }

    fn currency(&self) -> Currency {
        Currency { mint: self.usd_mint, program: TokenProgram::Classic }
    }

    fn accepted(&self) -> Vec<Pubkey> {
        self.pools.iter().map(|p| p.address).collect()
    }

    /// Mints `amount` of the stablecoin to party `who` (from outside the protocol).
    fn mint_usd_ix(&mut self, who: usize, amount: u64) -> Result<Instruction> {
        self.parties[who].usd_in += amount;
        self.totals.usd_minted += amount;
        Ok(spl_token::instruction::mint_to(
            &spl_token::ID,
            &self.usd_mint,
            &self.parties[who].usd,
            &self.usd_issuer.pubkey(),
            &[],
            amount,
        )?)
    }

    async fn pricing(&mut self, pool: usize) -> Result<PoolPricing> {
        let address = pricer::pool_pricing_pda(&self.pools[pool].address);
        self.chain.get(address).await
    }

    async fn backing(&mut self) -> Result<Backing> {
        self.chain.get(va::backing_pda()).await
    }

    async fn book(&mut self) -> Result<ReserveBook> {
        self.chain.get(reserve::book_pda()).await
    }

    async fn pool(&mut self, pool: usize) -> Result<Pool> {
        let address = self.pools[pool].address;
        self.chain.get(address).await
    }

    async fn usd_of(&mut self, who: usize) -> Result<u64> {
        let account = self.parties[who].usd;
        self.chain.balance(account).await
    }

    /// Every publisher posts every feed's value (confidence 0.01% of it), now.
    async fn publish_all(&mut self) -> Result<()> {
        let now = self.chain.now().await;
        let mut values = vec![(self.benchmark, BENCHMARK_BPS)];
        for (_, feeds, bps) in &self.grades {
            values.extend([(feeds.spread, bps[0]), (feeds.pd, bps[1]), (feeds.lgd, bps[2])]);
        }
        for i in 0..self.publishers.len() {
            let p = self.publishers[i].pubkey();
            let ixs: Vec<Instruction> = values
                .iter()
                .map(|(id, b)| {
                    let v = fixed_bps(*b);
                    oracle::submit_ix(&p, id, v, v / 10_000, now)
                })
                .collect();
            let signer = self.publishers[i].insecure_clone();
            self.chain.send("publishing oracle inputs", &ixs, &[&signer]).await?;
        }
        Ok(())
    }

    // -----------------------------------------------------------------------------------
    // The steps

    async fn initialise(&mut self) -> Result<()> {
        self.begin().await;
        let admin = self.admin.pubkey();
        let guardian = self.guardian.pubkey();
        // SOL for the keys that pay rent (the bank's payer pays every fee)
        let payer = self.payer();
        let mut funded: Vec<(Pubkey, u64)> = vec![(admin, 10_000_000_000)];
        funded.extend(self.parties.iter().map(|p| (p.key.pubkey(), 2_000_000_000)));
        let ixs: Vec<Instruction> =
            funded.iter().map(|(to, l)| system_instruction::transfer(&payer, to, *l)).collect();
        self.chain.send("funding the participants' keys", &ixs, &[]).await?;

        let a = self.admin.insecure_clone();
        let setup = ProtocolSetup {
            admin: &a,
            guardian,
            usd_issuer: self.usd_issuer.pubkey(),
            anchor_params: ANCHOR_PARAMS,
            reserve_params: RESERVE_PARAMS,
            benchmark: self.benchmark,
            grades: self
                .grades
                .iter()
                .map(|(g, f, _)| (*g, *f, pricer::write_down_steps()))
                .collect(),
            publishers: self.publishers.iter().map(|p| p.pubkey()).collect(),
            max_deviation_bps: oracle::rate_params(FeedKind::BenchmarkRate).max_deviation_bps,
        };
        let (usd_mint, feed_count) = setup.run(&mut self.chain).await?;
        self.usd_mint = usd_mint;

        self.line(kv("admin (upgrade authority)", admin.to_string()));
        self.line(kv("reserve stablecoin (USD)", format!("{usd_mint}, {DECIMALS} decimals")));
        let mut t = Table::new(&["program", "id", "set up with"]);
        t.row(vec![
            "receivables".into(),
            receivables::ID.to_string(),
            "USD accepted as pool currency".into(),
        ]);
        t.row(vec![
            "rwa-oracle".into(),
            rwa_oracle::ID.to_string(),
            format!("{feed_count} feeds x 3 publishers, grades 1 and 3"),
        ]);
        t.row(vec!["dcf-pricer".into(), dcf_pricer::ID.to_string(), "rates 15 min fresh".into()]);
        t.row(vec![
            "value-anchor".into(),
            value_anchor::ID.to_string(),
            format!(
                "PSM fees {}/{}, overcollateral {}",
                format::bps(ANCHOR_PARAMS.fee_in_bps as u64),
                format::bps(ANCHOR_PARAMS.fee_out_bps as u64),
                format::bps(ANCHOR_PARAMS.overcollateral_bps as u64)
            ),
        ]);
        t.row(vec![
            "buyback-reserve".into(),
            buyback_reserve::ID.to_string(),
            format!(
                "exit curve d_min(grade) to {}, k = {}",
                format::bps(RESERVE_PARAMS.max_discount_bps as u64),
                RESERVE_PARAMS.curve_exponent
            ),
        ]);
        self.line("");
        self.table(&t);
        Ok(())
    }

    async fn package_pools(&mut self) -> Result<()> {
        self.begin().await;
        let a = self.admin.insecure_clone();
        let issuer = self.parties[ISSUER].key.insecure_clone();
        let servicer = self.parties[SERVICER].key.pubkey();
        let limits = IssuerLimits { max_pools: 2, max_face_value: 1_500_000 * ONE };
        let ixs = [
            registry::approve_issuer_ix(&a.pubkey(), &issuer.pubkey(), limits),
            registry::approve_servicer_ix(&a.pubkey(), &servicer),
        ];
        self.chain.send("approving the issuer and its servicer", &ixs, &[&a]).await?;

        for (index, (label, grade, invoices)) in
            [("pool 1", 1u8, &POOL1_INVOICES[..]), ("pool 2", 3u8, &POOL2_INVOICES[..])]
                .into_iter()
                .enumerate()
        {
            let address = registry::pool_pda(&issuer.pubkey(), index as u32);
            let grade_feeds = &self.grades.iter().find(|g| g.0 == grade).expect("grade").1;
            let mut info = PoolInfo {
                label,
                grade,
                address,
                unit_mint: registry::unit_mint_pda(&address),
                vault: registry::vault_pda(&address),
                face: 0,
                invoices,
                refresh: RefreshAccounts::new(&address, grade, &self.benchmark, grade_feeds),
            };
            let schedule = info.schedule();
            info.face = schedule.iter().map(|s| s.amount).sum();
            let uri = format!("https://issuer.example/pools/{}/invoices.json", index + 1);
            let (face, i) = (info.face, index as u32);
            let usd = self.usd_mint;
            self.chain
                .create_classic_pool(&issuer, &servicer, i, &usd, grade, face, uri, schedule)
                .await?;
            self.pools.push(info);
        }
        // the issuer's unit accounts, then activation mints every unit into them
        let pairs: Vec<(Pubkey, Pubkey)> =
            self.pools.iter().map(|p| (issuer.pubkey(), p.unit_mint)).collect();
        self.chain.create_atas("creating the issuer's unit accounts", &pairs).await?;
        for (i, p) in self.pools.iter().enumerate() {
            self.parties[ISSUER].units[i] = get_associated_token_address_with_program_id(
                &issuer.pubkey(),
                &p.unit_mint,
                &spl_token::ID,
            );
        }
        let ixs: Vec<Instruction> = self
            .pools
            .iter()
            .enumerate()
            .map(|(i, p)| {
                registry::activate_pool_ix(
                    &issuer.pubkey(),
                    &p.address,
                    &self.parties[ISSUER].units[i],
                    TokenProgram::Classic,
                )
            })
            .collect();
        self.chain.send("activating the pools", &ixs, &[&issuer]).await?;

        self.line(kv("issuer", format!("Hartmann Werkzeuge GmbH ({})", short(&issuer.pubkey()))));
        self.line(kv("limits", format!("2 pools, {} face value", usd(limits.max_face_value))));
        self.line(kv("servicer", short(&servicer)));
        self.line("");
        let mut t = Table::new(&["pool", "invoice", "debtor", "due (08:00 UTC)", ">amount (USD)"]);
        for p in &self.pools {
            for i in p.invoices {
                t.row(vec![
                    p.label.into(),
                    i.number.into(),
                    i.debtor.into(),
                    format::date(T0 + i.due_day * DAY),
                    amount(i.cents * 10_000),
                ]);
            }
        }
        self.table(&t);
        self.line("");
        let mut t = Table::new(&[
            "pool",
            "address",
            ">grade",
            ">invoices",
            ">face value (USD)",
            ">units minted",
        ]);
        let mut rows = vec![];
        for (i, p) in self.pools.iter().enumerate() {
            rows.push((i, p.label, p.address, p.grade, p.invoices.len(), p.face));
        }
        for (i, label, address, grade, n, face) in rows {
            let pool = self.pool(i).await?;
            t.row(vec![
                label.into(),
                address.to_string(),
                grade.to_string(),
                n.to_string(),
                amount(face),
                amount(pool.units_minted),
            ]);
            self.check(format!("{label}: units minted = face value"), face, pool.units_minted);
        }
        self.table(&t);
        self.totals.pool1_face = self.pools[0].face;
        self.totals.pool2_face = self.pools[1].face;
        Ok(())
    }

    async fn sell_units(&mut self) -> Result<()> {
        self.begin().await;
        // every participant's stable account; the investors' unit and anchor accounts
        let (usd_mint, anchor_mint) = (self.usd_mint, va::anchor_mint_pda());
        let mut pairs = vec![];
        for (i, p) in self.parties.iter_mut().enumerate() {
            let owner = p.key.pubkey();
            p.usd = get_associated_token_address_with_program_id(&owner, &usd_mint, &spl_token::ID);
            pairs.push((owner, usd_mint));
            if (A..=C).contains(&i) {
                for (k, pool) in self.pools.iter().enumerate() {
                    p.units[k] = get_associated_token_address_with_program_id(
                        &owner,
                        &pool.unit_mint,
                        &spl_token::ID,
                    );
                    pairs.push((owner, pool.unit_mint));
                }
            }
            if i == A {
                p.anchor = get_associated_token_address_with_program_id(
                    &owner,
                    &anchor_mint,
                    &va::ANCHOR_TOKEN_PROGRAM,
                );
                pairs.push((owner, anchor_mint));
            }
        }
        self.chain.create_atas("creating token accounts", &pairs).await?;
        let ixs = vec![
            self.mint_usd_ix(A, INVESTOR_USD)?,
            self.mint_usd_ix(B, INVESTOR_USD)?,
            self.mint_usd_ix(C, INVESTOR_USD)?,
        ];
        let usd_issuer = self.usd_issuer.insecure_clone();
        self.chain.send("funding the investors", &ixs, &[&usd_issuer]).await?;

        let issuer = self.parties[ISSUER].key.insecure_clone();
        let mut sold = [0u64; 2];
        let mut t = Table::new(&["investor", "pool", ">units", ">price", ">paid (USD)"]);
        for (who, pool, units) in SALES {
            let units = units.unwrap_or(self.pools[pool].face - sold[pool]);
            sold[pool] += units;
            let paid = (units as u128 * SALE_PRICE_BPS[pool] as u128 / 10_000) as u64;
            let buyer = self.parties[who].key.insecure_clone();
            let ixs = [
                spl_token::instruction::transfer(
                    &spl_token::ID,
                    &self.parties[who].usd,
                    &self.parties[ISSUER].usd,
                    &buyer.pubkey(),
                    &[],
                    paid,
                )?,
                spl_token::instruction::transfer(
                    &spl_token::ID,
                    &self.parties[ISSUER].units[pool],
                    &self.parties[who].units[pool],
                    &issuer.pubkey(),
                    &[],
                    units,
                )?,
            ];
            self.chain
                .send("selling units (delivery versus payment)", &ixs, &[&buyer, &issuer])
                .await?;
            t.row(vec![
                self.parties[who].name.into(),
                self.pools[pool].label.into(),
                amount(units),
                format::bps(SALE_PRICE_BPS[pool]),
                amount(paid),
            ]);
        }
        self.line(
            "Off protocol, delivery versus payment: one transaction moves the units to the buyer \
             and its stable to the issuer.",
        );
        self.line("");
        self.table(&t);
        self.line("");
        let raised = self.usd_of(ISSUER).await?;
        self.line(kv("the issuer raised", usd(raised)));
        for (i, label) in [(0, "pool 1"), (1, "pool 2")] {
            let left = self.chain.balance(self.parties[ISSUER].units[i]).await?;
            self.check(format!("{label}: every unit sold"), 0, left);
        }
        Ok(())
    }

    async fn publish_inputs(&mut self) -> Result<()> {
        self.set_time(T0 + 2 * HOUR).await;
        self.begin().await;
        self.publish_all().await?;
        let mut t = Table::new(&["feed", "kind", ">value", ">confidence", ">publishers"]);
        let mut rows = vec![(self.benchmark, "benchmark rate", BENCHMARK_BPS)];
        for (_, f, bps) in &self.grades {
            rows.extend([
                (f.spread, "credit spread", bps[0]),
                (f.pd, "default probability", bps[1]),
                (f.lgd, "loss given default", bps[2]),
            ]);
        }
        for (id, kind, bps) in rows {
            let name = String::from_utf8_lossy(&id).trim_end_matches('\0').to_string();
            t.row(vec![
                name,
                kind.into(),
                format::bps(bps),
                "0.01% of value".into(),
                "3 of 3".into(),
            ]);
        }
        self.line(
            "Three publishers each post every feed; a value forms from the median of a quorum of \
             three fresh observations.",
        );
        self.line("");
        self.table(&t);
        Ok(())
    }

    async fn refresh_prices(&mut self) -> Result<()> {
        self.begin().await;
        let a = self.admin.insecure_clone();
        let admin = a.pubkey();
        let (bench, pools) = (oracle::feed_pda(&self.benchmark), self.accepted());
        let ixs: Vec<Instruction> = self
            .pools
            .iter()
            .map(|p| {
                pricer::create_pool_pricing_ix(
                    &admin,
                    &p.address,
                    &oracle::grade_pda(p.grade),
                    &bench,
                    pricer::PRICING,
                )
            })
            .collect();
        self.chain.send("accepting the pools for pricing", &ixs, &[&a]).await?;
        let ixs: Vec<Instruction> =
            pools.iter().map(|p| va::accept_pool_ix(&admin, p, ANCHOR_POOL_PARAMS)).collect();
        self.chain.send("accepting the pools as value-anchor collateral", &ixs, &[&a]).await?;
        let ixs: Vec<Instruction> =
            pools.iter().map(|p| reserve::list_pool_ix(&admin, p, RESERVE_POOL_CAP)).collect();
        self.chain.send("listing the pools on the buyback reserve", &ixs, &[&a]).await?;
        let mut t = Table::new(&[
            "pool",
            ">grade",
            ">discount rate",
            ">PD / LGD",
            ">pool value (USD)",
            ">unit price",
            ">vs face",
        ]);
        for i in 0..self.pools.len() {
            let ix = self.pools[i].refresh.ix();
            self.chain.send("refreshing a pool's rate", &[ix], &[]).await?;
            let r = self.pricing(i).await?.rate;
            let bps = self.grades.iter().find(|g| g.0 == self.pools[i].grade).expect("grade").2;
            t.row(vec![
                self.pools[i].label.into(),
                self.pools[i].grade.to_string(),
                format::bps(BENCHMARK_BPS + bps[0]),
                format!("{} / {}", format::bps(bps[1]), format::bps(bps[2])),
                amount(r.pool_value),
                amount(per_unit(r.unit_price)),
                format::percent(r.pool_value as u128, self.pools[i].face as u128, 2),
            ]);
        }
        self.line(format!(
            "value-anchor accepts both pools (haircut {}, ceiling {}); the reserve lists both \
             (cap {} each).",
            format::bps(ANCHOR_POOL_PARAMS.haircut_bps as u64),
            usd(ANCHOR_POOL_PARAMS.ceiling),
            usd(RESERVE_POOL_CAP)
        ));
        self.line(
            "dcf-pricer values each pool's remaining flows with rwa-math, inputs taken at value + \
             confidence:",
        );
        self.line("");
        self.table(&t);
        Ok(())
    }

    async fn exchange(&mut self) -> Result<()> {
        self.begin().await;
        let holder = self.parties[A].key.insecure_clone();
        let accepted = self.accepted();
        let mut t = Table::new(&[
            "pool",
            ">units in",
            ">unit price",
            ">value (USD)",
            ">haircut",
            ">anchor tokens out",
        ]);
        for i in 0..self.pools.len() {
            let units = self.chain.balance(self.parties[A].units[i]).await?;
            let price = Fixed::from_raw(self.pricing(i).await?.rate.unit_price);
            let (value, expected) =
                value_anchor::math::exchange_out(units, price, ANCHOR_POOL_PARAMS.haircut_bps)
                    .map_err(|e| anyhow!("exchange_out: {e:?}"))?;
            let mut accounts = ExchangeAccounts::new(
                &holder.pubkey(),
                &self.pools[i].address,
                &self.parties[A].units[i],
                &self.parties[A].anchor,
            );
            accounts.accepted = accepted.clone();
            let before = self.chain.balance(self.parties[A].anchor).await?;
            let ixs = [self.pools[i].refresh.ix(), accounts.ix(units, expected)];
            self.chain.send("exchanging units for anchor tokens", &ixs, &[&holder]).await?;
            let minted = self.chain.balance(self.parties[A].anchor).await? - before;
            self.totals.anchor_minted += minted;
            self.check(
                format!(
                    "{}: anchor tokens minted = floor(units x price) less 3%",
                    self.pools[i].label
                ),
                expected,
                minted,
            );
            t.row(vec![
                self.pools[i].label.into(),
                amount(units),
                amount(per_unit(price.raw())),
                amount(value),
                format::bps(ANCHOR_POOL_PARAMS.haircut_bps as u64),
                amount(minted),
            ]);
        }
        self.line(
            "One transaction each: refresh_rate, then exchange at the fresh price; the units go to \
             value-anchor's collateral.",
        );
        self.line("");
        self.table(&t);
        let b = self.backing().await?;
        self.line("");
        self.line(kv("anchor tokens outstanding", amount(b.anchor_supply)));
        self.line(kv("backing (collateral at the price)", usd(b.total_backing)));
        self.line(kv("backing ratio", format::percent(b.ratio_bps as u128, 10_000, 2)));
        Ok(())
    }

    async fn capital(&mut self) -> Result<()> {
        self.begin().await;
        let ixs = vec![
            self.mint_usd_ix(DEPOSITOR, DEPOSIT)?,
            self.mint_usd_ix(STAKER1, STAKES[0])?,
            self.mint_usd_ix(STAKER2, STAKES[1])?,
        ];
        let usd_issuer = self.usd_issuer.insecure_clone();
        self.chain.send("funding the reserve's capital providers", &ixs, &[&usd_issuer]).await?;
        let d = self.parties[DEPOSITOR].key.insecure_clone();
        let valuation = Valuation { listed: self.accepted(), accepted: vec![] };
        let ix = reserve::deposit_ix(
            &d.pubkey(),
            &self.parties[DEPOSITOR].usd,
            &self.usd_mint,
            &valuation,
            DEPOSIT,
            1,
        );
        self.chain.send("depositing reserve capital", &[ix], &[&d]).await?;
        for (k, who) in [STAKER1, STAKER2].into_iter().enumerate() {
            let s = self.parties[who].key.insecure_clone();
            let ix = reserve::stake_insurance_ix(
                &s.pubkey(),
                &self.parties[who].usd,
                &self.usd_mint,
                STAKES[k],
                1,
            );
            self.chain.send("staking in the insurance pool", &[ix], &[&s]).await?;
        }
        self.totals.reserve_deposit = DEPOSIT;
        self.totals.insurance_staked = STAKES.iter().sum();
        let book = self.book().await?;
        self.line(kv("reserve depositor deposits", usd(DEPOSIT)));
        self.line(kv("insurance staker 1 stakes", usd(STAKES[0])));
        self.line(kv("insurance staker 2 stakes", usd(STAKES[1])));
        self.line(kv("  insurance pool", usd(book.insurance_cash)));
        self.check("reserve cash = deposit", DEPOSIT, book.cash);
        self.check("insurance cash = stakes", STAKES.iter().sum(), book.insurance_cash);
        Ok(())
    }

    async fn sell_to_reserve(&mut self) -> Result<()> {
        self.begin().await;
        let seller = self.parties[B].key.insecure_clone();
        let units = self.chain.balance(self.parties[B].units[0]).await?;
        let price = Fixed::from_raw(self.pricing(0).await?.rate.unit_price);
        let value = price.mul_u64_floor(units).map_err(|e| anyhow!("{e:?}"))?;
        let grade = self.pools[0].grade as usize;
        let curve = ExitCurve::from_bps(
            RESERVE_PARAMS.min_discount_bps[grade],
            RESERVE_PARAMS.max_discount_bps,
            RESERVE_PARAMS.curve_exponent,
        )
        .map_err(|e| anyhow!("{e:?}"))?;
        let before = self.book().await?;
        let quote = curve
            .sale(RESERVE_PARAMS.sale_budget, before.sale_used, value)
            .map_err(|e| anyhow!("{e:?}"))?;
        let usd_before = self.usd_of(B).await?;
        let ixs = [
            self.pools[0].refresh.ix(),
            reserve::sell_ix(
                &seller.pubkey(),
                &self.pools[0].address,
                &self.parties[B].units[0],
                &self.parties[B].usd,
                &self.usd_mint,
                units,
                quote.paid,
            ),
        ];
        self.chain.send("selling units to the buyback reserve", &ixs, &[&seller]).await?;
        let paid = self.usd_of(B).await? - usd_before;
        let after = self.book().await?;
        let to_insurance = after.insurance_cash - before.insurance_cash;
        self.totals.exit_curve_paid = paid;
        self.totals.insurance_discount_share = to_insurance;
        self.check("investor B paid = rwa-math exit curve quote", quote.paid, paid);
        self.check(
            "insurance's share of the discount = 20%",
            quote.discount * RESERVE_PARAMS.discount_to_insurance_bps as u64 / 10_000,
            to_insurance,
        );
        self.line(
            "One transaction: refresh_rate, then sell_to_reserve; the discount follows the \
             published curve over the epoch's budget.",
        );
        self.line("");
        self.line(kv("units sold (pool 1)", amount(units)));
        self.line(kv("unit price", amount(per_unit(price.raw()))));
        self.line(kv("value at the price", usd(value)));
        self.line(kv(
            "discount",
            format!(
                "{} ({} of value; curve from {} at an empty budget)",
                usd(quote.discount),
                format::percent(quote.discount as u128, value as u128, 3),
                format::bps(RESERVE_PARAMS.min_discount_bps[grade] as u64)
            ),
        ));
        self.line(kv("paid to investor B", usd(paid)));
        self.line(kv("  of the discount, to insurance", usd(to_insurance)));
        self.line(kv(
            "epoch budget used",
            format!(
                "{} of {} ({})",
                amount(after.sale_used),
                amount(RESERVE_PARAMS.sale_budget),
                format::percent(after.sale_used as u128, RESERVE_PARAMS.sale_budget as u128, 2)
            ),
        ));
        Ok(())
    }

    async fn default_and_cover(&mut self) -> Result<()> {
        let first_due = T0 + POOL2_INVOICES[0].due_day * DAY;
        self.set_time(first_due + DAY).await;
        self.begin().await;
        let before_default = self.backing().await?;
        let price_before = self.pricing(1).await?.rate.unit_price;
        self.publish_all().await?;
        let servicer = self.parties[SERVICER].key.insecure_clone();
        let ix = registry::declare_default_ix(&servicer.pubkey(), &self.pools[1].address);
        self.chain.send("declaring the default", &[ix], &[&servicer]).await?;
        // a keeper refreshes every pool's rate and backing entry, then calls the cover
        for i in 0..self.pools.len() {
            let ixs = [self.pools[i].refresh.ix(), va::refresh_backing_ix(&self.pools[i].address)];
            self.chain.send("refreshing rate and backing", &ixs, &[]).await?;
        }
        let short = self.backing().await?;
        let price_after = self.pricing(1).await?.rate.unit_price;
        let shortfall = value_anchor::math::shortfall_ceil(
            short.total_backing,
            short.anchor_supply,
            ANCHOR_PARAMS.overcollateral_bps,
        )
        .map_err(|e| anyhow!("{e:?}"))?;
        let book_before = self.book().await?;
        let ix = reserve::cover_shortfall_ix(&self.usd_mint, &self.accepted());
        self.chain.send("covering the shortfall from insurance", &[ix], &[]).await?;
        let covered = self.backing().await?;
        let book = self.book().await?;
        let paid = book_before.insurance_cash - book.insurance_cash;
        self.totals.shortfall = shortfall;
        self.totals.insurance_covered = book.covered_total;
        self.check("insurance paid exactly the shortfall", shortfall, paid);
        let required = (covered.anchor_supply as u128
            * (10_000 + ANCHOR_PARAMS.overcollateral_bps as u128))
            .div_ceil(10_000) as u64;
        self.check(
            "backing after the cover = ceil(supply x 1.01)",
            required,
            covered.total_backing,
        );

        self.line(format!(
            "{} misses {} (due {}); the servicer declares pool 2 in default a day later.",
            POOL2_INVOICES[0].debtor,
            POOL2_INVOICES[0].number,
            format::date(first_due)
        ));
        self.line(
            "A keeper refreshes both pools' rates and backing entries, then calls \
             cover_shortfall (permissionless).",
        );
        self.line("");
        self.line(kv(
            "pool 2 unit price",
            format!(
                "{} -> {} (expected recovery at 1 - LGD)",
                amount(per_unit(price_before)),
                amount(per_unit(price_after))
            ),
        ));
        self.line(kv(
            "value-anchor backing",
            format!(
                "{} -> {} behind {} anchor tokens",
                usd(before_default.total_backing),
                usd(short.total_backing),
                amount(short.anchor_supply)
            ),
        ));
        self.line(kv(
            "backing ratio",
            format!(
                "{} -> {}",
                format::percent(before_default.ratio_bps as u128, 10_000, 2),
                format::percent(short.ratio_bps as u128, 10_000, 2)
            ),
        ));
        self.line(kv("shortfall to supply x 1.01", usd(shortfall)));
        self.line(kv("paid by the insurance pool", usd(paid)));
        self.line(kv(
            "backing after the cover",
            format!(
                "{} ({})",
                usd(covered.total_backing),
                format::percent(covered.ratio_bps as u128, 10_000, 2)
            ),
        ));
        self.line(kv(
            "insurance pool",
            format!("{} -> {}", usd(book_before.insurance_cash), usd(book.insurance_cash)),
        ));
        self.line(kv("loss borne by anchor-token holders", usd(0)));
        Ok(())
    }

    async fn recover_pool2(&mut self) -> Result<()> {
        self.set_time(T0 + 28 * DAY).await;
        self.begin().await;
        let servicer = self.parties[SERVICER].key.insecure_clone();
        let usd_issuer = self.usd_issuer.insecure_clone();
        let owed = self.pool(1).await?.outstanding().map_err(|e| anyhow!("{e:?}"))?;
        let recovery = (owed as u128 * RECOVERY_BPS as u128 / 10_000) as u64;
        let pool = self.pools[1].address;
        let ixs = [
            self.mint_usd_ix(SERVICER, recovery)?,
            registry::payment_ix(
                &servicer.pubkey(),
                &pool,
                self.currency(),
                &self.parties[SERVICER].usd,
                receivables::instruction::RecordRecovery { amount: recovery },
            ),
        ];
        self.chain.send("recording the recovery", &ixs, &[&usd_issuer, &servicer]).await?;
        let ix =
            registry::close_pool_ix(&servicer.pubkey(), &pool, &self.parties[ISSUER].key.pubkey());
        self.chain.send("closing pool 2", &[ix], &[&servicer]).await?;
        let (paid_va, paid_c) = self.pay_out(1, false).await?;
        let p = self.pool(1).await?;
        self.totals.pool2_recovered = p.total_recovered;
        self.totals.pool2_paid_out = paid_va + paid_c;
        self.check("pool 2: paid out = recovered", p.total_recovered, paid_va + paid_c);
        self.line(format!(
            "The debtor's administrator pays {} of the {} owed; the servicer records the recovery \
             and closes the pool.",
            format::bps(RECOVERY_BPS),
            usd(owed)
        ));
        self.line("");
        self.line(kv("recovered into pool 2's vault", usd(p.total_recovered)));
        self.line(kv("value-anchor collects (its units)", usd(paid_va)));
        self.line(kv("investor C redeems (its units)", usd(paid_c)));
        let left = self.chain.balance(self.pools[1].vault).await?;
        self.line(kv("left in pool 2's vault", usd(left)));
        Ok(())
    }

    /// value-anchor collects its units of `pool`, the reserve collects its own (when
    /// `with_reserve`), and investor C redeems the rest. Returns value-anchor's proceeds and
    /// C's (the reserve's show in its book's cash).
    async fn pay_out(&mut self, pool: usize, with_reserve: bool) -> Result<(u64, u64)> {
        let address = self.pools[pool].address;
        let va_before = self.chain.balance(va::stable_reserve_pda()).await?;
        let ix = va::collect_ix(&address, &self.usd_mint);
        self.chain.send("value-anchor collects", &[ix], &[]).await?;
        let paid_va = self.chain.balance(va::stable_reserve_pda()).await? - va_before;
        if with_reserve {
            let ix = reserve::collect_ix(&address, &self.usd_mint);
            self.chain.send("the reserve collects", &[ix], &[]).await?;
        }
        let c = self.parties[C].key.insecure_clone();
        let units = self.chain.balance(self.parties[C].units[pool]).await?;
        let before = self.usd_of(C).await?;
        let ix = registry::redeem_ix(
            &c.pubkey(),
            &address,
            self.currency(),
            &self.parties[C].units[pool],
            &self.parties[C].usd,
            units,
        );
        self.chain.send("investor C redeems", &[ix], &[&c]).await?;
        let paid_c = self.usd_of(C).await? - before;
        Ok((paid_va, paid_c))
    }

    async fn mature_pool1(&mut self) -> Result<()> {
        let first = T0 + POOL1_INVOICES[0].due_day * DAY;
        self.set_time(first).await;
        self.begin().await;
        let servicer = self.parties[SERVICER].key.insecure_clone();
        let usd_issuer = self.usd_issuer.insecure_clone();
        let pool = self.pools[0].address;
        for invoice in &POOL1_INVOICES {
            self.set_time(T0 + invoice.due_day * DAY).await;
            let amount = invoice.cents * 10_000;
            let ixs = [
                self.mint_usd_ix(SERVICER, amount)?,
                self.chain_repay_ix(&servicer.pubkey(), &pool, amount),
            ];
            self.chain
                .send("the servicer collects an invoice", &ixs, &[&usd_issuer, &servicer])
                .await?;
        }
        let p = self.pool(0).await?;
        if p.status != PoolStatus::Matured {
            bail!("pool 1 is {:?} after every invoice was paid, not Matured", p.status);
        }
        let reserve_before = self.book().await?.cash;
        let (paid_va, paid_c) = self.pay_out(0, true).await?;
        let paid_reserve = self.book().await?.cash - reserve_before;
        self.totals.pool1_repaid = p.total_repaid;
        self.totals.pool1_paid_out = paid_va + paid_reserve + paid_c;
        self.check("pool 1: paid out = repaid", p.total_repaid, paid_va + paid_reserve + paid_c);
        self.line(format!(
            "Each debtor pays its invoice on its due date ({} to {}); the servicer records every \
             repayment and the pool matures.",
            format::date(T0 + POOL1_INVOICES[0].due_day * DAY),
            format::date(T0 + POOL1_INVOICES[POOL1_INVOICES.len() - 1].due_day * DAY),
        ));
        self.line("");
        self.line(kv("repaid into pool 1's vault", usd(p.total_repaid)));
        self.line(kv("status", format!("{:?}", p.status)));
        self.line(kv("value-anchor collects (its units)", usd(paid_va)));
        self.line(kv("the reserve collects (its units)", usd(paid_reserve)));
        self.line(kv("investor C redeems (its units)", usd(paid_c)));
        let left = self.chain.balance(self.pools[0].vault).await?;
        self.line(kv("left in pool 1's vault", usd(left)));
        Ok(())
    }

    fn chain_repay_ix(&self, servicer: &Pubkey, pool: &Pubkey, amount: u64) -> Instruction {
        registry::payment_ix(
            servicer,
            pool,
            self.currency(),
            &self.parties[SERVICER].usd,
            receivables::instruction::RecordRepayment { amount },
        )
    }

    async fn redeem_anchor(&mut self) -> Result<()> {
        self.begin().await;
        let holder = self.parties[A].key.insecure_clone();
        let tokens = self.chain.balance(self.parties[A].anchor).await?;
        let b = self.backing().await?;
        let reserve = self.chain.balance(va::stable_reserve_pda()).await?;
        let value = value_anchor::math::redemption_value_floor(tokens, reserve, b.anchor_supply)
            .map_err(|e| anyhow!("{e:?}"))?;
        let fee = value_anchor::math::fee_ceil(value, ANCHOR_PARAMS.fee_out_bps)
            .map_err(|e| anyhow!("{e:?}"))?;
        let psm = PsmAccounts {
            holder: holder.pubkey(),
            reserve_mint: self.usd_mint,
            holder_stable: self.parties[A].usd,
            holder_anchor: self.parties[A].anchor,
            accepted: self.accepted(),
            anchor_token_program: va::ANCHOR_TOKEN_PROGRAM,
        };
        let before = self.usd_of(A).await?;
        self.chain
            .send("redeeming anchor tokens", &[psm.redeem_ix(tokens, value - fee)], &[&holder])
            .await?;
        let paid = self.usd_of(A).await? - before;
        self.totals.anchor_redeemed = tokens;
        self.totals.psm_paid = paid;
        self.check("investor A paid par less the 5 bps fee", value - fee, paid);
        self.line(kv("anchor tokens redeemed", amount(tokens)));
        self.line(kv(
            "value-anchor's stable reserve",
            format!(
                "{} ({} of supply: fully backed, redeemed at par)",
                usd(reserve),
                format::percent(reserve as u128, b.anchor_supply as u128, 2)
            ),
        ));
        self.line(kv("paid to investor A", usd(paid)));
        self.line(kv("  PSM fee kept in the reserve", usd(fee)));
        Ok(())
    }

    /// Every stable account in the demo: the participants' and the protocol's.
    fn usd_accounts(&self) -> Vec<(String, Pubkey)> {
        let mut accounts: Vec<(String, Pubkey)> =
            self.parties.iter().map(|p| (p.name.to_string(), p.usd)).collect();
        for p in &self.pools {
            accounts.push((format!("{} vault", p.label), p.vault));
        }
        accounts.extend([
            ("value-anchor stable reserve".to_string(), va::stable_reserve_pda()),
            ("reserve stable vault".to_string(), reserve::stable_vault_pda()),
            ("reserve insurance vault".to_string(), reserve::insurance_vault_pda()),
            ("reserve fee vault".to_string(), reserve::fee_vault_pda()),
            ("reserve rewards vault".to_string(), reserve::rewards_vault_pda()),
        ]);
        accounts
    }

    /// The ledger checks, run while positions are open and again at the end: every mint's
    /// accounts add up to its supply, the stablecoin is conserved, value-anchor's Backing
    /// matches its accounts and the reserve's book its vaults.
    async fn audit(&mut self, stage: &'static str) -> Result<()> {
        let previous = std::mem::replace(&mut self.stage, stage);
        let mut usd_sum = 0u64;
        for (_, a) in self.usd_accounts() {
            usd_sum += self.chain.balance(a).await?;
        }
        let usd_supply = self.chain.supply(self.usd_mint).await?;
        self.totals.usd_supply = usd_supply;
        self.totals.usd_in_accounts = usd_sum;
        self.check("USD: every account adds up to the mint's supply", usd_supply, usd_sum);
        self.check(
            "USD: supply = all minted in (conservation)",
            self.totals.usd_minted,
            usd_supply,
        );

        let mut anchor_sum = 0;
        for a in [self.parties[A].anchor, reserve::anchor_vault_pda()] {
            anchor_sum += self.chain.balance(a).await?;
        }
        let anchor_supply = self.chain.supply(va::anchor_mint_pda()).await?;
        self.totals.anchor_supply = anchor_supply;
        self.check("anchor token: accounts add up to the supply", anchor_supply, anchor_sum);
        self.check(
            "anchor token: supply = minted - redeemed",
            self.totals.anchor_minted - self.totals.anchor_redeemed,
            anchor_supply,
        );
        for i in 0..self.pools.len() {
            let (label, unit_mint, address) =
                (self.pools[i].label, self.pools[i].unit_mint, self.pools[i].address);
            let mut accounts: Vec<Pubkey> = self
                .parties
                .iter()
                .map(|p| p.units[i])
                .filter(|a| *a != Pubkey::default())
                .collect();
            accounts.push(va::collateral_pda(&address));
            accounts.push(reserve::units_vault_pda(&address));
            let mut sum = 0;
            for a in accounts {
                sum += self.chain.balance(a).await?;
            }
            let supply = self.chain.supply(unit_mint).await?;
            self.check(format!("{label} units: accounts add up to the supply"), supply, sum);
        }

        // value-anchor's Backing against its accounts
        let b = self.backing().await?;
        let stable_reserve = self.chain.balance(va::stable_reserve_pda()).await?;
        self.check(
            "Backing.stable_reserve = stable reserve account",
            stable_reserve,
            b.stable_reserve,
        );
        let entries: u64 = b.entries[..b.pool_count as usize].iter().map(|e| e.value).sum();
        self.check(
            "Backing.total_backing = stable reserve + entries",
            b.stable_reserve + entries,
            b.total_backing,
        );
        self.check("Backing.anchor_supply = anchor mint supply", anchor_supply, b.anchor_supply);
        for i in 0..self.pools.len() {
            let e = b.entries[i];
            let collateral = self.chain.balance(va::collateral_pda(&self.pools[i].address)).await?;
            self.check(
                format!("Backing {}: units + reserved = collateral", self.pools[i].label),
                collateral,
                e.units + e.reserved,
            );
        }
        self.totals.value_anchor_reserve = stable_reserve;
        self.totals.backing_total = b.total_backing;

        // the buyback reserve's book against its vaults
        let book = self.book().await?;
        let pairs = [
            ("reserve book: cash = stable vault", book.cash, reserve::stable_vault_pda()),
            (
                "reserve book: insurance cash = insurance vault",
                book.insurance_cash,
                reserve::insurance_vault_pda(),
            ),
            (
                "reserve book: rewards cash = rewards vault",
                book.rewards_cash,
                reserve::rewards_vault_pda(),
            ),
            (
                "reserve book: anchor held = anchor vault",
                book.anchor_held,
                reserve::anchor_vault_pda(),
            ),
        ];
        for (name, booked, vault) in pairs {
            let balance = self.chain.balance(vault).await?;
            self.check(name, balance, booked);
        }
        for i in 0..book.holding_count as usize {
            let h = book.holdings[i];
            let label = self.pools.iter().find(|p| p.address == h.pool).map_or("?", |p| p.label);
            let vault = self.chain.balance(reserve::units_vault_pda(&h.pool)).await?;
            self.check(format!("reserve book: {label} units = units vault"), vault, h.units);
        }
        self.check(
            "reserve book: insurance = stakes + discount share - cover",
            self.totals.insurance_staked + self.totals.insurance_discount_share
                - book.covered_total,
            book.insurance_cash,
        );
        self.totals.insurance_cash = book.insurance_cash;
        self.totals.reserve_cash = book.cash;
        self.stage = previous;
        Ok(())
    }

    async fn reconcile(&mut self) -> Result<Vec<Holding>> {
        self.begin().await;
        self.audit(STAGE_END).await?;
        self.stage = STAGE_END;
        for i in 0..self.pools.len() {
            let label = self.pools[i].label;
            let supply = self.chain.supply(self.pools[i].unit_mint).await?;
            self.check(format!("{label} units: all redeemed (supply 0)"), 0, supply);
            let vault = self.chain.balance(self.pools[i].vault).await?;
            self.check(format!("{label} vault: empty after the last holder"), 0, vault);
        }
        let anchor_supply = self.totals.anchor_supply;
        self.check("anchor token: all redeemed (supply 0)", 0, anchor_supply);

        // holdings at the end
        let book = self.book().await?;
        let mut holdings = vec![];
        for i in 0..self.parties.len() {
            let p = &self.parties[i];
            let (name, usd_in, usd_acc, anchor_acc, units) =
                (p.name.to_string(), p.usd_in, p.usd, p.anchor, p.units);
            let owner = p.key.pubkey();
            let shares_worth = match i {
                DEPOSITOR => {
                    let pos: buyback_reserve::state::Position = self
                        .chain
                        .get(reserve::position_pda(PositionKind::Deposit, &owner))
                        .await?;
                    shares::assets_for_shares(pos.shares, book.cash, book.shares)
                        .map_err(|e| anyhow!("{e:?}"))?
                }
                STAKER1 | STAKER2 => {
                    let pos: buyback_reserve::state::Position = self
                        .chain
                        .get(reserve::position_pda(PositionKind::Insurance, &owner))
                        .await?;
                    shares::assets_for_shares(
                        pos.shares,
                        book.insurance_cash,
                        book.insurance_shares,
                    )
                    .map_err(|e| anyhow!("{e:?}"))?
                }
                _ => 0,
            };
            holdings.push(Holding {
                owner: name,
                usd_in,
                usd: self.chain.balance(usd_acc).await?,
                anchor: self.optional_balance(anchor_acc).await?,
                pool1_units: self.optional_balance(units[0]).await?,
                pool2_units: self.optional_balance(units[1]).await?,
                shares_worth,
            });
        }
        let usd_accounts = self.usd_accounts();
        for (name, account) in &usd_accounts[self.parties.len()..] {
            let usd = self.chain.balance(*account).await?;
            holdings.push(Holding {
                owner: name.clone(),
                usd_in: 0,
                usd,
                anchor: 0,
                pool1_units: 0,
                pool2_units: 0,
                shares_worth: 0,
            });
        }

        let mut t = Table::new(&["holder", ">USD in", ">USD now", ">net", ">reserve shares worth"]);
        for h in &holdings {
            t.row(vec![
                h.owner.clone(),
                amount(h.usd_in),
                amount(h.usd),
                format::delta(h.usd as i128 + h.shares_worth as i128 - h.usd_in as i128, DECIMALS),
                if h.shares_worth > 0 { amount(h.shares_worth) } else { String::new() },
            ]);
        }
        t.row(vec![
            "total".into(),
            amount(self.totals.usd_minted),
            amount(self.totals.usd_in_accounts),
            String::new(),
            String::new(),
        ]);
        self.line(
            "Where every USD is at the end. USD in: minted to the holder from outside (the \
             investors' cash, the debtors' payments to the servicer); net counts reserve and \
             insurance shares at the book.",
        );
        self.line("");
        self.table(&t);
        for stage in [STAGE_STORY, STAGE_OPEN, STAGE_END] {
            let mut t = Table::new(&["check", ">expected", ">actual", "result"]);
            let rows: Vec<Vec<String>> = self
                .checks
                .iter()
                .filter(|c| c.stage == stage)
                .map(|c| {
                    vec![
                        c.name.clone(),
                        amount(c.expected),
                        amount(c.actual),
                        if c.ok { "ok".into() } else { "MISMATCH".into() },
                    ]
                })
                .collect();
            for r in rows {
                t.row(r);
            }
            self.line("");
            self.line(format!("Checks {stage}:"));
            self.table(&t);
        }
        Ok(holdings)
    }

    async fn optional_balance(&mut self, account: Pubkey) -> Result<u64> {
        if account == Pubkey::default() {
            return Ok(0);
        }
        self.chain.balance(account).await
    }
}

/// The report as a person reads it.
pub fn render(report: &DemoReport) -> Vec<String> {
    let mut out = vec![
        "RWA liquidity layer: the SME story, end to end".to_string(),
        "Every step is a real transaction in an embedded Solana bank (solana-program-test): the \
         five programs run natively"
            .to_string(),
        "with SPL Token and the Associated Token program. Amounts in whole tokens of 6 decimals: \
         USD (the reserve stablecoin),"
            .to_string(),
        "anchor tokens (value-anchor) and pool units (1 unit = 1 USD of face value).".to_string(),
    ];
    for (i, s) in report.sections.iter().enumerate() {
        out.push(String::new());
        out.push(format!("{:>2}. {}  [{} UTC]", i + 1, s.title, format::datetime(s.at)));
        out.extend(s.lines.iter().map(|l| {
            if l.is_empty() {
                String::new()
            } else {
                format!("    {l}")
            }
        }));
    }
    out.push(String::new());
    let ok = report.checks.iter().filter(|c| c.ok).count();
    let summary = format!(
        "{ok} of {} checks hold; {} transactions in {:.1} s",
        report.checks.len(),
        report.transactions,
        report.elapsed_ms as f64 / 1_000.0
    );
    if report.reconciled {
        out.push(format!(
            "RECONCILED: every balance, the backing and the reserve's book agree to the base unit \
             ({summary})."
        ));
    } else {
        out.push(format!(
            "NOT RECONCILED: {} check(s) failed ({summary}).",
            report.checks.len() - ok
        ));
    }
    out
}
