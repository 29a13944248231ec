//! PDA seeds of every value-anchor account, in one place.

/// `[CONFIG]`: the singleton config; also the anchor mint's mint authority.
pub const CONFIG: &[u8] = b"config";
/// `[ANCHOR_MINT]`: the value-anchor token mint.
pub const ANCHOR_MINT: &[u8] = b"anchor_mint";
