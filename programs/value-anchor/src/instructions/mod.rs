// Each instruction module exports its Accounts struct (and the client module Anchor generates
// for it) at the crate root; their handlers are called by path from lib.rs, never by glob.
#![allow(ambiguous_glob_reexports)]

pub mod accept_pool;
pub mod admin_handover;
pub mod claim_in_kind;
pub mod collect;
pub mod exchange;
pub mod initialize;
pub mod psm;
pub mod receive_cover;
pub mod redeem_in_kind;
pub mod refresh_backing;
pub mod set_params;
pub mod sweep_fees;

pub use accept_pool::*;
pub use admin_handover::*;
pub use claim_in_kind::*;
pub use collect::*;
pub use exchange::*;
pub use initialize::*;
pub use psm::*;
pub use receive_cover::*;
pub use redeem_in_kind::*;
pub use refresh_backing::*;
pub use set_params::*;
pub use sweep_fees::*;
