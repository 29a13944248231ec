//! Loads the SBF build of `bench/sbf-valuation` into LiteSVM and prints the compute units of
//! rwa-math's valuation (1, 8, 32 and 64 flows: monthly, irregular in whole days, irregular to
//! the second), the per-flow
//! marginal cost, the fixed-point primitives, and for reference a classic SPL Token transfer,
//! plus the relative error of the on-chain result against a 400-bit reference.
//!
//! Then `dcf-pricer::refresh_rate`'s reads and pricing from the committed account bytes
//! (`bench/fixtures/`, held to the programs' layout by `tests/dcf_pricer/pool_fixture.rs`):
//! the pool and grade decoded (as Anchor does, and in place), the pricing, an oracle feed's
//! decoding and read, and the syscalls of the account checks. Every SBF result is checked, to
//! the base unit, against the host's: the hand decoders and the same pricing code on the same
//! bytes.
//!
//! `cargo run --release -- <valuation .so> <accounts .so>` (scripts/sbf-bench.sh does it all).
#[path = "../../sbf-valuation/src/mirror.rs"]
mod mirror;

use litesvm::LiteSVM;
use num_bigint::BigUint;
use rwa_math::{value_cash_flows, CashFlow, Fixed, FlowStatus, RiskParams, SECONDS_PER_YEAR};
use solana_account::Account;
use solana_address::Address;
use solana_instruction::{AccountMeta, Instruction};
use solana_keypair::Keypair;
use solana_message::Message;
use solana_signer::Signer;
use solana_transaction::Transaction;

const NOW: i64 = 1_800_000_000;
const DAY: i64 = 86_400;
const COMPUTE_BUDGET: Address =
    Address::from_str_const("ComputeBudget111111111111111111111111111111");
const SPL_TOKEN: Address = Address::from_str_const("TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA");

struct Bench {
    svm: LiteSVM,
    payer: Keypair,
    program: Address,
}

impl Bench {
    /// Sends `ix`, after SetComputeUnitLimit(1.4M) when `raise_limit` (a long valuation must
    /// not stop at the 200k default).
    fn send(
        &mut self,
        ix: Instruction,
        signers: &[&Keypair],
        raise_limit: bool,
    ) -> litesvm::types::TransactionMetadata {
        let mut ixs = vec![];
        if raise_limit {
            let mut limit = vec![2u8];
            limit.extend_from_slice(&1_400_000u32.to_le_bytes());
            ixs.push(Instruction { program_id: COMPUTE_BUDGET, accounts: vec![], data: limit });
        }
        ixs.push(ix);
        let mut all = vec![&self.payer];
        all.extend_from_slice(signers);
        let msg = Message::new(&ixs, Some(&self.payer.pubkey()));
        let tx = Transaction::new(&all, msg, self.svm.latest_blockhash());
        let result = self.svm.send_transaction(tx);
        self.svm.expire_blockhash(); // a repeated transaction gets a new blockhash
        match result {
            Ok(meta) => meta,
            Err(e) => panic!("transaction failed: {:?}\n{}", e.err, e.meta.logs.join("\n")),
        }
    }

    /// Runs op `data` on `accounts`; returns its return-data words and the compute units
    /// between consecutive `sol_log_compute_units_` marks.
    fn run_marks(&mut self, data: Vec<u8>, accounts: &[Address]) -> (Vec<u64>, Vec<u64>) {
        let accounts = accounts.iter().map(|a| AccountMeta::new_readonly(*a, false)).collect();
        let ix = Instruction { program_id: self.program, accounts, data };
        let meta = self.send(ix, &[], true);
        let words = meta
            .return_data
            .data
            .chunks_exact(8)
            .map(|c| u64::from_le_bytes(c.try_into().expect("8 bytes")))
            .collect();
        let marks: Vec<u64> = meta
            .logs
            .iter()
            .filter_map(|l| l.strip_prefix("Program consumption: "))
            .filter_map(|l| l.strip_suffix(" units remaining"))
            .map(|n| n.parse().expect("units"))
            .collect();
        assert!(marks.len() >= 2, "marks in the logs: {:?}", meta.logs);
        (words, marks.windows(2).map(|w| w[0] - w[1]).collect())
    }

