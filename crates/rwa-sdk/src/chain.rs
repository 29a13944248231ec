//! What the SDK needs of a cluster, and its two implementations: an RPC node ([`RpcChain`])
//! and the embedded runtime's `BanksClient` ([`BanksChain`], as `solana-program-test` runs it).
use std::future::Future;

use anchor_lang::prelude::Pubkey;
use solana_banks_client::BanksClient;
use solana_commitment_config::CommitmentConfig;
use solana_rpc_client::nonblocking::rpc_client::RpcClient;
use solana_rpc_client_api::{client_error, request::RpcError, request::RpcResponseErrorData};
use solana_sdk::{
    account::Account,
    clock::Clock,
    hash::Hash,
    instruction::Instruction,
    signature::{Keypair, Signature, Signer},
    transaction::{Transaction, TransactionError},
};

use crate::{
    error::{SdkError, TxFailure},
    errors::decode_transaction_error,
};

/// Most accounts one `getMultipleAccounts` call returns.
const MAX_MULTIPLE_ACCOUNTS: usize = 100;

/// A cluster the SDK reads accounts from and sends transactions to.
pub trait Chain: Send + Sync {
    /// The account at `address`, `None` if it does not exist.
    fn get_account(
        &self,
        address: &Pubkey,
    ) -> impl Future<Output = Result<Option<Account>, SdkError>> + Send;

    /// The accounts at `addresses`, in order, `None` for each that does not exist.
    fn get_multiple_accounts(
        &self,
        addresses: &[Pubkey],
    ) -> impl Future<Output = Result<Vec<Option<Account>>, SdkError>> + Send;

    /// A recent blockhash to sign with.
    fn latest_blockhash(&self) -> impl Future<Output = Result<Hash, SdkError>> + Send;

    /// Sends a signed transaction and waits until it is processed (confirmed, over RPC);
    /// a failure is [`SdkError::Transaction`] with the logs and the decoded error when the
    /// cluster returns them.
    fn send_transaction(
        &self,
        transaction: &Transaction,
    ) -> impl Future<Output = Result<Signature, SdkError>> + Send;

    /// The cluster's clock.
    fn clock(&self) -> impl Future<Output = Result<Clock, SdkError>> + Send;

    /// Signs `instructions` with `payer` (fee payer) and `signers` on a recent blockhash and
    /// sends them as one transaction.
    fn send(
        &self,
        instructions: &[Instruction],
        payer: &Keypair,
        signers: &[&Keypair],
    ) -> impl Future<Output = Result<Signature, SdkError>> + Send {
        async move {
            let blockhash = self.latest_blockhash().await?;
            let tx = sign(instructions, payer, signers, blockhash)?;
            self.send_transaction(&tx).await
        }
    }
}

/// `instructions` as one transaction paid by `payer`, signed by it and `signers`.
pub fn sign(
    instructions: &[Instruction],
    payer: &Keypair,
    signers: &[&Keypair],
    blockhash: Hash,
) -> Result<Transaction, SdkError> {
    let mut all: Vec<&Keypair> = vec![payer];
    all.extend(signers.iter().copied().filter(|s| s.pubkey() != payer.pubkey()));
    let mut tx = Transaction::new_with_payer(instructions, Some(&payer.pubkey()));
    tx.try_sign(&all, blockhash).map_err(|e| SdkError::Signing(e.to_string()))?;
    Ok(tx)
}

/// The program id of each of `tx`'s instructions.
fn instruction_programs(tx: &Transaction) -> Vec<Pubkey> {
    let keys = &tx.message.account_keys;
    tx.message
        .instructions
        .iter()
        .map(|ix| keys.get(ix.program_id_index as usize).copied().unwrap_or_default())
        .collect()
}

/// A failed transaction as [`SdkError::Transaction`], its error decoded.
fn failure(tx: &Transaction, error: TransactionError, logs: Vec<String>) -> SdkError {
    let decoded = decode_transaction_error(&error, &instruction_programs(tx), &logs);
    let signature = tx.signatures.first().copied();
    SdkError::Transaction(Box::new(TxFailure { signature, error, logs, decoded }))
}

/// The Clock sysvar from its account data (bincode: slot, epoch_start_timestamp, epoch,
/// leader_schedule_epoch, unix_timestamp; 8 bytes each, little endian).
pub fn clock_from_account_data(data: &[u8]) -> Option<Clock> {
    let word = |i: usize| -> Option<[u8; 8]> { data.get(i * 8..i * 8 + 8)?.try_into().ok() };
    Some(Clock {
        slot: u64::from_le_bytes(word(0)?),
        epoch_start_timestamp: i64::from_le_bytes(word(1)?),
        epoch: u64::from_le_bytes(word(2)?),
        leader_schedule_epoch: u64::from_le_bytes(word(3)?),
        unix_timestamp: i64::from_le_bytes(word(4)?),
    })
}

/// A cluster behind an RPC URL (`solana-rpc-client`'s nonblocking client).
pub struct RpcChain {
    client: RpcClient,
}

impl RpcChain {
    /// A client of `url` at `confirmed` commitment.
    pub fn new(url: impl Into<String>) -> Self {
        Self::from_client(RpcClient::new_with_commitment(url.into(), CommitmentConfig::confirmed()))
    }

    /// Over an existing client (its commitment is used for every read).
    pub fn from_client(client: RpcClient) -> Self {
        RpcChain { client }
    }

