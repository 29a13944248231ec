use anchor_lang::error::ErrorCode;
use anchor_lang::solana_program::program_pack::Pack;
use receivables::{
    errors::ReceivablesError,
    state::{ApprovalStatus, Issuer, Pool, PoolStatus, RegistryConfig, MAX_URI_LEN},
    CreatePoolParams, ScheduledPayment,
};
use rwa_testkit::{prelude::*, spl_token};

use rwa_testkit::registry::*;

async fn expect_refused(r: &mut Registry, params: CreatePoolParams, error: ReceivablesError) {
    let ix = r.create_pool_ix(0, params);
    r.env.send_expect_error(&[ix], &[&r.issuer], error).await;
    assert!(r.env.account(pool_pda(&r.issuer.pubkey(), 0)).await.is_none());
}

#[tokio::test]
async fn approved_issuer_creates_a_draft_pool_with_unit_mint_and_vault() {
    let mut r = Registry::new(TokenProgram::Classic).await;
    let params = pool_params(r.now);
    let pool_key = r.create_pool(0, params.clone()).await;

    let pool: Pool = r.env.anchor_account(pool_key).await;
    assert_eq!(pool.status, PoolStatus::Draft);
    assert_eq!((pool.issuer, pool.servicer), (r.issuer.pubkey(), r.servicer.pubkey()));
    assert_eq!((pool.face_value, pool.unit_size, pool.units_minted), (FACE, 1, 0));
    assert_eq!((pool.grade, pool.doc_hash, pool.uri.clone()), (1, [7; 32], params.uri));
    assert_eq!(pool.schedule.len(), 12);
    assert!(pool
        .schedule
        .iter()
        .zip(&params.schedule)
        .all(|(s, p)| s.due_ts == p.due_ts && s.amount == p.amount && s.paid == 0));

    let mint = r.env.account(pool.unit_mint).await.unwrap();
    let mint = spl_token::state::Mint::unpack_from_slice(&mint.data).unwrap();
    assert_eq!(mint.mint_authority, Some(pool_key).into());
    assert_eq!((mint.decimals, mint.supply), (6, 0));
    let vault = r.env.account(pool.vault).await.unwrap();
    let vault = spl_token::state::Account::unpack_from_slice(&vault.data).unwrap();
    assert_eq!((vault.owner, vault.mint, vault.amount), (pool_key, r.currency, 0));

    let issuer: Issuer = r.env.anchor_account(issuer_pda(&r.issuer.pubkey())).await;
    assert_eq!((issuer.pools_created, issuer.face_value_outstanding), (1, FACE));
    let config: RegistryConfig = r.env.anchor_account(config_pda()).await;
    assert_eq!(config.pool_count, 1);
}

#[tokio::test]
async fn unit_mint_may_live_under_token_2022_while_the_currency_is_classic() {
    let mut r = Registry::new(TokenProgram::Classic).await;
    let ix = create_pool_ix(
        &r.issuer.pubkey(),
        &r.servicer.pubkey(),
        0,
        &r.currency,
        TokenProgram::Classic,
        TokenProgram::Token2022,
        pool_params(r.now),
    );
    r.env.send_ok(&[ix], &[&r.issuer]).await;
    let pool = pool_pda(&r.issuer.pubkey(), 0);
    let mint = r.env.account(unit_mint_pda(&pool)).await.unwrap();
    assert_eq!(mint.owner, TokenProgram::Token2022.id());
}

#[tokio::test]
async fn a_key_that_was_never_approved_cannot_create_pools() {
    let mut r = Registry::new(TokenProgram::Classic).await;
    let stranger = r.env.funded_keypair(10_000_000_000).await;
    let ix = create_pool_ix(
        &stranger.pubkey(),
        &r.servicer.pubkey(),
        0,
        &r.currency,
        TokenProgram::Classic,
        TokenProgram::Classic,
        pool_params(r.now),
    );
    r.env.send_expect_error(&[ix], &[&stranger], ErrorCode::AccountNotInitialized).await;
}

