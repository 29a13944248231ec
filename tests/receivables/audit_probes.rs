//! Audit probes: each `probe_*` test replays an attack an audit of this code found and now
//! asserts the property that defeats it (a regression test; its doc comment tells the
//! finding); each `held_*` test documents an attack that was tried and refused.
use anchor_lang::error::ErrorCode;
use receivables::{
    errors::ReceivablesError,
    state::{Issuer, Pool, PoolStatus},
    ScheduledPayment,
};
use rwa_guard::GuardError;
use rwa_testkit::{prelude::*, registry::*, token::MintExtension};

/// FINDING (medium): the issuer's `max_face_value` limit bounds the face value, but nothing
/// bounds the schedule against it: `activate_pool` only checks `scheduled >= face_value`, and
/// `append_schedule` adds flows of any size while Draft. Units are minted from the face value,
/// while the pricer values the schedule, so an issuer limited to 3,000,000 issues a claim on
/// 100,000,000 (the same face value, 100x the flows) and the units carry it.
#[tokio::test]
async fn probe_issuer_face_limit_does_not_bound_the_schedule() {
    let mut r = Registry::new(TokenProgram::Classic).await;
    let params = pool_params(r.now);
    let last_due = params.schedule.last().unwrap().due_ts;
    let pool = r.create_pool(0, params).await;
    let issuer = r.issuer.insecure_clone();
    let inflate = ScheduledPayment { due_ts: last_due + 30 * DAY, amount: 100 * FACE };
    let before = r.env.account(pool).await;
    r.env
        .send_expect_error(
            &[append_schedule_ix(&issuer.pubkey(), &pool, vec![inflate])],
            &[&issuer],
            ReceivablesError::ScheduleAboveFaceBound,
        )
        .await;
    assert_eq!(r.env.account(pool).await, before);
    // up to twice the face value (principal and interest) is still a schedule
    let fits = ScheduledPayment { due_ts: last_due + 30 * DAY, amount: FACE / 2 };
    r.env.send_ok(&[append_schedule_ix(&issuer.pubkey(), &pool, vec![fits])], &[&issuer]).await;
    let units =
        r.env.create_ata(TokenProgram::Classic, &unit_mint_pda(&pool), &issuer.pubkey()).await;
    let activate = activate_pool_ix(&issuer.pubkey(), &pool, &units, TokenProgram::Classic);
    r.env.send_ok(&[activate], &[&issuer]).await;
    let state: Pool = r.env.anchor_account(pool).await;
    let scheduled: u64 = state.schedule.iter().map(|c| c.amount).sum();
    assert!(scheduled <= 2 * state.face_value);
    assert_eq!(state.status, PoolStatus::Active);
}

/// HELD: account substitution in `record_repayment`: another pool's vault (ConstraintAddress),
/// or another currency mint (ConstraintAddress), are refused with the pool unchanged.
#[tokio::test]
async fn held_repayment_with_another_pools_vault_or_mint_is_refused() {
    let mut r = Registry::new(TokenProgram::Classic).await;
    let (pool, _) = r.active_pool(0).await;
    let (other, _) = r.active_pool(1).await;
    let before = r.env.account(pool).await;

    let mut ix = r.repay_ix(&pool, 1_000);
    ix.accounts[4].pubkey = vault_pda(&other);
    r.env.send_expect_error(&[ix], &[&r.servicer], ErrorCode::ConstraintAddress).await;

    let admin = r.admin.pubkey();
    let look_alike = r.env.create_mint(TokenProgram::Classic, 6, &admin).await;
    let mut ix = r.repay_ix(&pool, 1_000);
    ix.accounts[5].pubkey = look_alike;
    r.env.send_expect_error(&[ix], &[&r.servicer], ErrorCode::ConstraintAddress).await;
    assert_eq!(r.env.account(pool).await, before);
}

