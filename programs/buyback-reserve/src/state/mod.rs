pub mod book;
pub mod config;

pub use book::*;
pub use config::*;
