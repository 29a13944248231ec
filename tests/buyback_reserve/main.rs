//! buyback-reserve integration tests, one module per instruction.
mod accept_admin;
mod distribute_fees;
mod initialize;
mod list_pool;
mod propose_admin;
mod protocol_token;
mod redeem_anchor;
mod sell_anchor_to_reserve;
mod sell_to_reserve;
mod set_guardian;
mod set_params;
