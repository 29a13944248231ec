//! The SDK's error type.
use anchor_lang::prelude::Pubkey;
use solana_sdk::{signature::Signature, transaction::TransactionError};

use crate::{errors::DecodedError, preview::PreviewError};

/// What went wrong in an SDK call.
#[derive(Debug, thiserror::Error)]
pub enum SdkError {
    /// The cluster could not be reached or answered with an error (RPC or banks transport).
    #[error("chain: {0}")]
    Chain(String),
    /// An account the call needs does not exist.
    #[error("account {0} does not exist")]
    AccountNotFound(Pubkey),
    /// An account exists but does not decode as the type expected.
    #[error("account {address} is not a {expected}: {reason}")]
    AccountDecode {
        /// The account.
        address: Pubkey,
        /// The type expected.
        expected: &'static str,
        /// Why it does not decode.
        reason: String,
    },
    /// A transaction was refused or failed.
    #[error("{0}")]
    Transaction(Box<TxFailure>),
    /// A transaction could not be signed (a signer is missing).
    #[error("signing: {0}")]
    Signing(String),
    /// A pool is not in the state the call needs (not accepted, not listed, not priced).
    #[error("pool {pool}: {reason}")]
    Pool {
        /// The receivables pool.
        pool: Pubkey,
        /// What is missing.
        reason: &'static str,
    },
    /// A valuation preview was refused: the instruction would fail, or the math did.
    #[error("preview: {0}")]
    Preview(#[from] PreviewError),
}

/// A failed transaction: the runtime's error, the program logs when the cluster returned them,
/// and the error decoded by program name when it is a protocol program's Anchor error.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TxFailure {
    /// The transaction's signature, when it was signed.
    pub signature: Option<Signature>,
    /// The runtime's error.
    pub error: TransactionError,
    /// The program logs (empty when the cluster returned none).
    pub logs: Vec<String>,
    /// The error decoded (see [`crate::errors::decode_transaction_error`]).
    pub decoded: Option<DecodedError>,
}

impl std::fmt::Display for TxFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "transaction failed: {}", self.error)?;
        if let Some(decoded) = &self.decoded {
            write!(f, " ({decoded})")?;
        }
        Ok(())
    }
}
