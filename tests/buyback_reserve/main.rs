//! buyback-reserve integration tests, one module per instruction.
mod accept_admin;
mod collect;
mod cover_shortfall;
mod deposit;
mod initialize;
mod insurance;
mod losses;
mod mark_holding;
mod propose_admin;
mod request_exit;
mod sell_to_reserve;
mod sequence;
mod set_guardian;
mod withdraw;
