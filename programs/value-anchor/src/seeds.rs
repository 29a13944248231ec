//! PDA seeds of every value-anchor account, in one place.

/// `[CONFIG]`: the singleton config; also the anchor mint's mint authority and the owner of
/// the stable reserve and every collateral account.
pub const CONFIG: &[u8] = b"config";
/// `[ANCHOR_MINT]`: the value-anchor token mint.
pub const ANCHOR_MINT: &[u8] = b"anchor_mint";
/// `[STABLE_RESERVE]`: the reserve-stablecoin account backing PSM redemptions.
pub const STABLE_RESERVE: &[u8] = b"stable_reserve";
/// `[BACKING]`: the public backing account.
pub const BACKING: &[u8] = b"backing";
/// `[ACCEPTED_POOL, pool]`: an accepted pool's parameters and intake state.
pub const ACCEPTED_POOL: &[u8] = b"accepted";
/// `[COLLATERAL, pool]`: the protocol's unit account for that pool.
pub const COLLATERAL: &[u8] = b"collateral";
/// `[CLAIM, holder, nonce u64 LE]`: an open in-kind claim.
pub const CLAIM: &[u8] = b"claim";
