//! dcf-pricer integration tests, one module per instruction.
mod accept_admin;
mod audit_probes;
mod create_pool_pricing;
mod initialize;
mod pool_fixture;
mod propose_admin;
mod refresh_rate;
mod set_guardian;
mod set_paused;
mod set_pricing_params;
