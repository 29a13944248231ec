use receivables::{
    errors::ReceivablesError,
    state::{Pool, PoolStatus},
};
use rwa_testkit::{prelude::*, registry::*};

const MONTH: u64 = FACE / 12;

#[tokio::test]
async fn repayments_move_into_the_vault_and_pay_the_schedule_oldest_first() {
    let mut r = Registry::new(TokenProgram::Classic).await;
    let (pool, _) = r.active_pool(0).await;
    let ix = r.repay_ix(&pool, MONTH + 10);
    r.env.send_ok(&[ix], &[&r.servicer]).await;

    let state: Pool = r.env.anchor_account(pool).await;
    assert_eq!(
        (state.schedule[0].paid, state.schedule[1].paid, state.schedule[2].paid),
        (MONTH, 10, 0)
    );
    assert_eq!(state.total_repaid, MONTH + 10);
    assert_eq!(state.status, PoolStatus::Active);
    assert_eq!(r.env.token_balance(vault_pda(&pool)).await, MONTH + 10);
    assert_eq!(r.env.token_balance(r.servicer_funds).await, SERVICER_FUNDS - MONTH - 10);
}

#[tokio::test]
async fn paying_everything_matures_the_pool() {
    let mut r = Registry::new(TokenProgram::Classic).await;
    let (pool, _) = r.active_pool(0).await;
    let total: u64 = pool_params(r.now).schedule.iter().map(|p| p.amount).sum();
    let ix = r.repay_ix(&pool, total);
    r.env.send_ok(&[ix], &[&r.servicer]).await;
    let state: Pool = r.env.anchor_account(pool).await;
    assert_eq!((state.status, state.outstanding().unwrap()), (PoolStatus::Matured, 0));
}

#[tokio::test]
async fn paying_the_overdue_flow_returns_a_late_pool_to_active() {
    let mut r = Registry::new(TokenProgram::Classic).await;
    let (pool, _) = r.active_pool(0).await;
    r.env.set_unix_timestamp(r.now + 31 * DAY).await;
    let servicer = r.servicer.pubkey();
    r.env.send_ok(&[mark_late_ix(&servicer, &pool)], &[&r.servicer]).await;
    let ix = r.repay_ix(&pool, MONTH);
    r.env.send_ok(&[ix], &[&r.servicer]).await;
    let state: Pool = r.env.anchor_account(pool).await;
    assert_eq!(state.status, PoolStatus::Active);
}

#[tokio::test]
async fn more_than_the_schedule_expects_is_refused() {
    let mut r = Registry::new(TokenProgram::Classic).await;
    let (pool, _) = r.active_pool(0).await;
    let total: u64 = pool_params(r.now).schedule.iter().map(|p| p.amount).sum();
    let ix = r.repay_ix(&pool, total + 1);
    r.env
        .send_expect_error(&[ix], &[&r.servicer], ReceivablesError::RepaymentExceedsOutstanding)
        .await;
    let zero = r.repay_ix(&pool, 0);
    r.env.send_expect_error(&[zero], &[&r.servicer], ReceivablesError::ZeroAmount).await;
    assert_eq!(r.env.token_balance(vault_pda(&pool)).await, 0);
}

#[tokio::test]
async fn only_the_pools_servicer_records_repayments_and_only_while_it_is_live() {
    let mut r = Registry::new(TokenProgram::Classic).await;
    let draft = r.create_pool(0, pool_params(r.now)).await;
    let ix = r.repay_ix(&draft, MONTH);
    r.env.send_expect_error(&[ix], &[&r.servicer], ReceivablesError::InvalidPoolStatus).await;

    let (pool, _) = r.active_pool(1).await;
    let issuer = r.issuer.insecure_clone();
    let funds = r.env.create_ata(TokenProgram::Classic, &r.currency, &issuer.pubkey()).await;
    let data = receivables::instruction::RecordRepayment { amount: MONTH };
    let servicer = r.servicer.pubkey();
    let ix = payment_ix(&servicer, &pool, r.currency(), &funds, data);
    let ix = resign(ix, &servicer, &issuer.pubkey());
    r.env.send_expect_error(&[ix], &[&issuer], ReceivablesError::NotPoolServicer).await;
}
