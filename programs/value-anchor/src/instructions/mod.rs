// Each instruction module exports its Accounts struct (and the client module Anchor generates
// for it) at the crate root; their `handler`s are called by path from lib.rs, never by glob.
#![allow(ambiguous_glob_reexports)]

pub mod admin_handover;
pub mod initialize;

pub use admin_handover::*;
pub use initialize::*;
