//! `set_guardian`: the admin rotates the guardian; the generic bodies are in
//! `rwa_integration_tests::authority`.
use rwa_oracle::{errors::OracleError, state::OracleConfig};
use rwa_testkit::{authority::RwaOracle, oracle::*, prelude::*};

rwa_integration_tests::authority_tests!(RwaOracle:
    set_guardian_replaces_the_guardian,
    set_guardian_by_anyone_but_the_admin_is_refused,
    set_guardian_refuses_the_default_pubkey,
);

#[tokio::test]
async fn the_new_guardian_may_pause_and_the_old_one_no_longer() {
    let mut fx = OracleFixture::new().await;
    let new_guardian = fx.env.funded_keypair(1_000_000_000).await;
    let ix = set_guardian_ix(&fx.admin.pubkey(), new_guardian.pubkey());
    fx.env.send_ok(&[ix], &[&fx.admin]).await;

    let ix = set_paused_ix(&fx.guardian.pubkey(), true);
    fx.env.send_expect_error(&[ix], &[&fx.guardian], OracleError::Unauthorized).await;
    fx.env.send_ok(&[set_paused_ix(&new_guardian.pubkey(), true)], &[&new_guardian]).await;
    assert!(fx.env.anchor_account::<OracleConfig>(config_pda()).await.paused);
}
