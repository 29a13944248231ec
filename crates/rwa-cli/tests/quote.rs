//! `rwa quote`: the sample schedules in `examples/` value to rwa-math's test vectors (through
//! the library and through the binary), and every bad file is refused with one line naming
//! its row.
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use rwa_cli::quote::{self, parse_schedule, Format, QuoteInputs};
use rwa_math::{value_cash_flows, CashFlow, Fixed, FlowStatus, RiskParams};

const NOW: i64 = 1_800_000_000;

fn example(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples").join(name)
}

fn inputs(rate: u64, spread: u64, pd: u64, lgd: u64) -> QuoteInputs {
    QuoteInputs {
        now: NOW,
        rate_bps: rate,
        spread_bps: spread,
        pd_bps: pd,
        lgd_bps: lgd,
        write_down: vec![],
    }
}

fn rwa(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rwa")).args(args).output().expect("runs rwa")
}

/// `rwa quote` on `file` with `flags`, JSON out: the value and each flow's value.
fn cli_value(file: &Path, flags: &[&str]) -> (u64, Vec<u64>) {
    let file = file.to_str().unwrap();
    let mut args = vec!["quote", "--schedule", file, "--now", "1800000000", "--output", "json"];
    args.extend_from_slice(flags);
    let out = rwa(&args);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let flows = v["flows"].as_array().unwrap().iter().map(|f| f["value"].as_u64().unwrap());
    (v["value"].as_u64().unwrap(), flows.collect())
}

fn lib_value(file: &Path, inputs: &QuoteInputs) -> u64 {
    let flows = quote::read_schedule(file).expect("valid example");
    quote::quote(&flows, inputs).expect("valued").value
}

/// rwa-math `one_year_at_five_percent_matches_the_hand_computed_value`: 1e6 in one year at 5%
/// is 951,229.42... -> 951,229 (here as a 4.50% benchmark plus a 0.50% spread).
#[test]
fn one_year_at_five_percent_is_the_hand_computed_vector() {
    let file = example("one-year-5pct.csv");
    assert_eq!(lib_value(&file, &inputs(450, 50, 0, 0)), 951_229);
    assert_eq!(lib_value(&file, &inputs(500, 0, 0, 0)), 951_229);
    let flags = ["--rate-bps", "450", "--spread-bps", "50", "--pd-bps", "0", "--lgd-bps", "0"];
    assert_eq!(cli_value(&file, &flags), (951_229, vec![951_229]));
}

/// rwa-math `zero_rate_and_zero_default_risk_value_every_flow_at_par`: 3,003 (JSON schedule).
#[test]
fn zero_rate_and_risk_values_at_par() {
    let file = example("par.json");
    assert_eq!(lib_value(&file, &inputs(0, 0, 0, 0)), 3_003);
    let flags = ["--rate-bps", "0", "--spread-bps", "0", "--pd-bps", "0", "--lgd-bps", "0"];
    assert_eq!(cli_value(&file, &flags), (3_003, vec![1_000, 2_000, 3]));
}

/// rwa-math `default_risk_scales_with_horizon_and_caps_at_one`: PD 10%, LGD 50% for a year is
/// 1e6 x (1 - 0.05) less the upward rounding of PD: 949,999.
#[test]
fn default_risk_for_one_year_is_the_vector() {
    let file = example("default-risk.csv");
    assert_eq!(lib_value(&file, &inputs(0, 0, 1_000, 5_000)), 949_999);
    let flags = ["--rate-bps", "0", "--spread-bps", "0", "--pd-bps", "1000", "--lgd-bps", "5000"];
    assert_eq!(cli_value(&file, &flags), (949_999, vec![949_999]));
}

/// rwa-math `overdue_flows_follow_the_write_down_steps`: 1,000 late by 100, 45 and 10 days under
/// steps 0% / 50% from 30 days / 100% from 90 days, rate 8%, PD 2%, LGD 40%: each flow's value
/// is the vector's (0, 500, 999); the total is rounded once.
#[test]
fn overdue_flows_follow_the_write_down_vector() {
    let file = example("overdue.csv");
    let mut i = inputs(500, 300, 200, 4_000);
    i.write_down = quote::parse_write_down("0:0,30:5000,90:10000").unwrap();
    assert_eq!(lib_value(&file, &i), 1_499);
    let flags = [
        "--rate-bps",
        "500",
        "--spread-bps",
        "300",
        "--pd-bps",
        "200",
        "--lgd-bps",
        "4000",
        "--write-down",
        "0:0,30:5000,90:10000",
    ];
    assert_eq!(cli_value(&file, &flags), (1_499, vec![0, 500, 999]));
}

