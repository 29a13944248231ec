// Each instruction module exports its Accounts struct (and the client module Anchor generates
// for it) at the crate root; their `handler`s are called by path from lib.rs, never by glob.
#![allow(ambiguous_glob_reexports)]

pub mod accept_admin;
pub mod initialize;
pub mod propose_admin;
pub mod set_guardian;

pub use accept_admin::*;
pub use initialize::*;
pub use propose_admin::*;
pub use set_guardian::*;
