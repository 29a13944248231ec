//! value-anchor integration tests, one module per instruction (and `losses` for the loss rule).
mod accept_admin;
mod accept_pool;
mod audit_probes;
mod collect;
mod exchange;
mod initialize;
mod losses;
mod propose_admin;
mod psm;
mod receive_cover;
mod redeem_in_kind;
mod refresh_backing;
mod sequence;
mod set_guardian;
mod set_params;
mod sweep_fees;
