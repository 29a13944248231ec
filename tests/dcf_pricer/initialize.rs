use dcf_pricer::{
    errors::PricerError,
    instruction, seeds,
    state::{PricerConfig, MAX_RATE_AGE_SECS},
    InitializeParams,
};
use rwa_testkit::prelude::*;

fn config_pda() -> Pubkey {
    Pubkey::find_program_address(&[seeds::CONFIG], &dcf_pricer::ID).0
}

fn initialize_ix(admin: &Pubkey, params: InitializeParams) -> Instruction {
    anchor_ix(
        dcf_pricer::ID,
        dcf_pricer::accounts::Initialize {
            admin: *admin,
            config: config_pda(),
            system_program: anchor_lang::system_program::ID,
        },
        instruction::Initialize { params },
    )
}

fn params() -> InitializeParams {
    InitializeParams { guardian: Pubkey::new_unique(), max_rate_age_secs: 900 }
}

#[tokio::test]
async fn initialize_stores_admin_guardian_and_rate_age() {
    let mut env = TestEnv::start().await;
    let admin = env.funded_keypair(1_000_000_000).await;
    let p = params();
    env.send_ok(&[initialize_ix(&admin.pubkey(), p)], &[&admin]).await;

    let config: PricerConfig = env.anchor_account(config_pda()).await;
    assert_eq!(config.admin, admin.pubkey());
    assert_eq!(config.guardian, p.guardian);
    assert!(!config.paused);
    assert_eq!(config.max_rate_age_secs, 900);
}

#[tokio::test]
async fn initialize_refuses_a_rate_age_of_zero_or_above_one_day() {
    let mut env = TestEnv::start().await;
    let admin = env.funded_keypair(1_000_000_000).await;
    for max_rate_age_secs in [0, MAX_RATE_AGE_SECS + 1] {
        let p = InitializeParams { max_rate_age_secs, ..params() };
        env.send_expect_error(
            &[initialize_ix(&admin.pubkey(), p)],
            &[&admin],
            PricerError::InvalidRateAge,
        )
        .await;
    }
    assert!(env.account(config_pda()).await.is_none());
}

#[tokio::test]
async fn initialize_refuses_the_default_pubkey_as_guardian() {
    let mut env = TestEnv::start().await;
    let admin = env.funded_keypair(1_000_000_000).await;
    let p = InitializeParams { guardian: Pubkey::default(), ..params() };
    env.send_expect_error(
        &[initialize_ix(&admin.pubkey(), p)],
        &[&admin],
        PricerError::InvalidGuardian,
    )
    .await;
}
