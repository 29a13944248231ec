pub mod config;
pub mod feed;
pub mod grade;

pub use config::*;
pub use feed::*;
pub use grade::*;
