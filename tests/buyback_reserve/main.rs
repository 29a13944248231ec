//! buyback-reserve integration tests, one module per instruction.
mod initialize;
