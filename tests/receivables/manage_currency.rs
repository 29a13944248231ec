//! `add_currency` / `remove_currency`, and `create_pool`'s currency allowlist: the attack where
//! an issuer drains its own pool through a currency it controls is refused at every door.
use anchor_lang::error::ErrorCode;
use receivables::{
    errors::ReceivablesError,
    state::{RegistryConfig, MAX_CURRENCIES},
};
use rwa_guard::GuardError;
use rwa_testkit::{prelude::*, registry::*, token::MintExtension};

#[tokio::test]
async fn the_admin_accepts_classic_and_token_2022_currencies_and_removes_them() {
    let mut r = Registry::new(TokenProgram::Classic).await;
    let admin = r.admin.insecure_clone();
    let t22 = r.env.create_mint(TokenProgram::Token2022, 6, &admin.pubkey()).await;
    let described = r
        .env
        .create_mint_with_extensions(6, &admin.pubkey(), &[MintExtension::MetadataPointer])
        .await;
    for mint in [t22, described] {
        let ix = add_currency_ix(&admin.pubkey(), &mint, TokenProgram::Token2022);
        r.env.send_ok(&[ix], &[&admin]).await;
    }
    let config: RegistryConfig = r.env.anchor_account(config_pda()).await;
    assert_eq!(config.currencies, vec![r.currency, t22, described]);

    r.env.send_ok(&[remove_currency_ix(&admin.pubkey(), &t22)], &[&admin]).await;
    let config: RegistryConfig = r.env.anchor_account(config_pda()).await;
    assert_eq!(config.currencies, vec![r.currency, described]);
    r.env
        .send_expect_error(
            &[remove_currency_ix(&admin.pubkey(), &t22)],
            &[&admin],
            ReceivablesError::CurrencyNotAccepted,
        )
        .await;
}

#[tokio::test]
async fn every_extension_that_changes_transfers_or_balances_is_refused_by_name() {
    let mut r = Registry::new(TokenProgram::Classic).await;
    let admin = r.admin.insecure_clone();
    let issuer = r.issuer.pubkey();
    for extension in MintExtension::dangerous(issuer) {
        let mint = r.env.create_mint_with_extensions(6, &issuer, &[extension]).await;
        let before = r.env.account(config_pda()).await;
        let ix = add_currency_ix(&admin.pubkey(), &mint, TokenProgram::Token2022);
        r.env.send_expect_error(&[ix], &[&admin], GuardError::UnsafeMintExtension).await;
        assert_eq!(r.env.account(config_pda()).await, before, "{extension:?}: state unchanged");
    }
}

/// The reported attack: a 1% transfer-fee currency with the issuer as permanent delegate.
/// Neither the admin can accept it nor the issuer create a pool in it, so the vault can never
/// hold a currency whose balances the issuer controls.
#[tokio::test]
async fn an_issuer_controlled_fee_and_delegate_currency_never_reaches_a_pool() {
    let mut r = Registry::new(TokenProgram::Classic).await;
    let (admin, issuer) = (r.admin.insecure_clone(), r.issuer.insecure_clone());
    let extensions = [
        MintExtension::TransferFee { bps: 100, max: u64::MAX },
        MintExtension::PermanentDelegate(issuer.pubkey()),
    ];
    let evil = r.env.create_mint_with_extensions(6, &issuer.pubkey(), &extensions).await;
    let ix = add_currency_ix(&admin.pubkey(), &evil, TokenProgram::Token2022);
    r.env.send_expect_error(&[ix], &[&admin], GuardError::UnsafeMintExtension).await;

    let ix = create_pool_ix(
        &issuer.pubkey(),
        &r.servicer.pubkey(),
        0,
        &evil,
        TokenProgram::Token2022,
        TokenProgram::Classic,
        pool_params(r.now),
    );
    r.env.send_expect_error(&[ix], &[&issuer], ReceivablesError::CurrencyNotAccepted).await;
    assert!(r.env.account(pool_pda(&issuer.pubkey(), 0)).await.is_none());
}

