// Each instruction module exports its Accounts struct (and the client module Anchor generates
// for it) at the crate root; their `handler`s are called by path from lib.rs, never by glob.
#![allow(ambiguous_glob_reexports)]

pub mod admin_handover;
pub mod confirm_held_value;
pub mod create_feed;
pub mod initialize;
pub mod manage_publisher;
pub mod read_feed;
pub mod read_grade_risk;
pub mod read_pyth_price;
pub mod set_feed_paused;
pub mod set_grade;
pub mod set_paused;
pub mod submit_observation;

pub use admin_handover::*;
pub use confirm_held_value::*;
pub use create_feed::*;
pub use initialize::*;
pub use manage_publisher::*;
pub use read_feed::*;
pub use read_grade_risk::*;
pub use read_pyth_price::*;
pub use set_feed_paused::*;
pub use set_grade::*;
pub use set_paused::*;
pub use submit_observation::*;
