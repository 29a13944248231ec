//! PDA seeds of every receivables account, in one place.

/// `[CONFIG]`: the singleton registry config.
pub const CONFIG: &[u8] = b"config";
/// `[ISSUER, authority]`: an approved issuer's record.
pub const ISSUER: &[u8] = b"issuer";
/// `[POOL, issuer authority, pool index (u32 LE)]`: one pool.
pub const POOL: &[u8] = b"pool";
/// `[UNIT_MINT, pool]`: the pool's fractional unit mint.
pub const UNIT_MINT: &[u8] = b"unit_mint";
/// `[VAULT, pool]`: the pool's repayment vault (currency token account owned by the pool).
pub const VAULT: &[u8] = b"vault";
/// `[SERVICER, authority]`: an approved servicer's record.
pub const SERVICER: &[u8] = b"servicer";
