//! SPL Token and Token-2022 helpers (base layouts; both programs share them).
use anchor_lang::{prelude::Pubkey, solana_program::system_instruction};
use anchor_spl::associated_token::get_associated_token_address_with_program_id;
use solana_sdk::{
    program_pack::Pack,
    signature::{Keypair, Signer},
};

use crate::{spl_token, spl_token_2022, unpack_amount, TestEnv};

/// Which token program a mint lives under.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenProgram {
    Classic,
    Token2022,
}

impl TokenProgram {
    pub fn id(self) -> Pubkey {
        match self {
            TokenProgram::Classic => spl_token::ID,
            TokenProgram::Token2022 => spl_token_2022::ID,
        }
    }
}

impl TestEnv {
    /// Creates a mint with `decimals` and `authority` as mint authority; returns its address.
    pub async fn create_mint(
        &mut self,
        program: TokenProgram,
        decimals: u8,
        authority: &Pubkey,
    ) -> Pubkey {
        let mint = Keypair::new();
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

    /// Moves `amount` from `from` to `to` (classic SPL Token), signed by `owner`.
    pub async fn transfer_tokens(
        &mut self,
        from: &Pubkey,
        to: &Pubkey,
        owner: &Keypair,
        amount: u64,
    ) {
        let ix = spl_token::instruction::transfer(
            &spl_token::ID,
            from,
            to,
            &owner.pubkey(),
            &[],
            amount,
        )
        .expect("transfer");
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
