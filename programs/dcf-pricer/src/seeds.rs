//! PDA seeds of every dcf-pricer account, in one place.

/// `[CONFIG]`: the singleton pricer config.
pub const CONFIG: &[u8] = b"config";
/// `[POOL_PRICING, pool]`: how one receivables pool is priced, and its published rate.
pub const POOL_PRICING: &[u8] = b"pricing";