    /// Compute units of each measured section alone: each bracket minus an empty bracket.
    fn measure_sections(&mut self, data: Vec<u8>, accounts: &[Address]) -> (Vec<u64>, Vec<u64>) {
        let (_, empty) = self.run_marks(vec![2], &[]);
        let (words, cus) = self.run_marks(data, accounts);
        (words, cus.iter().map(|cu| cu - empty[0]).collect())
    }

    /// Compute units of the one measured section of op `data` (no accounts).
    fn measure(&mut self, data: Vec<u8>) -> (Vec<u64>, u64) {
        let (words, cus) = self.measure_sections(data, &[]);
        assert_eq!(cus.len(), 1);
        (words, cus[0])
    }
}

fn risk() -> RiskParams {
    RiskParams {
        annual_rate: Fixed::from_bps_ceil(800).expect("rate"),
        annual_pd: Fixed::from_bps_ceil(300).expect("pd"),
        lgd: Fixed::from_bps_ceil(4_500).expect("lgd"),
    }
}

/// `n` flows, the `i`-th `step(i)` seconds after the previous one (the first after `NOW`).
fn spaced(n: usize, amount: u64, step: impl Fn(i64) -> i64) -> Vec<CashFlow> {
    let mut due = NOW;
    (0..n as i64)
        .map(|i| {
            due += step(i);
            CashFlow { due_ts: due, amount: amount + i as u64, status: FlowStatus::Scheduled }
        })
        .collect()
}

/// Every 30 days.
fn monthly(n: usize) -> Vec<CashFlow> {
    spaced(n, 83_333_333_333, |_| 30 * DAY)
}

/// Irregular whole-day spacing (every step new, no sub-day remainder).
fn irregular_days(n: usize) -> Vec<CashFlow> {
    spaced(n, 1_000_000_000, |i| (13 + i % 17) * DAY)
}

/// Irregular spacing to the second (every step new, with a sub-day remainder).
fn irregular(n: usize) -> Vec<CashFlow> {
    spaced(n, 1_000_000_000, |i| 13 * DAY + 7_919 * (i % 97) + 1)
}

fn valuation_data(flows: &[CashFlow], r: &RiskParams) -> Vec<u8> {
    let mut d = vec![0u8];
    d.extend_from_slice(&NOW.to_le_bytes());
    for f in [r.annual_rate, r.annual_pd, r.lgd] {
        d.extend_from_slice(&f.raw().to_le_bytes());
    }
    d.extend_from_slice(&(flows.len() as u16).to_le_bytes());
    for f in flows {
        d.extend_from_slice(&f.due_ts.to_le_bytes());
        d.extend_from_slice(&f.amount.to_le_bytes());
        d.push((f.status == FlowStatus::Defaulted) as u8);
    }
    d
}

/// Exact value to 400 bits: sum of amount * (1 - LGD min(1, PD tau / Y)) / (1 + r/Y)^tau.
fn reference(flows: &[CashFlow], r: &RiskParams) -> BigUint {
    const P: u32 = 400;
    let one = BigUint::from(1u8) << P;
    let mul = |a: &BigUint, b: &BigUint| (a * b) >> P;
    let base = &one + (BigUint::from(r.annual_rate.raw()) << (P - 64)) / SECONDS_PER_YEAR;
    let lgd = BigUint::from(r.lgd.raw()) << (P - 64);
    let mut total = BigUint::from(0u8);
    for f in flows {
        let tau = (f.due_ts - NOW) as u64;
        let (mut acc, mut sq, mut n) = (one.clone(), base.clone(), tau);
        while n > 0 {
            if n & 1 == 1 {
                acc = mul(&acc, &sq);
            }
            sq = mul(&sq, &sq);
            n >>= 1;
        }
        let cum_pd = ((BigUint::from(r.annual_pd.raw()) << (P - 64)) * tau / SECONDS_PER_YEAR)
            .min(one.clone());
        let survival = &one - mul(&lgd, &cum_pd);
        total += (BigUint::from(f.amount) * survival << P) / acc;
    }
    total
}

