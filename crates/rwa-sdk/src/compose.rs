//! Transaction composition: the compute budget of the SDK's composed transactions.
//!
//! A `refresh_rate` values the pool on chain (about 130,000 CU for a 64-flow pool on SBF,
//! 137,000 defaulted; BENCHMARKS.md), more than a default instruction budget leaves to an exit
//! after it, so every composed transaction starts with `set_compute_unit_limit`.
use solana_compute_budget_interface::ComputeBudgetInstruction;
use solana_sdk::{instruction::Instruction, pubkey::Pubkey};

/// The compute budget program, whose instruction leads every composed transaction.
pub const COMPUTE_BUDGET_PROGRAM: Pubkey = solana_compute_budget_interface::ID;

/// Most compute units one transaction may use.
pub const MAX_TRANSACTION_CU: u32 = 1_400_000;
/// Budget of one `refresh_rate` (a 64-flow defaulted pool measured 136,601 CU of the
/// valuation and decoding, plus the Anchor work; with margin).
pub const REFRESH_RATE_CU: u32 = 170_000;
/// Budget of an exit or share instruction after the refresh (token CPIs, the backing or book
/// update, up to 16 pool versions read in place).
pub const EXIT_CU: u32 = 120_000;
/// Budget of one `mark_holding` or `refresh_backing` (the pricer's rate read, not recomputed).
pub const MARK_CU: u32 = 40_000;

/// `set_compute_unit_limit(units)`, capped at [`MAX_TRANSACTION_CU`].
pub fn compute_unit_limit_ix(units: u32) -> Instruction {
    ComputeBudgetInstruction::set_compute_unit_limit(units.min(MAX_TRANSACTION_CU))
}

/// `ixs` behind a `set_compute_unit_limit` of `units`.
pub fn with_compute_budget(
    units: u32,
    ixs: impl IntoIterator<Item = Instruction>,
) -> Vec<Instruction> {
    std::iter::once(compute_unit_limit_ix(units)).chain(ixs).collect()
}
