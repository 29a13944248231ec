// Each instruction module exports its Accounts struct (and the client module Anchor generates
// for it) at the crate root; their handlers are called by path from lib.rs, never by glob.
#![allow(ambiguous_glob_reexports)]

pub mod admin_handover;
pub mod collect;
pub mod cover_shortfall;
pub mod deposit;
pub mod distribute_fees;
pub mod initialize;
pub mod insurance;
pub mod list_pool;
pub mod mark_holding;
pub mod protocol_token;
pub mod redeem_anchor;
pub mod request_exit;
pub mod sell_anchor_to_reserve;
pub mod sell_to_reserve;
pub mod set_params;

pub use admin_handover::*;
pub use collect::*;
pub use cover_shortfall::*;
pub use deposit::*;
pub use distribute_fees::*;
pub use initialize::*;
pub use insurance::*;
pub use list_pool::*;
pub use mark_holding::*;
pub use protocol_token::*;
pub use redeem_anchor::*;
pub use request_exit::*;
pub use sell_anchor_to_reserve::*;
pub use sell_to_reserve::*;
pub use set_params::*;
