use receivables::{errors::ReceivablesError, state::RegistryConfig};
use rwa_testkit::{
    authority::{program_data_address, Receivables},
    prelude::*,
    registry::*,
};

/// `initialize` signed by `admin` with the registry's own ProgramData account.
fn init_ix(admin: &Keypair, guardian: Pubkey) -> Instruction {
    initialize_ix(&admin.pubkey(), &program_data_address(&receivables::ID), guardian)
}

#[tokio::test]
async fn initialize_stores_admin_and_guardian_with_no_pools() {
    let mut env = TestEnv::start().await;
    let admin = env.funded_upgrade_authority(&receivables::ID).await;
    let guardian = Pubkey::new_unique();
    env.send_ok(&[init_ix(&admin, guardian)], &[&admin]).await;

    let config: RegistryConfig = env.anchor_account(config_pda()).await;
    assert_eq!((config.admin, config.guardian), (admin.pubkey(), guardian));
    assert_eq!(config.pending_admin, Pubkey::default());
    assert!(!config.paused);
    assert_eq!(config.pool_count, 0);
}

#[tokio::test]
async fn initialize_refuses_the_default_pubkey_as_guardian() {
    let mut env = TestEnv::start().await;
    let admin = env.funded_upgrade_authority(&receivables::ID).await;
    env.send_expect_error(
        &[init_ix(&admin, Pubkey::default())],
        &[&admin],
        ReceivablesError::InvalidGuardian,
    )
    .await;
}

rwa_integration_tests::authority_tests!(Receivables:
    initialize_by_the_upgrade_authority_makes_it_admin_with_nothing_pending,
    initialize_refuses_a_signer_that_is_not_the_upgrade_authority,
    initialize_refuses_the_program_data_of_another_program,
    initialize_refuses_a_program_data_account_the_loader_did_not_write,
    initialize_refuses_an_immutable_program,
);
