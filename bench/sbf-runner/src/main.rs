//! Loads the SBF build of `bench/sbf-valuation` into LiteSVM and prints the compute units of
//! rwa-math's valuation (1, 8, 32 and 64 flows: monthly, irregular in whole days, irregular to
//! the second), the per-flow
//! marginal cost, the fixed-point primitives, and for reference a classic SPL Token transfer,
//! plus the relative error of the on-chain result against a 400-bit reference.
//!
//! `cargo run --release -- <path to libsbf_valuation.so>` (scripts/sbf-bench.sh does it all).
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

    /// Runs op `data`; returns its return-data words and the compute units between its two
    /// `sol_log_compute_units_` marks.
    fn run(&mut self, data: Vec<u8>) -> (Vec<u64>, u64) {
        let ix = Instruction { program_id: self.program, accounts: vec![], data };
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
        assert_eq!(marks.len(), 2, "two marks in the logs: {:?}", meta.logs);
        (words, marks[0] - marks[1])
    }

    /// Compute units of the measured section alone: the bracket minus an empty bracket.
    fn measure(&mut self, data: Vec<u8>) -> (Vec<u64>, u64) {
        let (_, empty) = self.run(vec![2]);
        let (words, cu) = self.run(data);
        (words, cu - empty)
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

fn main() {
    let so = std::env::args().nth(1).expect("path to libsbf_valuation.so");
    let bytes = std::fs::read(&so).expect("read the SBF program");
    let mut svm = LiteSVM::new();
    let payer = Keypair::new();
    svm.airdrop(&payer.pubkey(), 10_000_000_000).expect("airdrop");
    let program = Address::new_unique();
    svm.add_program(program, &bytes).expect("load the SBF program");
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
    println!("SPL Token transfer, whole instruction, same run:");
    println!("- p-token (what mainnet runs): {} CU", token_transfer_cu(&mut b));
    let payer = Keypair::new();
    let mut classic = classic_token_svm();
    classic.airdrop(&payer.pubkey(), 10_000_000_000).expect("airdrop");
    let mut c = Bench { svm: classic, payer, program: b.program };
    println!("- classic SPL Token 3.5: {} CU", token_transfer_cu(&mut c));
}
