use anchor_lang::solana_program::program_pack::Pack;
use rwa_testkit::{
    anchor_token::*,
    authority::{program_data_address, ValueAnchor},
    prelude::*,
};
use rwa_testkit::{solana_sdk::transaction::TransactionError, token::MintExtension};
use value_anchor::{
    errors::AnchorTokenError,
    state::{AnchorConfig, AnchorParams, Backing, FEE_HALT, MAX_FEE_BPS, RESERVE_DECIMALS},
    InitializeParams,
};

/// The fixture's parameters for a Token-2022 anchor token (with metadata).
fn params() -> InitializeParams {
    init_params(Pubkey::new_unique(), TokenProgram::Token2022)
}

/// `initialize` signed by `admin` with the program's own ProgramData account, the stable
/// reserve under `token_program`, the anchor mint under Token-2022.
fn init_ix(
    admin: &Keypair,
    reserve_mint: &Pubkey,
    token_program: TokenProgram,
    params: InitializeParams,
) -> Instruction {
    init_ix_with(admin, reserve_mint, token_program, TokenProgram::Token2022, params)
}

fn init_ix_with(
    admin: &Keypair,
    reserve_mint: &Pubkey,
    token_program: TokenProgram,
    anchor_program: TokenProgram,
    params: InitializeParams,
) -> Instruction {
    let program_data = program_data_address(&value_anchor::ID);
    initialize_ix(
        &admin.pubkey(),
        &program_data,
        reserve_mint,
        token_program,
        anchor_program,
        params,
    )
}

#[tokio::test]
async fn initialize_creates_the_anchor_mint_with_the_config_as_mint_authority() {
    // every stablecoin program with every anchor program: the anchor mint's is its own
    let programs = [TokenProgram::Classic, TokenProgram::Token2022];
    for (stable, program) in programs.iter().flat_map(|s| programs.map(|a| (*s, a))) {
        let mut env = TestEnv::start().await;
        let admin = env.funded_upgrade_authority(&value_anchor::ID).await;
        let reserve = env.create_mint(stable, RESERVE_DECIMALS, &admin.pubkey()).await;
        let params = init_params(Pubkey::new_unique(), program);
        env.send_ok(&[init_ix_with(&admin, &reserve, stable, program, params)], &[&admin]).await;

        let config: AnchorConfig = env.anchor_account(config_pda()).await;
        assert_eq!((config.admin, config.pending_admin), (admin.pubkey(), Pubkey::default()));
        assert_eq!(config.reserve_mint, reserve);
        assert_eq!(config.anchor_mint, anchor_mint_pda());
        assert_eq!(config.params, PARAMS);
        assert_eq!(config.stable_reserve, stable_reserve_pda());
        assert_eq!(config.token_program, stable.id());
        assert_eq!(config.anchor_token_program, program.id());
        let backing: Backing = env.anchor_account(backing_pda()).await;
        assert_eq!((backing.pool_count, backing.total_backing, backing.anchor_supply), (0, 0, 0));
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
async fn initialize_refuses_fees_above_the_cap_and_out_of_bounds_params() {
    let mut env = TestEnv::start().await;
    let admin = env.funded_upgrade_authority(&value_anchor::ID).await;
    let reserve = env.create_mint(TokenProgram::Classic, RESERVE_DECIMALS, &admin.pubkey()).await;
    let cases = [
        (AnchorParams { fee_in_bps: MAX_FEE_BPS + 1, ..PARAMS }, AnchorTokenError::FeeTooHigh),
        (AnchorParams { fee_out_bps: FEE_HALT - 1, ..PARAMS }, AnchorTokenError::FeeTooHigh),
        (AnchorParams { max_entry_age_secs: 0, ..PARAMS }, AnchorTokenError::InvalidParams),
        (AnchorParams { max_price_age_secs: 86_401, ..PARAMS }, AnchorTokenError::InvalidParams),
        (AnchorParams { overcollateral_bps: 10_001, ..PARAMS }, AnchorTokenError::InvalidParams),
    ];
    for (p, error) in cases {
        let p = InitializeParams { params: p, ..params() };
        let ix = init_ix(&admin, &reserve, TokenProgram::Classic, p);
        env.send_expect_error(&[ix], &[&admin], error).await;
    }
    // a halted side is a valid setting
    let halted = AnchorParams { fee_in_bps: FEE_HALT, ..PARAMS };
    let ix = init_ix(
        &admin,
        &reserve,
        TokenProgram::Classic,
        InitializeParams { params: halted, ..params() },
    );
    env.send_ok(&[ix], &[&admin]).await;
}

#[tokio::test]
async fn initialize_refuses_a_reserve_stablecoin_with_a_dangerous_extension() {
    let mut env = TestEnv::start().await;
    let admin = env.funded_upgrade_authority(&value_anchor::ID).await;
    let fee = MintExtension::TransferFee { bps: 10, max: u64::MAX };
    let reserve = env.create_mint_with_extensions(RESERVE_DECIMALS, &admin.pubkey(), &[fee]).await;
    let ix = init_ix(&admin, &reserve, TokenProgram::Token2022, params());
    env.send_expect_error(&[ix], &[&admin], rwa_guard::GuardError::UnsafeMintExtension).await;
    assert!(env.account(config_pda()).await.is_none());
}

#[tokio::test]
async fn initialize_refuses_a_reserve_mint_of_another_token_program() {
    let mut env = TestEnv::start().await;
    let admin = env.funded_upgrade_authority(&value_anchor::ID).await;
    let reserve = env.create_mint(TokenProgram::Token2022, RESERVE_DECIMALS, &admin.pubkey()).await;
    // the stable reserve is created under the program named, which refuses the other's mint
    // before Anchor's own token-program check is reached
    let ix = init_ix(&admin, &reserve, TokenProgram::Classic, params());
    let failure = env.send_expect_failure(&[ix], &[&admin]).await;
    assert!(
        matches!(
            failure.error,
            TransactionError::InstructionError(0, InstructionError::IncorrectProgramId)
        ),
        "{:?}",
        failure.error
    );
    assert!(env.account(config_pda()).await.is_none());
}

rwa_integration_tests::authority_tests!(ValueAnchor:
    initialize_by_the_upgrade_authority_makes_it_admin_with_nothing_pending,
    initialize_refuses_a_signer_that_is_not_the_upgrade_authority,
    initialize_refuses_the_program_data_of_another_program,
    initialize_refuses_a_program_data_account_the_loader_did_not_write,
    initialize_refuses_an_immutable_program,
);
