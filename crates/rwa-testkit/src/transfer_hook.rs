//! The transfer-hook program's builders (from `rwa_sdk::transfer_hook`, re-exported) and
//! registry helpers for permissioned pools: the hook initialised by its upgrade authority (the
//! registry's admin), an approved attestor, a pool whose Token-2022 units only move to holders
//! that attestor attested, and Token-2022 `transfer_checked` with the hook's extra accounts.
use receivables::{state::UnitAccess, CreatePoolParams};

use crate::{
    authority::program_data_address,
    prelude::*,
    registry::{
        activate_pool_ix, create_permissioned_pool_ix, pool_params, pool_pda, unit_mint_pda,
        Registry,
    },
    spl_token_2022,
};

pub use rwa_sdk::transfer_hook::*;

/// A year: the fixtures' attestations expire this long after the bank's clock.
pub const YEAR: i64 = 365 * 86_400;

impl Registry {
    /// Initialises the transfer hook (upgrade authority: the registry's admin; guardian: the
    /// registry's) and approves a new funded attestor; returns it.
    pub async fn init_hook(&mut self) -> Keypair {
        let admin = self.admin.insecure_clone();
        self.env.set_upgrade_authority(&transfer_hook::ID, &admin.pubkey());
        let attestor = self.env.funded_keypair(1_000_000_000).await;
        let ixs = [
            initialize_ix(
                &admin.pubkey(),
                &program_data_address(&transfer_hook::ID),
                self.guardian.pubkey(),
            ),
            approve_attestor_ix(&admin.pubkey(), &attestor.pubkey()),
        ];
        self.env.send_ok(&ixs, &[&admin]).await;
        attestor
    }

    /// `pool_params` with permissioned units.
    pub fn permissioned_params(&self) -> CreatePoolParams {
        CreatePoolParams { unit_access: UnitAccess::Permissioned, ..pool_params(self.now) }
    }

    /// `create_pool` of pool `index` with Token-2022 units (`params.unit_access` decides the
    /// hook), trusting `attestor` when permissioned.
    pub fn create_token_2022_pool_ix(
        &self,
        index: u32,
        params: CreatePoolParams,
        attestor: Option<&Pubkey>,
    ) -> Instruction {
        let (issuer, servicer) = (self.issuer.pubkey(), self.servicer.pubkey());
        match attestor {
            Some(attestor) => create_permissioned_pool_ix(
                &issuer,
                &servicer,
                index,
                &self.currency,
                self.currency_program,
                attestor,
                params,
            ),
            None => crate::registry::create_pool_ix(
                &issuer,
                &servicer,
                index,
                &self.currency,
                self.currency_program,
                TokenProgram::Token2022,
                params,
            ),
        }
    }

    /// Creates and activates pool `index` with Token-2022 units (permissioned when `attestor`
    /// is given); returns the pool and the issuer's unit account (every unit). A mint runs no
    /// hook, so `activate_pool` applies the hook's rule itself: for a permissioned pool
    /// `attestor` (a keypair of the registry's env) must have attested the issuer, and the
    /// activation carries the hook's accounts.
    pub async fn active_token_2022_pool(
        &mut self,
        index: u32,
        attestor: Option<&Keypair>,
    ) -> (Pubkey, Pubkey) {
        let attestor_key = attestor.map(|a| a.pubkey());
        let attestor = attestor.map(|a| a.insecure_clone());
        let params = match attestor {
            Some(_) => self.permissioned_params(),
            None => pool_params(self.now),
        };
        let ix = self.create_token_2022_pool_ix(index, params, attestor_key.as_ref());
        let issuer_kp = self.issuer.insecure_clone();
        self.env.send_ok(&[ix], &[&issuer_kp]).await;
        let pool = pool_pda(&issuer_kp.pubkey(), index);
        let issuer = issuer_kp.pubkey();
        let units =
            self.env.create_ata(TokenProgram::Token2022, &unit_mint_pda(&pool), &issuer).await;
        let ix = activate_pool_ix(&issuer, &pool, &units, TokenProgram::Token2022);
        let ix = match attestor {
            Some(attestor) => {
                self.attest(&attestor, &issuer).await;
                with_transfer_hook_accounts(ix, &unit_mint_pda(&pool), &attestor.pubkey(), &issuer)
            }
            None => ix,
        };
        self.env.send_ok(&[ix], &[&issuer_kp]).await;
        (pool, units)
    }

    /// `attestor` attests `holder` for a year in `DE`.
    pub async fn attest(&mut self, attestor: &Keypair, holder: &Pubkey) {
        let expires = self.env.clock().await.unix_timestamp + YEAR;
        let ix = attest_ix(&attestor.pubkey(), holder, expires, *b"DE");
        self.env.send_ok(&[ix], &[attestor]).await;
    }
}

/// Token-2022 `transfer_checked` of `amount` units of `mint` (6 decimals, the fixture
/// currency's) from `from` to `to` (owned by `to_owner`), signed by `owner`, with the hook's
/// extra accounts for a mint gated with `attestor`.
pub fn hooked_transfer_ix(
    mint: &Pubkey,
    from: &Pubkey,
    to: &Pubkey,
    to_owner: &Pubkey,
    owner: &Pubkey,
    attestor: &Pubkey,
    amount: u64,
) -> Instruction {
    let ix = spl_token_2022::instruction::transfer_checked(
        &spl_token_2022::ID,
        from,
        mint,
        to,
        owner,
        &[],
        amount,
        6,
    )
    .expect("transfer_checked");
    with_transfer_hook_accounts(ix, mint, attestor, to_owner)
}
