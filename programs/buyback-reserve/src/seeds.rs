//! PDA seeds of every buyback-reserve account, in one place.

/// `[CONFIG]`: the singleton reserve config; owner of the vaults.
pub const CONFIG: &[u8] = b"config";
/// `[STABLE_VAULT]`: the stablecoin the reserve pays buyers of last resort from.
pub const STABLE_VAULT: &[u8] = b"stable_vault";
