//! The protocol's own accounts, always allowed to receive units of a permissioned mint.
//!
//! The hook cannot depend on value-anchor or buyback-reserve (they depend on the protocol's
//! crates that depend on this one), so their config PDAs are written out here; the integration
//! test `transfer_hook::protocol_accounts` derives them from the programs' ids and seeds and
//! fails if they drift.
use anchor_lang::prelude::*;

/// value-anchor's config PDA `[b"config"]`: authority of every collateral account (units
/// exchanged in, redeemed in kind out).
pub const VALUE_ANCHOR_CONFIG: Pubkey = pubkey!("AsHCidwEL4BzG8AQGApUS64tzqHUULWbkkrjAxxfM81g");
/// buyback-reserve's config PDA `[b"config"]`: authority of every units vault (units sold to
/// the reserve).
pub const RESERVE_CONFIG: Pubkey = pubkey!("3vPWDfJzZgcb35qdDhGWXS1F7PAVySbMADG3yR5xXF8L");

/// Whether `holder` may receive units without an attestation: value-anchor's collateral
/// authority, the reserve's vault authority, or the mint's own mint authority (for protocol
/// units: the receivables pool PDA, the authority of the pool's vault).
pub fn always_allowed(holder: &Pubkey, mint_authority: Option<&Pubkey>) -> bool {
    *holder == VALUE_ANCHOR_CONFIG || *holder == RESERVE_CONFIG || Some(holder) == mint_authority
}
