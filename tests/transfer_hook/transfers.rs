//! Transfers of permissioned units through the real Token-2022 `transfer_checked`: Token-2022
//! invokes the hook, which allows attested destinations and refuses the others by name.
use std::collections::HashMap;

use rwa_testkit::solana_sdk::instruction::AccountMeta;
use rwa_testkit::{
    prelude::*,
    registry::{unit_mint_pda, Registry},
    spl_token_2022,
    transfer_hook::*,
};
use transfer_hook::{
    errors::HookError,
    state::AttestorStatus::{self, Approved, Suspended},
};

const AMOUNT: u64 = 1_000_000;

/// A registry with the hook, one approved attestor and pool 0 permissioned (issuer holds all
/// units).
pub struct Permissioned {
    pub r: Registry,
    pub attestor: Keypair,
    pub pool: Pubkey,
    pub mint: Pubkey,
    pub issuer_units: Pubkey,
}

impl Permissioned {
    pub async fn new() -> Self {
        let mut r = Registry::new(TokenProgram::Classic).await;
        let attestor = r.init_hook().await;
        let (pool, issuer_units) = r.active_token_2022_pool(0, Some(&attestor)).await;
        Permissioned { r, attestor, mint: unit_mint_pda(&pool), pool, issuer_units }
    }

    /// A new wallet with a Token-2022 unit account; returns both.
    pub async fn wallet(&mut self) -> (Keypair, Pubkey) {
        let kp = self.r.env.funded_keypair(100_000_000).await;
        let ata = self.r.env.create_ata(TokenProgram::Token2022, &self.mint, &kp.pubkey()).await;
        (kp, ata)
    }

    /// The issuer's transfer of `amount` units to `to` (owned by `to_owner`).
    pub fn send_ix(&self, to: &Pubkey, to_owner: &Pubkey, amount: u64) -> Instruction {
        hooked_transfer_ix(
            &self.mint,
            &self.issuer_units,
            to,
            to_owner,
            &self.r.issuer.pubkey(),
            &self.attestor.pubkey(),
            amount,
        )
    }

    pub async fn send(&mut self, to: &Pubkey, to_owner: &Pubkey) -> Result<Vec<String>, TxFailure> {
        let ix = self.send_ix(to, to_owner, AMOUNT);
        let issuer = self.r.issuer.insecure_clone();
        self.r.env.send(&[ix], &[&issuer]).await
    }

    /// A new wallet with a Token-2022 unit account, attested by the mint's attestor.
    pub async fn attested_wallet(&mut self) -> (Keypair, Pubkey) {
        let (kp, ata) = self.wallet().await;
        let attestor = self.attestor.insecure_clone();
        self.r.attest(&attestor, &kp.pubkey()).await;
        (kp, ata)
    }

    /// The hook's Execute called directly (not by Token-2022) for a transfer from `source` to
    /// `destination` owned by `holder`, with the validation account and the extras.
    pub fn direct_execute_ix(
        &self,
        source: &Pubkey,
        destination: &Pubkey,
        holder: &Pubkey,
    ) -> Instruction {
        let mut ix = spl_transfer_hook_interface::instruction::execute(
            &transfer_hook::ID,
            source,
            &self.mint,
            destination,
            &self.r.issuer.pubkey(),
            AMOUNT,
        );
        ix.accounts.push(AccountMeta::new_readonly(extra_account_metas_pda(&self.mint), false));
        let extras = transfer_accounts(&self.mint, &self.attestor.pubkey(), holder);
        ix.accounts.extend(extras.into_iter().take(3));
        ix
    }

    /// The issuer's transfer to `to` naming `attestor`'s accounts instead of those the
    /// validation account resolves from the gate: Token-2022 refuses it before the hook runs.
    pub async fn send_naming_attestor_refused(
        &mut self,
        to: &Pubkey,
        to_owner: &Pubkey,
        attestor: &Pubkey,
    ) {
        let issuer = self.r.issuer.insecure_clone();
        let ix = hooked_transfer_ix(
            &self.mint,
            &self.issuer_units,
            to,
            to_owner,
            &issuer.pubkey(),
            attestor,
            AMOUNT,
        );
        self.r.env.send_expect_failure(&[ix], &[&issuer]).await;
    }

