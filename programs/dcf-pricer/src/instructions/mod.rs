// Each instruction module exports its Accounts struct (and the client module Anchor generates
// for it) at the crate root; their `handler`s are called by path from lib.rs, never by glob.
#![allow(ambiguous_glob_reexports)]

pub mod admin_handover;
pub mod create_pool_pricing;
pub mod initialize;
pub mod refresh_rate;
pub mod set_paused;
pub mod set_pricing_params;

pub use admin_handover::*;
pub use create_pool_pricing::*;
pub use initialize::*;
pub use refresh_rate::*;
pub use set_paused::*;
pub use set_pricing_params::*;
