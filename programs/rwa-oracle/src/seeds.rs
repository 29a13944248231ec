//! PDA seeds of every rwa-oracle account, in one place.

/// `[CONFIG]`: the singleton oracle config.
pub const CONFIG: &[u8] = b"config";
