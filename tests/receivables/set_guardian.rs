//! `set_guardian`: the admin rotates the guardian; the generic bodies are in
//! `rwa_integration_tests::authority`.
use receivables::{errors::ReceivablesError, state::RegistryConfig};
use rwa_testkit::{authority::Receivables, prelude::*, registry::*};

rwa_integration_tests::authority_tests!(Receivables:
    set_guardian_replaces_the_guardian,
    set_guardian_by_anyone_but_the_admin_is_refused,
    set_guardian_refuses_the_default_pubkey,
);

#[tokio::test]
async fn the_new_guardian_may_pause_and_the_old_one_no_longer() {
    let mut r = Registry::new(TokenProgram::Classic).await;
    let new_guardian = r.env.funded_keypair(1_000_000_000).await;
    let ix = set_guardian_ix(&r.admin.pubkey(), new_guardian.pubkey());
    r.env.send_ok(&[ix], &[&r.admin]).await;

    let ix = set_paused_ix(&r.guardian.pubkey(), true);
    r.env.send_expect_error(&[ix], &[&r.guardian], ReceivablesError::Unauthorized).await;
    r.env.send_ok(&[set_paused_ix(&new_guardian.pubkey(), true)], &[&new_guardian]).await;
    assert!(r.env.anchor_account::<RegistryConfig>(config_pda()).await.paused);
}