/// HELD: rounding. 1,000 one-unit redemptions of a Matured pool whose vault is not a multiple
/// of the supply pay no more than one redemption of 1,000 units (floor pro rata), and the dust
/// stays with the remaining holders.
#[tokio::test]
async fn held_many_tiny_redemptions_never_beat_one() {
    let mut r = Registry::new(TokenProgram::Classic).await;
    let (pool, units) = r.active_pool(0).await;
    let total: u64 = pool_params(r.now).schedule.iter().map(|p| p.amount).sum();
    let ix = r.repay_ix(&pool, total);
    r.env.send_ok(&[ix], &[&r.servicer]).await;
    let issuer = r.issuer.insecure_clone();
    let cash = r.env.create_ata(r.currency_program, &r.currency, &issuer.pubkey()).await;
    let (vault, supply) = (total, FACE);
    let at_once = (vault as u128 * 1_000 / supply as u128) as u64;
    // 20 redemptions a transaction (three frames each, within the trace limit), 50 transactions
    for _ in 0..50 {
        let ixs: Vec<Instruction> =
            (0..20).map(|_| r.redeem_ix(&issuer.pubkey(), &pool, &units, &cash, 1)).collect();
        r.env.send_ok(&ixs, &[&issuer]).await;
    }
    let got = r.env.token_balance(cash).await;
    assert!(got <= at_once, "{got} > {at_once}");
    // what is left per unit did not fall
    let left = r.env.token_balance(vault_pda(&pool)).await;
    assert!(left as u128 * supply as u128 >= vault as u128 * (supply - 1_000) as u128);
}

/// HELD: a Cancelled pool accepts nothing: not activation, not servicing, not a new servicer,
/// not redemption; and cancelling twice is refused.
#[tokio::test]
async fn held_cancelled_pool_accepts_nothing() {
    let mut r = Registry::new(TokenProgram::Classic).await;
    let pool = r.create_pool(0, pool_params(r.now)).await;
    let issuer = r.issuer.insecure_clone();
    r.env.send_ok(&[cancel_pool_ix(&issuer.pubkey(), &pool)], &[&issuer]).await;
    let units =
        r.env.create_ata(TokenProgram::Classic, &unit_mint_pda(&pool), &issuer.pubkey()).await;
    let activate = activate_pool_ix(&issuer.pubkey(), &pool, &units, TokenProgram::Classic);
    r.env.send_expect_error(&[activate], &[&issuer], ReceivablesError::InvalidPoolStatus).await;
    let cancel = cancel_pool_ix(&issuer.pubkey(), &pool);
    r.env.send_expect_error(&[cancel], &[&issuer], ReceivablesError::InvalidPoolStatus).await;
    let repay = r.repay_ix(&pool, 1);
    r.env.send_expect_error(&[repay], &[&r.servicer], ReceivablesError::InvalidPoolStatus).await;
    let servicer2 = Keypair::new();
    let admin = r.admin.insecure_clone();
    r.env.send_ok(&[approve_servicer_ix(&admin.pubkey(), &servicer2.pubkey())], &[&admin]).await;
    let replace = replace_servicer_ix(&admin.pubkey(), &pool, &servicer2.pubkey());
    r.env.send_expect_error(&[replace], &[&admin], ReceivablesError::InvalidPoolStatus).await;
    let cash = r.env.create_ata(r.currency_program, &r.currency, &issuer.pubkey()).await;
    let redeem = r.redeem_ix(&issuer.pubkey(), &pool, &units, &cash, 1);
    r.env.send_expect_error(&[redeem], &[&issuer], ReceivablesError::InvalidPoolStatus).await;
    let record: Issuer = r.env.anchor_account(issuer_pda(&issuer.pubkey())).await;
    assert_eq!((record.pools_cancelled, record.face_value_outstanding), (1, 0));
}

/// HELD: a suspended servicer keeps no power, even over a Defaulted pool it could otherwise
/// close; the admin's `replace_servicer` restores servicing; the registry pause stops the new
/// servicer too.
#[tokio::test]
async fn held_suspended_servicer_has_no_power_and_pause_stops_every_servicer_instruction() {
    let mut r = Registry::new(TokenProgram::Classic).await;
    let (pool, _) = r.active_pool(0).await;
    r.env.set_unix_timestamp(r.now + 31 * DAY).await;
    let (servicer, admin, issuer) =
        (r.servicer.pubkey(), r.admin.insecure_clone(), r.issuer.pubkey());
    r.env.send_ok(&[declare_default_ix(&servicer, &pool)], &[&r.servicer]).await;
    let suspend = set_servicer_status_ix(
        &admin.pubkey(),
        &servicer,
        receivables::state::ApprovalStatus::Suspended,
    );
    r.env.send_ok(&[suspend], &[&admin]).await;
    let close = close_pool_ix(&servicer, &pool, &issuer);
    r.env.send_expect_error(&[close], &[&r.servicer], ReceivablesError::ServicerNotApproved).await;

    let next = r.env.funded_keypair(1_000_000_000).await;
    r.env.send_ok(&[approve_servicer_ix(&admin.pubkey(), &next.pubkey())], &[&admin]).await;
    let replace = replace_servicer_ix(&admin.pubkey(), &pool, &next.pubkey());
    r.env.send_ok(&[replace], &[&admin]).await;
    r.env.send_ok(&[set_paused_ix(&admin.pubkey(), true)], &[&admin]).await;
    let close = close_pool_ix(&next.pubkey(), &pool, &issuer);
    r.env.send_expect_error(std::slice::from_ref(&close), &[&next], ReceivablesError::Paused).await;
    r.env.send_ok(&[set_paused_ix(&admin.pubkey(), false)], &[&admin]).await;
    r.env.send_ok(&[close], &[&next]).await;
    let state: Pool = r.env.anchor_account(pool).await;
    assert_eq!(state.status, PoolStatus::Closed);
}

