//! PDA seeds of every transfer-hook account, in one place.

/// `[CONFIG]`: the singleton hook config (admin, guardian).
pub const CONFIG: &[u8] = b"config";
/// `[ATTESTOR, authority]`: an attestor the admin approved.
pub const ATTESTOR: &[u8] = b"attestor";
/// `[ATTESTATION, attestor authority, holder]`: one attestor's attestation of one holder.
pub const ATTESTATION: &[u8] = b"attestation";
/// `[MINT_GATE, mint]`: which attestor a permissioned mint trusts.
pub const MINT_GATE: &[u8] = b"mint_gate";
/// `[EXTRA_ACCOUNT_METAS, mint]`: the Token-2022 transfer-hook interface's validation account
/// (the `ExtraAccountMetaList` the client and Token-2022 resolve the Execute accounts from).
pub const EXTRA_ACCOUNT_METAS: &[u8] = b"extra-account-metas";
