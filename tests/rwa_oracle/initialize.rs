use rwa_oracle::{
    errors::OracleError,
    seeds,
    state::{OracleConfig, MAX_PUBLISHERS, MAX_STALENESS_SECS, MIN_QUORUM},
    InitializeParams,
};
use rwa_testkit::{
    authority::{program_data_address, RwaOracle},
    oracle::*,
    prelude::*,
};

fn params() -> InitializeParams {
    InitializeParams { guardian: Pubkey::new_unique(), max_staleness_secs: 600, min_publishers: 3 }
}

/// `initialize` signed by `admin` with the oracle's own ProgramData account.
fn init_ix(admin: &Keypair, params: InitializeParams) -> Instruction {
    initialize_ix(&admin.pubkey(), &program_data_address(&rwa_oracle::ID), params)
}

#[tokio::test]
async fn initialize_stores_admin_guardian_and_default_bounds() {
    let mut env = TestEnv::start().await;
    let admin = env.funded_upgrade_authority(&rwa_oracle::ID).await;
    let p = params();
    env.send_ok(&[init_ix(&admin, p)], &[&admin]).await;

    let config: OracleConfig = env.anchor_account(config_pda()).await;
    assert_eq!(config.admin, admin.pubkey());
    assert_eq!(config.pending_admin, Pubkey::default());
    assert_eq!(config.guardian, p.guardian);
    assert!(!config.paused);
    assert_eq!(config.max_staleness_secs, 600);
    assert_eq!(config.min_publishers, 3);
    assert_eq!(config.bump, Pubkey::find_program_address(&[seeds::CONFIG], &rwa_oracle::ID).1);
}

#[tokio::test]
async fn initialize_refuses_zero_or_excessive_staleness() {
    let mut env = TestEnv::start().await;
    let admin = env.funded_upgrade_authority(&rwa_oracle::ID).await;
    for max_staleness_secs in [0, MAX_STALENESS_SECS + 1] {
        let p = InitializeParams { max_staleness_secs, ..params() };
        env.send_expect_error(&[init_ix(&admin, p)], &[&admin], OracleError::InvalidStaleness)
            .await;
    }
    assert!(env.account(config_pda()).await.is_none(), "a refused initialize leaves no config");
}

#[tokio::test]
async fn initialize_refuses_a_default_quorum_below_three_or_above_the_publisher_limit() {
    let mut env = TestEnv::start().await;
    let admin = env.funded_upgrade_authority(&rwa_oracle::ID).await;
    for min_publishers in [0, 1, MIN_QUORUM - 1, MAX_PUBLISHERS + 1] {
        let p = InitializeParams { min_publishers, ..params() };
        env.send_expect_error(&[init_ix(&admin, p)], &[&admin], OracleError::InvalidMinPublishers)
            .await;
    }
    assert!(env.account(config_pda()).await.is_none());
}

#[tokio::test]
async fn initialize_refuses_the_default_pubkey_as_guardian() {
    let mut env = TestEnv::start().await;
    let admin = env.funded_upgrade_authority(&rwa_oracle::ID).await;
    let p = InitializeParams { guardian: Pubkey::default(), ..params() };
    env.send_expect_error(&[init_ix(&admin, p)], &[&admin], OracleError::InvalidGuardian).await;
}

#[tokio::test]
async fn initialize_cannot_run_twice() {
    let mut env = TestEnv::start().await;
    let admin = env.funded_upgrade_authority(&rwa_oracle::ID).await;
    env.send_ok(&[init_ix(&admin, params())], &[&admin]).await;
    // Not even by the upgrade authority: the system program refuses to allocate an account
    // that exists.
    env.send_expect_failure(&[init_ix(&admin, params())], &[&admin]).await;
    let config: OracleConfig = env.anchor_account(config_pda()).await;
    assert_eq!(config.admin, admin.pubkey());
}

rwa_integration_tests::authority_tests!(RwaOracle:
    initialize_by_the_upgrade_authority_makes_it_admin_with_nothing_pending,
    initialize_refuses_a_signer_that_is_not_the_upgrade_authority,
    initialize_refuses_the_program_data_of_another_program,
    initialize_refuses_a_program_data_account_the_loader_did_not_write,
    initialize_refuses_an_immutable_program,
);
