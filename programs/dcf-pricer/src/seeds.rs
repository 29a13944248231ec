//! PDA seeds of every dcf-pricer account, in one place.

/// `[CONFIG]`: the singleton pricer config.
pub const CONFIG: &[u8] = b"config";