/// A realistic schedule (the demo's pool 1, with invoice and debtor columns) values exactly as
/// rwa-math's `value_cash_flows` does when called directly, as dcf-pricer builds its inputs.
#[test]
fn the_sme_invoices_value_as_rwa_math_does() {
    let file = example("sme-invoices.csv");
    let text = std::fs::read_to_string(&file).unwrap();
    let flows: Vec<CashFlow> = text
        .lines()
        .skip(1)
        .map(|l| {
            let c: Vec<&str> = l.split(',').collect();
            CashFlow {
                due_ts: c[2].parse().unwrap(),
                amount: c[3].parse().unwrap(),
                status: FlowStatus::Scheduled,
            }
        })
        .collect();
    assert_eq!(flows.len(), 12);
    let bps = |b| Fixed::from_bps_ceil(b).unwrap();
    let risk = RiskParams {
        annual_rate: bps(450).checked_add(bps(200)).unwrap(),
        annual_pd: bps(100),
        lgd: bps(4_000),
    };
    let direct = value_cash_flows(flows.iter().copied(), NOW, &risk, &[]).unwrap().value;
    assert_eq!(lib_value(&file, &inputs(450, 200, 100, 4_000)), direct);
    let flags =
        ["--rate-bps", "450", "--spread-bps", "200", "--pd-bps", "100", "--lgd-bps", "4000"];
    let (value, per_flow) = cli_value(&file, &flags);
    assert_eq!(value, direct);
    assert_eq!(value, 593_520_441_977, "pinned");
    let sum: u64 = per_flow.iter().sum();
    assert!(sum <= value && value - sum < 12, "per-flow values add up to the value");
}

#[test]
fn the_table_shows_the_value_in_base_units() {
    let out = rwa(&[
        "quote",
        "--schedule",
        example("one-year-5pct.csv").to_str().unwrap(),
        "--now",
        "1800000000",
        "--rate-bps",
        "500",
        "--spread-bps",
        "0",
        "--pd-bps",
        "0",
        "--lgd-bps",
        "0",
    ]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("value           951229 base units (0.951229 at 6 decimals)"), "{text}");
    assert!(text.contains("0.951229424"), "{text}");
}

// ---- bad files: one line each, naming the row ----

