//! dcf-pricer integration tests, one module per instruction.
mod create_pool_pricing;
mod initialize;
mod refresh_rate;
mod set_paused;
mod set_pricing_params;
