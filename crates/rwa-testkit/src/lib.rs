//! Test harness for the protocol: one `ProgramTest` bank with all six programs registered
//! natively (or their SBF builds, when `SBF_OUT_DIR` points at them), plus the SPL Token,
//! Token-2022 and Associated Token programs that program-test ships, and helpers for mints,
//! token accounts, transactions, errors by name, the clock and Anchor accounts, and each
//! program's ProgramData account (`authority`), which `initialize` checks.
//!
//! The instruction builders and PDAs are the SDK's (`rwa_sdk::{registry, oracle, pricer,
//! anchor_token, reserve}`); each program module here re-exports them next to its fixture
//! (`Registry`, `OracleFixture`, `PricedPool`, `AnchorFixture`, `ReserveFixture`), and
//! [`TestEnv::sdk`] gives the SDK over the test bank.
use anchor_lang::{
    prelude::{AccountInfo, Pubkey},
    solana_program::{entrypoint::ProgramResult, system_instruction},
    AccountDeserialize,
};
use rwa_sdk::{BanksChain, Sdk};
// The program crate, by another name than the `transfer_hook` fixture module below.
use ::transfer_hook as hook_program;
use solana_program_test::{processor, ProgramTest, ProgramTestContext};
use solana_sdk::{
    account::Account,
    clock::Clock,
    instruction::{Instruction, InstructionError},
    program_pack::Pack,
    rent::Rent,
    signature::{Keypair, Signer},
    transaction::{Transaction, TransactionError},
};

pub use anchor_spl::token::spl_token;
pub use anchor_spl::token_2022::spl_token_2022;
/// The instruction builders live in the SDK; the testkit's program modules re-export them.
pub use rwa_sdk::{self, anchor_ix, errors::failing_program};
pub use solana_program_test;
pub use solana_sdk;

pub mod anchor_token;
pub mod authority;
pub mod oracle;
pub mod pricer;
pub mod registry;
pub mod reserve;
pub mod token;
pub mod transfer_hook;

/// Registers a native wrapper around an Anchor program's `entry`.
///
/// Anchor's `entry` wants `&'info [AccountInfo<'info>]` (one lifetime for the slice and the
/// accounts), while program-test hands a builtin `&'a [AccountInfo<'b>]`. The wrapper narrows
/// `'b` to `'a`; sound here because the runtime keeps every account alive for the whole call
/// and the program stores no `AccountInfo` beyond it.
macro_rules! native_entry {
    ($name:ident, $program:ident) => {
        fn $name(program_id: &Pubkey, accounts: &[AccountInfo], data: &[u8]) -> ProgramResult {
            // SAFETY: see the macro's doc comment; test-only.
            let accounts: &[AccountInfo] = unsafe { core::mem::transmute(accounts) };
            $program::entry(program_id, accounts, data)
        }
    };
}

native_entry!(rwa_oracle_entry, rwa_oracle);
native_entry!(receivables_entry, receivables);
native_entry!(dcf_pricer_entry, dcf_pricer);
native_entry!(value_anchor_entry, value_anchor);
native_entry!(buyback_reserve_entry, buyback_reserve);
native_entry!(transfer_hook_entry, hook_program);

/// A `ProgramTest` with the six protocol programs. SPL Token, Token-2022 and the Associated
/// Token Account program are present by default in program-test.
pub fn program_test() -> ProgramTest {
    let mut pt = ProgramTest::default();
    // program-test turns on debug logs of every instruction; keep test output readable unless
    // RUST_LOG asks for them.
    agave_logger::setup_with_default("error");
    pt.add_program("rwa_oracle", rwa_oracle::ID, processor!(rwa_oracle_entry));
    pt.add_program("receivables", receivables::ID, processor!(receivables_entry));
    pt.add_program("dcf_pricer", dcf_pricer::ID, processor!(dcf_pricer_entry));
    pt.add_program("value_anchor", value_anchor::ID, processor!(value_anchor_entry));
    pt.add_program("buyback_reserve", buyback_reserve::ID, processor!(buyback_reserve_entry));
    pt.add_program("transfer_hook", ::transfer_hook::ID, processor!(transfer_hook_entry));
    pt
}

