use receivables::{
    errors::ReceivablesError,
    state::{Pool, PoolStatus},
};
use rwa_math::FlowStatus;
use rwa_testkit::{prelude::*, registry::*};

#[tokio::test]
async fn a_late_pool_defaults_and_values_as_defaulted() {
    let mut r = Registry::new(TokenProgram::Classic).await;
    let (pool, _) = r.active_pool(0).await;
    r.env.set_unix_timestamp(r.now + 95 * DAY).await;
    let servicer = r.servicer.pubkey();
    r.env.send_ok(&[mark_late_ix(&servicer, &pool)], &[&r.servicer]).await;
    r.env.send_ok(&[declare_default_ix(&servicer, &pool)], &[&r.servicer]).await;
    let state: Pool = r.env.anchor_account(pool).await;
    assert_eq!(state.status, PoolStatus::Defaulted);
    assert!(state.valuation_flows().all(|f| f.status == FlowStatus::Defaulted));
    assert_eq!(state.valuation_flows().count(), 12);
}

#[tokio::test]
async fn default_needs_an_overdue_flow_and_a_live_pool() {
    let mut r = Registry::new(TokenProgram::Classic).await;
    let (pool, _) = r.active_pool(0).await;
    let servicer = r.servicer.pubkey();
    let ix = declare_default_ix(&servicer, &pool);
    r.env
        .send_expect_error(
            std::slice::from_ref(&ix),
            &[&r.servicer],
            ReceivablesError::NothingOverdue,
        )
        .await;
    r.env.set_unix_timestamp(r.now + 31 * DAY).await;
    r.env.send_ok(std::slice::from_ref(&ix), &[&r.servicer]).await;
    r.env.send_expect_error(&[ix], &[&r.servicer], ReceivablesError::InvalidPoolStatus).await;
}
