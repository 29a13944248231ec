// Each instruction module exports its Accounts struct (and the client module Anchor generates
// for it) at the crate root; their `handler`s are called by path from lib.rs, never by glob.
#![allow(ambiguous_glob_reexports)]

pub mod activate_pool;
pub mod approve_issuer;
pub mod create_pool;
pub mod initialize;

pub use activate_pool::*;
pub use approve_issuer::*;
pub use create_pool::*;
pub use initialize::*;
