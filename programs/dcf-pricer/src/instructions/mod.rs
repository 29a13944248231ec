// Each instruction module exports its Accounts struct (and the client module Anchor generates
// for it) at the crate root; their `handler`s are called by path from lib.rs, never by glob.
#![allow(ambiguous_glob_reexports)]

pub mod accept_admin;
pub mod create_pool_pricing;
pub mod initialize;
pub mod propose_admin;
pub mod refresh_rate;
pub mod set_guardian;
pub mod set_paused;
pub mod set_pricing_params;

pub use accept_admin::*;
pub use create_pool_pricing::*;
pub use initialize::*;
pub use propose_admin::*;
pub use refresh_rate::*;
pub use set_guardian::*;
pub use set_paused::*;
pub use set_pricing_params::*;
