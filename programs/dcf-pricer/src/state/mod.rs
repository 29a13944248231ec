pub mod config;
pub mod pool_pricing;

pub use config::*;
pub use pool_pricing::*;
