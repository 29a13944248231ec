use receivables::{errors::ReceivablesError, state::RegistryConfig};
use rwa_testkit::prelude::*;

use rwa_testkit::registry::*;

#[tokio::test]
async fn initialize_stores_admin_and_guardian_with_no_pools() {
    let mut env = TestEnv::start().await;
    let admin = env.funded_keypair(1_000_000_000).await;
    let guardian = Pubkey::new_unique();
    env.send_ok(&[initialize_ix(&admin.pubkey(), guardian)], &[&admin]).await;

    let config: RegistryConfig = env.anchor_account(config_pda()).await;
    assert_eq!((config.admin, config.guardian), (admin.pubkey(), guardian));
    assert!(!config.paused);
    assert_eq!(config.pool_count, 0);
}

#[tokio::test]
async fn initialize_refuses_the_default_pubkey_as_guardian() {
    let mut env = TestEnv::start().await;
    let admin = env.funded_keypair(1_000_000_000).await;
    env.send_expect_error(
        &[initialize_ix(&admin.pubkey(), Pubkey::default())],
        &[&admin],
        ReceivablesError::InvalidGuardian,
    )
    .await;
}
