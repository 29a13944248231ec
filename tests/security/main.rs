//! The adversarial suite (issue #16): every Solana attack class against every instruction of the
//! six programs, and fuzzed accounting invariants across the whole protocol. See SECURITY.md.
//!
//! - [`harness`] and [`table`]: each flow below installs an attacker that substitutes every
//!   account of every instruction it targets, the first time the flow sends it, and checks the
//!   outcomes against the flow's attack table (`table/<flow>.table`); [`coverage`] fails when
//!   an instruction or account of an IDL has no row.
mod buyback_reserve;
mod coverage;
mod dcf_pricer;
mod economic;
mod fuzz;
mod fuzz_model;
mod harness;
mod oracle_attacks;
mod receivables;
mod rwa_oracle;
mod table;
mod transfer_hook;
mod value_anchor;
