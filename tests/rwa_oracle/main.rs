//! rwa-oracle integration tests, one module per instruction.
mod initialize;
