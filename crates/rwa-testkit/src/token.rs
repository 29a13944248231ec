//! SPL Token and Token-2022 helpers (base layouts; both programs share them).
use anchor_lang::{
    prelude::Pubkey,
    solana_program::{instruction::Instruction, system_instruction},
};
use anchor_spl::associated_token::get_associated_token_address_with_program_id;
use solana_sdk::{
    program_pack::Pack,
    signature::{Keypair, Signer},
};

use crate::{spl_token, spl_token_2022, unpack_amount, TestEnv};
use spl_token_2022::extension::ExtensionType;

/// Which token program a mint lives under (the SDK's).
pub use rwa_sdk::TokenProgram;

/// A Token-2022 mint extension a test mint can carry (each with the issuer-controlled
/// authority an attacker would set).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MintExtension {
    /// `bps` of every transfer withheld, at most `max` base units.
    TransferFee {
        bps: u16,
        max: u64,
    },
    /// `0` may move or burn any balance.
    PermanentDelegate(Pubkey),
    /// Every transfer calls program `0`.
    TransferHook(Pubkey),
    /// Every transfer calls program `0`, and no hook authority can change that (as the
    /// protocol's permissioned units are made).
    FixedTransferHook(Pubkey),
    /// The authority can stop every transfer.
    Pausable,
    /// New token accounts start frozen (the mint gets a freeze authority).
    DefaultFrozen,
    NonTransferable,
    ConfidentialTransfers,
    MintCloseAuthority,
    /// Descriptive only: where the mint's metadata lives.
    MetadataPointer,
}

impl MintExtension {
    /// Every extension that changes what a transfer does or who controls balances.
    pub fn dangerous(attacker: Pubkey) -> [MintExtension; 8] {
        [
            MintExtension::TransferFee { bps: 100, max: u64::MAX },
            MintExtension::PermanentDelegate(attacker),
            MintExtension::TransferHook(Pubkey::new_unique()),
            MintExtension::Pausable,
            MintExtension::DefaultFrozen,
            MintExtension::NonTransferable,
            MintExtension::ConfidentialTransfers,
            MintExtension::MintCloseAuthority,
        ]
    }

    fn kind(self) -> ExtensionType {
        match self {
            MintExtension::TransferFee { .. } => ExtensionType::TransferFeeConfig,
            MintExtension::PermanentDelegate(_) => ExtensionType::PermanentDelegate,
            MintExtension::TransferHook(_) | MintExtension::FixedTransferHook(_) => {
                ExtensionType::TransferHook
            }
            MintExtension::Pausable => ExtensionType::Pausable,
            MintExtension::DefaultFrozen => ExtensionType::DefaultAccountState,
            MintExtension::NonTransferable => ExtensionType::NonTransferable,
            MintExtension::ConfidentialTransfers => ExtensionType::ConfidentialTransferMint,
            MintExtension::MintCloseAuthority => ExtensionType::MintCloseAuthority,
            MintExtension::MetadataPointer => ExtensionType::MetadataPointer,
        }
    }

    /// The instruction that initialises this extension on `mint` (before `initialize_mint2`).
    fn init_ix(self, mint: &Pubkey, authority: &Pubkey) -> Instruction {
        use spl_token_2022::extension::*;
        let id = &spl_token_2022::ID;
        let ix = match self {
            MintExtension::TransferFee { bps, max } => {
                transfer_fee::instruction::initialize_transfer_fee_config(
                    id,
                    mint,
                    Some(authority),
                    Some(authority),
                    bps,
                    max,
                )
            }
            MintExtension::PermanentDelegate(delegate) => {
                spl_token_2022::instruction::initialize_permanent_delegate(id, mint, &delegate)
            }
            MintExtension::TransferHook(program) => {
                transfer_hook::instruction::initialize(id, mint, Some(*authority), Some(program))
            }
            MintExtension::FixedTransferHook(program) => {
                transfer_hook::instruction::initialize(id, mint, None, Some(program))
            }
            MintExtension::Pausable => pausable::instruction::initialize(id, mint, authority),
            MintExtension::DefaultFrozen => {
                default_account_state::instruction::initialize_default_account_state(
                    id,
                    mint,
                    &spl_token_2022::state::AccountState::Frozen,
                )
            }
            MintExtension::NonTransferable => {
                spl_token_2022::instruction::initialize_non_transferable_mint(id, mint)
            }
            MintExtension::ConfidentialTransfers => {
                confidential_transfer::instruction::initialize_mint(
                    id,
                    mint,
                    Some(*authority),
                    true,
                    None,
                )
            }
            MintExtension::MintCloseAuthority => {
                spl_token_2022::instruction::initialize_mint_close_authority(
                    id,
                    mint,
                    Some(authority),
                )
            }
            MintExtension::MetadataPointer => {
                metadata_pointer::instruction::initialize(id, mint, Some(*authority), Some(*mint))
            }
        };
        ix.expect("extension init instruction")
    }
}

