//! `rwa stress`: a small scenario (four pools, eight days, two of the pools defaulting on thin
//! insurance) runs on the real programs; the invariants hold, insurance pays first, the
//! holders share what is left per token, and the report's last day agrees with the accounts
//! read again through the SDK. Then the verdict ([`judge`]) is handed that run's records with
//! one defect each (an exit paid too little, a holder stuck, a keeper step refused, a stale
//! backing hiding a loss, a discount the book does not record): each must fail it.
use std::process::Command;
use std::sync::OnceLock;

use rwa_cli::stress::{
    judge, oracle_step, run_stress, KeeperStep, Premise, Proven, Refusal, Scenario, StressReport,
    Stuck, Verdict,
};

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

/// The small run, once for every test of this file.
fn small_report() -> &'static StressReport {
    static REPORT: OnceLock<StressReport> = OnceLock::new();
    REPORT.get_or_init(|| run_stress(&small()).expect("the scenario runs"))
}

const DUST: u64 = 1_000_000;

#[test]
fn a_small_crunch_keeps_every_invariant_and_the_loss_order() {
    let scenario = small();
    let report = small_report();
    let v = &report.verdict;
    assert!(v.all_invariants_hold, "violations: {:#?}", v.violations);
    assert!(v.first_loss_order_respected && v.equal_treatment && v.accounts_reconcile);
    assert!(v.keepers_ok, "{:?}", report.keeper_log);
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
        // the discounts as the reserve's book records them are the tool's
        assert_eq!(d.discount_paid, d.discount_expected, "day {}", d.day);
        // the stored backing and the one proven at the current prices agree at the day's end
        assert_eq!(d.total_backing, d.proven.low, "day {}", d.day);
        assert_eq!(d.anchor_supply, d.proven.supply, "day {}", d.day);
        // the oracle reached every target within its bound
        assert_eq!(d.benchmark_bps, d.benchmark_target_bps, "day {}", d.day);
        assert!(d.oracle_steps >= 1, "day {}", d.day);
    }
    assert!(report.days.iter().any(|d| d.discount_paid > 0), "a discount was paid");
    // every exit attempt refused by every door is recorded, each by an intended refusal
    assert_eq!(v.stuck_attempts, report.stuck.len());
    assert_eq!(v.stuck_unintended, 0, "{:?}", report.stuck);
    assert_eq!(report.days.iter().map(|d| d.stuck).sum::<usize>(), report.stuck.len());
    // anchor holders always get out (in kind is never refused)
    assert!(report.stuck.iter().all(|s| s.pool.is_some()), "{:?}", report.stuck);
    // the verdict is a function of the records
    assert_eq!(format!("{:?}", judge(report)), format!("{v:?}"));

    // the same seed, the same run
    let again = run_stress(&scenario).expect("the scenario runs again");
    assert_eq!(again.days.len(), report.days.len());
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

/// The small run's records with one change; the verdict on them.
fn judged(change: impl FnOnce(&mut StressReport)) -> Verdict {
    let mut r = small_report().clone();
    change(&mut r);
    judge(&r)
}

fn anchor_exit(r: &StressReport, pick: impl Fn(&rwa_cli::stress::Exit) -> bool) -> usize {
    r.exit_log
        .iter()
        .position(|e| ["psm", "bid", "in-kind"].contains(&e.door.as_str()) && pick(e))
        .expect("such an exit in the small run")
}

#[test]
fn an_exit_paid_less_than_its_door_owes_fails_equal_treatment() {
    // after the loss: what the door owes less its cost, one base unit short of the rounding
    // allowed
    let v = judged(|r| {
        let i = anchor_exit(r, |e| e.insurance_cash < DUST);
        let e = &mut r.exit_log[i];
        let owed = e.due - (e.due as u128 * e.cost_bps as u128).div_ceil(10_000) as u64;
        e.paid = owed - e.rounding - 1;
    });
    assert!(!v.equal_treatment && !v.all_invariants_hold, "{v:#?}");
    assert!(v.violations.iter().any(|x| x.contains("its door owes")), "{:?}", v.violations);
    // at the allowance it holds
    let v = judged(|r| {
        let i = anchor_exit(r, |e| e.insurance_cash < DUST);
        let e = &mut r.exit_log[i];
        let owed = e.due - (e.due as u128 * e.cost_bps as u128).div_ceil(10_000) as u64;
        e.paid = owed - e.rounding;
        e.per_token_ppm = (e.paid as u128 * 1_000_000 / e.amount as u128) as u64;
    });
    assert!(v.all_invariants_hold, "{:?}", v.violations);
}

