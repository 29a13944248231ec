//! Client SDK of the RWA liquidity protocol.
//!
//! - **Instruction builders** for every instruction of the five programs, one module a program:
//!   [`registry`] (receivables), [`oracle`] (rwa-oracle), [`pricer`] (dcf-pricer),
//!   [`anchor_token`] (value-anchor), [`reserve`] (buyback-reserve) and [`transfer_hook`]
//!   (the permissioned units' transfer hook). They take the keys an
//!   instruction cannot derive (signers, token accounts, mints) and derive every PDA. The
//!   integration tests build their transactions with them (`rwa-testkit` re-exports them).
//! - **[`Sdk`]**: the same instructions at a higher level, with every account read from the
//!   programs' state (a pool's unit mint and token program, value-anchor's accepted pools, the
//!   reserve's listed pools, ...), account readers, and transaction composition
//!   ([`Sdk::exchange_tx`]: compute budget, `refresh_rate` and `exchange` in one transaction).
//! - **[`Chain`]**: what the SDK needs of a cluster (accounts, blockhash, send, clock), with two
//!   implementations: [`RpcChain`] (an RPC URL) and [`BanksChain`] (the embedded runtime's
//!   `BanksClient`, as `solana-program-test` runs it).
//! - **[`decode_error`]**: an Anchor error number in a program's frame to the error's program,
//!   name and message.
//! - **[`preview`]**: what an exit pays, computed as the programs compute it (rwa-math), so a
//!   wallet can show "you will receive X" before signing.
#![deny(clippy::unwrap_used, clippy::expect_used, missing_docs)]
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used))]

use anchor_lang::{prelude::Pubkey, InstructionData, ToAccountMetas};
use anchor_spl::associated_token::get_associated_token_address_with_program_id;
use solana_sdk::instruction::{AccountMeta, Instruction};

pub use anchor_spl::{token::spl_token, token_2022::spl_token_2022};

pub mod anchor_token;
pub mod chain;
pub mod compose;
pub mod error;
pub mod errors;
pub mod oracle;
pub mod preview;
pub mod pricer;
pub mod registry;
pub mod reserve;
pub mod sdk;
pub mod transfer_hook;

pub use chain::{BanksChain, Chain, RpcChain};
pub use error::{SdkError, TxFailure};
pub use errors::{decode_error, DecodedError};
pub use sdk::Sdk;

/// Which token program a mint lives under.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TokenProgram {
    /// SPL Token.
    Classic,
    /// Token-2022.
    Token2022,
}

impl TokenProgram {
    /// The program id.
    pub fn id(self) -> Pubkey {
        match self {
            TokenProgram::Classic => spl_token::ID,
            TokenProgram::Token2022 => spl_token_2022::ID,
        }
    }

    /// The token program whose id is `id`, if it is one of the two.
    pub fn from_id(id: &Pubkey) -> Option<TokenProgram> {
        if *id == spl_token::ID {
            Some(TokenProgram::Classic)
        } else if *id == spl_token_2022::ID {
            Some(TokenProgram::Token2022)
        } else {
            None
        }
    }
}

/// Builds an Anchor instruction from its generated `accounts` and `instruction` structs.
pub fn anchor_ix(
    program_id: Pubkey,
    accounts: impl ToAccountMetas,
    data: impl InstructionData,
) -> Instruction {
    Instruction { program_id, accounts: accounts.to_account_metas(None), data: data.data() }
}

/// `ix` with `pools` appended as read-only remaining accounts (the accepted or listed pools
/// several instructions take, in slot order).
pub(crate) fn append_readonly(mut ix: Instruction, pools: &[Pubkey]) -> Instruction {
    ix.accounts.extend(pools.iter().map(|p| AccountMeta::new_readonly(*p, false)));
    ix
}

/// `owner`'s associated token account for `mint` under `token_program`.
pub fn associated_token_address(owner: &Pubkey, mint: &Pubkey, token_program: &Pubkey) -> Pubkey {
    get_associated_token_address_with_program_id(owner, mint, token_program)
}

/// The idempotent `create_associated_token_account` of `owner`'s account for `mint`, paid by
/// `payer` (a no-op when it exists).
pub fn create_associated_token_account_ix(
    payer: &Pubkey,
    owner: &Pubkey,
    mint: &Pubkey,
    token_program: &Pubkey,
) -> Instruction {
    anchor_spl::associated_token::spl_associated_token_account::instruction::create_associated_token_account_idempotent(
        payer,
        owner,
        mint,
        token_program,
    )
}

/// Builds `propose_admin`, `accept_admin` and `set_guardian` of `$program` (whose config is
/// the PDA `config_pda()` in scope): their accounts are the same in every program.
macro_rules! admin_instructions {
    ($program:ident) => {
        /// `propose_admin(new_admin)` signed by `admin`.
        pub fn propose_admin_ix(admin: &Pubkey, new_admin: Pubkey) -> Instruction {
            $crate::anchor_ix(
                ::$program::ID,
                ::$program::accounts::ProposeAdmin { admin: *admin, config: config_pda() },
                ::$program::instruction::ProposeAdmin { new_admin },
            )
        }

        /// `accept_admin()` signed by `pending_admin`.
        pub fn accept_admin_ix(pending_admin: &Pubkey) -> Instruction {
            $crate::anchor_ix(
                ::$program::ID,
                ::$program::accounts::AcceptAdmin {
                    pending_admin: *pending_admin,
                    config: config_pda(),
                },
                ::$program::instruction::AcceptAdmin {},
            )
        }

        /// `set_guardian(guardian)` signed by `admin`.
        pub fn set_guardian_ix(admin: &Pubkey, guardian: Pubkey) -> Instruction {
            $crate::anchor_ix(
                ::$program::ID,
                ::$program::accounts::SetGuardian { admin: *admin, config: config_pda() },
                ::$program::instruction::SetGuardian { guardian },
            )
        }
    };
}
pub(crate) use admin_instructions;

/// The upgradeable loader's ProgramData address of `program_id`, which every program's
/// `initialize` names.
pub use rwa_guard::authority::program_data_address;