    /// The underlying client.
    pub fn client(&self) -> &RpcClient {
        &self.client
    }
}

fn rpc_error(e: client_error::Error) -> SdkError {
    SdkError::Chain(e.to_string())
}

/// The simulation logs of a transaction refused at preflight.
fn preflight_logs(e: &client_error::Error) -> Vec<String> {
    match e.kind() {
        client_error::ErrorKind::RpcError(RpcError::RpcResponseError {
            data: RpcResponseErrorData::SendTransactionPreflightFailure(result),
            ..
        }) => result.logs.clone().unwrap_or_default(),
        _ => vec![],
    }
}

impl Chain for RpcChain {
    async fn get_account(&self, address: &Pubkey) -> Result<Option<Account>, SdkError> {
        let response = self
            .client
            .get_account_with_commitment(address, self.client.commitment())
            .await
            .map_err(rpc_error)?;
        Ok(response.value)
    }

    async fn get_multiple_accounts(
        &self,
        addresses: &[Pubkey],
    ) -> Result<Vec<Option<Account>>, SdkError> {
        let mut out = Vec::with_capacity(addresses.len());
        for chunk in addresses.chunks(MAX_MULTIPLE_ACCOUNTS) {
            out.extend(self.client.get_multiple_accounts(chunk).await.map_err(rpc_error)?);
        }
        Ok(out)
    }

    async fn latest_blockhash(&self) -> Result<Hash, SdkError> {
        self.client.get_latest_blockhash().await.map_err(rpc_error)
    }

    async fn send_transaction(&self, transaction: &Transaction) -> Result<Signature, SdkError> {
        match self.client.send_and_confirm_transaction(transaction).await {
            Ok(signature) => Ok(signature),
            Err(e) => match e.get_transaction_error() {
                Some(error) => Err(failure(transaction, error, preflight_logs(&e))),
                None => Err(rpc_error(e)),
            },
        }
    }

    async fn clock(&self) -> Result<Clock, SdkError> {
        let address = solana_sdk::sysvar::clock::ID;
        let account =
            self.get_account(&address).await?.ok_or(SdkError::AccountNotFound(address))?;
        clock_from_account_data(&account.data).ok_or(SdkError::AccountDecode {
            address,
            expected: "Clock",
            reason: "shorter than 40 bytes".into(),
        })
    }
}

/// The embedded runtime (`solana-program-test`'s bank) through its `BanksClient`.
#[derive(Clone)]
pub struct BanksChain {
    client: BanksClient,
}

impl BanksChain {
    /// Over `client` (e.g. `ProgramTestContext::banks_client`, cloned).
    pub fn new(client: BanksClient) -> Self {
        BanksChain { client }
    }

    /// The underlying client.
    pub fn client(&self) -> &BanksClient {
        &self.client
    }
}

fn banks_error(e: solana_banks_client::BanksClientError) -> SdkError {
    SdkError::Chain(e.to_string())
}

impl Chain for BanksChain {
    async fn get_account(&self, address: &Pubkey) -> Result<Option<Account>, SdkError> {
        self.client.get_account(*address).await.map_err(banks_error)
    }

    async fn get_multiple_accounts(
        &self,
        addresses: &[Pubkey],
    ) -> Result<Vec<Option<Account>>, SdkError> {
        let mut out = Vec::with_capacity(addresses.len());
        for address in addresses {
            out.push(self.client.get_account(*address).await.map_err(banks_error)?);
        }
        Ok(out)
    }

    async fn latest_blockhash(&self) -> Result<Hash, SdkError> {
        self.client.get_latest_blockhash().await.map_err(banks_error)
    }

    async fn send_transaction(&self, transaction: &Transaction) -> Result<Signature, SdkError> {
        let outcome = self
            .client
            .process_transaction_with_metadata(transaction.clone())
            .await
            .map_err(banks_error)?;
        match outcome.result {
            Ok(()) => transaction
                .signatures
                .first()
                .copied()
                .ok_or_else(|| SdkError::Signing("unsigned transaction".into())),
            Err(error) => {
                let logs = outcome.metadata.map(|m| m.log_messages).unwrap_or_default();
                Err(failure(transaction, error, logs))
            }
        }
    }

    async fn clock(&self) -> Result<Clock, SdkError> {
        self.client.get_sysvar::<Clock>().await.map_err(banks_error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_clock_decodes_from_its_sysvar_bytes() {
        let mut data = vec![];
        for word in [7u64, 11, 3, 4, 1_800_000_000] {
            data.extend_from_slice(&word.to_le_bytes());
        }
        let clock = clock_from_account_data(&data).unwrap();
        assert_eq!((clock.slot, clock.epoch, clock.unix_timestamp), (7, 3, 1_800_000_000));
        assert_eq!(clock_from_account_data(&data[..39]), None);
    }

    #[test]
    fn signing_needs_every_signer_and_takes_the_payer_once() {
        let payer = Keypair::new();
        let other = Keypair::new();
        let ix = anchor_lang::solana_program::system_instruction::transfer(
            &other.pubkey(),
            &payer.pubkey(),
            1,
        );
        let hash = Hash::new_unique();
        assert!(matches!(
            sign(std::slice::from_ref(&ix), &payer, &[], hash),
            Err(SdkError::Signing(_))
        ));
        let tx = sign(&[ix], &payer, &[&payer, &other], hash).unwrap();
        assert_eq!(tx.signatures.len(), 2);
        assert!(tx.verify().is_ok());
    }
}
