//! `rwa stress`: a small scenario (four pools, eight days, two of the pools defaulting on thin
//! insurance) runs on the real programs; the invariants hold, insurance pays first, the
//! holders share what is left per token, and the report's last day agrees with the accounts
//! read again through the SDK.
use std::process::Command;

use rwa_cli::stress::{run_stress, Scenario};

fn small() -> Scenario {
    Scenario {
        name: "test".into(),
        seed: 3,
        pools: 4,
        days: 8,
        holders: 4,
        anchor_holder_share_bps: 5_000,
        default_share_bps: 5_000,
        anchor_exit_share_bps: 10_000,
        unit_exit_share_bps: 10_000,
        exit_tranches: 6,
        stress_start_day: 1,
        default_after_days_late: 2,
        write_down_steps: vec![[1, 2_000], [3, 5_000]],
        lgd_shock_bps: 3_000,
        insurance_bps: 200,
        ..Scenario::default()
    }
}

#[test]
fn a_small_crunch_keeps_every_invariant_and_the_loss_order() {
    let scenario = small();
    let report = run_stress(&scenario).expect("the scenario runs");
    let v = &report.verdict;
    assert!(v.all_invariants_hold, "violations: {:#?}", v.violations);
    assert!(v.first_loss_order_respected && v.equal_treatment && v.accounts_reconcile);
    assert_eq!(report.days.len(), 8);
    // the losses exceed the thin insurance: it pays everything it has, then holders share
    assert!(v.insurance_exhausted, "{v:#?}");
    assert!(!v.solvent);
    assert!(v.insurance_used >= v.insurance_staked, "the stake and its discount share paid out");
    let exhausted = v.insurance_exhausted_day.expect("a day the insurance ran out");
    let first_loss = v.first_holder_loss_day.expect("holders lose after the insurance");
    assert!(first_loss >= exhausted, "no holder lost before the insurance was spent");
    // every anchor exit paid below par happened with the insurance pool empty, and no exit
    // was paid more than its pro-rata worth
    for e in report.exit_log.iter().filter(|e| ["psm", "bid", "in-kind"].contains(&e.door.as_str()))
    {
        assert!(e.paid <= e.worth, "{e:?}");
        if e.worth < e.amount {
            let day = &report.days[e.day as usize - 1];
            assert!(
                day.insurance_cash < 1_000_000,
                "{e:?} while insurance held {}",
                day.insurance_cash
            );
        }
    }
    // equal treatment: on a day after the loss, every PSM redemption paid the same per token
    // (up to the rounding of one millionth)
    let late_day =
        report.days.iter().rev().find(|d| d.first_per_token_ppm.is_some()).expect("exits");
    let (first, last) =
        (late_day.first_per_token_ppm.unwrap(), late_day.last_per_token_ppm.unwrap());
    assert!(first.abs_diff(last) <= 5_000, "day {}: {first} vs {last}", late_day.day);
    // some doors were refused, by name
    assert!(!v.refused.is_empty());
    assert!(v.refused.keys().all(|k| !k.contains("InstructionError")), "{:?}", v.refused);

    // the report's last day is what the accounts say (read again through rwa_sdk)
    let last_day = report.days.last().unwrap();
    let f = &report.final_accounts;
    assert_eq!(last_day.anchor_supply, f.anchor_supply);
    assert_eq!(last_day.total_backing, f.total_backing);
    assert_eq!(last_day.ratio_bps, f.ratio_bps);
    assert_eq!(last_day.stable_reserve, f.stable_reserve);
    assert_eq!(last_day.insurance_cash, f.insurance_cash);
    assert_eq!((last_day.sale_used, last_day.bid_used), (f.sale_used, f.bid_used));
    assert_eq!(v.insurance_used, f.covered_total);
    for d in &report.days {
        // Backing.ratio_bps against the tool's own ratio of the same accounts
        assert!(d.ratio_bps.abs_diff(d.ratio_expected_bps) <= 1, "day {}: {d:?}", d.day);
    }

    // the same seed, the same run
    let again = run_stress(&scenario).expect("the scenario runs again");
    assert_eq!(again.final_accounts, report.final_accounts);
    assert_eq!(again.exit_log.len(), report.exit_log.len());
}

#[test]
fn the_binary_writes_the_chart_and_json_and_exits_zero() {
    let dir = std::env::temp_dir().join(format!("rwa-stress-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let scenario = dir.join("small.toml");
    std::fs::write(&scenario, "name = \"tiny\"\npools = 2\ndays = 3\nholders = 2\n").unwrap();
    let chart = dir.join("chart.svg");
    let out = Command::new(env!("CARGO_BIN_EXE_rwa"))
        .args(["stress", "--no-progress", "--output", "json", "--scenario"])
        .arg(&scenario)
        .arg("--chart")
        .arg(&chart)
        .output()
        .expect("rwa runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("only JSON on stdout");
    assert_eq!(json["scenario"]["name"], "tiny");
    assert_eq!(json["days"].as_array().unwrap().len(), 3);
    assert_eq!(json["verdict"]["all_invariants_hold"], true);
    let svg = std::fs::read_to_string(&chart).unwrap();
    assert!(svg.starts_with("<svg") && svg.contains("polyline"));

    // a bad scenario is refused with the field named
    std::fs::write(&scenario, "pools = 40\n").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_rwa"))
        .args(["stress", "--no-progress", "--scenario"])
        .arg(&scenario)
        .output()
        .expect("rwa runs");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("pools = 40"));
    std::fs::remove_dir_all(&dir).ok();
}