thread_local! {
    /// `Some(n)`: this thread's fixtures are reproducible (see [`reproducible_fixtures`]) and
    /// `n` keypairs were handed out so far.
    static REPRODUCIBLE: std::cell::Cell<Option<u64>> = const { std::cell::Cell::new(None) };
}

/// Makes every fixture this thread builds from now on reproducible: keypairs come from a
/// counter instead of the OS's randomness, and a new bank's clock starts at
/// [`oracle::T0`](crate::oracle::T0). For tests that write what the programs produced to files
/// checked in (the TypeScript client's fixtures), so that regenerating them changes nothing.
/// Tests run on one thread each (`#[tokio::test]`), so the others keep random keys. Every
/// keypair the testkit's fixtures make must therefore come from [`new_keypair`].
pub fn reproducible_fixtures() {
    REPRODUCIBLE.with(|r| r.set(Some(0)));
}

/// A new keypair: random, or the next of the counter under [`reproducible_fixtures`].
pub fn new_keypair() -> Keypair {
    REPRODUCIBLE.with(|r| match r.get() {
        None => Keypair::new(),
        Some(n) => {
            r.set(Some(n + 1));
            let mut secret = [0x52u8; 32];
            secret[..8].copy_from_slice(&(n + 1).to_le_bytes());
            Keypair::new_from_array(secret)
        }
    })
}

/// Something run before every transaction that a thread's [`TestEnv`]s send (see
/// [`set_send_hook`]). The adversarial suite (`tests/security`) installs one that attacks each
/// protocol instruction with substituted accounts against the state the instruction is about to
/// run in, before the instruction itself is sent. The hook is taken out while it runs, so what
/// it sends is not hooked again.
pub trait SendHook {
    fn before_send<'a>(
        &'a mut self,
        env: &'a mut TestEnv,
        ixs: &'a [Instruction],
        signers: &'a [&'a Keypair],
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = ()> + 'a>>;
}

thread_local! {
    static SEND_HOOK: std::cell::RefCell<Option<Box<dyn SendHook>>> =
        const { std::cell::RefCell::new(None) };
}

/// Installs `hook` for every transaction this thread's test environments send from now on
/// (`None` removes it); returns the hook that was installed before. Tests run one per thread
/// (`#[tokio::test]`), so the others are unaffected.
pub fn set_send_hook(hook: Option<Box<dyn SendHook>>) -> Option<Box<dyn SendHook>> {
    SEND_HOOK.with(|h| std::mem::replace(&mut *h.borrow_mut(), hook))
}

/// A running bank and the helpers every integration test uses.
pub struct TestEnv {
    pub ctx: ProgramTestContext,
    /// Signatures already sent: an identical transaction is re-signed on a fresh blockhash
    /// rather than dropped by the bank as already processed.
    sent: std::collections::HashSet<solana_sdk::signature::Signature>,
}

/// `ix` with the signer `from` replaced by `to` (every other account unchanged): the same
/// instruction sent by someone else, for signer-substitution tests.
pub fn resign(mut ix: Instruction, from: &Pubkey, to: &Pubkey) -> Instruction {
    for meta in ix.accounts.iter_mut().filter(|m| m.is_signer && m.pubkey == *from) {
        meta.pubkey = *to;
    }
    ix
}

/// What a failed transaction said: the runtime error and the program logs.
#[derive(Debug)]
pub struct TxFailure {
    pub error: TransactionError,
    pub logs: Vec<String>,
}

/// An Anchor error enum a test can expect, and the program that raises it.
pub trait ExpectedError: Into<anchor_lang::error::Error> {
    /// The program whose frame fails with this error; `None` for errors any program can raise
    /// (Anchor's own `ErrorCode`, the shared `rwa_guard::GuardError`): those are expected from
    /// the program of the failing instruction.
    const PROGRAM: Option<Pubkey>;
}

macro_rules! expected_error {
    ($($error:ty => $program:expr),* $(,)?) => {
        $(impl ExpectedError for $error {
            const PROGRAM: Option<Pubkey> = $program;
        })*
    };
}