/// Writes `text` to a fresh file named `name` and runs `rwa quote` on it; returns the exit
/// code and stderr.
fn quote_file(name: &str, text: &str) -> (Option<i32>, String) {
    let dir = std::env::temp_dir().join(format!("rwa-quote-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    // tests run in parallel: a file of its own for each call
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let path = dir.join(format!("{n}-{name}"));
    std::fs::write(&path, text).unwrap();
    let out = rwa(&[
        "quote",
        "--schedule",
        path.to_str().unwrap(),
        "--now",
        "1800000000",
        "--rate-bps",
        "450",
        "--spread-bps",
        "350",
        "--pd-bps",
        "300",
        "--lgd-bps",
        "4500",
    ]);
    assert!(out.stdout.is_empty(), "nothing on stdout for a refused file");
    let stderr = String::from_utf8(out.stderr).unwrap();
    let prefix = format!("error: {}: ", path.display());
    assert!(stderr.starts_with(&prefix), "{stderr}");
    (out.status.code(), stderr[prefix.len()..].to_string())
}

/// The error for a CSV `text`: exit code 1, exactly one line.
fn csv_error(text: &str) -> String {
    let (code, err) = quote_file("bad.csv", text);
    assert_eq!(code, Some(1));
    assert_eq!(err.lines().count(), 1, "one line: {err}");
    err.trim_end().to_string()
}

fn json_error(text: &str) -> String {
    let (code, err) = quote_file("bad.json", text);
    assert_eq!(code, Some(1));
    assert_eq!(err.lines().count(), 1, "one line: {err}");
    err.trim_end().to_string()
}

#[test]
fn unsorted_dates_are_refused_naming_the_row() {
    let e = csv_error("due_ts,amount\n1800086400,10\n1800259200,10\n1800172800,10\n");
    assert_eq!(
        e,
        "row 3 (line 4): due_ts 1800172800 is before row 2's 1800259200: sort the flows by due \
         date, earliest first"
    );
    let e =
        json_error(r#"[{"due_ts": 1800172800, "amount": 1}, {"due_ts": 1800086400, "amount": 1}]"#);
    assert!(e.starts_with("row 2: due_ts 1800086400 is before row 1's"), "{e}");
}

#[test]
fn duplicate_dates_are_refused_naming_the_row() {
    let e = csv_error("due_ts,amount\n1800086400,10\n1800086400,20\n");
    assert_eq!(
        e,
        "row 2 (line 3): due_ts 1800086400 repeats row 1: merge flows due at the same time into one"
    );
}

#[test]
fn zero_amounts_are_refused_naming_the_row() {
    let e = csv_error("due_ts,amount\n1800086400,10\n1800172800,0\n");
    assert_eq!(
        e,
        "row 2 (line 3): amount is zero: every flow must be a positive amount; drop the row"
    );
    let e = json_error(r#"[{"due_ts": 1800086400, "amount": 0}]"#);
    assert!(e.starts_with("row 1: amount is zero"), "{e}");
}

#[test]
fn negative_amounts_are_refused_naming_the_row() {
    let e = csv_error("due_ts,amount\n1800086400,-500\n");
    assert_eq!(e, "row 1 (line 2): amount -500 is negative: every flow must be a positive amount");
    let e = json_error(
        r#"[{"due_ts": 1800086400, "amount": 5}, {"due_ts": 1800172800, "amount": -5}]"#,
    );
    assert!(e.starts_with("row 2: amount -5 is negative"), "{e}");
}

#[test]
fn non_numeric_amounts_are_refused_naming_the_row() {
    let e = csv_error("due_ts,amount\n1800086400,10\n1800172800,12abc\n");
    assert!(
        e.starts_with("row 2 (line 3): amount `12abc` is not a whole number of base units"),
        "{e}"
    );
    let e = csv_error("due_ts,amount\n1800086400,1.5\n");
    assert!(
        e.starts_with("row 1 (line 2): amount `1.5` is not a whole number of base units"),
        "{e}"
    );
    let e = json_error(r#"[{"due_ts": 1800086400, "amount": "ten"}]"#);
    assert!(e.starts_with("row 1: amount `ten` is not a whole number of base units"), "{e}");
    let e = json_error(r#"[{"due_ts": 1800086400, "amount": 2.5}]"#);
    assert!(e.starts_with("row 1: amount `2.5` is not a whole number"), "{e}");
    let e = csv_error("due_ts,amount\nnext week,10\n");
    assert!(e.starts_with("row 1 (line 2): due_ts `next week` is not a unix timestamp"), "{e}");
    let e = csv_error("due_ts,amount\n1800086400,99999999999999999999\n");
    assert!(
        e.starts_with("row 1 (line 2): amount 99999999999999999999 is above the largest"),
        "{e}"
    );
}

#[test]
fn missing_columns_are_refused() {
    let e = csv_error("due_ts\n1800086400\n");
    assert_eq!(e, "line 1: missing column `amount`: the header must name `due_ts,amount`");
    let e = csv_error("1800086400,10\n1800172800,10\n");
    assert_eq!(
        e,
        "line 1: missing column `due_ts`: the first line must be the header `due_ts,amount`"
    );
    let e = csv_error("due_ts,amount\n1800086400,10\n1800172800\n");
    assert_eq!(e, "row 2 (line 3): missing column `amount`: 1 field(s), the header has 2");
    let e = csv_error("due_ts,amount\n1800086400,\n");
    assert_eq!(e, "row 1 (line 2): `amount` is empty");
    let e = json_error(r#"[{"due_ts": 1800086400}]"#);
    assert_eq!(e, "row 1: missing field `amount`: each entry needs `due_ts` and `amount`");
}

#[test]
fn too_many_flows_are_refused_naming_the_first_row_too_many() {
    let mut text = String::from("due_ts,amount\n");
    for i in 0..=rwa_math::MAX_CASH_FLOWS as i64 {
        text.push_str(&format!("{},1\n", NOW + 1 + i * 86_400));
    }
    let e = csv_error(&text);
    assert_eq!(
        e,
        "row 1025 (line 1026): too many flows: a schedule holds at most 1024 (rwa-math \
         MAX_CASH_FLOWS), this file has 1025; split it"
    );
}

#[test]
fn empty_and_malformed_files_are_refused() {
    assert!(csv_error("").starts_with("the file is empty"));
    assert!(csv_error("due_ts,amount\n").starts_with("no flows"));
    assert!(json_error("[]").starts_with("no flows"));
    assert!(json_error(r#"{"due_ts": 1}"#).starts_with("expected a JSON array"));
    assert!(json_error("[{\"due_ts\": 1,\n").starts_with("line 2: invalid JSON"));
}

#[test]
fn the_library_names_the_same_rows() {
    let e = parse_schedule("due_ts,amount\n5,1\n4,1\n", Format::Csv).unwrap_err();
    assert_eq!((e.row, e.line), (Some(2), Some(3)));
    let e = parse_schedule(r#"[{"due_ts": 5, "amount": 0}]"#, Format::Json).unwrap_err();
    assert_eq!((e.row, e.line), (Some(1), None));
}

#[test]
fn bad_inputs_say_what_to_pass() {
    let out = rwa(&[
        "quote",
        "--schedule",
        example("par.json").to_str().unwrap(),
        "--now",
        "1800000000",
        "--rate-bps",
        "500",
        "--spread-bps",
        "0",
        "--pd-bps",
        "12000",
        "--lgd-bps",
        "0",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let e = String::from_utf8(out.stderr).unwrap();
    assert_eq!(
        e.trim_end(),
        "error: --pd-bps 12000 is above 10000 (100%: a probability); pass basis points, e.g. 450 \
         for 4.50%"
    );
}
