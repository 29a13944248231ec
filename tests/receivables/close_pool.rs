use receivables::{
    errors::ReceivablesError,
    state::{Issuer, Pool, PoolStatus},
};
use rwa_testkit::{prelude::*, registry::*};

#[tokio::test]
async fn closing_a_defaulted_pool_frees_the_issuers_limit() {
    let mut r = Registry::new(TokenProgram::Classic).await;
    let (pool, _) = r.active_pool(0).await;
    r.env.set_unix_timestamp(r.now + 31 * DAY).await;
    let (servicer, issuer) = (r.servicer.pubkey(), r.issuer.pubkey());
    r.env.send_ok(&[declare_default_ix(&servicer, &pool)], &[&r.servicer]).await;
    r.env.send_ok(&[close_pool_ix(&servicer, &pool, &issuer)], &[&r.servicer]).await;
    let state: Pool = r.env.anchor_account(pool).await;
    assert_eq!(state.status, PoolStatus::Closed);
    let record: Issuer = r.env.anchor_account(issuer_pda(&issuer)).await;
    assert_eq!(record.face_value_outstanding, 0);
}

#[tokio::test]
async fn a_performing_or_closed_pool_cannot_be_closed() {
    let mut r = Registry::new(TokenProgram::Classic).await;
    let (pool, _) = r.active_pool(0).await;
    let (servicer, issuer) = (r.servicer.pubkey(), r.issuer.pubkey());
    let close = close_pool_ix(&servicer, &pool, &issuer);
    r.env
        .send_expect_error(
            std::slice::from_ref(&close),
            &[&r.servicer],
            ReceivablesError::InvalidPoolStatus,
        )
        .await;
    let total: u64 = pool_params(r.now).schedule.iter().map(|p| p.amount).sum();
    let repay = r.repay_ix(&pool, total);
    r.env.send_ok(&[repay], &[&r.servicer]).await;
    r.env.send_ok(std::slice::from_ref(&close), &[&r.servicer]).await;
    r.env.send_expect_error(&[close], &[&r.servicer], ReceivablesError::InvalidPoolStatus).await;
}
