//! The attack table: for every account of every instruction of the protocol, each substitution
//! the attacker makes and how it must end, in `tests/security/table/<flow>.table` (one file per
//! flow, `program | instruction | account | attack | expected`).
//!
//! `expected` is the refusal by the failing program and the error's name (see
//! [`describe`](crate::harness::describe)), or `ok — <why that is harmless>` for a substitution
//! the protocol accepts by design (e.g. a holder paying from another of their own token
//! accounts). A flow fails when an outcome differs from its row, when a row has no outcome or an
//! outcome no row, when a refused attempt changed any account, and when an instruction it targets
//! was never sent. [`coverage`](crate::coverage) fails when an instruction or account of an IDL
//! has no row.
//!
//! `RWA_WRITE_ATTACK_TABLE=1 cargo test -p rwa-integration-tests --test security` rewrites the
//! tables from what the flows observe, keeping the reasons of `ok` rows; a new `ok` row gets a
//! `TODO` reason that fails the check until someone writes why it is harmless (or fixes the
//! program).
use std::{collections::BTreeMap, fmt::Write as _, path::PathBuf};

use crate::harness::{Attack, Record};

/// One row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    pub program: String,
    pub instruction: String,
    pub account: String,
    pub attack: Attack,
    pub expected: String,
}

type Key = (String, String, String, Attack);

impl Row {
    fn key(&self) -> Key {
        (self.program.clone(), self.instruction.clone(), self.account.clone(), self.attack)
    }
}

const TODO: &str = "TODO: why is this harmless?";

pub fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("security/table")
}

fn path(flow: &str) -> PathBuf {
    dir().join(format!("{flow}.table"))
}

/// Parses a table file.
pub fn parse(text: &str, file: &str) -> Vec<Row> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        .map(|(n, l)| {
            let cols: Vec<&str> = l.splitn(5, '|').map(str::trim).collect();
            assert_eq!(cols.len(), 5, "{file}:{}: five columns expected: {l}", n + 1);
            Row {
                program: cols[0].into(),
                instruction: cols[1].into(),
                account: cols[2].into(),
                attack: Attack::parse(cols[3])
                    .unwrap_or_else(|| panic!("{file}:{}: unknown attack {}", n + 1, cols[3])),
                expected: cols[4].into(),
            }
        })
        .collect()
}

/// Every table's rows.
pub fn all_rows() -> Vec<Row> {
    let mut rows = Vec::new();
    for entry in std::fs::read_dir(dir()).expect("tests/security/table") {
        let path = entry.expect("table entry").path();
        if path.extension().is_some_and(|e| e == "table") {
            let text = std::fs::read_to_string(&path).expect("table file");
            rows.extend(parse(&text, &path.display().to_string()));
        }
    }
    rows
}

fn render(flow: &str, rows: &[Row]) -> String {
    let width = |f: fn(&Row) -> usize| rows.iter().map(f).max().unwrap_or(0);
    let (wp, wi, wa, wk) = (
        width(|r| r.program.len()),
        width(|r| r.instruction.len()),
        width(|r| r.account.len()),
        width(|r| r.attack.name().len()),
    );
    let mut out = format!(
        "# Attack table of flow `{flow}` (tests/security/{flow}.rs): see tests/security/table.rs.\n\
         # program | instruction | account | attack | expected\n"
    );
    for r in rows {
        let _ = writeln!(
            out,
            "{:wp$} | {:wi$} | {:wa$} | {:wk$} | {}",
            r.program,
            r.instruction,
            r.account,
            r.attack.name(),
            r.expected
        );
    }
    out
}

/// Checks what a flow's attacker recorded against the flow's table (or rewrites the table under
/// `RWA_WRITE_ATTACK_TABLE=1`); `targets` are the instructions the flow must have attacked.
pub fn check(flow: &str, program: &str, targets: &[&str], record: &Record) {
    let mut problems = Vec::new();
    for t in targets {
        if !record.attacked.contains(&(program.to_string(), t.to_string())) {
            problems.push(format!("{program}::{t} was never sent by the flow, so never attacked"));
        }
    }
    for o in &record.observed {
        if !o.changed.is_empty() {
            problems.push(format!(
                "{}::{} {} {}: refused ({}) but changed {:?}",
                o.program,
                o.instruction,
                o.account,
                o.attack.name(),
                o.outcome,
                o.changed
            ));
        }
    }
    let file = path(flow);
    let existing: Vec<Row> = std::fs::read_to_string(&file)
        .map(|t| parse(&t, &file.display().to_string()))
        .unwrap_or_default();
    let by_key: BTreeMap<Key, Row> = existing.iter().map(|r| (r.key(), r.clone())).collect();
    let observed: BTreeMap<Key, String> = record
        .observed
        .iter()
        .map(|o| {
            (
                (o.program.clone(), o.instruction.clone(), o.account.clone(), o.attack),
                o.outcome.clone(),
            )
        })
        .collect();

    if std::env::var_os("RWA_WRITE_ATTACK_TABLE").is_some() {
        let rows: Vec<Row> = observed
            .iter()
            .map(|(key, outcome)| {
                let expected = if outcome == "ok" {
                    match by_key.get(key) {
                        Some(r) if r.expected.starts_with("ok — ") => r.expected.clone(),
                        _ => format!("ok — {TODO}"),
                    }
                } else {
                    outcome.clone()
                };
                Row {
                    program: key.0.clone(),
                    instruction: key.1.clone(),
                    account: key.2.clone(),
                    attack: key.3,
                    expected,
                }
            })
            .collect();
        std::fs::write(&file, render(flow, &rows)).expect("write the attack table");
    } else {
        for (key, outcome) in &observed {
            let label = format!("{}::{} {} {}", key.0, key.1, key.2, key.3.name());
            match by_key.get(key) {
                None => problems.push(format!("{label}: {outcome}, but the table has no row")),
                Some(row) => {
                    let matches = if outcome == "ok" {
                        row.expected.starts_with("ok — ") && !row.expected.contains(TODO)
                    } else {
                        row.expected == *outcome
                    };
                    if !matches {
                        problems.push(format!("{label}: expected {}, got {outcome}", row.expected));
                    }
                }
            }
        }
        for key in by_key.keys() {
            if !observed.contains_key(key) {
                problems.push(format!(
                    "{}::{} {} {}: in the table, but the flow never made this attempt",
                    key.0,
                    key.1,
                    key.2,
                    key.3.name()
                ));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "flow `{flow}`: {} problem(s):\n{}",
        problems.len(),
        problems.join("\n")
    );
}