/// HELD: the admin's close needs Defaulted and the full grace: Late pools, Active pools and a
/// Defaulted pool one second early are refused.
#[tokio::test]
async fn held_admin_close_needs_a_default_and_the_full_grace() {
    let mut r = Registry::new(TokenProgram::Classic).await;
    let (pool, _) = r.active_pool(0).await;
    let (admin, issuer, servicer) =
        (r.admin.insecure_clone(), r.issuer.pubkey(), r.servicer.pubkey());
    let close = admin_close_pool_ix(&admin.pubkey(), &pool, &issuer);
    r.env
        .send_expect_error(
            std::slice::from_ref(&close),
            &[&admin],
            ReceivablesError::InvalidPoolStatus,
        )
        .await;
    let at = r.now + 31 * DAY;
    r.env.set_unix_timestamp(at).await;
    r.env.send_ok(&[mark_late_ix(&servicer, &pool)], &[&r.servicer]).await;
    r.env.set_unix_timestamp(at + 400 * DAY).await;
    r.env
        .send_expect_error(
            std::slice::from_ref(&close),
            &[&admin],
            ReceivablesError::InvalidPoolStatus,
        )
        .await;
    r.env.send_ok(&[declare_default_ix(&servicer, &pool)], &[&r.servicer]).await;
    let defaulted_at = at + 400 * DAY;
    r.env
        .set_unix_timestamp(defaulted_at + receivables::state::DEFAULTED_CLOSE_GRACE_SECS - 1)
        .await;
    r.env
        .send_expect_error(
            std::slice::from_ref(&close),
            &[&admin],
            ReceivablesError::GracePeriodNotOver,
        )
        .await;
    // the issuer record of another issuer cannot be passed to release someone else's limit
    let mut wrong = close.clone();
    wrong.accounts[3].pubkey = issuer_pda(&admin.pubkey());
    r.env.warp_seconds(1).await;
    r.env.send_expect_failure(&[wrong], &[&admin]).await;
    r.env.send_ok(&[close], &[&admin]).await;
}

/// HELD: the currency screen. A Token-2022 currency carrying any balance-changing extension is
/// refused by `add_currency`; a descriptive one (metadata pointer) is accepted, and an accepted
/// classic mint that is not on the list is refused at `create_pool`.
#[tokio::test]
async fn held_currency_screen_refuses_dangerous_extensions() {
    let mut r = Registry::new(TokenProgram::Classic).await;
    let admin = r.admin.insecure_clone();
    for ext in MintExtension::dangerous(admin.pubkey()) {
        let mint = r.env.create_mint_with_extensions(6, &admin.pubkey(), &[ext]).await;
        let ix = add_currency_ix(&admin.pubkey(), &mint, TokenProgram::Token2022);
        r.env.send_expect_error(&[ix], &[&admin], GuardError::UnsafeMintExtension).await;
    }
    let fine = r
        .env
        .create_mint_with_extensions(6, &admin.pubkey(), &[MintExtension::MetadataPointer])
        .await;
    r.env
        .send_ok(&[add_currency_ix(&admin.pubkey(), &fine, TokenProgram::Token2022)], &[&admin])
        .await;

    let unlisted = r.env.create_mint(TokenProgram::Classic, 6, &admin.pubkey()).await;
    let mut ix = r.create_pool_ix(0, pool_params(r.now));
    ix.accounts[5].pubkey = unlisted;
    let issuer = r.issuer.insecure_clone();
    r.env.send_expect_error(&[ix], &[&issuer], ReceivablesError::CurrencyNotAccepted).await;
}
