use receivables::{
    errors::ReceivablesError,
    state::{Pool, PoolStatus},
};
use rwa_testkit::{prelude::*, registry::*};

#[tokio::test]
async fn a_past_due_unpaid_flow_makes_the_pool_late_and_counts_days() {
    let mut r = Registry::new(TokenProgram::Classic).await;
    let (pool, _) = r.active_pool(0).await;
    r.env.set_unix_timestamp(r.now + 40 * DAY).await;
    let servicer = r.servicer.pubkey();
    r.env.send_ok(&[mark_late_ix(&servicer, &pool)], &[&r.servicer]).await;
    let state: Pool = r.env.anchor_account(pool).await;
    assert_eq!(state.status, PoolStatus::Late);
    assert_eq!(state.days_late(r.now + 40 * DAY), 10);
}

#[tokio::test]
async fn nothing_overdue_cannot_be_late() {
    let mut r = Registry::new(TokenProgram::Classic).await;
    let (pool, _) = r.active_pool(0).await;
    let servicer = r.servicer.pubkey();
    r.env
        .send_expect_error(
            &[mark_late_ix(&servicer, &pool)],
            &[&r.servicer],
            ReceivablesError::NothingOverdue,
        )
        .await;
}

#[tokio::test]
async fn only_an_active_pool_becomes_late_and_only_by_its_servicer() {
    let mut r = Registry::new(TokenProgram::Classic).await;
    let draft = r.create_pool(0, pool_params(r.now)).await;
    let servicer = r.servicer.pubkey();
    r.env.set_unix_timestamp(r.now + 40 * DAY).await;
    r.env
        .send_expect_error(
            &[mark_late_ix(&servicer, &draft)],
            &[&r.servicer],
            ReceivablesError::InvalidPoolStatus,
        )
        .await;
    let issuer = r.issuer.insecure_clone();
    r.env
        .send_expect_error(
            &[resign(mark_late_ix(&servicer, &draft), &servicer, &issuer.pubkey())],
            &[&issuer],
            ReceivablesError::NotPoolServicer,
        )
        .await;
}
