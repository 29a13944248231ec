//! Units go only to holders whose token account's owner cannot change: an attestation is about
//! a wallet, and a token account without `ImmutableOwner` could be handed to anyone afterwards
//! (`SetAuthority(AccountOwner)` runs no hook). Associated token accounts always carry
//! `ImmutableOwner`; the hook refuses any other destination (`DestinationOwnerMutable`), and
//! `activate_pool`, whose mint runs no hook, applies the same rule to a permissioned pool's
//! first holder.
use anchor_lang::solana_program::system_instruction;
use receivables::errors::ReceivablesError;
use rwa_testkit::{
    prelude::*,
    registry::{activate_pool_ix, pool_pda, unit_mint_pda, Registry},
    spl_token_2022::{
        self,
        extension::ExtensionType,
        instruction::{initialize_account3, set_authority, AuthorityType},
        state::Account as TokenAccount,
    },
    transfer_hook::*,
};
use transfer_hook::errors::HookError;

use crate::transfers::Permissioned;

/// A Token-2022 account of `mint` owned by `owner` at a fresh keypair address, without
/// `ImmutableOwner` (as `InitializeAccount3` makes it when the creator reserves no room).
async fn plain_account(r: &mut Registry, mint: &Pubkey, owner: &Pubkey) -> Pubkey {
    let account = Keypair::new();
    let len = ExtensionType::try_calculate_account_len::<TokenAccount>(&[
        ExtensionType::TransferHookAccount,
    ])
    .expect("length");
    let payer = r.env.payer().pubkey();
    let ixs = [
        system_instruction::create_account(
            &payer,
            &account.pubkey(),
            rwa_testkit::TestEnv::rent_exempt(len),
            len as u64,
            &spl_token_2022::ID,
        ),
        initialize_account3(&spl_token_2022::ID, &account.pubkey(), mint, owner).expect("init"),
    ];
    r.env.send_ok(&ixs, &[&account]).await;
    account.pubkey()
}

#[tokio::test]
async fn an_attested_holders_account_whose_owner_can_change_receives_nothing() {
    let mut f = Permissioned::new().await;
    let (alice, alice_units) = f.attested_wallet().await;
    let mint = f.mint;
    let plain = plain_account(&mut f.r, &mint, &alice.pubkey()).await;
    f.send_refused(&plain, &alice.pubkey(), HookError::DestinationOwnerMutable).await;
    assert_eq!(f.r.env.token_balance(plain).await, 0);

    // her associated token account receives, and its owner can never be handed on
    f.send(&alice_units, &alice.pubkey()).await.expect("attested ATA");
    let mallory = Keypair::new().pubkey();
    let ix = set_authority(
        &spl_token_2022::ID,
        &alice_units,
        Some(&mallory),
        AuthorityType::AccountOwner,
        &alice.pubkey(),
        &[],
    )
    .expect("set_authority");
    assert!(f.r.env.send(&[ix], &[&alice]).await.is_err(), "ImmutableOwner holds");
}

/// A registry with the hook and a Draft permissioned pool 0 whose attestor has not yet
/// attested the issuer; returns the attestor, the pool and the issuer's unit ATA.
async fn draft_permissioned_pool() -> (Registry, Keypair, Pubkey, Pubkey) {
    let mut r = Registry::new(TokenProgram::Classic).await;
    let attestor = r.init_hook().await;
    let params = r.permissioned_params();
    let ix = r.create_token_2022_pool_ix(0, params, Some(&attestor.pubkey()));
    let issuer = r.issuer.insecure_clone();
    r.env.send_ok(&[ix], &[&issuer]).await;
    let pool = pool_pda(&issuer.pubkey(), 0);
    let units =
        r.env.create_ata(TokenProgram::Token2022, &unit_mint_pda(&pool), &issuer.pubkey()).await;
    (r, attestor, pool, units)
}

#[tokio::test]
async fn a_permissioned_pool_activates_only_into_an_attested_issuers_associated_account() {
    let (mut r, attestor, pool, units) = draft_permissioned_pool().await;
    let issuer = r.issuer.insecure_clone();
    let me = issuer.pubkey();
    let mint = unit_mint_pda(&pool);
    let bare = activate_pool_ix(&me, &pool, &units, TokenProgram::Token2022);
    let hooked = |to: &Pubkey| {
        with_transfer_hook_accounts(
            activate_pool_ix(&me, &pool, to, TokenProgram::Token2022),
            &mint,
            &attestor.pubkey(),
            &me,
        )
    };

    // without the hook's accounts, and while the issuer is not attested
    r.env.send_expect_error(&[bare], &[&issuer], ReceivablesError::UnitHolderNotAllowed).await;
    let ix = hooked(&units);
    r.env.send_expect_error(&[ix], &[&issuer], ReceivablesError::UnitHolderNotAllowed).await;

    // attested, but into an account whose owner could be handed on
    r.attest(&attestor, &me).await;
    let plain = plain_account(&mut r, &mint, &me).await;
    let ix = hooked(&plain);
    r.env.send_expect_error(&[ix], &[&issuer], ReceivablesError::UnitHolderNotAllowed).await;
    assert_eq!(r.env.token_balance(plain).await, 0);

    // another attestor's attestation of the issuer does not count for this mint
    let ix = with_transfer_hook_accounts(
        activate_pool_ix(&me, &pool, &units, TokenProgram::Token2022),
        &mint,
        &Keypair::new().pubkey(),
        &me,
    );
    r.env.send_expect_error(&[ix], &[&issuer], ReceivablesError::UnitHolderNotAllowed).await;

    r.env.send_ok(&[hooked(&units)], &[&issuer]).await;
    assert!(r.env.token_balance(units).await > 0);
}

#[tokio::test]
async fn an_open_token_2022_pool_activates_without_the_hooks_accounts() {
    let mut r = Registry::new(TokenProgram::Classic).await;
    let (_, units) = r.active_token_2022_pool(0, None).await;
    assert!(r.env.token_balance(units).await > 0);
}
