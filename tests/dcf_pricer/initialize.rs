use dcf_pricer::{
    errors::PricerError,
    state::{PricerConfig, MAX_RATE_AGE_SECS},
    InitializeParams,
};
use rwa_testkit::{
    authority::{program_data_address, DcfPricer},
    prelude::*,
    pricer::*,
};

fn params() -> InitializeParams {
    InitializeParams { guardian: Pubkey::new_unique(), max_rate_age_secs: 900 }
}

/// `initialize` signed by `admin` with the pricer's own ProgramData account.
fn init_ix(admin: &Keypair, params: InitializeParams) -> Instruction {
    initialize_ix(&admin.pubkey(), &program_data_address(&dcf_pricer::ID), params)
}

#[tokio::test]
async fn initialize_stores_admin_guardian_and_rate_age() {
    let mut env = TestEnv::start().await;
    let admin = env.funded_upgrade_authority(&dcf_pricer::ID).await;
    let p = params();
    env.send_ok(&[init_ix(&admin, p)], &[&admin]).await;

    let config: PricerConfig = env.anchor_account(config_pda()).await;
    assert_eq!(config.admin, admin.pubkey());
    assert_eq!(config.pending_admin, Pubkey::default());
    assert_eq!(config.guardian, p.guardian);
    assert!(!config.paused);
    assert_eq!(config.max_rate_age_secs, 900);
}

#[tokio::test]
async fn initialize_refuses_a_rate_age_of_zero_or_above_one_day() {
    let mut env = TestEnv::start().await;
    let admin = env.funded_upgrade_authority(&dcf_pricer::ID).await;
    for max_rate_age_secs in [0, MAX_RATE_AGE_SECS + 1] {
        let p = InitializeParams { max_rate_age_secs, ..params() };
        env.send_expect_error(&[init_ix(&admin, p)], &[&admin], PricerError::InvalidRateAge).await;
    }
    assert!(env.account(config_pda()).await.is_none());
}

#[tokio::test]
async fn initialize_refuses_the_default_pubkey_as_guardian() {
    let mut env = TestEnv::start().await;
    let admin = env.funded_upgrade_authority(&dcf_pricer::ID).await;
    let p = InitializeParams { guardian: Pubkey::default(), ..params() };
    env.send_expect_error(&[init_ix(&admin, p)], &[&admin], PricerError::InvalidGuardian).await;
}

rwa_integration_tests::authority_tests!(DcfPricer:
    initialize_by_the_upgrade_authority_makes_it_admin_with_nothing_pending,
    initialize_refuses_a_signer_that_is_not_the_upgrade_authority,
    initialize_refuses_the_program_data_of_another_program,
    initialize_refuses_a_program_data_account_the_loader_did_not_write,
    initialize_refuses_an_immutable_program,
);
