use anchor_lang::error::ErrorCode;
use receivables::{
    errors::ReceivablesError,
    state::{Issuer, Pool, PoolStatus, DEFAULTED_CLOSE_GRACE_SECS},
};
use rwa_testkit::{prelude::*, registry::*};

/// A Defaulted pool with a recovery in its vault, and when it defaulted.
async fn defaulted_pool(r: &mut Registry) -> (Pubkey, Pubkey, i64) {
    let (pool, units) = r.active_pool(0).await;
    let at = r.now + 31 * DAY;
    r.env.set_unix_timestamp(at).await;
    let servicer = r.servicer.pubkey();
    r.env.send_ok(&[declare_default_ix(&servicer, &pool)], &[&r.servicer]).await;
    let recovery = r.recover_ix(&pool, FACE / 4);
    r.env.send_ok(&[recovery], &[&r.servicer]).await;
    (pool, units, at)
}

/// The servicer's key is lost after a default: once the grace period has passed the admin
/// closes the pool and holders redeem the recovery.
#[tokio::test]
async fn after_the_grace_period_the_admin_closes_and_holders_reach_the_recovery() {
    let mut r = Registry::new(TokenProgram::Classic).await;
    let (pool, units, defaulted_at) = defaulted_pool(&mut r).await;
    let state: Pool = r.env.anchor_account(pool).await;
    assert_eq!(state.defaulted_at, defaulted_at);
    let (admin, issuer) = (r.admin.pubkey(), r.issuer.pubkey());

    r.env.set_unix_timestamp(defaulted_at + DEFAULTED_CLOSE_GRACE_SECS).await;
    r.env.send_ok(&[admin_close_pool_ix(&admin, &pool, &issuer)], &[&r.admin]).await;
    let state: Pool = r.env.anchor_account(pool).await;
    assert_eq!(state.status, PoolStatus::Closed);
    let record: Issuer = r.env.anchor_account(issuer_pda(&issuer)).await;
    assert_eq!(record.face_value_outstanding, 0);

    let cash = r.env.create_ata(r.currency_program, &r.currency, &issuer).await;
    let redeem = r.redeem_ix(&issuer, &pool, &units, &cash, FACE);
    r.env.send_ok(&[redeem], &[&r.issuer]).await;
    assert_eq!(r.env.token_balance(cash).await, FACE / 4);
}

#[tokio::test]
async fn within_the_grace_period_only_the_servicer_may_close() {
    let mut r = Registry::new(TokenProgram::Classic).await;
    let (pool, _, defaulted_at) = defaulted_pool(&mut r).await;
    let (admin, issuer) = (r.admin.pubkey(), r.issuer.pubkey());
    r.env.set_unix_timestamp(defaulted_at + DEFAULTED_CLOSE_GRACE_SECS - 1).await;
    let before = r.env.account(pool).await;
    r.env
        .send_expect_error(
            &[admin_close_pool_ix(&admin, &pool, &issuer)],
            &[&r.admin],
            ReceivablesError::GracePeriodNotOver,
        )
        .await;
    assert_eq!(r.env.account(pool).await, before);
}

#[tokio::test]
async fn only_the_admin_and_only_for_a_defaulted_pool() {
    let mut r = Registry::new(TokenProgram::Classic).await;
    let (pool, _, defaulted_at) = defaulted_pool(&mut r).await;
    let (admin, issuer) = (r.admin.pubkey(), r.issuer.pubkey());
    r.env.set_unix_timestamp(defaulted_at + DEFAULTED_CLOSE_GRACE_SECS).await;
    let ix = resign(admin_close_pool_ix(&admin, &pool, &issuer), &admin, &issuer);
    r.env.send_expect_error(&[ix], &[&r.issuer], ErrorCode::ConstraintHasOne).await;

    let now = r.env.clock().await.unix_timestamp;
    let create = r.create_pool_ix(1, pool_params(now));
    r.env.send_ok(&[create], &[&r.issuer]).await;
    let draft = pool_pda(&issuer, 1);
    r.env
        .send_expect_error(
            &[admin_close_pool_ix(&admin, &draft, &issuer)],
            &[&r.admin],
            ReceivablesError::InvalidPoolStatus,
        )
        .await;
}
