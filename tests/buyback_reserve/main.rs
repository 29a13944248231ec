//! buyback-reserve integration tests, one module per instruction.
mod accept_admin;
mod initialize;
mod propose_admin;
mod sell_to_reserve;
mod sequence;
mod set_guardian;
