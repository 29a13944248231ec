//! value-anchor integration tests, one module per instruction.
mod initialize;
