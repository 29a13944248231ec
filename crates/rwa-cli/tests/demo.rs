//! `rwa demo`: the story runs end to end in the embedded runtime and reconciles to the base
//! unit; the binary prints the report and nothing else (no program log lines) and exits 0.
use std::process::Command;

use rwa_cli::demo::{run_demo, Totals, STAGE_END, STAGE_OPEN};

const ONE: u64 = 1_000_000;

#[test]
fn the_demo_reconciles_to_the_base_unit() {
    let report = run_demo().expect("the demo runs");
    let failed: Vec<_> = report.checks.iter().filter(|c| !c.ok).collect();
    assert!(failed.is_empty(), "checks failed: {failed:#?}");
    assert!(report.reconciled);
    assert_eq!(report.sections.len(), rwa_cli::demo::STEPS.len());
    assert!(report.checks.iter().any(|c| c.stage == STAGE_OPEN));
    assert!(report.checks.iter().any(|c| c.stage == STAGE_END));

    let t: &Totals = &report.totals;
    // the stablecoin is conserved: everything minted in is in some account, and the supply
    assert_eq!(t.usd_minted, 2_780_000 * ONE, "investors 3 x 500k, capital 500k, debtors 780k");
    assert_eq!((t.usd_supply, t.usd_in_accounts), (t.usd_minted, t.usd_minted));
    // every anchor token minted was redeemed
    assert_eq!(
        (t.anchor_minted, t.anchor_redeemed, t.anchor_supply),
        (334_699_169_389, t.anchor_minted, 0)
    );
    // each pool paid out exactly what came in
    assert_eq!(
        (t.pool1_face, t.pool1_repaid, t.pool1_paid_out),
        (600_000 * ONE, 600_000 * ONE, 600_000 * ONE)
    );
    assert_eq!(
        (t.pool2_face, t.pool2_recovered, t.pool2_paid_out),
        (400_000 * ONE, 180_000 * ONE, 180_000 * ONE)
    );
    // insurance absorbed the whole shortfall; anchor holders were paid par less the fee
    assert_eq!(t.shortfall, 79_428_175_564);
    assert_eq!(t.insurance_covered, t.shortfall);
    assert_eq!(
        t.insurance_cash,
        t.insurance_staked + t.insurance_discount_share - t.insurance_covered
    );
    assert_eq!(t.insurance_cash, 20_946_996_444);
    assert_eq!(t.psm_paid, t.anchor_redeemed - (t.anchor_redeemed * 5).div_ceil(10_000));
    // the reserve: deposit - paid to B - insurance's share of the discount + what pool 1 paid it
    assert_eq!(t.exit_curve_paid, 146_506_417_928);
    assert_eq!(
        t.reserve_cash,
        t.reserve_deposit - t.exit_curve_paid - t.insurance_discount_share + 150_000 * ONE
    );
    // value-anchor keeps its surplus (haircuts, recovery above expectation, the fee) as backing
    assert_eq!(t.value_anchor_reserve, 12_396_355_760);
    assert_eq!(t.backing_total, t.value_anchor_reserve);
    // every base unit accounted for by holder
    let held: u64 = report.holdings.iter().map(|h| h.usd).sum();
    assert_eq!(held, t.usd_minted);
}

#[test]
fn the_binary_prints_the_report_and_nothing_else() {
    let out =
        Command::new(env!("CARGO_BIN_EXE_rwa")).args(["demo", "--no-progress"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(out.stderr.is_empty(), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("RWA liquidity layer: the SME story, end to end\n"), "{text}");
    assert!(
        !text.contains("Instruction:") && !text.contains("Program log"),
        "program logs leaked:\n{text}"
    );
    let last = text.lines().last().unwrap();
    assert!(last.starts_with("RECONCILED: every balance"), "{last}");
    assert!(text.contains("RECONCILED") && !text.contains("MISMATCH"));

    let out = Command::new(env!("CARGO_BIN_EXE_rwa"))
        .args(["demo", "--output", "json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("only JSON on stdout");
    assert_eq!(json["reconciled"], true);
    assert_eq!(json["totals"]["usd_minted"], 2_780_000 * ONE);
}
