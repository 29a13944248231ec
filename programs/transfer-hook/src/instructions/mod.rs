// Each instruction module exports its Accounts struct (and the client module Anchor generates
// for it) at the crate root; their `handler`s are called by path from lib.rs, never by glob.
#![allow(ambiguous_glob_reexports)]

pub mod admin_handover;
pub mod attest;
pub mod execute;
pub mod gate_mint;
pub mod initialize;
pub mod manage_attestor;
pub mod set_mint_attestor;

pub use admin_handover::*;
pub use attest::*;
pub use execute::*;
pub use gate_mint::*;
pub use initialize::*;
pub use manage_attestor::*;
pub use set_mint_attestor::*;
