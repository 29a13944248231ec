use anchor_lang::solana_program::program_pack::Pack;
use rwa_testkit::{
    anchor_token::*,
    authority::{program_data_address, ValueAnchor},
    prelude::*,
};
use value_anchor::{
    errors::AnchorTokenError,
    state::{AnchorConfig, MAX_FEE_BPS, RESERVE_DECIMALS},
    InitializeParams,
};

fn params() -> InitializeParams {
    InitializeParams { guardian: Pubkey::new_unique(), redeem_fee_bps: 10 }
}

/// `initialize` signed by `admin` with the program's own ProgramData account.
fn init_ix(
    admin: &Keypair,
    reserve_mint: &Pubkey,
    token_program: TokenProgram,
    params: InitializeParams,
) -> Instruction {
    let program_data = program_data_address(&value_anchor::ID);
    initialize_ix(&admin.pubkey(), &program_data, reserve_mint, token_program, params)
}

#[tokio::test]
async fn initialize_creates_the_anchor_mint_with_the_config_as_mint_authority() {
    for program in [TokenProgram::Classic, TokenProgram::Token2022] {
        let mut env = TestEnv::start().await;
        let admin = env.funded_upgrade_authority(&value_anchor::ID).await;
        let reserve = env.create_mint(program, RESERVE_DECIMALS, &admin.pubkey()).await;
        env.send_ok(&[init_ix(&admin, &reserve, program, params())], &[&admin]).await;

        let config: AnchorConfig = env.anchor_account(config_pda()).await;
        assert_eq!((config.admin, config.pending_admin), (admin.pubkey(), Pubkey::default()));
        assert_eq!(config.reserve_mint, reserve);
        assert_eq!(config.anchor_mint, anchor_mint_pda());
        assert_eq!(config.redeem_fee_bps, 10);
        let mint = env.account(config.anchor_mint).await.expect("anchor mint exists");
        assert_eq!(mint.owner, program.id());
        let mint =
            anchor_spl::token::spl_token::state::Mint::unpack_from_slice(&mint.data[..82]).unwrap();
        assert_eq!(mint.mint_authority, Some(config_pda()).into());
        assert_eq!(mint.freeze_authority, None.into(), "holders can never be frozen");
        assert_eq!(mint.decimals, RESERVE_DECIMALS);
        assert_eq!(mint.supply, 0);
    }
}

#[tokio::test]
async fn initialize_refuses_a_reserve_mint_without_six_decimals() {
    let mut env = TestEnv::start().await;
    let admin = env.funded_upgrade_authority(&value_anchor::ID).await;
    let reserve = env.create_mint(TokenProgram::Classic, 9, &admin.pubkey()).await;
    env.send_expect_error(
        &[init_ix(&admin, &reserve, TokenProgram::Classic, params())],
        &[&admin],
        AnchorTokenError::UnsupportedReserveDecimals,
    )
    .await;
    assert!(env.account(config_pda()).await.is_none());
}

#[tokio::test]
async fn initialize_refuses_a_redeem_fee_above_the_cap() {
    let mut env = TestEnv::start().await;
    let admin = env.funded_upgrade_authority(&value_anchor::ID).await;
    let reserve = env.create_mint(TokenProgram::Classic, RESERVE_DECIMALS, &admin.pubkey()).await;
    let p = InitializeParams { redeem_fee_bps: MAX_FEE_BPS + 1, ..params() };
    env.send_expect_error(
        &[init_ix(&admin, &reserve, TokenProgram::Classic, p)],
        &[&admin],
        AnchorTokenError::FeeTooHigh,
    )
    .await;
}

#[tokio::test]
async fn initialize_refuses_a_reserve_mint_of_another_token_program() {
    let mut env = TestEnv::start().await;
    let admin = env.funded_upgrade_authority(&value_anchor::ID).await;
    let reserve = env.create_mint(TokenProgram::Token2022, RESERVE_DECIMALS, &admin.pubkey()).await;
    env.send_expect_error(
        &[init_ix(&admin, &reserve, TokenProgram::Classic, params())],
        &[&admin],
        anchor_lang::error::ErrorCode::ConstraintMintTokenProgram,
    )
    .await;
}

rwa_integration_tests::authority_tests!(ValueAnchor:
    initialize_by_the_upgrade_authority_makes_it_admin_with_nothing_pending,
    initialize_refuses_a_signer_that_is_not_the_upgrade_authority,
    initialize_refuses_the_program_data_of_another_program,
    initialize_refuses_a_program_data_account_the_loader_did_not_write,
    initialize_refuses_an_immutable_program,
);