/// A plain mint the issuer can mint at will is not a currency until the admin accepts it.
#[tokio::test]
async fn a_currency_the_issuer_mints_is_refused_until_the_admin_accepts_it() {
    let mut r = Registry::new(TokenProgram::Classic).await;
    let issuer = r.issuer.insecure_clone();
    let own = r.env.create_mint(TokenProgram::Classic, 6, &issuer.pubkey()).await;
    let ix = create_pool_ix(
        &issuer.pubkey(),
        &r.servicer.pubkey(),
        0,
        &own,
        TokenProgram::Classic,
        TokenProgram::Classic,
        pool_params(r.now),
    );
    r.env
        .send_expect_error(
            std::slice::from_ref(&ix),
            &[&issuer],
            ReceivablesError::CurrencyNotAccepted,
        )
        .await;
    let admin = r.admin.insecure_clone();
    r.env
        .send_ok(&[add_currency_ix(&admin.pubkey(), &own, TokenProgram::Classic)], &[&admin])
        .await;
    r.env.send_ok(&[ix], &[&issuer]).await;
}

#[tokio::test]
async fn only_the_admin_manages_currencies_once_each_and_at_most_max_currencies() {
    let mut r = Registry::new(TokenProgram::Classic).await;
    let (admin, issuer) = (r.admin.insecure_clone(), r.issuer.insecure_clone());
    let ix = add_currency_ix(&admin.pubkey(), &r.currency, TokenProgram::Classic);
    r.env.send_expect_error(&[ix], &[&admin], ReceivablesError::CurrencyAlreadyAccepted).await;
    let other = r.env.create_mint(TokenProgram::Classic, 6, &admin.pubkey()).await;
    let ix = resign(
        add_currency_ix(&admin.pubkey(), &other, TokenProgram::Classic),
        &admin.pubkey(),
        &issuer.pubkey(),
    );
    r.env.send_expect_error(&[ix], &[&issuer], ErrorCode::ConstraintHasOne).await;
    let ix =
        resign(remove_currency_ix(&admin.pubkey(), &r.currency), &admin.pubkey(), &issuer.pubkey());
    r.env.send_expect_error(&[ix], &[&issuer], ErrorCode::ConstraintHasOne).await;
    // a mint under the wrong token program is not taken for a mint of the program named
    let ix = add_currency_ix(&admin.pubkey(), &other, TokenProgram::Token2022);
    r.env.send_expect_error(&[ix], &[&admin], ErrorCode::ConstraintMintTokenProgram).await;

    for _ in 1..MAX_CURRENCIES {
        let mint = r.env.create_mint(TokenProgram::Classic, 6, &admin.pubkey()).await;
        r.env
            .send_ok(&[add_currency_ix(&admin.pubkey(), &mint, TokenProgram::Classic)], &[&admin])
            .await;
    }
    let ix = add_currency_ix(&admin.pubkey(), &other, TokenProgram::Classic);
    r.env.send_expect_error(&[ix], &[&admin], ReceivablesError::TooManyCurrencies).await;
}

/// Removing a currency stops new pools in it; pools already in it keep working.
#[tokio::test]
async fn a_removed_currency_takes_no_new_pool_but_existing_pools_keep_servicing() {
    let mut r = Registry::new(TokenProgram::Classic).await;
    let (pool, _) = r.active_pool(0).await;
    let admin = r.admin.insecure_clone();
    r.env.send_ok(&[remove_currency_ix(&admin.pubkey(), &r.currency)], &[&admin]).await;
    let create = r.create_pool_ix(1, pool_params(r.now));
    r.env.send_expect_error(&[create], &[&r.issuer], ReceivablesError::CurrencyNotAccepted).await;
    let repay = r.repay_ix(&pool, 1_000);
    r.env.send_ok(&[repay], &[&r.servicer]).await;
}