expected_error! {
    rwa_oracle::errors::OracleError => Some(rwa_oracle::ID),
    receivables::errors::ReceivablesError => Some(receivables::ID),
    dcf_pricer::errors::PricerError => Some(dcf_pricer::ID),
    value_anchor::errors::AnchorTokenError => Some(value_anchor::ID),
    buyback_reserve::errors::ReserveError => Some(buyback_reserve::ID),
    ::transfer_hook::errors::HookError => Some(::transfer_hook::ID),
    anchor_lang::error::ErrorCode => None,
    rwa_guard::GuardError => None,
}

impl TxFailure {
    /// Asserts that instruction `index` failed with the Anchor error `expected` (its number),
    /// that the failing frame in the logs is `program`'s and names the same number (so another
    /// program's error with the same number is refused), and, where the program log is captured
    /// (SBF builds; a native program's `msg!` goes to stdout), that the log names the error.
    pub fn assert_error(
        &self,
        index: usize,
        program: Pubkey,
        expected: impl Into<anchor_lang::error::Error>,
    ) {
        let (name, number) = match expected.into() {
            anchor_lang::error::Error::AnchorError(e) => (e.error_name, e.error_code_number),
            other => panic!("expected an Anchor error code, got {other:?}"),
        };
        let logs = self.logs.join("\n");
        let (failed_at, code) = match &self.error {
            TransactionError::InstructionError(i, InstructionError::Custom(code)) => {
                (*i as usize, *code)
            }
            other => panic!("expected {name} ({number}), got {other:?}; logs:\n{logs}"),
        };
        assert_eq!(
            (failed_at, code),
            (index, number),
            "expected {name} ({number}) from instruction {index}, but instruction {failed_at} \
             failed with error number {code}; logs:\n{logs}"
        );
        match failing_program(&self.logs) {
            Some(failed) => {
                assert!(
                    failed == program,
                    "expected {name} ({number}) raised by program {program}, but program \
                     {failed} raised error number {code}; logs:\n{logs}"
                );
                let needle = format!("Program {failed} failed: custom program error: {code:#x}");
                assert!(logs.contains(&needle), "the failing frame is not {needle}; logs:\n{logs}");
            }
            // a transaction's log is capped (10 KB): only a truncated log may lack the frame
            None => assert!(
                self.logs.iter().any(|l| l.contains("Log truncated")),
                "no failing program frame in the logs:\n{logs}"
            ),
        }
        if self.logs.iter().any(|l| l.contains("Error Code: ")) {
            let needle = format!("Error Code: {name}.");
            assert!(logs.contains(&needle), "expected {name} in the logs:\n{logs}");
        }
    }
}

impl TestEnv {
    /// Starts a bank with every protocol program.
    pub async fn start() -> Self {
        Self::start_with(program_test()).await
    }

    /// Starts a bank from a `ProgramTest` the caller has added accounts to.
    pub async fn start_with(pt: ProgramTest) -> Self {
        let mut env = Self { ctx: pt.start_with_context().await, sent: Default::default() };
        if REPRODUCIBLE.with(|r| r.get().is_some()) {
            env.set_unix_timestamp(oracle::T0).await;
        }
        env
    }

    /// The bank as the SDK's [`rwa_sdk::Chain`] (its `BanksClient`).
    pub fn chain(&self) -> BanksChain {
        BanksChain::new(self.ctx.banks_client.clone())
    }

    /// The SDK over this bank.
    pub fn sdk(&self) -> Sdk<BanksChain> {
        Sdk::new(self.chain())
    }

    /// The funded fee payer.
    pub fn payer(&self) -> &Keypair {
        &self.ctx.payer
    }

    /// A fresh keypair holding `lamports`.
    pub async fn funded_keypair(&mut self, lamports: u64) -> Keypair {
        let kp = new_keypair();
        self.transfer_lamports(&kp.pubkey(), lamports).await;
        kp
    }

    /// Moves `lamports` from the payer to `to`.
    pub async fn transfer_lamports(&mut self, to: &Pubkey, lamports: u64) {
        let ix = system_instruction::transfer(&self.ctx.payer.pubkey(), to, lamports);
        self.send(&[ix], &[]).await.expect("lamport transfer");
    }

