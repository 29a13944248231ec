use anchor_lang::error::ErrorCode;
use receivables::{
    errors::ReceivablesError,
    state::{Issuer, IssuerLimits},
};
use rwa_testkit::{prelude::*, registry::*};

#[tokio::test]
async fn the_admin_raises_an_issuers_limits_and_new_pools_fit() {
    let mut r = Registry::new(TokenProgram::Classic).await;
    let (admin, issuer) = (r.admin.pubkey(), r.issuer.pubkey());
    r.create_pool(0, pool_params(r.now)).await;
    r.create_pool(1, pool_params(r.now)).await;
    let create = r.create_pool_ix(2, pool_params(r.now));
    r.env
        .send_expect_error(
            std::slice::from_ref(&create),
            &[&r.issuer],
            ReceivablesError::PoolLimitReached,
        )
        .await;

    let limits = IssuerLimits { max_pools: 3, max_face_value: 3 * FACE };
    r.env.send_ok(&[set_issuer_limits_ix(&admin, &issuer, limits)], &[&r.admin]).await;
    let record: Issuer = r.env.anchor_account(issuer_pda(&issuer)).await;
    assert_eq!(record.limits, limits);
    r.env.send_ok(&[create], &[&r.issuer]).await;
}

#[tokio::test]
async fn lowered_limits_stop_new_pools_without_touching_existing_ones() {
    let mut r = Registry::new(TokenProgram::Classic).await;
    let (admin, issuer) = (r.admin.pubkey(), r.issuer.pubkey());
    let (pool, _) = r.active_pool(0).await;
    let limits = IssuerLimits { max_pools: 1, max_face_value: FACE / 2 };
    r.env.send_ok(&[set_issuer_limits_ix(&admin, &issuer, limits)], &[&r.admin]).await;
    let create = r.create_pool_ix(1, pool_params(r.now));
    r.env.send_expect_error(&[create], &[&r.issuer], ReceivablesError::PoolLimitReached).await;
    let repay = r.repay_ix(&pool, 1_000);
    r.env.send_ok(&[repay], &[&r.servicer]).await;
}

#[tokio::test]
async fn zero_limits_and_anyone_but_the_admin_are_refused() {
    let mut r = Registry::new(TokenProgram::Classic).await;
    let (admin, issuer) = (r.admin.pubkey(), r.issuer.pubkey());
    let before = r.env.account(issuer_pda(&issuer)).await;
    for limits in [
        IssuerLimits { max_pools: 0, max_face_value: FACE },
        IssuerLimits { max_pools: 1, max_face_value: 0 },
    ] {
        r.env
            .send_expect_error(
                &[set_issuer_limits_ix(&admin, &issuer, limits)],
                &[&r.admin],
                ReceivablesError::InvalidIssuerLimits,
            )
            .await;
    }
    let generous = IssuerLimits { max_pools: 100, max_face_value: u64::MAX };
    let ix = resign(set_issuer_limits_ix(&admin, &issuer, generous), &admin, &issuer);
    r.env.send_expect_error(&[ix], &[&r.issuer], ErrorCode::ConstraintHasOne).await;
    assert_eq!(r.env.account(issuer_pda(&issuer)).await, before);
}