    pub async fn send_refused(&mut self, to: &Pubkey, to_owner: &Pubkey, expected: HookError) {
        let ix = self.send_ix(to, to_owner, AMOUNT);
        let issuer = self.r.issuer.insecure_clone();
        self.r.env.send_expect_error(&[ix], &[&issuer], expected).await;
    }
}

#[tokio::test]
async fn an_attested_holder_receives_and_can_pass_units_on_to_another_attested_holder() {
    let mut f = Permissioned::new().await;
    let (alice, alice_units) = f.attested_wallet().await;
    let (bob, bob_units) = f.attested_wallet().await;
    let attestor = f.attestor.insecure_clone();
    f.send(&alice_units, &alice.pubkey()).await.expect("attested transfer");
    assert_eq!(f.r.env.token_balance(alice_units).await, AMOUNT);
    let ix = hooked_transfer_ix(
        &f.mint,
        &alice_units,
        &bob_units,
        &bob.pubkey(),
        &alice.pubkey(),
        &attestor.pubkey(),
        AMOUNT / 2,
    );
    f.r.env.send_ok(&[ix], &[&alice]).await;
    assert_eq!(f.r.env.token_balance(bob_units).await, AMOUNT / 2);
}

#[tokio::test]
async fn a_transfer_to_an_unattested_holder_is_refused_by_name() {
    let mut f = Permissioned::new().await;
    let (carol, carol_units) = f.wallet().await;
    f.send_refused(&carol_units, &carol.pubkey(), HookError::NotAttested).await;
    assert_eq!(f.r.env.token_balance(carol_units).await, 0);
}

#[tokio::test]
async fn a_transfer_to_an_expired_attestation_is_refused_by_name() {
    let mut f = Permissioned::new().await;
    let (dave, dave_units) = f.wallet().await;
    let now = f.r.env.clock().await.unix_timestamp;
    let ix = attest_ix(&f.attestor.pubkey(), &dave.pubkey(), now + 100, *b"FR");
    let attestor = f.attestor.insecure_clone();
    f.r.env.send_ok(&[ix], &[&attestor]).await;
    f.send(&dave_units, &dave.pubkey()).await.expect("valid until expiry");
    f.r.env.warp_seconds(101).await;
    f.send_refused(&dave_units, &dave.pubkey(), HookError::AttestationExpired).await;
    assert_eq!(f.r.env.token_balance(dave_units).await, AMOUNT);
}

#[tokio::test]
async fn a_transfer_to_a_revoked_holder_is_refused_by_name_until_renewed() {
    let mut f = Permissioned::new().await;
    let (erin, erin_units) = f.attested_wallet().await;
    let attestor = f.attestor.insecure_clone();
    f.r.env.send_ok(&[revoke_ix(&attestor.pubkey(), &erin.pubkey())], &[&attestor]).await;
    f.send_refused(&erin_units, &erin.pubkey(), HookError::AttestationRevoked).await;
    f.r.attest(&attestor, &erin.pubkey()).await;
    f.send(&erin_units, &erin.pubkey()).await.expect("renewed");
}

#[tokio::test]
async fn a_suspended_attestors_attestations_stop_counting() {
    let mut f = Permissioned::new().await;
    let (frank, frank_units) = f.attested_wallet().await;
    let attestor = f.attestor.insecure_clone();
    let guardian = f.r.guardian.insecure_clone();
    let suspend =
        set_attestor_status_ix(&guardian.pubkey(), &attestor.pubkey(), AttestorStatus::Suspended);
    f.r.env.send_ok(&[suspend], &[&guardian]).await;
    f.send_refused(&frank_units, &frank.pubkey(), HookError::AttestorNotApproved).await;
}