fn relative_error(q127: &[u64], exact: &BigUint) -> f64 {
    let mut bytes = [0u8; 32];
    for (i, w) in q127.iter().enumerate() {
        bytes[i * 8..i * 8 + 8].copy_from_slice(&w.to_le_bytes());
    }
    let got = BigUint::from_bytes_le(&bytes) << (400 - 127);
    let diff = if &got > exact { &got - exact } else { exact - &got };
    // ratio as f64 only for printing
    let scale = BigUint::from(10u8).pow(30);
    let ratio: BigUint = (diff * &scale) / exact;
    ratio.to_string().parse::<f64>().unwrap_or(f64::NAN) / 1e30
}

/// A bank like `LiteSVM::new()` (mainnet features), but with the classic SPL Token program
/// (3.5) instead of p-token, which mainnet runs since `replace_spl_token_with_p_token`.
fn classic_token_svm() -> LiteSVM {
    let mut features = LiteSVM::mainnet_feature_set();
    features.deactivate(&agave_feature_set::replace_spl_token_with_p_token::id());
    LiteSVM::default()
        .with_feature_set(features)
        .with_builtins()
        .with_lamports(1_000_000_000_000_000)
        .with_sysvars()
        .with_feature_accounts()
        .with_default_programs()
        .with_sigverify(true)
        .with_blockhash_check(true)
}

fn token_transfer_cu(b: &mut Bench) -> u64 {
    let owner = Keypair::new();
    let (mint, from, to) = (Address::new_unique(), Address::new_unique(), Address::new_unique());
    let mut mint_data = vec![0u8; 82];
    mint_data[36..44].copy_from_slice(&1_000_000u64.to_le_bytes()); // supply
    mint_data[44] = 6; // decimals
    mint_data[45] = 1; // initialised
    let account = |amount: u64| {
        let mut d = vec![0u8; 165];
        d[0..32].copy_from_slice(mint.as_ref());
        d[32..64].copy_from_slice(owner.pubkey().as_ref());
        d[64..72].copy_from_slice(&amount.to_le_bytes());
        d[108] = 1; // AccountState::Initialized
        d
    };
    let rent = |len: usize| b.svm.minimum_balance_for_rent_exemption(len);
    let (r82, r165) = (rent(82), rent(165));
    for (key, data, lamports) in
        [(mint, mint_data, r82), (from, account(1_000_000), r165), (to, account(0), r165)]
    {
        let acc = Account { lamports, data, owner: SPL_TOKEN, executable: false, rent_epoch: 0 };
        b.svm.set_account(key, acc).expect("set token account");
    }
    let mut data = vec![3u8]; // Transfer
    data.extend_from_slice(&500u64.to_le_bytes());
    let ix = Instruction {
        program_id: SPL_TOKEN,
        accounts: vec![
            AccountMeta::new(from, false),
            AccountMeta::new(to, false),
            AccountMeta::new_readonly(owner.pubkey(), true),
        ],
        data,
    };
    b.send(ix, &[&owner], false).compute_units_consumed
}

/// `dcf_pricer::ID`.
const PRICER_ID: mirror::Key = [
    205, 64, 122, 58, 192, 99, 82, 222, 50, 161, 212, 254, 33, 138, 50, 123, 106, 109, 67, 13, 16,
    65, 140, 29, 16, 33, 81, 2, 57, 53, 114, 57,
];

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/../fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| {
        panic!("{path}: {e} (tests/dcf_pricer/pool_fixture.rs writes it, RWA_WRITE_FIXTURES=1)")
    })
}

/// An account holding `data`, owned by `owner`.
fn add_account(b: &mut Bench, owner: &mirror::Key, data: Vec<u8>) -> Address {
    let key = Address::new_unique();
    let lamports = b.svm.minimum_balance_for_rent_exemption(data.len());
    let account =
        Account { lamports, data, owner: Address::from(*owner), executable: false, rent_epoch: 0 };
    b.svm.set_account(key, account).expect("set a fixture account");
    key
}