    /// Signs with the payer and `signers`, sends, and returns the logs or the failure.
    pub async fn send(
        &mut self,
        ixs: &[Instruction],
        signers: &[&Keypair],
    ) -> Result<Vec<String>, TxFailure> {
        self.process(ixs, signers).await.map(|(logs, _)| logs)
    }

    /// Sends, and decodes the return data of the last instruction (an Anchor instruction's
    /// `Result<T>` value). `None` when the programs run natively: Anchor's `set_return_data`
    /// is a no-op off the SBF target, so callers recompute the value from account state.
    pub async fn send_for_return<T: anchor_lang::AnchorDeserialize>(
        &mut self,
        ixs: &[Instruction],
        signers: &[&Keypair],
    ) -> Result<Option<T>, TxFailure> {
        let (_, data) = self.process(ixs, signers).await?;
        Ok(data.map(|d| T::try_from_slice(&d).expect("return data decodes")))
    }

    async fn process(
        &mut self,
        ixs: &[Instruction],
        signers: &[&Keypair],
    ) -> Result<(Vec<String>, Option<Vec<u8>>), TxFailure> {
        if let Some(mut hook) = SEND_HOOK.with(|h| h.borrow_mut().take()) {
            hook.before_send(self, ixs, signers).await;
            SEND_HOOK.with(|h| *h.borrow_mut() = Some(hook));
        }
        let payer = self.ctx.payer.insecure_clone();
        let mut all: Vec<&Keypair> = vec![&payer];
        all.extend(signers.iter().copied());
        let mut blockhash =
            self.ctx.banks_client.get_latest_blockhash().await.expect("latest blockhash");
        let mut tx =
            Transaction::new_signed_with_payer(ixs, Some(&payer.pubkey()), &all, blockhash);
        while self.sent.contains(&tx.signatures[0]) {
            blockhash = self.ctx.get_new_latest_blockhash().await.expect("new blockhash");
            tx = Transaction::new_signed_with_payer(ixs, Some(&payer.pubkey()), &all, blockhash);
        }
        self.sent.insert(tx.signatures[0]);
        let outcome = self
            .ctx
            .banks_client
            .process_transaction_with_metadata(tx)
            .await
            .expect("banks client transport");
        let (logs, data) = outcome
            .metadata
            .map(|m| (m.log_messages, m.return_data.map(|r| r.data)))
            .unwrap_or_default();
        match outcome.result {
            Ok(()) => Ok((logs, data)),
            Err(error) => Err(TxFailure { error, logs }),
        }
    }

    /// Sends and panics with the logs if the transaction fails.
    pub async fn send_ok(&mut self, ixs: &[Instruction], signers: &[&Keypair]) -> Vec<String> {
        match self.send(ixs, signers).await {
            Ok(logs) => logs,
            Err(f) => panic!("transaction failed: {:?}\nlogs:\n{}", f.error, f.logs.join("\n")),
        }
    }

    /// Sends and asserts that the LAST instruction fails with the Anchor error `expected`,
    /// raised by the program `E::PROGRAM` names (a program's `#[error_code]` enum), or, for
    /// errors any program can raise (`anchor_lang::error::ErrorCode`, `rwa_guard::GuardError`),
    /// by the program of that instruction. Every program numbers its errors from 6000, so the
    /// number alone would let another program's error satisfy the test: see
    /// [`TxFailure::assert_error`] for what is checked.
    pub async fn send_expect_error<E: ExpectedError>(
        &mut self,
        ixs: &[Instruction],
        signers: &[&Keypair],
        expected: E,
    ) {
        let index = ixs.len().checked_sub(1).expect("a transaction has an instruction");
        self.send_expect_error_at(ixs, signers, index, expected).await;
    }

