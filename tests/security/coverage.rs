//! Every instruction and every account of the six programs' IDLs is in the attack tables, and
//! every row names an instruction and account that exist.
use std::collections::BTreeSet;

use crate::{harness::idls, table::all_rows};

#[test]
fn every_instruction_and_account_of_every_program_is_in_the_attack_table() {
    let rows = all_rows();
    let covered: BTreeSet<(String, String, String)> = rows
        .iter()
        .map(|r| (r.program.clone(), r.instruction.clone(), r.account.clone()))
        .collect();
    let mut missing = Vec::new();
    let mut known = BTreeSet::new();
    for program in idls() {
        for ix in &program.instructions {
            if !rows.iter().any(|r| r.program == program.name && r.instruction == ix.name) {
                missing.push(format!("{}::{} has no row at all", program.name, ix.name));
                continue;
            }
            for account in &ix.accounts {
                let key = (program.name.clone(), ix.name.clone(), account.clone());
                if !covered.contains(&key) {
                    missing.push(format!(
                        "{}::{} account {account} has no row",
                        program.name, ix.name
                    ));
                }
                known.insert(key);
            }
        }
    }
    for (program, ix, account) in &covered {
        let remaining = account.starts_with("remaining[");
        let exists = idls().iter().any(|p| {
            p.name == *program
                && p.instructions
                    .iter()
                    .any(|i| i.name == *ix && (remaining || i.accounts.contains(account)))
        });
        if !exists {
            missing.push(format!("row {program}::{ix} {account} names no IDL account"));
        }
    }
    assert!(missing.is_empty(), "{} gap(s):\n{}", missing.len(), missing.join("\n"));
}
