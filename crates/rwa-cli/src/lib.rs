//! The `rwa` command line, as a library: the end-to-end demo ([`demo`]), offline valuation of
//! schedules ([`quote`]), commands against a cluster per role and the `show` readers
//! ([`ops`], through the SDK), a credit-crunch simulation on the real programs ([`stress`]), cluster settings in the Solana CLI's habits ([`cluster`]) and the
//! formatting they share ([`format`]). The binary (`src/main.rs`) is the clap front end.
pub mod cluster;
pub mod demo;
pub mod format;
pub mod ops;
pub mod quiet;
pub mod quote;
pub mod stress;
