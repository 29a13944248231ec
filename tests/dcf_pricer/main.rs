//! dcf-pricer integration tests, one module per instruction.
mod initialize;
