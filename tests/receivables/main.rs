//! receivables integration tests, one module per instruction, sharing `rwa_testkit::registry`;
//! `lifecycle` runs two pools end to end.
mod accept_admin;
mod activate_pool;
mod append_schedule;
mod approve_issuer;
mod close_pool;
mod create_pool;
mod declare_default;
mod initialize;
mod lifecycle;
mod manage_participants;
mod mark_late;
mod propose_admin;
mod record_recovery;
mod record_repayment;
mod redeem;
mod set_guardian;
mod write_down;
