use receivables::{
    errors::ReceivablesError,
    state::{Pool, PoolStatus},
};
use rwa_testkit::{prelude::*, registry::*};

#[tokio::test]
async fn recoveries_of_a_defaulted_pool_move_into_the_vault() {
    let mut r = Registry::new(TokenProgram::Classic).await;
    let (pool, _) = r.active_pool(0).await;
    r.env.set_unix_timestamp(r.now + 31 * DAY).await;
    let servicer = r.servicer.pubkey();
    r.env.send_ok(&[declare_default_ix(&servicer, &pool)], &[&r.servicer]).await;
    let ix = r.recover_ix(&pool, 400_000_000);
    r.env.send_ok(&[ix], &[&r.servicer]).await;
    let state: Pool = r.env.anchor_account(pool).await;
    assert_eq!((state.status, state.total_recovered), (PoolStatus::Defaulted, 400_000_000));
    assert_eq!(r.env.token_balance(vault_pda(&pool)).await, 400_000_000);
}

#[tokio::test]
async fn recoveries_need_a_defaulted_pool_and_a_positive_amount() {
    let mut r = Registry::new(TokenProgram::Classic).await;
    let (pool, _) = r.active_pool(0).await;
    let servicer = r.servicer.pubkey();
    let ix = r.recover_ix(&pool, 1);
    r.env.send_expect_error(&[ix], &[&r.servicer], ReceivablesError::InvalidPoolStatus).await;
    r.env.set_unix_timestamp(r.now + 31 * DAY).await;
    r.env.send_ok(&[declare_default_ix(&servicer, &pool)], &[&r.servicer]).await;
    let zero = r.recover_ix(&pool, 0);
    r.env.send_expect_error(&[zero], &[&r.servicer], ReceivablesError::ZeroAmount).await;
}