fn u32_at(d: &[u8], at: usize) -> usize {
    u32::from_le_bytes(d[at..at + 4].try_into().expect("4 bytes")) as usize
}

/// The pool's bytes declared in default (valued as performing and as defaulted, the lower
/// kept), with nothing recovered yet.
fn in_default(pool: &[u8]) -> Vec<u8> {
    let mut d = pool.to_vec();
    d[8 + 5 * 32 + 4 + 2] = 4; // discriminator, five keys, index, asset class, grade: status
    d
}

/// The pool's bytes with every flow unpaid and nothing repaid: all 64 flows valued.
fn unpaid(pool: &[u8]) -> Vec<u8> {
    let mut d = pool.to_vec();
    // discriminator, five keys, index, asset class, grade, status, face value, unit size, units
    let total_repaid = 8 + 5 * 32 + 4 + 3 + 3 * 8;
    d[total_repaid..total_repaid + 8].fill(0);
    let uri = total_repaid + 8 + 8 + 32; // total_repaid, total_recovered, doc_hash
    let schedule = uri + 4 + u32_at(&d, uri);
    for i in 0..u32_at(&d, schedule) {
        let paid = schedule + 4 + i * 32 + 16; // due_ts, amount, paid
        d[paid..paid + 8].fill(0);
    }
    d
}

/// The pricing on the host, from the same bytes by the same code (hand decoders).
fn host_price(pool: &[u8], grade: &[u8], benchmark: mirror::FeedValue) -> (mirror::Priced, usize) {
    let mut flows = [CashFlow { due_ts: 0, amount: 0, status: FlowStatus::Scheduled };
        mirror::MAX_SCHEDULE_LEN];
    let head = mirror::pool_flows(&mirror::RECEIVABLES_ID, pool, &mut flows).expect("pool");
    let (_, steps, len) = mirror::grade_steps(&mirror::RWA_ORACLE_ID, grade).expect("grade");
    let s = mirror::scenario(benchmark, head.total_repaid, head.units_minted);
    let facts = mirror::PoolFacts {
        status: head.status,
        total_recovered: head.total_recovered,
        steps: &steps[..len],
    };
    let valued = &flows[..head.valued];
    let flows_as = |status| valued.iter().map(move |f| CashFlow { status, ..*f });
    let priced = mirror::price(&flows_as, &facts, &s);
    (priced.expect("host price"), head.valued)
}

fn u128_of(lo: u64, hi: u64) -> u128 {
    lo as u128 | (hi as u128) << 64
}

/// Instruction data of ops 3 and 6 after the op byte (and op 3's mode): the vault, the supply
/// and the benchmark input.
fn pricing_data(vault: u64, units: u64, benchmark: &mirror::FeedValue) -> Vec<u8> {
    let mut d = vec![];
    d.extend_from_slice(&vault.to_le_bytes());
    d.extend_from_slice(&units.to_le_bytes());
    d.extend_from_slice(&benchmark.value.to_le_bytes());
    d.extend_from_slice(&benchmark.confidence.to_le_bytes());
    d.extend_from_slice(&benchmark.publish_ts.to_le_bytes());
    d
}

