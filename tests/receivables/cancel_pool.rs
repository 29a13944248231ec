use receivables::{
    errors::ReceivablesError,
    state::{Issuer, Pool, PoolStatus},
};
use rwa_testkit::{prelude::*, registry::*};

#[tokio::test]
async fn cancelling_a_draft_releases_its_face_value_and_pool_slot() {
    let mut r = Registry::new(TokenProgram::Classic).await;
    let issuer = r.issuer.pubkey();
    let first = r.create_pool(0, pool_params(r.now)).await;
    r.create_pool(1, pool_params(r.now)).await;
    let create = r.create_pool_ix(2, pool_params(r.now));
    r.env.send_expect_error(&[create], &[&r.issuer], ReceivablesError::PoolLimitReached).await;

    r.env.send_ok(&[cancel_pool_ix(&issuer, &first)], &[&r.issuer]).await;
    let pool: Pool = r.env.anchor_account(first).await;
    assert_eq!(pool.status, PoolStatus::Cancelled);
    let record: Issuer = r.env.anchor_account(issuer_pda(&issuer)).await;
    assert_eq!((record.face_value_outstanding, record.pools_cancelled), (FACE, 1));

    // the slot is free again: a third pool (index 2) fits the two-pool limit
    r.create_pool(2, pool_params(r.now)).await;
    let record: Issuer = r.env.anchor_account(issuer_pda(&issuer)).await;
    assert_eq!((record.pools_created, record.face_value_outstanding), (3, 2 * FACE));
}

#[tokio::test]
async fn a_cancelled_pool_can_never_be_activated_scheduled_or_cancelled_again() {
    let mut r = Registry::new(TokenProgram::Classic).await;
    let issuer = r.issuer.pubkey();
    let pool = r.create_pool(0, pool_params(r.now)).await;
    r.env.send_ok(&[cancel_pool_ix(&issuer, &pool)], &[&r.issuer]).await;
    let units = r.env.create_ata(TokenProgram::Classic, &unit_mint_pda(&pool), &issuer).await;
    let refused = [
        activate_pool_ix(&issuer, &pool, &units, TokenProgram::Classic),
        append_schedule_ix(&issuer, &pool, vec![]),
        cancel_pool_ix(&issuer, &pool),
    ];
    for ix in refused {
        r.env.send_expect_error(&[ix], &[&r.issuer], ReceivablesError::InvalidPoolStatus).await;
    }
    assert_eq!(r.env.mint_supply(unit_mint_pda(&pool)).await, 0);
}

#[tokio::test]
async fn only_the_pools_issuer_cancels_and_only_a_draft() {
    let mut r = Registry::new(TokenProgram::Classic).await;
    let issuer = r.issuer.pubkey();
    let (active, _) = r.active_pool(0).await;
    let before = r.env.account(issuer_pda(&issuer)).await;
    r.env
        .send_expect_error(
            &[cancel_pool_ix(&issuer, &active)],
            &[&r.issuer],
            ReceivablesError::InvalidPoolStatus,
        )
        .await;
    assert_eq!(r.env.account(issuer_pda(&issuer)).await, before);

    // another approved issuer cannot cancel this issuer's draft
    let draft = r.create_pool(1, pool_params(r.now)).await;
    let other = r.env.funded_keypair(1_000_000_000).await;
    let admin = r.admin.insecure_clone();
    r.env.send_ok(&[approve_issuer_ix(&admin.pubkey(), &other.pubkey(), LIMITS)], &[&admin]).await;
    let ix = rwa_testkit::anchor_ix(
        receivables::ID,
        receivables::accounts::CancelPool {
            issuer_authority: other.pubkey(),
            issuer: issuer_pda(&other.pubkey()),
            pool: draft,
        },
        receivables::instruction::CancelPool {},
    );
    r.env.send_expect_error(&[ix], &[&other], ReceivablesError::NotPoolIssuer).await;
}