#[test]
fn an_exit_below_par_while_insurance_has_cash_fails_the_first_loss_order() {
    let v = judged(|r| {
        let i = anchor_exit(r, |e| e.insurance_cash >= DUST);
        let e = &mut r.exit_log[i];
        // as if the backing had been short: worth and pay below par, the insurance untouched
        e.worth = e.amount / 100 * 99;
        e.due = e.worth;
        e.paid = e.worth - (e.worth as u128 * e.cost_bps as u128).div_ceil(10_000) as u64;
    });
    assert!(!v.first_loss_order_respected && !v.all_invariants_hold, "{v:#?}");
}

#[test]
fn an_exit_paid_less_per_token_than_a_later_one_fails_equal_treatment() {
    // an exit after the insurance ran out, paid 2% less per token than it was, with the tool's
    // own figure of what it was owed lowered alike: only the comparison with the later exits,
    // paid more while a token was worth no more, can see it
    let v = judged(|r| {
        let i = anchor_exit(r, |e| e.insurance_cash < DUST);
        let e = &mut r.exit_log[i];
        e.paid = e.paid / 100 * 98;
        e.due = e.paid;
        e.cost_bps = 0;
        e.per_token_ppm = (e.paid as u128 * 1_000_000 / e.amount as u128) as u64;
    });
    assert!(!v.equal_treatment, "{v:#?}");
    assert!(
        v.violations.iter().all(|x| x.contains("while a token was worth no more")),
        "{:?}",
        v.violations
    );
}

/// The small run's records with one more exit attempt every door refused.
fn judged_stuck(holder: usize, pool: Option<usize>, refusals: &[&str]) -> Verdict {
    judged(|r| {
        r.stuck.push(Stuck {
            day: 5,
            holder,
            pool,
            amount: 1_000_000,
            refusals: refusals.iter().map(|x| x.to_string()).collect(),
        })
    })
}

#[test]
fn a_holder_refused_by_every_door_counts_against_equal_treatment() {
    // anchor tokens refused in kind: never intended (the door of last resort)
    let v = judged_stuck(
        99,
        None,
        &["psm: InsufficientStableReserve", "bid: BidBudgetExceeded", "in-kind: StaleBacking"],
    );
    assert!(!v.equal_treatment && !v.all_invariants_hold, "{v:#?}");
    assert_eq!(v.stuck_unintended, 1);
    assert!(v.stuck_all_run.contains(&"holder 99: anchor tokens".to_string()), "{v:#?}");
    // units refused by a stale price (a keeper's failure, not the protocol's rule)
    let v = judged_stuck(3, Some(0), &["sale: StaleRate", "exchange: Undercollateralised"]);
    assert!(!v.equal_treatment, "{v:#?}");
    // a defaulted pool's units: refused by design, reported, not a violation
    let v = judged_stuck(98, Some(1), &["sale: PoolInDefault", "exchange: PoolInDefault"]);
    assert!(v.all_invariants_hold, "{:?}", v.violations);
    assert!(v.stuck_all_run.contains(&"holder 98: pool 2".to_string()), "{v:#?}");
}