/// refresh_rate's reads and pricing from the fixtures, on the `accounts` program: prints their
/// tables and the sum of the measured parts of a refresh as Anchor runs it.
fn refresh_rate(b: &mut Bench, accounts_program: Address) {
    let valuation_program = b.program;
    let (pool_bytes, feed_bytes, grade_bytes) =
        (fixture("pool-64.bin"), fixture("feed-16.bin"), fixture("grade.bin"));
    let grade = add_account(b, &mirror::RWA_ORACLE_ID, grade_bytes.clone());
    let feed = add_account(b, &mirror::RWA_ORACLE_ID, feed_bytes.clone());
    let max_age = 600u64; // the pricing's max_input_age_secs (the feed's staleness bound too)
    let kind = mirror::FeedKind::BenchmarkRate;
    let benchmark =
        mirror::feed_read(&mirror::RWA_ORACLE_ID, &feed_bytes, kind, false, mirror::NOW, 600)
            .expect("host feed read");
    let mut flows = [CashFlow { due_ts: 0, amount: 0, status: FlowStatus::Scheduled };
        mirror::MAX_SCHEDULE_LEN];

    b.program = accounts_program;
    println!("| decoding | pool | flows valued | pool decode | grade decode | pricing | total |");
    println!("|---|---|---|---|---|---|---|");
    let mut anchor_parts = None;
    let variants = [
        ("pool-64.bin", pool_bytes.clone()),
        ("every flow unpaid, no cash", unpaid(&pool_bytes)),
        ("pool-64.bin in default", in_default(&pool_bytes)),
    ];
    for (label, bytes) in variants {
        let pool = add_account(b, &mirror::RECEIVABLES_ID, bytes.clone());
        let (host, valued) = host_price(&bytes, &grade_bytes, benchmark);
        let h = mirror::pool_flows(&mirror::RECEIVABLES_ID, &bytes, &mut flows).expect("pool");
        for (mode, name) in [(0u8, "as Anchor (borsh into boxes)"), (1, "in place (by hand)")] {
            let mut d = vec![3u8, mode];
            d.extend(pricing_data(h.total_repaid, h.units_minted, &benchmark));
            let (w, cu) = b.measure_sections(d, &[pool, grade]);
            assert_eq!(cu.len(), 3, "pool, grade, pricing");
            let got = (u128_of(w[0], w[1]), u128_of(w[2], w[3]), w[4], w[5], w[6] as usize);
            let want =
                (host.unit_price, host.computed_price, host.pool_value, host.flows_value, valued);
            assert_eq!(got, want, "SBF and host agree to the base unit ({name}, {label})");
            assert_eq!(w[7], host.capped as u64);
            let total: u64 = cu.iter().sum();
            let [p, g, m] = [cu[0], cu[1], cu[2]];
            println!("| {name} | {label} | {valued} | {p} | {g} | {m} | {total} |");
            if mode == 0 && anchor_parts.is_none() {
                anchor_parts = Some((p, g, m));
            }
        }
    }
    let (pool_cu, grade_cu, pricing_cu) = anchor_parts.expect("measured");
    let (host, valued) = host_price(&pool_bytes, &grade_bytes, benchmark);
    println!();
    println!(
        "pool-64.bin at NOW: unit price {} (Fixed raw, {:.9}), computed {}, pool value {}, \
         flows value {}, rise capped: {}",
        host.unit_price,
        host.unit_price as f64 / 2f64.powi(64),
        host.computed_price,
        host.pool_value,
        host.flows_value,
        host.capped
    );

    println!();
    println!("| pricing of pool-64.bin, part | CU |");
    println!("|---|---|");
    let h = mirror::pool_flows(&mirror::RECEIVABLES_ID, &pool_bytes, &mut flows).expect("pool");
    let pool = add_account(b, &mirror::RECEIVABLES_ID, pool_bytes.clone());
    let mut d = vec![6u8];
    d.extend(pricing_data(h.total_repaid, h.units_minted, &benchmark));
    let (w, cu) = b.measure_sections(d, &[pool, grade]);
    assert_eq!(cu.len(), 6);
    let got = (u128_of(w[0], w[1]), u128_of(w[2], w[3]));
    assert_eq!(got, (host.unit_price, host.computed_price), "SBF and host agree");
    for (part, cu) in [
        "`biased_risk`",
        "`value_cash_flows`",
        "`PoolValue::new` + `unit_price_floor`",
        "`rise_limit` (`Fixed::from_bps_floor`)",
        "cash floor (`Fixed::from_ratio_floor`)",
        "`next_price`",
    ]
    .iter()
    .zip(&cu)
    {
        println!("| {part} | {cu} |");
    }
    // The same flows through the valuation program (op 0): as measured, and moved to NOW's time
    // of day (each due time rounded up to whole days from NOW: no sub-day remainder at all).
    b.program = valuation_program;
    let s = mirror::scenario(benchmark, 0, 1);
    let q = |v: &mirror::FeedValue| rwa_math::Quote {
        value: Fixed::from_raw(v.value),
        confidence: Fixed::from_raw(v.confidence),
    };
    let [bench, spread, pd, lgd] = &s.inputs;
    let r = rwa_math::biased_risk(q(bench), q(spread), q(pd), q(lgd)).expect("risk");
    let (_, at_now) = b.measure(valuation_data(&flows[..valued], &r));
    let aligned: Vec<CashFlow> = flows[..valued]
        .iter()
        .map(|f| CashFlow { due_ts: NOW + (f.due_ts - NOW + DAY - 1) / DAY * DAY, ..*f })
        .collect();
    let (_, at_time_of_day) = b.measure(valuation_data(&aligned, &r));
    println!(
        "valuation program, same {valued} flows: {at_now} CU at NOW, {at_time_of_day} CU with \
         every due time a whole number of days after NOW"
    );

    b.program = accounts_program;
    println!();
    println!(
        "| oracle feed, 16 publishers | decode | `Feed::read` | `fresh_aggregate`, median used |"
    );
    println!("|---|---|---|---|");
    let mut d = vec![4u8, 0];
    d.extend_from_slice(&NOW.to_le_bytes());
    d.extend_from_slice(&max_age.to_le_bytes());
    let (w, cu) = b.measure_sections(d, &[feed]);
    assert_eq!(cu.len(), 3, "decode, read, median");
    let read = (u128_of(w[0], w[1]), u128_of(w[2], w[3]), w[4] as i64);
    assert_eq!(read, (benchmark.value, benchmark.confidence, benchmark.publish_ts), "SBF read");
    // the fixture's accepted value is the median of its 16 observations, all fresh at NOW
    assert_eq!((u128_of(w[5], w[6]), w[7]), (benchmark.value, 16), "SBF median of 16");
    println!("| as Anchor (borsh into a box) | {} | {} | {} |", cu[0], cu[1], cu[2]);
    let (feed_decode, feed_read) = (cu[0], cu[1]);
    let mut d = vec![4u8, 1];
    d.extend_from_slice(&NOW.to_le_bytes());
    d.extend_from_slice(&max_age.to_le_bytes());
    let (w, cu) = b.measure_sections(d, &[feed]);
    assert_eq!(cu.len(), 1);
    let read = (u128_of(w[0], w[1]), u128_of(w[2], w[3]), w[4] as i64);
    assert_eq!(read, (benchmark.value, benchmark.confidence, benchmark.publish_ts), "SBF read");
    println!("| in place (by hand): decode and read together | {} | | |", cu[0]);

    let mut d = vec![5u8];
    d.extend_from_slice(&[9u8; 32]); // the pool's key
    d.extend_from_slice(&PRICER_ID);
    d.extend_from_slice(&mirror::RWA_ORACLE_ID);
    d.extend_from_slice(&[255, 254, 253]);
    let (_, cu) = b.measure_sections(d, &[]);
    let syscalls = cu[0];
    println!();
    println!(
        "syscalls of refresh_rate's account checks and logs (3 x create_program_address, clock, \
         instruction log, 106-byte event): {syscalls} CU"
    );
    let measured = pool_cu + grade_cu + pricing_cu + 4 * (feed_decode + feed_read) + syscalls;
    println!(
        "measured parts of refresh_rate as Anchor runs it: pool {pool_cu} + grade {grade_cu} + \
         pricing {pricing_cu} + 4 x feed ({feed_decode} + {feed_read}) + syscalls {syscalls} = \
         {measured} CU"
    );
    b.program = valuation_program;
}

