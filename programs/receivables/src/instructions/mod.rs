// Each instruction module exports its Accounts struct (and the client module Anchor generates
// for it) at the crate root; their handlers are called by path from lib.rs, never by glob.
#![allow(ambiguous_glob_reexports)]

pub mod activate_pool;
pub mod admin_handover;
pub mod append_schedule;
pub mod approve_issuer;
pub mod cancel_pool;
pub mod create_pool;
pub mod initialize;
pub mod manage_currency;
pub mod manage_participants;
pub mod receive_payment;
pub mod redeem;
pub mod replace_servicer;
pub mod service_pool;

pub use activate_pool::*;
pub use admin_handover::*;
pub use append_schedule::*;
pub use approve_issuer::*;
pub use cancel_pool::*;
pub use create_pool::*;
pub use initialize::*;
pub use manage_currency::*;
pub use manage_participants::*;
pub use receive_payment::*;
pub use redeem::*;
pub use replace_servicer::*;
pub use service_pool::*;