#[test]
fn a_keeper_step_refused_unexpectedly_fails_the_verdict() {
    let step = |step: &str, error: &str, insurance_cash: u64| {
        KeeperStep::refused(2, step, error, insurance_cash)
    };
    // the cover's and the crank's premises: the backing proven at 1.01 x the supply (no
    // shortfall at a 1% overcollateral) or short of it; a stable reserve that can or cannot
    // pay the reserve's 10 anchor tokens
    let supply = 1_000 * DUST;
    let with = |mut k: KeeperStep, low: u64, reserve: u64| {
        k.proven = Some(Proven { low, high: low, supply });
        k.required_bps = Some(10_100);
        k.stable_reserve = Some(reserve);
        k.anchor_held = Some(10 * DUST);
        k
    };
    for bad in [
        step("refresh pool 1", "StaleFeed", 0),
        step("oracle PD-G4", "DeviationHeld", 0),
        step("cover", "StaleBacking", 5 * DUST),
        step("cover", "NothingOwed", 5 * DUST),
        // no shortfall claimed while the proven backing is 1% short of what is required, or
        // with nothing recorded
        with(step("cover", "NoShortfall", 5 * DUST), supply, 0),
        step("cover", "NoShortfall", 5 * DUST),
        // the stable reserve could pay the crank's tokens
        with(step("crank", "InsufficientStableReserve", 0), supply, 10 * DUST),
        step("crank", "InsufficientStableReserve", 0),
    ] {
        let v = judged(|r| r.keeper_log.push(bad.clone()));
        assert!(!v.keepers_ok && !v.all_invariants_hold, "{bad:?}: {v:#?}");
    }
    for fine in [
        with(step("cover", "NoShortfall", 5 * DUST), supply / 100 * 101, 0),
        step("cover", "NothingOwed", 0),
        with(step("crank", "InsufficientStableReserve", 0), supply, 10 * DUST - DUST / 10),
    ] {
        let v = judged(|r| r.keeper_log.push(fine.clone()));
        assert!(v.all_invariants_hold, "{fine:?}: {:?}", v.violations);
    }
}

#[test]
fn a_stale_backing_cannot_hide_that_insurance_did_not_absorb_a_loss() {
    // the stored Backing still says fully backed; the backing proven at the current prices is
    // short while the insurance pool holds cash
    let v = judged(|r| {
        let d = r.days.iter_mut().find(|d| d.insurance_after_cover >= DUST).expect("a day");
        assert!(d.backing_after_cover >= d.proven_after_cover.supply);
        d.proven_after_cover.low = d.proven_after_cover.supply - DUST;
    });
    assert!(!v.first_loss_order_respected && !v.all_invariants_hold, "{v:#?}");
}

#[test]
fn a_discount_the_reserves_book_does_not_record_fails_reconciliation() {
    let v = judged(|r| {
        let e = r.exit_log.iter_mut().find(|e| e.discount_expected.is_some()).expect("a sale");
        e.discount = e.discount.map(|d| d + 1);
    });
    assert!(!v.accounts_reconcile && !v.all_invariants_hold, "{v:#?}");
    let v = judged(|r| r.days[2].ledger.push("day 3: book.cash = stable vault: 1 != 2".into()));
    assert!(!v.accounts_reconcile, "{v:#?}");
}

#[test]
fn the_oracle_steps_stay_within_the_deviation_bound() {
    let bps = |b: u128| (b << 64) / 10_000;
    for (from, to) in [(900, 3_600), (3_600, 900), (450, 700), (1_500, 7_500), (6_500, 6_500)] {
        let (mut current, target) = (bps(from), bps(to));
        let mut steps = 0;
        while current != target {
            let next = oracle_step(current, target, 500);
            // the oracle's bound: |m - b| <= floor(b x 500 / 10,000)
            assert!(next.abs_diff(current) <= current * 500 / 10_000, "{from} -> {to}");
            assert!(next != current, "no progress");
            current = next;
            steps += 1;
        }
        // 5% steps compound: x4 takes 29 steps, x5 33
        let most = ((to as f64 / from as f64).ln().abs() / 1.05f64.ln()).ceil() as u32 + 1;
        assert!(steps <= most.max(1), "{from} -> {to}: {steps} steps");
    }
}

fn unit_exit(r: &StressReport, door: &str) -> usize {
    r.exit_log.iter().position(|e| e.door == door).unwrap_or_else(|| panic!("a {door} in the run"))
}

