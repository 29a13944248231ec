use anchor_lang::error::ErrorCode;
use receivables::{
    errors::ReceivablesError,
    state::{ApprovalStatus, Issuer, IssuerLimits},
};
use rwa_testkit::prelude::*;

use rwa_testkit::registry::*;

async fn registry() -> (TestEnv, Keypair) {
    let mut env = TestEnv::start().await;
    let admin = env.funded_upgrade_authority(&receivables::ID).await;
    let program_data = rwa_testkit::authority::program_data_address(&receivables::ID);
    let init = initialize_ix(&admin.pubkey(), &program_data, Pubkey::new_unique());
    env.send_ok(&[init], &[&admin]).await;
    (env, admin)
}

#[tokio::test]
async fn admin_approves_an_issuer_with_its_limits() {
    let (mut env, admin) = registry().await;
    let issuer = Pubkey::new_unique();
    env.send_ok(&[approve_issuer_ix(&admin.pubkey(), &issuer, LIMITS)], &[&admin]).await;

    let record: Issuer = env.anchor_account(issuer_pda(&issuer)).await;
    assert_eq!(record.authority, issuer);
    assert_eq!(record.status, ApprovalStatus::Approved);
    assert_eq!(record.limits, LIMITS);
    assert_eq!((record.pools_created, record.face_value_outstanding), (0, 0));
}

#[tokio::test]
async fn only_the_admin_may_approve_issuers() {
    let (mut env, _admin) = registry().await;
    let stranger = env.funded_keypair(1_000_000_000).await;
    env.send_expect_error(
        &[approve_issuer_ix(&stranger.pubkey(), &stranger.pubkey(), LIMITS)],
        &[&stranger],
        ErrorCode::ConstraintHasOne,
    )
    .await;
    assert!(env.account(issuer_pda(&stranger.pubkey())).await.is_none());
}

#[tokio::test]
async fn limits_allowing_no_pool_or_no_face_value_are_refused() {
    let (mut env, admin) = registry().await;
    for limits in
        [IssuerLimits { max_pools: 0, ..LIMITS }, IssuerLimits { max_face_value: 0, ..LIMITS }]
    {
        env.send_expect_error(
            &[approve_issuer_ix(&admin.pubkey(), &Pubkey::new_unique(), limits)],
            &[&admin],
            ReceivablesError::InvalidIssuerLimits,
        )
        .await;
    }
}
