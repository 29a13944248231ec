use anchor_lang::error::ErrorCode;
use receivables::{
    errors::ReceivablesError,
    state::{ApprovalStatus, Pool, PoolStatus},
};
use rwa_testkit::{prelude::*, registry::*};

/// A second approved servicer, funded with the currency.
async fn second_servicer(r: &mut Registry) -> (Keypair, Pubkey) {
    let admin = r.admin.insecure_clone();
    let next = r.env.funded_keypair(1_000_000_000).await;
    r.env.send_ok(&[approve_servicer_ix(&admin.pubkey(), &next.pubkey())], &[&admin]).await;
    let funds = r.env.create_ata(r.currency_program, &r.currency, &next.pubkey()).await;
    r.env.mint_tokens(r.currency_program, &r.currency, &funds, &admin, FACE).await;
    (next, funds)
}

/// The lost-key scenario: the old servicer is gone; the admin hands the pool to a new one, who
/// services it to the end while the old key has no power left.
#[tokio::test]
async fn the_admin_hands_a_pool_to_a_new_servicer_and_the_old_one_loses_it() {
    let mut r = Registry::new(TokenProgram::Classic).await;
    let (pool, _) = r.active_pool(0).await;
    let (next, funds) = second_servicer(&mut r).await;
    let admin = r.admin.pubkey();
    r.env.send_ok(&[replace_servicer_ix(&admin, &pool, &next.pubkey())], &[&r.admin]).await;
    let state: Pool = r.env.anchor_account(pool).await;
    assert_eq!(state.servicer, next.pubkey());

    let old = r.repay_ix(&pool, 1_000);
    r.env.send_expect_error(&[old], &[&r.servicer], ReceivablesError::NotPoolServicer).await;
    r.env.set_unix_timestamp(r.now + 31 * DAY).await;
    let data = receivables::instruction::RecordRepayment { amount: 1_000 };
    let repay = payment_ix(&next.pubkey(), &pool, r.currency(), &funds, data);
    r.env.send_ok(&[repay, mark_late_ix(&next.pubkey(), &pool)], &[&next]).await;
    assert_eq!(r.env.anchor_account::<Pool>(pool).await.status, PoolStatus::Late);
}

#[tokio::test]
async fn only_the_admin_replaces_and_only_with_an_approved_new_servicer() {
    let mut r = Registry::new(TokenProgram::Classic).await;
    let (pool, _) = r.active_pool(0).await;
    let (next, _) = second_servicer(&mut r).await;
    let (admin, servicer) = (r.admin.pubkey(), r.servicer.pubkey());
    let before = r.env.account(pool).await;

    let ix = resign(replace_servicer_ix(&admin, &pool, &next.pubkey()), &admin, &servicer);
    r.env.send_expect_error(&[ix], &[&r.servicer], ErrorCode::ConstraintHasOne).await;
    r.env
        .send_expect_error(
            &[replace_servicer_ix(&admin, &pool, &servicer)],
            &[&r.admin],
            ReceivablesError::SameServicer,
        )
        .await;
    let suspend = set_servicer_status_ix(&admin, &next.pubkey(), ApprovalStatus::Suspended);
    r.env.send_ok(&[suspend], &[&r.admin]).await;
    r.env
        .send_expect_error(
            &[replace_servicer_ix(&admin, &pool, &next.pubkey())],
            &[&r.admin],
            ReceivablesError::ServicerNotApproved,
        )
        .await;
    let stranger = Pubkey::new_unique();
    r.env
        .send_expect_error(
            &[replace_servicer_ix(&admin, &pool, &stranger)],
            &[&r.admin],
            ErrorCode::AccountNotInitialized,
        )
        .await;
    assert_eq!(r.env.account(pool).await, before);
}

#[tokio::test]
async fn a_closed_pool_keeps_its_servicer() {
    let mut r = Registry::new(TokenProgram::Classic).await;
    let (pool, _) = r.active_pool(0).await;
    let (next, _) = second_servicer(&mut r).await;
    let (admin, servicer, issuer) = (r.admin.pubkey(), r.servicer.pubkey(), r.issuer.pubkey());
    r.env.set_unix_timestamp(r.now + 31 * DAY).await;
    r.env.send_ok(&[declare_default_ix(&servicer, &pool)], &[&r.servicer]).await;
    r.env.send_ok(&[close_pool_ix(&servicer, &pool, &issuer)], &[&r.servicer]).await;
    r.env
        .send_expect_error(
            &[replace_servicer_ix(&admin, &pool, &next.pubkey())],
            &[&r.admin],
            ReceivablesError::InvalidPoolStatus,
        )
        .await;
}