#[test]
fn an_exchange_that_over_mints_or_dilutes_fails_equal_treatment() {
    // one anchor token more than the units' value less the haircut
    let v = judged(|r| {
        let i = unit_exit(r, "exchange");
        r.exit_log[i].paid += 1;
    });
    assert!(!v.equal_treatment && !v.all_invariants_hold, "{v:#?}");
    assert!(v.violations.iter().any(|x| x.contains("more than the")), "{:?}", v.violations);
    // the value per remaining anchor token fell across it
    let v = judged(|r| {
        let i = unit_exit(r, "exchange");
        let after = r.exit_log[i].after.as_mut().expect("recorded");
        after.low = after.supply / 100 * 99;
    });
    assert!(!v.equal_treatment, "{v:#?}");
    assert!(v.violations.iter().any(|x| x.contains("value per remaining token")), "{v:#?}");
}

#[test]
fn a_sale_paid_below_the_exit_curve_or_above_its_value_fails_equal_treatment() {
    let v = judged(|r| {
        let i = unit_exit(r, "sale");
        r.exit_log[i].paid = r.exit_log[i].worth / 10;
    });
    assert!(!v.equal_treatment && !v.all_invariants_hold, "{v:#?}");
    assert!(v.violations.iter().any(|x| x.contains("its door owes")), "{:?}", v.violations);
    let v = judged(|r| {
        let i = unit_exit(r, "sale");
        r.exit_log[i].paid = r.exit_log[i].worth + 1;
    });
    assert!(!v.equal_treatment, "{v:#?}");
}

#[test]
fn a_cover_that_does_not_reach_value_anchor_fails_the_first_loss_order() {
    // the insurance pool and covered_total moved, value-anchor's stable reserve did not
    let v = judged(|r| {
        let d = r.days.iter_mut().find(|d| d.covered_total_after_cover > d.covered_total_morning);
        let d = d.expect("a day with a cover");
        d.stable_reserve_after_cover = d.stable_reserve_morning;
    });
    assert!(!v.first_loss_order_respected && !v.all_invariants_hold, "{v:#?}");
    // a cover short of the shortfall while the insurance pool held more: all three moved
    // alike, by too little
    let v = judged(|r| {
        let d = r.days.iter_mut().find(|d| d.covered_total_after_cover > d.covered_total_morning);
        let d = d.expect("a day with a cover");
        d.insurance_morning += 50 * DUST;
        d.proven_morning.low = d.proven_morning.low.saturating_sub(100 * DUST);
    });
    assert!(!v.first_loss_order_respected, "{v:#?}");
    assert!(v.violations.iter().any(|x| x.contains("short of the")), "{:?}", v.violations);
}

/// A refusal of `door` with `error` on day 5, with the premise of the small run's last one.
fn refusal(r: &StressReport, door: &str, error: &str, pool: Option<usize>) -> Refusal {
    let premise = r.refusals.last().expect("a refusal in the run").premise.clone();
    Refusal {
        day: 5,
        holder: 0,
        door: door.into(),
        error: error.into(),
        pool,
        amount: DUST,
        premise,
    }
}

#[test]
fn a_refusal_on_any_door_is_judged_and_an_in_kind_claim_refusal_fails() {
    // a door refused by a stale price before the holder got out through another: not stuck,
    // still a violation
    let v = judged(|r| {
        let x = refusal(r, "sale", "StaleRate", Some(0));
        r.refusals.push(x);
    });
    assert!(!v.equal_treatment && v.refusals_unjustified == 1, "{v:#?}");
    assert_eq!(v.stuck_unintended, 0);
    // an in-kind claim refused
    let v = judged(|r| {
        let x = refusal(r, "claim in kind", "ClaimNotReady", Some(1));
        r.refusals.push(x);
    });
    assert!(!v.equal_treatment && !v.all_invariants_hold, "{v:#?}");
    assert!(v.violations.iter().any(|x| x.contains("owed in kind")), "{:?}", v.violations);
}