fn main() {
    let mut args = std::env::args().skip(1);
    let so = args.next().expect("path to libsbf_valuation.so");
    let accounts_so = args.next().expect("path to the --features accounts libsbf_valuation.so");
    let bytes = std::fs::read(&so).expect("read the SBF program");
    let accounts_bytes = std::fs::read(&accounts_so).expect("read the accounts SBF program");
    let mut svm = LiteSVM::new();
    let payer = Keypair::new();
    svm.airdrop(&payer.pubkey(), 10_000_000_000).expect("airdrop");
    let (program, accounts_program) = (Address::new_unique(), Address::new_unique());
    svm.add_program(program, &bytes).expect("load the SBF program");
    svm.add_program(accounts_program, &accounts_bytes).expect("load the accounts SBF program");
    let mut b = Bench { svm, payer, program };
    let r = risk();

    println!(
        "| schedule | flows | valuation CU | CU per flow | relative error vs 400-bit reference |"
    );
    println!("|---|---|---|---|---|");
    let mut monthly_cu = vec![];
    let schedules: [(&str, fn(usize) -> Vec<CashFlow>); 3] = [
        ("monthly", monthly),
        ("irregular whole days", irregular_days),
        ("irregular seconds", irregular),
    ];
    for (name, make) in schedules {
        for n in [1usize, 8, 32, 64] {
            let flows = make(n);
            let (w, cu) = b.measure(valuation_data(&flows, &r));
            let host = value_cash_flows(flows.iter().copied(), NOW, &r, &[]).expect("host value");
            assert_eq!(w[0], host.value, "SBF and host agree to the base unit");
            let err = relative_error(&w[1..5], &reference(&flows, &r));
            println!("| {name} | {n} | {cu} | {:.0} | {err:.1e} |", cu as f64 / n as f64);
            if name == "monthly" {
                monthly_cu.push((n, cu));
            }
        }
    }
    let (n0, c0) = monthly_cu[0];
    let (n1, c1) = monthly_cu[monthly_cu.len() - 1];
    println!();
    println!("marginal cost of a monthly flow: {:.0} CU", (c1 - c0) as f64 / (n1 - n0) as f64);

    println!();
    println!("| primitive | CU per call |");
    println!("|---|---|");
    let (a, bb) = (3u128 << 62, (5u128 << 60) + 12_345);
    for (k, name) in [
        (0u8, "Fixed::mul_floor"),
        (1, "Fixed::mul_ceil"),
        (2, "Fixed::div_floor"),
        (3, "U256::mul_u128"),
    ] {
        let mut d = vec![1u8, k];
        d.extend_from_slice(&a.to_le_bytes());
        d.extend_from_slice(&bb.to_le_bytes());
        let (_, cu) = b.measure(d);
        println!("| {name} | {:.0} |", cu as f64 / 16.0);
    }
    println!();
    println!(
        "| exit curve sale (buyback reserve), k | utilisation before -> after | CU | discount |"
    );
    println!("|---|---|---|---|");
    let budget = 100_000_000_000u64;
    for k in [1u8, 2, 4] {
        for (u0, v) in [(0u64, 10_000_000_000u64), (50_000_000_000, 40_000_000_000)] {
            let mut d = vec![3u8];
            d.extend_from_slice(&100u16.to_le_bytes());
            d.extend_from_slice(&1_000u16.to_le_bytes());
            d.push(k);
            for x in [budget, u0, v] {
                d.extend_from_slice(&x.to_le_bytes());
            }
            let (w, cu) = b.measure(d);
            let host = rwa_math::ExitCurve::from_bps(100, 1_000, k)
                .and_then(|c| c.sale(budget, u0, v))
                .expect("host sale");
            assert_eq!(w[0], host.discount, "SBF and host agree to the base unit");
            let (p0, p1) = (u0 * 100 / budget, (u0 + v) * 100 / budget);
            println!("| {k} | {p0}% -> {p1}% | {cu} | {} |", w[0]);
        }
    }
    println!();
    refresh_rate(&mut b, accounts_program);

    println!();
    println!("SPL Token transfer, whole instruction, same run:");
    println!("- p-token (what mainnet runs): {} CU", token_transfer_cu(&mut b));
    let payer = Keypair::new();
    let mut classic = classic_token_svm();
    classic.airdrop(&payer.pubkey(), 10_000_000_000).expect("airdrop");
    let mut c = Bench { svm: classic, payer, program: b.program };
    println!("- classic SPL Token 3.5: {} CU", token_transfer_cu(&mut c));
}
