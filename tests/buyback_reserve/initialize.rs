use anchor_lang::solana_program::program_pack::Pack;
use buyback_reserve::{
    errors::ReserveError,
    state::{ReserveConfig, MAX_DISCOUNT_BPS},
    InitializeParams,
};
use rwa_testkit::{
    authority::{program_data_address, BuybackReserve},
    prelude::*,
    reserve::*,
};

fn params() -> InitializeParams {
    InitializeParams {
        guardian: Pubkey::new_unique(),
        min_discount_bps: 50,
        max_discount_bps: 1_500,
    }
}

/// `initialize` signed by `admin` with the reserve's own ProgramData account, classic SPL Token.
fn init_ix(admin: &Keypair, stable_mint: &Pubkey, params: InitializeParams) -> Instruction {
    let program_data = program_data_address(&buyback_reserve::ID);
    initialize_ix(&admin.pubkey(), &program_data, stable_mint, TokenProgram::Classic, params)
}

#[tokio::test]
async fn initialize_creates_a_stable_vault_owned_by_the_config() {
    let mut env = TestEnv::start().await;
    let admin = env.funded_upgrade_authority(&buyback_reserve::ID).await;
    let stable = env.create_mint(TokenProgram::Classic, 6, &admin.pubkey()).await;
    env.send_ok(&[init_ix(&admin, &stable, params())], &[&admin]).await;

    let config: ReserveConfig = env.anchor_account(config_pda()).await;
    assert_eq!((config.admin, config.pending_admin), (admin.pubkey(), Pubkey::default()));
    assert_eq!(config.stable_mint, stable);
    assert_eq!(config.stable_vault, stable_vault_pda());
    assert_eq!((config.min_discount_bps, config.max_discount_bps), (50, 1_500));
    let vault = env.account(config.stable_vault).await.expect("vault exists");
    let vault =
        anchor_spl::token::spl_token::state::Account::unpack_from_slice(&vault.data).unwrap();
    assert_eq!(vault.owner, config_pda());
    assert_eq!(vault.mint, stable);
    assert_eq!(env.token_balance(config.stable_vault).await, 0);
}

#[tokio::test]
async fn initialize_refuses_an_exit_curve_out_of_order_or_too_deep() {
    let mut env = TestEnv::start().await;
    let admin = env.funded_upgrade_authority(&buyback_reserve::ID).await;
    let stable = env.create_mint(TokenProgram::Classic, 6, &admin.pubkey()).await;
    for (min_discount_bps, max_discount_bps) in [(600, 500), (0, MAX_DISCOUNT_BPS + 1)] {
        let p = InitializeParams { min_discount_bps, max_discount_bps, ..params() };
        env.send_expect_error(
            &[init_ix(&admin, &stable, p)],
            &[&admin],
            ReserveError::InvalidExitCurve,
        )
        .await;
    }
    assert!(env.account(config_pda()).await.is_none());
}

#[tokio::test]
async fn initialize_refuses_the_default_pubkey_as_guardian() {
    let mut env = TestEnv::start().await;
    let admin = env.funded_upgrade_authority(&buyback_reserve::ID).await;
    let stable = env.create_mint(TokenProgram::Classic, 6, &admin.pubkey()).await;
    let p = InitializeParams { guardian: Pubkey::default(), ..params() };
    env.send_expect_error(&[init_ix(&admin, &stable, p)], &[&admin], ReserveError::InvalidGuardian)
        .await;
}

rwa_integration_tests::authority_tests!(BuybackReserve:
    initialize_by_the_upgrade_authority_makes_it_admin_with_nothing_pending,
    initialize_refuses_a_signer_that_is_not_the_upgrade_authority,
    initialize_refuses_the_program_data_of_another_program,
    initialize_refuses_a_program_data_account_the_loader_did_not_write,
    initialize_refuses_an_immutable_program,
);

#[tokio::test]
async fn initialize_refuses_a_stablecoin_with_a_dangerous_extension() {
    let mut env = TestEnv::start().await;
    let admin = env.funded_upgrade_authority(&buyback_reserve::ID).await;
    let delegate = rwa_testkit::token::MintExtension::PermanentDelegate(admin.pubkey());
    let stable = env.create_mint_with_extensions(6, &admin.pubkey(), &[delegate]).await;
    let program_data = program_data_address(&buyback_reserve::ID);
    let ix =
        initialize_ix(&admin.pubkey(), &program_data, &stable, TokenProgram::Token2022, params());
    env.send_expect_error(&[ix], &[&admin], rwa_guard::GuardError::UnsafeMintExtension).await;
    assert!(env.account(config_pda()).await.is_none());
}