#[test]
fn an_intended_refusal_whose_premise_did_not_hold_fails() {
    let premise = |status: &str| Premise {
        pool_status: Some(status.into()),
        value: Some(DUST),
        proven: Proven { low: 1_000 * DUST, high: 1_000 * DUST, supply: 1_000 * DUST },
        stored_backing: 1_000 * DUST,
        stored_supply: 1_000 * DUST,
        required_bps: 10_100,
        stable_reserve: 100 * DUST,
        book_cash: 100 * DUST,
        sale_budget: 100 * DUST,
        bid_budget: 100 * DUST,
        bid_band_bps: 100,
        held_value: Some(DUST),
        cap: Some(100 * DUST),
        haircut_bps: Some(200),
        entry_value: Some(DUST),
        ceiling: Some(100 * DUST),
        capacity_used: Some(0),
        capacity: Some(100 * DUST),
        global_ceiling: 10_000 * DUST,
        ..Premise::default()
    };
    let with = |door: &str, error: &str, p: Premise| {
        judged(|r| {
            let mut x = refusal(r, door, error, Some(0));
            x.premise = p;
            r.refusals.push(x);
        })
    };
    // each intended refusal against accounts that said otherwise
    for (door, error) in [
        ("sale", "PoolInDefault"),
        ("exchange", "PoolInDefault"),
        ("sale", "EpochBudgetExceeded"),
        ("sale", "PoolCapExceeded"),
        ("sale", "InsufficientCash"),
        ("exchange", "CapacityExceeded"),
        ("exchange", "PoolCeilingExceeded"),
        ("exchange", "GlobalCeilingExceeded"),
        ("psm", "InsufficientStableReserve"),
        ("bid", "BidBudgetExceeded"),
        ("bid", "InsufficientCash"),
    ] {
        let v = with(door, error, premise("Active"));
        assert!(!v.equal_treatment && v.refusals_unjustified == 1, "{door}: {error}: {v:#?}");
        assert!(v.violations.iter().any(|x| x.contains("premise did not hold")), "{v:#?}");
    }
    // backed 1.5% over the supply: an exchange of 1 token's value is not undercollateralised
    let mut over = premise("Active");
    over.stored_backing = 1_015 * DUST;
    let v = with("exchange", "Undercollateralised", over.clone());
    assert!(!v.equal_treatment, "{v:#?}");
    // ... and when the accounts say so, it holds
    let v = with("sale", "PoolInDefault", premise("Defaulted"));
    assert!(v.all_invariants_hold, "{:?}", v.violations);
    over.stored_backing = 1_005 * DUST;
    let v = with("exchange", "Undercollateralised", over);
    assert!(v.all_invariants_hold, "{:?}", v.violations);
    let mut short = premise("Active");
    short.stable_reserve = DUST / 2;
    let v = with("psm", "InsufficientStableReserve", short);
    assert!(v.all_invariants_hold, "{:?}", v.violations);
}

#[test]
fn an_oracle_that_lags_the_scenario_is_reported() {
    assert!(small_report().verdict.oracle_reached_targets);
    let v = judged(|r| {
        let f = &mut r.days[1].feeds[4];
        f.served_bps = f.target_bps - 10;
    });
    assert!(!v.oracle_reached_targets && v.oracle_lags.len() == 1, "{v:#?}");
    assert!(v.oracle_lags[0].starts_with("day 2: "), "{:?}", v.oracle_lags);
}

#[test]
fn a_stored_backing_that_disagrees_with_the_proven_one_fails_and_solvency_is_proven() {
    // the stored backing after the keeper's refresh a token above the proven one
    let v = judged(|r| r.days[2].backing_morning = r.days[2].proven_morning.low + DUST);
    assert!(!v.accounts_reconcile && !v.all_invariants_hold, "{v:#?}");
    assert!(v.violations.iter().any(|x| x.contains("after the keeper's refresh")), "{v:#?}");
    // solvency and the holders' loss come from the proven backing, not the stored one
    let v = judged(|r| {
        r.final_accounts.total_backing = r.final_accounts.anchor_supply;
        let last = r.days.last_mut().unwrap();
        last.proven.low = last.proven.supply / 2;
    });
    assert!(!v.solvent, "{v:#?}");
    assert!((499_999..=500_000).contains(&v.final_pro_rata_ppm), "{v:#?}");
    assert!(v.holder_loss_ppm >= 500_000, "{v:#?}");
}
