pub mod config;
pub mod issuer;
pub mod pool;
pub mod servicer;

pub use config::*;
pub use issuer::*;
pub use pool::*;
pub use servicer::*;
