pub mod config;
pub mod issuer;
pub mod pool;

pub use config::*;
pub use issuer::*;
pub use pool::*;
