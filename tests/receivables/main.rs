//! receivables integration tests, one module per instruction, sharing `rwa_testkit::registry`.
mod activate_pool;
mod approve_issuer;
mod create_pool;
mod initialize;
