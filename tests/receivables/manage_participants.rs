use anchor_lang::error::ErrorCode;
use receivables::{
    errors::ReceivablesError,
    state::{ApprovalStatus, Issuer, RegistryConfig, Servicer},
};
use rwa_testkit::{prelude::*, registry::*};

#[tokio::test]
async fn admin_approves_a_servicer() {
    let mut r = Registry::new(TokenProgram::Classic).await;
    let record: Servicer = r.env.anchor_account(servicer_pda(&r.servicer.pubkey())).await;
    assert_eq!((record.authority, record.status), (r.servicer.pubkey(), ApprovalStatus::Approved));
    let stranger = r.env.funded_keypair(1_000_000_000).await;
    r.env
        .send_expect_error(
            &[approve_servicer_ix(&stranger.pubkey(), &stranger.pubkey())],
            &[&stranger],
            ErrorCode::ConstraintHasOne,
        )
        .await;
}

#[tokio::test]
async fn a_suspended_issuer_creates_and_activates_nothing_until_reinstated() {
    let mut r = Registry::new(TokenProgram::Classic).await;
    let draft = r.create_pool(0, pool_params(r.now)).await;
    let (admin, issuer) = (r.admin.pubkey(), r.issuer.pubkey());
    r.env
        .send_ok(&[set_issuer_status_ix(&admin, &issuer, ApprovalStatus::Suspended)], &[&r.admin])
        .await;
    let record: Issuer = r.env.anchor_account(issuer_pda(&issuer)).await;
    assert_eq!(record.status, ApprovalStatus::Suspended);

    let create = r.create_pool_ix(1, pool_params(r.now));
    r.env.send_expect_error(&[create], &[&r.issuer], ReceivablesError::IssuerNotApproved).await;
    let units = r.env.create_ata(TokenProgram::Classic, &unit_mint_pda(&draft), &issuer).await;
    let activate = activate_pool_ix(&issuer, &draft, &units, TokenProgram::Classic);
    r.env
        .send_expect_error(
            std::slice::from_ref(&activate),
            &[&r.issuer],
            ReceivablesError::IssuerNotApproved,
        )
        .await;

    r.env
        .send_ok(&[set_issuer_status_ix(&admin, &issuer, ApprovalStatus::Approved)], &[&r.admin])
        .await;
    r.env.send_ok(&[activate], &[&r.issuer]).await;
}

#[tokio::test]
async fn only_the_admin_changes_statuses() {
    let mut r = Registry::new(TokenProgram::Classic).await;
    let issuer = r.issuer.insecure_clone();
    r.env
        .send_expect_error(
            &[set_issuer_status_ix(&issuer.pubkey(), &issuer.pubkey(), ApprovalStatus::Approved)],
            &[&issuer],
            ErrorCode::ConstraintHasOne,
        )
        .await;
    let servicer = r.servicer.insecure_clone();
    r.env
        .send_expect_error(
            &[set_servicer_status_ix(
                &servicer.pubkey(),
                &servicer.pubkey(),
                ApprovalStatus::Approved,
            )],
            &[&servicer],
            ErrorCode::ConstraintHasOne,
        )
        .await;
}

#[tokio::test]
async fn the_guardian_pauses_new_pools_and_payments_and_only_the_admin_unpauses() {
    let mut r = Registry::new(TokenProgram::Classic).await;
    let (pool, _) = r.active_pool(0).await;
    let (admin, guardian) = (r.admin.insecure_clone(), r.guardian.insecure_clone());
    let stranger = r.env.funded_keypair(1_000_000_000).await;
    r.env
        .send_expect_error(
            &[set_paused_ix(&stranger.pubkey(), true)],
            &[&stranger],
            ReceivablesError::Unauthorized,
        )
        .await;
    r.env.send_ok(&[set_paused_ix(&guardian.pubkey(), true)], &[&guardian]).await;
    assert!(r.env.anchor_account::<RegistryConfig>(config_pda()).await.paused);

    let repay = r.repay_ix(&pool, 1);
    r.env
        .send_expect_error(std::slice::from_ref(&repay), &[&r.servicer], ReceivablesError::Paused)
        .await;
    let create = r.create_pool_ix(1, pool_params(r.now));
    r.env.send_expect_error(&[create], &[&r.issuer], ReceivablesError::Paused).await;

    r.env
        .send_expect_error(
            &[set_paused_ix(&guardian.pubkey(), false)],
            &[&guardian],
            ReceivablesError::Unauthorized,
        )
        .await;
    r.env.send_ok(&[set_paused_ix(&admin.pubkey(), false)], &[&admin]).await;
    r.env.send_ok(&[repay], &[&r.servicer]).await;
}

/// The reported attack: a suspended servicer, with the registry paused, marked a pool late,
/// wrote everything off, closed it and defaulted another. Every one of those is now refused,
/// first by the pause and then, unpaused, by the suspension; nothing changes.
#[tokio::test]
async fn a_suspended_servicer_has_no_power_paused_or_not() {
    let mut r = Registry::new(TokenProgram::Classic).await;
    let (pool, _) = r.active_pool(0).await;
    let (other, _) = r.active_pool(1).await;
    let (admin, servicer, issuer) = (r.admin.pubkey(), r.servicer.pubkey(), r.issuer.pubkey());
    let suspend = set_servicer_status_ix(&admin, &servicer, ApprovalStatus::Suspended);
    r.env.send_ok(&[suspend, set_paused_ix(&admin, true)], &[&r.admin]).await;
    r.env.set_unix_timestamp(pool_params(r.now).schedule[0].due_ts + 1).await;

    let attempts = [
        mark_late_ix(&servicer, &pool),
        write_down_ix(&servicer, &pool, FACE),
        close_pool_ix(&servicer, &pool, &issuer),
        declare_default_ix(&servicer, &other),
        r.repay_ix(&pool, 1),
        r.recover_ix(&other, 1),
    ];
    let before = (r.env.account(pool).await, r.env.account(other).await);
    for ix in &attempts {
        let ix = std::slice::from_ref(ix);
        r.env.send_expect_error(ix, &[&r.servicer], ReceivablesError::Paused).await;
    }
    r.env.send_ok(&[set_paused_ix(&admin, false)], &[&r.admin]).await;
    for ix in &attempts {
        let ix = std::slice::from_ref(ix);
        r.env.send_expect_error(ix, &[&r.servicer], ReceivablesError::ServicerNotApproved).await;
    }
    assert_eq!((r.env.account(pool).await, r.env.account(other).await), before);

    let reinstate = set_servicer_status_ix(&admin, &servicer, ApprovalStatus::Approved);
    r.env.send_ok(&[reinstate], &[&r.admin]).await;
    r.env.send_ok(&[mark_late_ix(&servicer, &pool)], &[&r.servicer]).await;
}
