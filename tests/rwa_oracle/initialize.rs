use rwa_oracle::{
    errors::OracleError,
    seeds,
    state::{OracleConfig, MAX_PUBLISHERS, MAX_STALENESS_SECS, MIN_QUORUM},
    InitializeParams,
};
use rwa_testkit::{oracle::*, prelude::*};

fn params() -> InitializeParams {
    InitializeParams { guardian: Pubkey::new_unique(), max_staleness_secs: 600, min_publishers: 3 }
}

#[tokio::test]
async fn initialize_stores_admin_guardian_and_default_bounds() {
    let mut env = TestEnv::start().await;
    let admin = env.funded_keypair(1_000_000_000).await;
    let p = params();
    env.send_ok(&[initialize_ix(&admin.pubkey(), p)], &[&admin]).await;

    let config: OracleConfig = env.anchor_account(config_pda()).await;
    assert_eq!(config.admin, admin.pubkey());
    assert_eq!(config.guardian, p.guardian);
    assert!(!config.paused);
    assert_eq!(config.max_staleness_secs, 600);
    assert_eq!(config.min_publishers, 3);
    assert_eq!(config.bump, Pubkey::find_program_address(&[seeds::CONFIG], &rwa_oracle::ID).1);
}

#[tokio::test]
async fn initialize_refuses_zero_or_excessive_staleness() {
    let mut env = TestEnv::start().await;
    let admin = Keypair::new();
    env.transfer_lamports(&admin.pubkey(), 1_000_000_000).await;
    for max_staleness_secs in [0, MAX_STALENESS_SECS + 1] {
        let p = InitializeParams { max_staleness_secs, ..params() };
        env.send_expect_error(
            &[initialize_ix(&admin.pubkey(), p)],
            &[&admin],
            OracleError::InvalidStaleness,
        )
        .await;
    }
    assert!(env.account(config_pda()).await.is_none(), "a refused initialize leaves no config");
}

#[tokio::test]
async fn initialize_refuses_a_default_quorum_below_three_or_above_the_publisher_limit() {
    let mut env = TestEnv::start().await;
    let admin = env.funded_keypair(1_000_000_000).await;
    for min_publishers in [0, 1, MIN_QUORUM - 1, MAX_PUBLISHERS + 1] {
        let p = InitializeParams { min_publishers, ..params() };
        env.send_expect_error(
            &[initialize_ix(&admin.pubkey(), p)],
            &[&admin],
            OracleError::InvalidMinPublishers,
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
        OracleError::InvalidGuardian,
    )
    .await;
}

#[tokio::test]
async fn initialize_cannot_run_twice() {
    let mut env = TestEnv::start().await;
    let admin = env.funded_keypair(1_000_000_000).await;
    env.send_ok(&[initialize_ix(&admin.pubkey(), params())], &[&admin]).await;
    let intruder = env.funded_keypair(1_000_000_000).await;
    // The system program refuses to allocate an account that exists.
    env.send_expect_failure(&[initialize_ix(&intruder.pubkey(), params())], &[&intruder]).await;
    let config: OracleConfig = env.anchor_account(config_pda()).await;
    assert_eq!(config.admin, admin.pubkey());
}
