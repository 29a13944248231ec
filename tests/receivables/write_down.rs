use receivables::{
    errors::ReceivablesError,
    state::{Pool, PoolStatus},
};
use rwa_testkit::{prelude::*, registry::*};

/// Pool 0 Late, pool 1 Active (performing: its servicer pays on time).
async fn late_pool() -> (Registry, Pubkey) {
    let mut r = Registry::new(TokenProgram::Classic).await;
    let (pool, _) = r.active_pool(0).await;
    r.active_pool(1).await;
    r.env.set_unix_timestamp(r.now + 31 * DAY).await;
    let servicer = r.servicer.pubkey();
    r.env.send_ok(&[mark_late_ix(&servicer, &pool)], &[&r.servicer]).await;
    (r, pool)
}

#[tokio::test]
async fn a_write_down_removes_the_furthest_flows_first() {
    let (mut r, pool) = late_pool().await;
    let before: Pool = r.env.anchor_account(pool).await;
    let last = before.schedule[11].amount;
    let servicer = r.servicer.pubkey();
    r.env.send_ok(&[write_down_ix(&servicer, &pool, last + 5)], &[&r.servicer]).await;
    let after: Pool = r.env.anchor_account(pool).await;
    assert_eq!((after.schedule[11].written_off, after.schedule[10].written_off), (last, 5));
    assert_eq!(after.outstanding().unwrap(), before.outstanding().unwrap() - last - 5);
    assert_eq!(after.status, PoolStatus::Late);
}

#[tokio::test]
async fn writing_down_everything_left_of_a_late_pool_says_written_off_not_matured() {
    let (mut r, pool) = late_pool().await;
    let state: Pool = r.env.anchor_account(pool).await;
    let servicer = r.servicer.pubkey();
    let all = state.outstanding().unwrap();
    r.env.send_ok(&[write_down_ix(&servicer, &pool, all)], &[&r.servicer]).await;
    let state: Pool = r.env.anchor_account(pool).await;
    assert_eq!(state.status, PoolStatus::WrittenOff, "a loss, not a pool paid in full");
    assert_eq!(state.total_repaid, 0);
}

#[tokio::test]
async fn more_than_outstanding_or_on_a_performing_pool_is_refused() {
    let (mut r, pool) = late_pool().await;
    let state: Pool = r.env.anchor_account(pool).await;
    let servicer = r.servicer.pubkey();
    let too_much = write_down_ix(&servicer, &pool, state.outstanding().unwrap() + 1);
    r.env
        .send_expect_error(
            &[too_much],
            &[&r.servicer],
            ReceivablesError::WriteDownExceedsOutstanding,
        )
        .await;
    let zero = write_down_ix(&servicer, &pool, 0);
    r.env.send_expect_error(&[zero], &[&r.servicer], ReceivablesError::ZeroAmount).await;

    let active = pool_pda(&r.issuer.pubkey(), 1);
    let ix = write_down_ix(&servicer, &active, 1);
    r.env.send_expect_error(&[ix], &[&r.servicer], ReceivablesError::InvalidPoolStatus).await;
}
