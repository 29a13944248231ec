use anchor_lang::solana_program::program_pack::Pack;
use buyback_reserve::{
    errors::ReserveError,
    instruction, seeds,
    state::{ReserveConfig, MAX_DISCOUNT_BPS},
    InitializeParams,
};
use rwa_testkit::prelude::*;

fn pda(seed: &[u8]) -> Pubkey {
    Pubkey::find_program_address(&[seed], &buyback_reserve::ID).0
}

fn initialize_ix(admin: &Pubkey, stable_mint: &Pubkey, params: InitializeParams) -> Instruction {
    anchor_ix(
        buyback_reserve::ID,
        buyback_reserve::accounts::Initialize {
            admin: *admin,
            config: pda(seeds::CONFIG),
            stable_mint: *stable_mint,
            stable_vault: pda(seeds::STABLE_VAULT),
            token_program: TokenProgram::Classic.id(),
            system_program: anchor_lang::system_program::ID,
        },
        instruction::Initialize { params },
    )
}

fn params() -> InitializeParams {
    InitializeParams {
        guardian: Pubkey::new_unique(),
        min_discount_bps: 50,
        max_discount_bps: 1_500,
    }
}

#[tokio::test]
async fn initialize_creates_a_stable_vault_owned_by_the_config() {
    let mut env = TestEnv::start().await;
    let admin = env.funded_keypair(1_000_000_000).await;
    let stable = env.create_mint(TokenProgram::Classic, 6, &admin.pubkey()).await;
    env.send_ok(&[initialize_ix(&admin.pubkey(), &stable, params())], &[&admin]).await;

    let config: ReserveConfig = env.anchor_account(pda(seeds::CONFIG)).await;
    assert_eq!(config.stable_mint, stable);
    assert_eq!(config.stable_vault, pda(seeds::STABLE_VAULT));
    assert_eq!((config.min_discount_bps, config.max_discount_bps), (50, 1_500));
    let vault = env.account(config.stable_vault).await.expect("vault exists");
    let vault =
        anchor_spl::token::spl_token::state::Account::unpack_from_slice(&vault.data).unwrap();
    assert_eq!(vault.owner, pda(seeds::CONFIG));
    assert_eq!(vault.mint, stable);
    assert_eq!(env.token_balance(config.stable_vault).await, 0);
}

#[tokio::test]
async fn initialize_refuses_an_exit_curve_out_of_order_or_too_deep() {
    let mut env = TestEnv::start().await;
    let admin = env.funded_keypair(1_000_000_000).await;
    let stable = env.create_mint(TokenProgram::Classic, 6, &admin.pubkey()).await;
    for (min_discount_bps, max_discount_bps) in [(600, 500), (0, MAX_DISCOUNT_BPS + 1)] {
        let p = InitializeParams { min_discount_bps, max_discount_bps, ..params() };
        env.send_expect_error(
            &[initialize_ix(&admin.pubkey(), &stable, p)],
            &[&admin],
            ReserveError::InvalidExitCurve,
        )
        .await;
    }
    assert!(env.account(pda(seeds::CONFIG)).await.is_none());
}

#[tokio::test]
async fn initialize_refuses_the_default_pubkey_as_guardian() {
    let mut env = TestEnv::start().await;
    let admin = env.funded_keypair(1_000_000_000).await;
    let stable = env.create_mint(TokenProgram::Classic, 6, &admin.pubkey()).await;
    let p = InitializeParams { guardian: Pubkey::default(), ..params() };
    env.send_expect_error(
        &[initialize_ix(&admin.pubkey(), &stable, p)],
        &[&admin],
        ReserveError::InvalidGuardian,
    )
    .await;
}