#[tokio::test]
async fn unsorted_duplicate_or_past_schedules_are_refused() {
    let mut r = Registry::new(TokenProgram::Classic).await;
    let base = pool_params(r.now);

    let mut unsorted = base.clone();
    unsorted.schedule.swap(3, 4);
    expect_refused(&mut r, unsorted, ReceivablesError::ScheduleNotSorted).await;

    let mut duplicate = base.clone();
    duplicate.schedule[5].due_ts = duplicate.schedule[4].due_ts;
    expect_refused(&mut r, duplicate, ReceivablesError::ScheduleNotSorted).await;

    let mut past = base.clone();
    past.schedule[0].due_ts = r.now - DAY;
    expect_refused(&mut r, past, ReceivablesError::ScheduleNotSorted).await;
}

#[tokio::test]
async fn empty_schedules_and_zero_payments_are_refused() {
    let mut r = Registry::new(TokenProgram::Classic).await;
    let base = pool_params(r.now);
    expect_refused(
        &mut r,
        CreatePoolParams { schedule: vec![], ..base.clone() },
        ReceivablesError::InvalidScheduleLength,
    )
    .await;
    let mut zero = base.clone();
    zero.schedule.push(ScheduledPayment { due_ts: r.now + 400 * DAY, amount: 0 });
    expect_refused(&mut r, zero, ReceivablesError::ZeroCashFlow).await;
}

#[tokio::test]
async fn a_suspended_servicer_cannot_take_new_pools() {
    let mut r = Registry::new(TokenProgram::Classic).await;
    let (admin, servicer) = (r.admin.pubkey(), r.servicer.pubkey());
    let suspend = set_servicer_status_ix(&admin, &servicer, ApprovalStatus::Suspended);
    r.env.send_ok(&[suspend], &[&r.admin]).await;
    let params = pool_params(r.now);
    expect_refused(&mut r, params, ReceivablesError::ServicerNotApproved).await;
}

#[tokio::test]
async fn bad_unit_size_grade_or_uri_are_refused() {
    let mut r = Registry::new(TokenProgram::Classic).await;
    let base = pool_params(r.now);
    for (params, error) in [
        (CreatePoolParams { unit_size: 0, ..base.clone() }, ReceivablesError::InvalidUnitSize),
        (CreatePoolParams { unit_size: 7, ..base.clone() }, ReceivablesError::InvalidUnitSize),
        (CreatePoolParams { face_value: 0, ..base.clone() }, ReceivablesError::InvalidUnitSize),
        (CreatePoolParams { grade: 5, ..base.clone() }, ReceivablesError::InvalidGrade),
        (
            CreatePoolParams { uri: "u".repeat(MAX_URI_LEN + 1), ..base.clone() },
            ReceivablesError::UriTooLong,
        ),
    ] {
        expect_refused(&mut r, params, error).await;
    }
}

#[tokio::test]
async fn issuer_limits_on_pool_count_and_face_value_are_enforced() {
    let mut r = Registry::new(TokenProgram::Classic).await;
    let mut big = pool_params(r.now);
    big.face_value = LIMITS.max_face_value + 1;
    big.schedule.last_mut().unwrap().amount += LIMITS.max_face_value;
    expect_refused(&mut r, big, ReceivablesError::FaceValueLimitExceeded).await;

    r.create_pool(0, pool_params(r.now)).await;
    r.create_pool(1, pool_params(r.now)).await;
    let ix = r.create_pool_ix(2, pool_params(r.now));
    r.env.send_expect_error(&[ix], &[&r.issuer], ReceivablesError::PoolLimitReached).await;
}

/// Flows at another time of day would put the pricer's valuation on its expensive path (about
/// 4,200 CU a flow): the schedule is refused at the source.
#[tokio::test]
async fn a_schedule_whose_flows_do_not_share_one_time_of_day_is_refused() {
    let mut r = Registry::new(TokenProgram::Classic).await;
    let mut shifted = pool_params(r.now);
    shifted.schedule[7].due_ts += 3_600;
    expect_refused(&mut r, shifted, ReceivablesError::ScheduleNotDayAligned).await;
}
