pub mod accepted_pool;
pub mod backing;
pub mod claim;
pub mod config;

pub use accepted_pool::*;
pub use backing::*;
pub use claim::*;
pub use config::*;