impl TestEnv {
    /// Creates a Token-2022 mint carrying `extensions`, `authority` as mint (and, for
    /// `DefaultFrozen`, freeze) authority; returns its address.
    pub async fn create_mint_with_extensions(
        &mut self,
        decimals: u8,
        authority: &Pubkey,
        extensions: &[MintExtension],
    ) -> Pubkey {
        let mint = crate::new_keypair();
        let kinds: Vec<ExtensionType> = extensions.iter().map(|e| e.kind()).collect();
        let len = ExtensionType::try_calculate_account_len::<spl_token_2022::state::Mint>(&kinds)
            .expect("mint length");
        let mut ixs = vec![system_instruction::create_account(
            &self.payer().pubkey(),
            &mint.pubkey(),
            Self::rent_exempt(len),
            len as u64,
            &spl_token_2022::ID,
        )];
        ixs.extend(extensions.iter().map(|e| e.init_ix(&mint.pubkey(), authority)));
        let freeze = extensions.contains(&MintExtension::DefaultFrozen).then_some(authority);
        ixs.push(
            spl_token_2022::instruction::initialize_mint2(
                &spl_token_2022::ID,
                &mint.pubkey(),
                authority,
                freeze,
                decimals,
            )
            .expect("initialize_mint2"),
        );
        self.send_ok(&ixs, &[&mint]).await;
        mint.pubkey()
    }

    /// Creates a mint with `decimals` and `authority` as mint authority; returns its address.
    pub async fn create_mint(
        &mut self,
        program: TokenProgram,
        decimals: u8,
        authority: &Pubkey,
    ) -> Pubkey {
        let mint = crate::new_keypair();
        let len = spl_token::state::Mint::LEN;
        let create = system_instruction::create_account(
            &self.payer().pubkey(),
            &mint.pubkey(),
            Self::rent_exempt(len),
            len as u64,
            &program.id(),
        );
        // Token-2022's builders accept either program id; the base layouts are shared.
        let init = spl_token_2022::instruction::initialize_mint2(
            &program.id(),
            &mint.pubkey(),
            authority,
            None,
            decimals,
        )
        .expect("initialize_mint2");
        self.send_ok(&[create, init], &[&mint]).await;
        mint.pubkey()
    }

    /// Creates (idempotently) `owner`'s associated token account for `mint`.
    pub async fn create_ata(
        &mut self,
        program: TokenProgram,
        mint: &Pubkey,
        owner: &Pubkey,
    ) -> Pubkey {
        let ix = anchor_spl::associated_token::spl_associated_token_account::instruction::create_associated_token_account_idempotent(
            &self.payer().pubkey(),
            owner,
            mint,
            &program.id(),
        );
        self.send_ok(&[ix], &[]).await;
        get_associated_token_address_with_program_id(owner, mint, &program.id())
    }

    /// Mints `amount` of `mint` into `to`, signed by the mint authority `authority`.
    pub async fn mint_tokens(
        &mut self,
        program: TokenProgram,
        mint: &Pubkey,
        to: &Pubkey,
        authority: &Keypair,
        amount: u64,
    ) {
        let ix = spl_token_2022::instruction::mint_to(
            &program.id(),
            mint,
            to,
            &authority.pubkey(),
            &[],
            amount,
        )
        .expect("mint_to");
        self.send_ok(&[ix], &[authority]).await;
    }

    /// Moves `amount` from `from` to `to` under the token program that owns `from` (SPL Token
    /// or Token-2022, `transfer_checked` for a mint without a transfer hook), signed by `owner`.
    pub async fn transfer_tokens(
        &mut self,
        from: &Pubkey,
        to: &Pubkey,
        owner: &Keypair,
        amount: u64,
    ) {
        let account = self.account(*from).await.expect("source token account exists");
        let mint = Pubkey::try_from(&account.data[..32]).expect("token account mint");
        let decimals = self.account(mint).await.expect("mint exists").data[44];
        let ix = spl_token_2022::instruction::transfer_checked(
            &account.owner,
            from,
            &mint,
            to,
            &owner.pubkey(),
            &[],
            amount,
            decimals,
        )
        .expect("transfer_checked");
        self.send_ok(&[ix], &[owner]).await;
    }

    /// A token account's balance.
    pub async fn token_balance(&mut self, token_account: Pubkey) -> u64 {
        let account = self
            .account(token_account)
            .await
            .unwrap_or_else(|| panic!("token account {token_account} does not exist"));
        unpack_amount(&account.data)
    }

    /// A mint's supply.
    pub async fn mint_supply(&mut self, mint: Pubkey) -> u64 {
        let account =
            self.account(mint).await.unwrap_or_else(|| panic!("mint {mint} does not exist"));
        spl_token::state::Mint::unpack_from_slice(&account.data[..spl_token::state::Mint::LEN])
            .expect("mint")
            .supply
    }
}