    /// As [`send_expect_error`](Self::send_expect_error), for the instruction at `index`.
    pub async fn send_expect_error_at<E: ExpectedError>(
        &mut self,
        ixs: &[Instruction],
        signers: &[&Keypair],
        index: usize,
        expected: E,
    ) {
        let program = E::PROGRAM.unwrap_or_else(|| ixs[index].program_id);
        self.send_expect_error_from(ixs, signers, index, program, expected).await;
    }

    /// Sends and asserts that instruction `index` fails with `expected` raised by `program`
    /// (e.g. an Anchor constraint error raised by the callee of a CPI).
    pub async fn send_expect_error_from(
        &mut self,
        ixs: &[Instruction],
        signers: &[&Keypair],
        index: usize,
        program: Pubkey,
        expected: impl Into<anchor_lang::error::Error>,
    ) {
        let failure = self.send_expect_failure(ixs, signers).await;
        failure.assert_error(index, program, expected);
    }

    /// Sends and asserts the transaction fails; returns how. For refusals raised by the runtime
    /// itself, whose error differs between native and SBF execution.
    pub async fn send_expect_failure(
        &mut self,
        ixs: &[Instruction],
        signers: &[&Keypair],
    ) -> TxFailure {
        match self.send(ixs, signers).await {
            Ok(logs) => panic!("expected a failure, it succeeded; logs:\n{}", logs.join("\n")),
            Err(f) => f,
        }
    }

    /// Raw account, if it exists.
    pub async fn account(&mut self, address: Pubkey) -> Option<Account> {
        self.ctx.banks_client.get_account(address).await.expect("banks client transport")
    }

    /// Reads and deserialises an Anchor account (discriminator checked).
    pub async fn anchor_account<T: AccountDeserialize>(&mut self, address: Pubkey) -> T {
        let account = self
            .account(address)
            .await
            .unwrap_or_else(|| panic!("account {address} does not exist"));
        T::try_deserialize(&mut account.data.as_slice())
            .unwrap_or_else(|e| panic!("account {address} does not deserialise: {e:?}"))
    }

    /// The bank's clock.
    pub async fn clock(&mut self) -> Clock {
        self.ctx.banks_client.get_sysvar::<Clock>().await.expect("clock sysvar")
    }

    /// Moves the clock's unix timestamp to `unix_timestamp` (forward or back, test-only).
    pub async fn set_unix_timestamp(&mut self, unix_timestamp: i64) {
        let mut clock = self.clock().await;
        clock.unix_timestamp = unix_timestamp;
        self.ctx.set_sysvar(&clock);
    }

    /// Waits for a new blockhash: a transaction identical to one sent before through another
    /// client of the bank (the SDK's `BanksChain`, which this env does not track) is then new
    /// again instead of "already processed".
    pub async fn next_blockhash(&mut self) {
        use solana_program_test::ProgramTestBanksClientExt;
        let client = &mut self.ctx.banks_client;
        let current = client.get_latest_blockhash().await.expect("latest blockhash");
        client.get_new_latest_blockhash(&current).await.expect("new blockhash");
    }

    /// Advances the clock by `seconds`.
    pub async fn warp_seconds(&mut self, seconds: i64) {
        let now = self.clock().await.unix_timestamp;
        self.set_unix_timestamp(now + seconds).await;
    }

    /// Rent-exempt minimum for `len` bytes.
    pub fn rent_exempt(len: usize) -> u64 {
        Rent::default().minimum_balance(len)
    }

    /// Writes an account straight into the bank (for fixtures such as oracle price updates).
    pub fn set_account(&mut self, address: Pubkey, account: Account) {
        self.ctx.set_account(&address, &account.into());
    }
}

/// Unpacks an SPL Token (classic or Token-2022 base layout) token account's amount.
pub fn unpack_amount(data: &[u8]) -> u64 {
    spl_token::state::Account::unpack_from_slice(&data[..spl_token::state::Account::LEN])
        .expect("token account")
        .amount
}

/// What integration tests import.
pub mod prelude {
    pub use crate::{anchor_ix, resign, token::TokenProgram, ExpectedError, TestEnv, TxFailure};
    pub use anchor_lang::prelude::Pubkey;
    pub use solana_sdk::{
        instruction::{Instruction, InstructionError},
        signature::{Keypair, Signer},
    };
}
