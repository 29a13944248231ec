//! `rwa`: the RWA liquidity layer's command line.
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anchor_lang::prelude::Pubkey;
use clap::{Args, Parser, Subcommand, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};
use receivables::state::AssetClass;
use rwa_cli::{
    cluster, demo,
    ops::{self, Op, Program},
    quiet::SilencedStdout,
    quote, stress,
};
use transfer_hook::state::AttestorStatus;

/// The RWA liquidity layer's command line: run the protocol's story end to end, value a
/// schedule offline, inspect a cluster and operate it by role (servicer, publisher, admin,
/// holder).
#[derive(Debug, Parser)]
#[command(name = "rwa", version, propagate_version = true)]
#[command(after_help = "Examples:\n  rwa demo\n  rwa quote --schedule examples/one-year-5pct.csv \
                        --now 1800000000 --rate-bps 500 --spread-bps 0 --pd-bps 0 --lgd-bps 0")]
struct Cli {
    /// Cluster RPC URL, or a moniker: mainnet-beta (m), devnet (d), testnet (t), localnet (l).
    /// Default: the Solana CLI config's json_rpc_url
    #[arg(short = 'u', long = "url", global = true, value_name = "URL_OR_MONIKER",
          value_parser = parse_url)]
    url: Option<String>,

    /// Signer keypair file. Default: the Solana CLI config's keypair_path
    /// (~/.config/solana/cli/config.yml), else ~/.config/solana/id.json
    #[arg(short = 'k', long, global = true, value_name = "KEYPAIR")]
    keypair: Option<PathBuf>,

    /// Solana CLI config file to read the defaults from
    #[arg(short = 'C', long, global = true, value_name = "PATH")]
    config: Option<PathBuf>,

    /// Output format: tables for people, or JSON for programs
    #[arg(long, global = true, value_enum, default_value_t = Output::Display)]
    output: Output,

    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Output {
    Display,
    Json,
    JsonCompact,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the SME story end to end in the embedded Solana runtime and reconcile every balance
    /// (exit 0 only if everything reconciles)
    Demo(DemoArgs),
    /// Value a cash-flow schedule offline, as dcf-pricer values a pool on chain
    Quote(QuoteArgs),
    /// Play a credit crunch day by day on the real programs in the embedded runtime: defaults,
    /// wider spreads and a run on every exit; report the backing, the insurance and what each
    /// exit paid, and check the loss order (exit 0 only if every invariant holds)
    Stress(StressArgs),
    /// Inspect the protocol's accounts on a cluster
    #[command(subcommand)]
    Show(Show),
    /// Issuer: create a pool from a schedule file (uploaded in chunks), activate it
    #[command(subcommand)]
    Issuer(Issuer),
    /// Servicer: record repayments and recoveries, mark late, declare default, write down
    #[command(subcommand)]
    Servicer(Servicer),
    /// Oracle publisher: submit observations
    #[command(subcommand)]
    Publisher(Publisher),
    /// Admin or guardian: pause a program (guardian or admin), unpause it (admin)
    #[command(subcommand)]
    Admin(Admin),
    /// Unit or anchor-token holder: exit into the anchor token or the reserve, redeem, provide
    /// capital or insurance (each sent with the refreshes it needs, quoted first)
    #[command(subcommand)]
    Holder(Holder),
    /// Transfer-hook admin (or guardian, to suspend): approve, suspend or reinstate an attestor;
    /// rebind a permissioned mint to another attestor
    #[command(subcommand)]
    Attestor(AttestorCmd),
    /// Attestor: attest HOLDER (issue, or renew clearing a revocation) for permissioned units
    Attest {
        holder: Pubkey,
        /// ISO 3166-1 alpha-2 code of the holder's jurisdiction, e.g. DE
        #[arg(long)]
        jurisdiction: String,
        /// Expiry: a unix time, or +<days>d from the cluster's clock (e.g. +365d)
        #[arg(long, allow_hyphen_values = true)]
        expires: String,
    },
    /// Attestor: revoke your attestation of HOLDER
    Revoke { holder: Pubkey },
}