#[tokio::test]
async fn another_attestors_attestation_does_not_count_for_this_mint() {
    let mut f = Permissioned::new().await;
    let (gina, gina_units) = f.wallet().await;
    let admin = f.r.admin.insecure_clone();
    let other = f.r.env.funded_keypair(100_000_000).await;
    f.r.env.send_ok(&[approve_attestor_ix(&admin.pubkey(), &other.pubkey())], &[&admin]).await;
    f.r.attest(&other, &gina.pubkey()).await;
    // resolved as any client would (the mint's attestor): no attestation there
    f.send_refused(&gina_units, &gina.pubkey(), HookError::NotAttested).await;
    // naming the other attestor's accounts instead: refused by the gate's seeds
    f.send_naming_attestor_refused(&gina_units, &gina.pubkey(), &other.pubkey()).await;
    assert_eq!(f.r.env.token_balance(gina_units).await, 0);
}

#[tokio::test]
async fn a_transfer_without_the_hooks_extra_accounts_fails() {
    let mut f = Permissioned::new().await;
    let (_, hank_units) = f.attested_wallet().await;
    let ix = spl_token_2022::instruction::transfer_checked(
        &spl_token_2022::ID,
        &f.issuer_units,
        &f.mint,
        &hank_units,
        &f.r.issuer.pubkey(),
        &[],
        AMOUNT,
        6,
    )
    .unwrap();
    let issuer = f.r.issuer.insecure_clone();
    f.r.env.send_expect_failure(&[ix], &[&issuer]).await;
}

#[tokio::test]
async fn execute_called_directly_outside_a_transfer_is_refused() {
    let mut f = Permissioned::new().await;
    let (ivan, ivan_units) = f.attested_wallet().await;
    let ix = f.direct_execute_ix(&f.issuer_units, &ivan_units, &ivan.pubkey());
    f.r.env.send_expect_error(&[ix], &[], HookError::NotTransferring).await;
}

/// A wallet that knows nothing of the protocol resolves the extra accounts from the
/// validation account alone (the transfer-hook interface's offchain helper), and the transfer
/// passes: the destination owner's attestation is found from the destination account's data.
#[tokio::test]
async fn a_generic_client_resolves_the_extra_accounts_from_the_validation_account() {
    let mut f = Permissioned::new().await;
    let (judy, judy_units) = f.attested_wallet().await;
    let attestor = f.attestor.insecure_clone();
    let mut accounts = HashMap::new();
    for key in [
        extra_account_metas_pda(&f.mint),
        mint_gate_pda(&f.mint),
        judy_units,
        f.issuer_units,
        f.mint,
        attestor_pda(&attestor.pubkey()),
    ] {
        if let Some(a) = f.r.env.account(key).await {
            accounts.insert(key, a.data);
        }
    }
    let mut ix = spl_token_2022::instruction::transfer_checked(
        &spl_token_2022::ID,
        &f.issuer_units,
        &f.mint,
        &judy_units,
        &f.r.issuer.pubkey(),
        &[],
        AMOUNT,
        6,
    )
    .unwrap();
    let mut execute = spl_transfer_hook_interface::instruction::execute(
        &transfer_hook::ID,
        &f.issuer_units,
        &f.mint,
        &judy_units,
        &f.r.issuer.pubkey(),
        AMOUNT,
    );
    spl_transfer_hook_interface::offchain::add_extra_account_metas_for_execute(
        &mut execute,
        &transfer_hook::ID,
        &f.issuer_units,
        &f.mint,
        &judy_units,
        &f.r.issuer.pubkey(),
        AMOUNT,
        |key| {
            let data = accounts.get(&key).cloned();
            async move { Ok(data) }
        },
    )
    .await
    .expect("resolve");
    // Token-2022's transfer: its own accounts, then the resolved extras and the hook program
    ix.accounts.extend(execute.accounts.into_iter().skip(4));
    ix.accounts.push(AccountMeta::new_readonly(transfer_hook::ID, false));
    let resolved: Vec<Pubkey> = ix.accounts.iter().skip(4).map(|m| m.pubkey).collect();
    assert!(resolved.contains(&attestation_pda(&attestor.pubkey(), &judy.pubkey())));
    let issuer = f.r.issuer.insecure_clone();
    f.r.env.send_ok(&[ix], &[&issuer]).await;
    assert_eq!(f.r.env.token_balance(judy_units).await, AMOUNT);
}

