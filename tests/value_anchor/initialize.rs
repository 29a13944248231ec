use anchor_lang::solana_program::program_pack::Pack;
use rwa_testkit::prelude::*;
use value_anchor::{
    errors::AnchorTokenError,
    instruction, seeds,
    state::{AnchorConfig, MAX_FEE_BPS, RESERVE_DECIMALS},
    InitializeParams,
};

fn pda(seed: &[u8]) -> Pubkey {
    Pubkey::find_program_address(&[seed], &value_anchor::ID).0
}

fn initialize_ix(
    admin: &Pubkey,
    reserve_mint: &Pubkey,
    token_program: TokenProgram,
    params: InitializeParams,
) -> Instruction {
    anchor_ix(
        value_anchor::ID,
        value_anchor::accounts::Initialize {
            admin: *admin,
            config: pda(seeds::CONFIG),
            reserve_mint: *reserve_mint,
            anchor_mint: pda(seeds::ANCHOR_MINT),
            token_program: token_program.id(),
            system_program: anchor_lang::system_program::ID,
        },
        instruction::Initialize { params },
    )
}

fn params() -> InitializeParams {
    InitializeParams { guardian: Pubkey::new_unique(), redeem_fee_bps: 10 }
}

#[tokio::test]
async fn initialize_creates_the_anchor_mint_with_the_config_as_mint_authority() {
    for program in [TokenProgram::Classic, TokenProgram::Token2022] {
        let mut env = TestEnv::start().await;
        let admin = env.funded_keypair(1_000_000_000).await;
        let reserve = env.create_mint(program, RESERVE_DECIMALS, &admin.pubkey()).await;
        env.send_ok(&[initialize_ix(&admin.pubkey(), &reserve, program, params())], &[&admin])
            .await;

        let config: AnchorConfig = env.anchor_account(pda(seeds::CONFIG)).await;
        assert_eq!(config.reserve_mint, reserve);
        assert_eq!(config.anchor_mint, pda(seeds::ANCHOR_MINT));
        assert_eq!(config.redeem_fee_bps, 10);
        let mint = env.account(config.anchor_mint).await.expect("anchor mint exists");
        assert_eq!(mint.owner, program.id());
        let mint =
            anchor_spl::token::spl_token::state::Mint::unpack_from_slice(&mint.data[..82]).unwrap();
        assert_eq!(mint.mint_authority, Some(pda(seeds::CONFIG)).into());
        assert_eq!(mint.freeze_authority, None.into(), "holders can never be frozen");
        assert_eq!(mint.decimals, RESERVE_DECIMALS);
        assert_eq!(mint.supply, 0);
    }
}

#[tokio::test]
async fn initialize_refuses_a_reserve_mint_without_six_decimals() {
    let mut env = TestEnv::start().await;
    let admin = env.funded_keypair(1_000_000_000).await;
    let reserve = env.create_mint(TokenProgram::Classic, 9, &admin.pubkey()).await;
    env.send_expect_error(
        &[initialize_ix(&admin.pubkey(), &reserve, TokenProgram::Classic, params())],
        &[&admin],
        AnchorTokenError::UnsupportedReserveDecimals,
    )
    .await;
    assert!(env.account(pda(seeds::CONFIG)).await.is_none());
}

#[tokio::test]
async fn initialize_refuses_a_redeem_fee_above_the_cap() {
    let mut env = TestEnv::start().await;
    let admin = env.funded_keypair(1_000_000_000).await;
    let reserve = env.create_mint(TokenProgram::Classic, RESERVE_DECIMALS, &admin.pubkey()).await;
    let p = InitializeParams { redeem_fee_bps: MAX_FEE_BPS + 1, ..params() };
    env.send_expect_error(
        &[initialize_ix(&admin.pubkey(), &reserve, TokenProgram::Classic, p)],
        &[&admin],
        AnchorTokenError::FeeTooHigh,
    )
    .await;
}

#[tokio::test]
async fn initialize_refuses_a_reserve_mint_of_another_token_program() {
    let mut env = TestEnv::start().await;
    let admin = env.funded_keypair(1_000_000_000).await;
    let reserve = env.create_mint(TokenProgram::Token2022, RESERVE_DECIMALS, &admin.pubkey()).await;
    env.send_expect_error(
        &[initialize_ix(&admin.pubkey(), &reserve, TokenProgram::Classic, params())],
        &[&admin],
        anchor_lang::error::ErrorCode::ConstraintMintTokenProgram,
    )
    .await;
}
