use anchor_lang::prelude::*;

/// The hook's errors are numbered from 7000 (receivables and the oracle use 6000/6200, the
/// pricer 6400, value-anchor 6600, the reserve 6800, rwa_guard 9000): a transfer refused by
/// the hook surfaces through Token-2022 as one of these numbers, unambiguous in any caller.
#[error_code(offset = 7000)]
pub enum HookError {
    #[msg("the guardian must be a real key, distinct from the default pubkey")]
    InvalidGuardian,
    #[msg("only the guardian or the admin may suspend an attestor, and only the admin may reinstate one")]
    Unauthorized,
    #[msg("the attestor is not approved (never approved, or suspended)")]
    AttestorNotApproved,
    #[msg("the attestation's expiry must lie in the future")]
    InvalidExpiry,
    #[msg("the jurisdiction must be two upper-case ASCII letters (ISO 3166-1 alpha-2)")]
    InvalidJurisdiction,
    #[msg("the attestation was already revoked")]
    AlreadyRevoked,
    #[msg("the mint is not a Token-2022 mint whose transfer hook is this program, with no hook authority")]
    MintNotHooked,
    #[msg("the signer is not the mint's mint authority")]
    NotMintAuthority,
    #[msg("Execute was called outside a Token-2022 transfer (source account not transferring)")]
    NotTransferring,
    #[msg("a token account is not of this mint, or not a Token-2022 account")]
    TokenAccountMismatch,
    #[msg("the destination owner holds no attestation of the mint's attestor")]
    NotAttested,
    #[msg("the destination owner's attestation has expired")]
    AttestationExpired,
    #[msg("the destination owner's attestation was revoked")]
    AttestationRevoked,
    #[msg("a stored account broke its invariant")]
    InvalidState,
    #[msg("the mint already trusts this attestor")]
    SameAttestor,
    #[msg("the holder must be a real key, distinct from the default pubkey")]
    InvalidHolder,
    #[msg("the destination's owner can be changed (no ImmutableOwner): units go to associated token accounts")]
    DestinationOwnerMutable,
}
