//! Checks every protocol program runs the same way, in one place:
//! - [`mint`]: a mint that comes from outside the protocol carries no Token-2022 extension that
//!   changes what a transfer does or who controls balances;
//! - [`authority`]: `initialize` only by the program's upgrade authority; two-step admin
//!   handover (`admin_handover!` writes the three instructions for a program's config);
//! - [`pause`]: who may pause (guardian or admin) and unpause (admin);
//! - [`token`]: `transfer_checked` CPIs that carry a transfer hook's extra accounts;
//! - [`new_mint`]: a protocol mint created at a PDA, with Token-2022 metadata when it has it.
//!
//! Their errors are [`GuardError`] (numbers from 9000, clear of every program's own 6000+
//! range); a failure names the program that ran the check through the transaction's logs.
use anchor_lang::prelude::*;

pub mod authority;
pub mod mint;
pub mod new_mint;
pub mod pause;
pub mod token;

#[error_code(offset = 9000)]
pub enum GuardError {
    #[msg(
        "the mint carries a Token-2022 extension that changes transfers or who controls balances"
    )]
    UnsafeMintExtension,
    #[msg("the mint is not owned by the SPL Token or Token-2022 program")]
    NotAMint,
    #[msg("only the program's upgrade authority may initialise it")]
    NotUpgradeAuthority,
    #[msg("the account is not this program's ProgramData (address, owner or layout)")]
    InvalidProgramData,
    #[msg("the program has no upgrade authority (immutable), so nobody may initialise it")]
    ProgramImmutable,
    #[msg("only the admin may do this")]
    NotAdmin,
    #[msg("only the proposed admin may accept the admin role")]
    NotPendingAdmin,
    #[msg("no admin handover is pending")]
    NoPendingAdmin,
}