#[tokio::test]
async fn an_open_pools_token_2022_units_transfer_freely() {
    let mut r = Registry::new(TokenProgram::Classic).await;
    let (pool, issuer_units) = r.active_token_2022_pool(0, None).await;
    let mint = unit_mint_pda(&pool);
    let anyone = Keypair::new();
    let to = r.env.create_ata(TokenProgram::Token2022, &mint, &anyone.pubkey()).await;
    let ix = spl_token_2022::instruction::transfer_checked(
        &spl_token_2022::ID,
        &issuer_units,
        &mint,
        &to,
        &r.issuer.pubkey(),
        &[],
        AMOUNT,
        6,
    )
    .unwrap();
    let issuer = r.issuer.insecure_clone();
    r.env.send_ok(&[ix], &[&issuer]).await;
    assert_eq!(r.env.token_balance(to).await, AMOUNT);
}

#[tokio::test]
async fn execute_refuses_a_source_that_is_not_a_token_2022_account_of_the_mint() {
    let mut f = Permissioned::new().await;
    let (ivan, ivan_units) = f.attested_wallet().await;
    let currency = f.r.currency;
    let classic = f.r.env.create_ata(TokenProgram::Classic, &currency, &ivan.pubkey()).await;
    // a classic SPL Token account as the source: refused before anything else is read
    let ix = f.direct_execute_ix(&classic, &ivan_units, &ivan.pubkey());
    f.r.env.send_expect_error(&[ix], &[], HookError::TokenAccountMismatch).await;
}

/// The recovery from a lost attestor: the guardian suspends the mint's attestor (every
/// transfer to a user stops), the admin rebinds the mint to a new approved attestor, and the
/// unchanged validation account resolves the new attestor's attestations from the gate: a
/// holder the new attestor attests receives through Token-2022's `transfer_checked`; one the
/// old attestor alone attests is refused by name, even once the old one is reinstated.
#[tokio::test]
async fn after_set_mint_attestor_the_new_attestors_holders_receive_and_the_old_ones_do_not() {
    let mut f = Permissioned::new().await;
    let old = f.attestor.insecure_clone();
    let (alice, alice_units) = f.attested_wallet().await;
    let (admin, guardian) = (f.r.admin.insecure_clone(), f.r.guardian.insecure_clone());
    let suspend = set_attestor_status_ix(&guardian.pubkey(), &old.pubkey(), Suspended);
    f.r.env.send_ok(&[suspend], &[&guardian]).await;
    f.send_refused(&alice_units, &alice.pubkey(), HookError::AttestorNotApproved).await;

    let new = f.r.env.funded_keypair(1_000_000_000).await;
    let ixs = [
        approve_attestor_ix(&admin.pubkey(), &new.pubkey()),
        set_mint_attestor_ix(&admin.pubkey(), &f.mint, &new.pubkey()),
    ];
    f.r.env.send_ok(&ixs, &[&admin]).await;
    f.attestor = new.insecure_clone();
    let (bob, bob_units) = f.attested_wallet().await;
    f.send(&bob_units, &bob.pubkey()).await.expect("attested by the new attestor");
    assert_eq!(f.r.env.token_balance(bob_units).await, AMOUNT);

    let reinstate = set_attestor_status_ix(&admin.pubkey(), &old.pubkey(), Approved);
    f.r.env.send_ok(&[reinstate], &[&admin]).await;
    f.send_refused(&alice_units, &alice.pubkey(), HookError::NotAttested).await;
    // naming the old attestor's accounts instead: not the accounts the validation account
    // resolves from the gate, so Token-2022 refuses before the hook runs
    f.send_naming_attestor_refused(&alice_units, &alice.pubkey(), &old.pubkey()).await;
    assert_eq!(f.r.env.token_balance(alice_units).await, 0);
}