#[derive(Debug, Subcommand)]
enum AttestorCmd {
    /// Approve ATTESTOR (its authority key) (the hook's admin)
    Approve { attestor: Pubkey },
    /// Suspend ATTESTOR: its attestations stop counting (the guardian or the admin)
    Suspend { attestor: Pubkey },
    /// Reinstate a suspended ATTESTOR (the admin)
    Reinstate { attestor: Pubkey },
    /// Rebind the permissioned units of POOL_OR_MINT (a pool or its unit mint) to
    /// NEW_ATTESTOR, an approved attestor (the admin)
    SetMint { pool_or_mint: Pubkey, new_attestor: Pubkey },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum AssetClassArg {
    TradeReceivable,
    SmeLoan,
    RealEstateIncome,
    RevenueRight,
}

// parsed once per run: the size of the create-pool variant does not matter
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
enum Issuer {
    /// Create pool INDEX (Draft) from a schedule file (as `rwa quote` reads it)
    CreatePool {
        #[arg(long)]
        index: u32,
        /// CSV `due_ts,amount` with a header, or a JSON array; day-aligned due dates
        #[arg(long, value_name = "FILE")]
        schedule: PathBuf,
        /// The approved servicer's key
        #[arg(long)]
        servicer: Pubkey,
        /// The currency mint (one the registry accepts)
        #[arg(long)]
        currency: Pubkey,
        /// Credit grade, 0..=4
        #[arg(long)]
        grade: u8,
        #[arg(long, value_enum, default_value_t = AssetClassArg::TradeReceivable)]
        asset_class: AssetClassArg,
        /// Face value in base units (default: the schedule's sum)
        #[arg(long)]
        face: Option<u64>,
        /// Base units of face value per unit
        #[arg(long, default_value_t = 1)]
        unit_size: u64,
        /// Where the pool's documents are published
        #[arg(long, default_value = "")]
        uri: String,
        /// SHA-256 of the documents, 64 hex digits (default: zeros)
        #[arg(long)]
        doc_hash: Option<String>,
        /// Token-2022 units with on-chain metadata: their name (at most 32 bytes); without
        /// it, classic SPL Token units without metadata
        #[arg(long, requires = "symbol")]
        name: Option<String>,
        /// The units' symbol (at most 10 bytes)
        #[arg(long, requires = "name")]
        symbol: Option<String>,
        /// Permissioned units: only holders ATTESTOR attests may receive them
        #[arg(long, requires_all = ["attestor", "name"])]
        permissioned: bool,
        /// The approved attestor of a permissioned pool
        #[arg(long, requires = "permissioned")]
        attestor: Option<Pubkey>,
    },
    /// Activate a Draft pool: every unit to your own unit account
    Activate { pool: Pubkey },
}

#[derive(Debug, Subcommand)]
enum Servicer {
    /// Record a repayment of AMOUNT base units from your token account of the pool's currency
    Repay { pool: Pubkey, amount: u64 },
    /// Record a recovery of AMOUNT base units into a Defaulted pool
    Recover { pool: Pubkey, amount: u64 },
    /// Mark the pool Late (a flow must be overdue)
    Late { pool: Pubkey },
    /// Declare the pool in default (a flow must be overdue)
    Default { pool: Pubkey },
    /// Write AMOUNT base units of the schedule off
    WriteDown { pool: Pubkey, amount: u64 },
    /// Close a pool with nothing outstanding
    Close { pool: Pubkey },
}

#[derive(Debug, Subcommand)]
enum Publisher {
    /// Submit an observation to FEED (its id, e.g. USD-SOFR-1M) now
    Submit {
        feed: String,
        /// The value in basis points (450 = 4.50%)
        #[arg(long)]
        value_bps: u64,
        /// Its confidence interval in basis points
        #[arg(long, default_value_t = 0)]
        confidence_bps: u64,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum ProgramArg {
    Oracle,
    Receivables,
    Pricer,
    ValueAnchor,
    Reserve,
}

#[derive(Debug, Subcommand)]
enum Admin {
    /// Pause PROGRAM (the guardian or the admin)
    Pause { program: ProgramArg },
    /// Unpause PROGRAM (the admin)
    Unpause { program: ProgramArg },
    /// Approve ISSUER (its authority key) with limits
    ApproveIssuer {
        issuer: Pubkey,
        #[arg(long)]
        max_pools: u32,
        /// Most face value, all its pools, base units
        #[arg(long)]
        max_face: u64,
    },
    /// Approve SERVICER (its key)
    ApproveServicer { servicer: Pubkey },
    /// value-anchor accepts POOL (priced by dcf-pricer) as collateral
    AcceptPool {
        pool: Pubkey,
        #[arg(long)]
        haircut_bps: u16,
        /// Most value of the pool's units value-anchor holds, base units
        #[arg(long)]
        ceiling: u64,
        /// Value taken in per window, base units
        #[arg(long)]
        capacity: u64,
        #[arg(long, default_value_t = 86_400)]
        window_secs: u32,
    },
    /// The buyback reserve lists POOL, holding at most CAP of value
    ListPool {
        pool: Pubkey,
        #[arg(long)]
        cap: u64,
    },
}

#[derive(Debug, Subcommand)]
enum Holder {
    /// Exchange UNITS of POOL for the anchor token at the fresh price (refresh included)
    Exchange {
        pool: Pubkey,
        units: u64,
        /// Least accepted, as bps below the quote
        #[arg(long, default_value_t = 50)]
        slippage_bps: u16,
    },
    /// Sell UNITS of POOL to the buyback reserve on its exit curve (refresh included)
    Sell {
        pool: Pubkey,
        units: u64,
        #[arg(long, default_value_t = 50)]
        slippage_bps: u16,
    },
    /// Redeem AMOUNT anchor tokens for the reserve stablecoin (par less the PSM's fee; below
    /// full backing less: widen --slippage-bps to accept it)
    Redeem {
        amount: u64,
        #[arg(long, default_value_t = 50)]
        slippage_bps: u16,
    },
    /// Redeem AMOUNT anchor tokens in kind: a claim (NONCE: one per open claim) on the
    /// collateral's units, pro rata; collect them with `holder claim`
    RedeemInKind {
        amount: u64,
        #[arg(long, default_value_t = 0)]
        nonce: u64,
    },
    /// Collect POOL's units owed by in-kind claim NONCE into the signer's unit account (for
    /// permissioned units the signer must be attested)
    Claim {
        pool: Pubkey,
        #[arg(long, default_value_t = 0)]
        nonce: u64,
    },
    /// Deposit AMOUNT of the reserve stablecoin into the buyback reserve for shares (quoted at
    /// the fresh marks; anchor tokens the reserve holds counted at par)
    Deposit {
        amount: u64,
        /// Least accepted, as bps below the quoted shares
        #[arg(long, default_value_t = 50)]
        slippage_bps: u16,
    },
    /// Stake AMOUNT of the reserve stablecoin in the insurance pool (first loss)
    Stake {
        amount: u64,
        /// Least accepted, as bps below the quoted shares
        #[arg(long, default_value_t = 50)]
        slippage_bps: u16,
    },
}

#[derive(Debug, Args)]
struct DemoArgs {
    /// Do not draw the progress bar (it is drawn on stderr, only to a terminal)
    #[arg(long)]
    no_progress: bool,
}

#[derive(Debug, Args)]
struct StressArgs {
    /// TOML scenario file (fields as in examples/stress-mild.toml); flags override it
    #[arg(long, value_name = "FILE")]
    scenario: Option<PathBuf>,
    /// Seed of the deterministic generator (same seed, same run)
    #[arg(long)]
    seed: Option<u64>,
    /// Number of pools, 1..=16
    #[arg(long)]
    pools: Option<usize>,
    /// Days to play
    #[arg(long)]
    days: Option<u32>,
    /// Investors holding the pools' units
    #[arg(long)]
    holders: Option<usize>,
    /// Share of the pools that stop paying and default (worst grades first), bps
    #[arg(long, value_name = "BPS")]
    default_share_bps: Option<u64>,
    /// Share of the anchor-token holders that try to exit, bps
    #[arg(long, value_name = "BPS")]
    anchor_exit_share_bps: Option<u64>,
    /// Share of the unit holders that try to exit, bps
    #[arg(long, value_name = "BPS")]
    unit_exit_share_bps: Option<u64>,
    /// The insurance pool's stake, bps of the anchor supply
    #[arg(long, value_name = "BPS")]
    insurance_bps: Option<u64>,
    /// Stable in value-anchor's PSM reserve, bps of the anchor supply
    #[arg(long, value_name = "BPS")]
    psm_funding_bps: Option<u64>,
    /// Where to write the SVG chart (backing ratio and exit prices over time)
    #[arg(long, value_name = "PATH", default_value = "rwa-stress.svg")]
    chart: PathBuf,
    /// Do not draw the progress bar (it is drawn on stderr, only to a terminal)
    #[arg(long)]
    no_progress: bool,
}

#[derive(Debug, Args)]
struct QuoteArgs {
    /// Schedule file: CSV with a header `due_ts,amount` (other columns ignored), or a JSON array
    /// of {"due_ts": .., "amount": ..}; due_ts in unix seconds, amounts in base units
    #[arg(long, value_name = "FILE")]
    schedule: PathBuf,
    /// Valuation time, unix seconds
    #[arg(long, value_name = "TS", allow_negative_numbers = true)]
    now: i64,
    /// Benchmark rate, basis points a year (450 = 4.50%)
    #[arg(long, value_name = "N")]
    rate_bps: u64,
    /// The grade's credit spread, basis points a year; the discount rate is rate + spread
    #[arg(long, value_name = "N")]
    spread_bps: u64,
    /// Annual probability of default, basis points
    #[arg(long, value_name = "N")]
    pd_bps: u64,
    /// Loss given default, basis points
    #[arg(long, value_name = "N")]
    lgd_bps: u64,
    /// Overdue write-down steps, DAYS:BPS separated by commas (e.g. 30:1000,90:5000,180:10000)
    #[arg(long, value_name = "STEPS", default_value = "")]
    write_down: String,
    /// Decimals of the currency, for showing the value in whole tokens
    #[arg(long, value_name = "N", default_value_t = 6)]
    decimals: u8,
}

#[derive(Debug, Subcommand)]
enum Show {
    /// A receivables pool: status, schedule, pricing
    Pool {
        /// The pool's address
        address: Pubkey,
    },
    /// value-anchor's public backing
    Backing,
    /// The buyback reserve's book
    Reserve,
    /// An oracle feed's accepted aggregate
    Feed {
        /// The feed id, e.g. USD-SOFR-1M
        id: String,
    },
    /// An attestation of HOLDER: status (valid, expired, revoked), jurisdiction, expiry
    Attestation {
        holder: Pubkey,
        /// The attestor's authority key (default: your keypair's)
        #[arg(long)]
        attestor: Option<Pubkey>,
    },
}

fn parse_url(url: &str) -> Result<String, String> {
    cluster::normalize_url(url)
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Demo(args) => run_demo(args, cli.output),
        Command::Quote(args) => run_quote(args, cli.output),
        Command::Stress(args) => run_stress(args, cli.output),
        Command::Show(_)
        | Command::Issuer(_)
        | Command::Servicer(_)
        | Command::Publisher(_)
        | Command::Admin(_)
        | Command::Holder(_)
        | Command::Attestor(_)
        | Command::Attest { .. }
        | Command::Revoke { .. } => run_op(&cli),
    };
    match result {
        Ok(code) => code,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn print_json<T: serde::Serialize>(value: &T, output: Output) -> Result<(), String> {
    let text = match output {
        Output::JsonCompact => serde_json::to_string(value),
        _ => serde_json::to_string_pretty(value),
    };
    println!("{}", text.map_err(|e| format!("cannot write JSON: {e}"))?);
    Ok(())
}

fn run_demo(args: &DemoArgs, output: Output) -> Result<ExitCode, String> {
    let bar = progress_bar(args.no_progress, demo::STEPS.len() as u64)?;
    let report = quietly_with_progress(&bar, |progress| demo::run_demo_with(progress))?;
    let report = report.map_err(|e| {
        format!("the demo stopped: {e:#}\n(this is a bug in the demo or the programs; please report it with the output above)")
    })?;
    match output {
        Output::Display => {
            let mut out = std::io::stdout().lock();
            for line in demo::render(&report) {
                writeln!(out, "{line}").map_err(|e| e.to_string())?;
            }
        }
        json => print_json(&report, json)?,
    }
    Ok(if report.reconciled { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}

fn progress_bar(hidden: bool, steps: u64) -> Result<ProgressBar, String> {
    if hidden {
        return Ok(ProgressBar::hidden());
    }
    let bar = ProgressBar::new(steps);
    let style = ProgressStyle::with_template("{spinner} [{bar:24}] {pos}/{len} {wide_msg}")
        .map_err(|e| e.to_string())?
        .progress_chars("=> ");
    bar.set_style(style);
    Ok(bar)
}

/// Runs `run` (the demo or a stress run on the embedded runtime) with the programs' `msg!` lines
/// (println! in native runs) kept off stdout, showing its steps and transactions on `bar`.
fn quietly_with_progress<T>(
    bar: &ProgressBar,
    run: impl FnOnce(&mut dyn FnMut(demo::Progress<'_>)) -> T,
) -> Result<T, String> {
    let mut title = String::new();
    let result = {
        let _quiet = SilencedStdout::new().map_err(|e| format!("cannot silence stdout: {e}"))?;
        run(&mut |p| match p {
            demo::Progress::Step { index, title: t, .. } => {
                bar.set_position(index as u64 - 1);
                title = t.to_string();
                bar.set_message(title.clone());
            }
            demo::Progress::Transactions(n) => {
                bar.set_message(format!("{title} ({n} tx)"));
                bar.tick();
            }
        })
    };
    bar.finish_and_clear();
    Ok(result)
}

fn run_stress(args: &StressArgs, output: Output) -> Result<ExitCode, String> {
    let mut scenario = match &args.scenario {
        Some(path) => stress::Scenario::from_toml_file(path).map_err(|e| format!("{e:#}"))?,
        None => stress::Scenario::default(),
    };
    let overrides = [
        (args.default_share_bps, &mut scenario.default_share_bps),
        (args.anchor_exit_share_bps, &mut scenario.anchor_exit_share_bps),
        (args.unit_exit_share_bps, &mut scenario.unit_exit_share_bps),
        (args.insurance_bps, &mut scenario.insurance_bps),
        (args.psm_funding_bps, &mut scenario.psm_funding_bps),
    ];
    for (flag, field) in overrides {
        if let Some(v) = flag {
            *field = v;
        }
    }
    if let Some(v) = args.seed {
        scenario.seed = v;
    }
    if let Some(v) = args.pools {
        scenario.pools = v;
    }
    if let Some(v) = args.days {
        scenario.days = v;
    }
    if let Some(v) = args.holders {
        scenario.holders = v;
    }
    scenario.validate().map_err(|e| format!("the scenario: {e:#}"))?;
    let bar = progress_bar(args.no_progress, scenario.days as u64 + 1)?;
    let report =
        quietly_with_progress(&bar, |progress| stress::run_stress_with(&scenario, progress))?;
    let report = report.map_err(|e| {
        format!("the stress run stopped: {e:#}\n(a refusal is recorded, not fatal: this is a bug in the simulation or the programs; please report it)")
    })?;
    std::fs::write(&args.chart, stress::chart_svg(&report)).map_err(|e| {
        format!(
            "cannot write the chart to {}: {e} (choose another path with --chart)",
            args.chart.display()
        )
    })?;
    match output {
        Output::Display => {
            let mut out = std::io::stdout().lock();
            for line in stress::render(&report, Some(&args.chart)) {
                writeln!(out, "{line}").map_err(|e| e.to_string())?;
            }
        }
        json => print_json(&report, json)?,
    }
    Ok(if report.verdict.all_invariants_hold { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}

fn run_quote(args: &QuoteArgs, output: Output) -> Result<ExitCode, String> {
    let shown = args.schedule.display();
    let flows = quote::read_schedule(&args.schedule).map_err(|e| format!("{shown}: {e}"))?;
    let inputs = quote::QuoteInputs {
        now: args.now,
        rate_bps: args.rate_bps,
        spread_bps: args.spread_bps,
        pd_bps: args.pd_bps,
        lgd_bps: args.lgd_bps,
        write_down: quote::parse_write_down(&args.write_down)?,
    };
    let valuation = quote::quote(&flows, &inputs).map_err(|e| match e {
        quote::QuoteError::Schedule(e) => format!("{shown}: {e}"),
        quote::QuoteError::Input(m) => m,
    })?;
    match output {
        Output::Display => {
            for line in quote::render(&valuation, args.decimals) {
                println!("{line}");
            }
        }
        json => print_json(&valuation, json)?,
    }
    Ok(ExitCode::SUCCESS)
}

/// The operator action a cluster command asks for.
fn op_of(command: &Command) -> Result<Op, String> {
    let program = |p: ProgramArg| match p {
        ProgramArg::Oracle => Program::Oracle,
        ProgramArg::Receivables => Program::Receivables,
        ProgramArg::Pricer => Program::Pricer,
        ProgramArg::ValueAnchor => Program::ValueAnchor,
        ProgramArg::Reserve => Program::Reserve,
    };
    Ok(match command {
        Command::Show(Show::Pool { address }) => Op::ShowPool { pool: *address },
        Command::Show(Show::Backing) => Op::ShowBacking,
        Command::Show(Show::Reserve) => Op::ShowReserve,
        Command::Show(Show::Feed { id }) => Op::ShowFeed { feed_id: ops::feed_id(id)? },
        Command::Show(Show::Attestation { holder, attestor }) => {
            Op::ShowAttestation { holder: *holder, attestor: *attestor }
        }
        Command::Attestor(a) => match *a {
            AttestorCmd::Approve { attestor } => Op::ApproveAttestor { attestor },
            AttestorCmd::Suspend { attestor } => {
                Op::SetAttestorStatus { attestor, status: AttestorStatus::Suspended }
            }
            AttestorCmd::Reinstate { attestor } => {
                Op::SetAttestorStatus { attestor, status: AttestorStatus::Approved }
            }
            AttestorCmd::SetMint { pool_or_mint, new_attestor } => {
                Op::SetMintAttestor { pool_or_mint, attestor: new_attestor }
            }
        },
        Command::Attest { holder, jurisdiction, expires } => Op::Attest {
            holder: *holder,
            jurisdiction: ops::jurisdiction(jurisdiction)?,
            expires: ops::Expiry::parse(expires)?,
        },
        Command::Revoke { holder } => Op::Revoke { holder: *holder },
        Command::Issuer(Issuer::Activate { pool }) => Op::ActivatePool { pool: *pool },
        Command::Issuer(Issuer::CreatePool {
            index,
            schedule,
            servicer,
            currency,
            grade,
            asset_class,
            face,
            unit_size,
            uri,
            doc_hash,
            name,
            symbol,
            permissioned,
            attestor,
        }) => {
            let shown = schedule.display();
            let flows = quote::read_schedule(schedule).map_err(|e| format!("{shown}: {e}"))?;
            Op::CreatePool {
                index: *index,
                servicer: *servicer,
                currency: *currency,
                grade: *grade,
                asset_class: match asset_class {
                    AssetClassArg::TradeReceivable => AssetClass::TradeReceivable,
                    AssetClassArg::SmeLoan => AssetClass::SmeLoan,
                    AssetClassArg::RealEstateIncome => AssetClass::RealEstateIncome,
                    AssetClassArg::RevenueRight => AssetClass::RevenueRight,
                },
                face_value: *face,
                unit_size: *unit_size,
                uri: uri.clone(),
                doc_hash: match doc_hash {
                    Some(hex) => parse_hash(hex)?,
                    None => [0; 32],
                },
                flows: flows.iter().map(|f| (f.due_ts, f.amount)).collect(),
                units: match (name, symbol) {
                    (Some(name), Some(symbol)) => Some(ops::UnitChoice {
                        name: name.clone(),
                        symbol: symbol.clone(),
                        attestor: if *permissioned { *attestor } else { None },
                    }),
                    _ => None,
                },
            }
        }
        Command::Servicer(s) => match *s {
            Servicer::Repay { pool, amount } => Op::Repay { pool, amount },
            Servicer::Recover { pool, amount } => Op::Recover { pool, amount },
            Servicer::Late { pool } => Op::MarkLate { pool },
            Servicer::Default { pool } => Op::DeclareDefault { pool },
            Servicer::WriteDown { pool, amount } => Op::WriteDown { pool, amount },
            Servicer::Close { pool } => Op::ClosePool { pool },
        },
        Command::Publisher(Publisher::Submit { feed, value_bps, confidence_bps }) => Op::Submit {
            feed_id: ops::feed_id(feed)?,
            value_bps: *value_bps,
            confidence_bps: *confidence_bps,
        },
        Command::Admin(Admin::Pause { program: p }) => {
            Op::SetPaused { program: program(*p), paused: true }
        }
        Command::Admin(Admin::Unpause { program: p }) => {
            Op::SetPaused { program: program(*p), paused: false }
        }
        Command::Admin(Admin::ApproveIssuer { issuer, max_pools, max_face }) => {
            Op::ApproveIssuer { issuer: *issuer, max_pools: *max_pools, max_face_value: *max_face }
        }
        Command::Admin(Admin::ApproveServicer { servicer }) => {
            Op::ApproveServicer { servicer: *servicer }
        }
        Command::Admin(Admin::AcceptPool { pool, haircut_bps, ceiling, capacity, window_secs }) => {
            Op::AcceptPool {
                pool: *pool,
                params: value_anchor::state::PoolParams {
                    haircut_bps: *haircut_bps,
                    ceiling: *ceiling,
                    capacity: *capacity,
                    capacity_window_secs: *window_secs,
                },
            }
        }
        Command::Admin(Admin::ListPool { pool, cap }) => Op::ListPool { pool: *pool, cap: *cap },
        Command::Holder(h) => match *h {
            Holder::Exchange { pool, units, slippage_bps } => {
                Op::Exchange { pool, units, slippage_bps }
            }
            Holder::Sell { pool, units, slippage_bps } => Op::Sell { pool, units, slippage_bps },
            Holder::Redeem { amount, slippage_bps } => Op::RedeemForStable { amount, slippage_bps },
            Holder::RedeemInKind { amount, nonce } => Op::RedeemInKind { amount, nonce },
            Holder::Claim { pool, nonce } => Op::ClaimInKind { pool, nonce },
            Holder::Deposit { amount, slippage_bps } => Op::Deposit { amount, slippage_bps },
            Holder::Stake { amount, slippage_bps } => Op::StakeInsurance { amount, slippage_bps },
        },
        Command::Demo(_) | Command::Quote(_) | Command::Stress(_) => {
            return Err("not a cluster command".into())
        }
    })
}

fn run_op(cli: &Cli) -> Result<ExitCode, String> {
    let op = op_of(&cli.command)?;
    let settings =
        cluster::resolve(cli.url.as_deref(), cli.keypair.as_deref(), cli.config.as_deref())?;
    let signer = solana_sdk::signature::read_keypair_file(&settings.keypair).map_err(|e| {
        format!(
            "cannot read the keypair {} (from {}) to use {} (from {}): {e}; pass -k/--keypair \
             or create one with `solana-keygen new`",
            display_path(&settings.keypair),
            settings.keypair_source,
            cluster::shown_url(&settings.url),
            settings.url_source
        )
    })?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    let sdk = rwa_sdk::Sdk::new(rwa_sdk::RpcChain::new(settings.url.clone()));
    let outcome = runtime.block_on(ops::run(&sdk, &signer, &op)).map_err(|e| {
        let shown = cluster::shown_url(&settings.url);
        let e = cluster::redact_url_in(&e.to_string(), &settings.url);
        format!("{e} (cluster {shown} from {})", settings.url_source)
    })?;
    match cli.output {
        Output::Display => outcome.render().iter().for_each(|l| println!("{l}")),
        json => print_json(&outcome, json)?,
    }
    Ok(ExitCode::SUCCESS)
}

/// 32 bytes from 64 hex digits.
fn parse_hash(hex: &str) -> Result<[u8; 32], String> {
    let bad = || format!("--doc-hash must be 64 hex digits, got `{hex}`");
    if hex.len() != 64 || !hex.is_ascii() {
        return Err(bad());
    }
    let mut out = [0u8; 32];
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).map_err(|_| bad())?;
    }
    Ok(out)
}

fn display_path(p: &Path) -> String {
    p.display().to_string()
}
