//! value-anchor integration tests, one module per instruction.
mod accept_admin;
mod initialize;
mod propose_admin;
mod set_guardian;
