use anchor_lang::error::ErrorCode;
use receivables::{
    errors::ReceivablesError,
    state::{Pool, PoolStatus},
};
use rwa_testkit::prelude::*;

use rwa_testkit::registry::*;

#[tokio::test]
async fn activation_mints_every_unit_to_the_issuer_signed_by_the_pool_pda() {
    for unit_program in [TokenProgram::Classic, TokenProgram::Token2022] {
        let mut r = Registry::new(TokenProgram::Classic).await;
        let issuer = r.issuer.pubkey();
        let create = create_pool_ix(
            &issuer,
            &r.servicer.pubkey(),
            0,
            &r.currency,
            TokenProgram::Classic,
            unit_program,
            pool_params(r.now),
        );
        r.env.send_ok(&[create], &[&r.issuer]).await;
        let pool = pool_pda(&issuer, 0);
        let units = r.env.create_ata(unit_program, &unit_mint_pda(&pool), &issuer).await;

        r.env
            .send_ok(&[activate_pool_ix(&issuer, &pool, &units, unit_program)], &[&r.issuer])
            .await;

        assert_eq!(r.env.token_balance(units).await, FACE);
        assert_eq!(r.env.mint_supply(unit_mint_pda(&pool)).await, FACE);
        let state: Pool = r.env.anchor_account(pool).await;
        assert_eq!((state.status, state.units_minted), (PoolStatus::Active, FACE));
    }
}

async fn created_pool() -> (Registry, Pubkey, Pubkey) {
    let mut r = Registry::new(TokenProgram::Classic).await;
    let pool = r.create_pool(0, pool_params(r.now)).await;
    let issuer = r.issuer.pubkey();
    let units = r.env.create_ata(TokenProgram::Classic, &unit_mint_pda(&pool), &issuer).await;
    (r, pool, units)
}

#[tokio::test]
async fn a_pool_cannot_be_activated_twice_so_units_never_exceed_face_value() {
    let (mut r, pool, units) = created_pool().await;
    let issuer = r.issuer.pubkey();
    r.env
        .send_ok(&[activate_pool_ix(&issuer, &pool, &units, TokenProgram::Classic)], &[&r.issuer])
        .await;
    r.env
        .send_expect_error(
            &[activate_pool_ix(&issuer, &pool, &units, TokenProgram::Classic)],
            &[&r.issuer],
            ReceivablesError::InvalidPoolStatus,
        )
        .await;
    assert_eq!(r.env.mint_supply(unit_mint_pda(&pool)).await, FACE);
}

#[tokio::test]
async fn another_approved_issuer_cannot_activate_the_pool() {
    let (mut r, pool, units) = created_pool().await;
    let other = r.env.funded_keypair(1_000_000_000).await;
    let approve = approve_issuer_ix(&r.admin.pubkey(), &other.pubkey(), LIMITS);
    r.env.send_ok(&[approve], &[&r.admin]).await;
    r.env
        .send_expect_error(
            &[activate_pool_ix(&other.pubkey(), &pool, &units, TokenProgram::Classic)],
            &[&other],
            ReceivablesError::NotPoolIssuer,
        )
        .await;
    assert_eq!(r.env.mint_supply(unit_mint_pda(&pool)).await, 0);
}

#[tokio::test]
async fn units_cannot_be_sent_to_an_account_of_another_mint() {
    let (mut r, pool, _units) = created_pool().await;
    let issuer = r.issuer.pubkey();
    let wrong = r.env.create_ata(TokenProgram::Classic, &r.currency, &issuer).await;
    r.env
        .send_expect_error(
            &[activate_pool_ix(&issuer, &pool, &wrong, TokenProgram::Classic)],
            &[&r.issuer],
            ErrorCode::ConstraintTokenMint,
        )
        .await;
}

#[tokio::test]
async fn a_schedule_below_face_value_cannot_be_activated_until_completed() {
    let mut r = Registry::new(TokenProgram::Classic).await;
    let mut params = pool_params(r.now);
    let last = params.schedule.pop().unwrap();
    let pool = r.create_pool(0, params).await;
    let issuer = r.issuer.pubkey();
    let units = r.env.create_ata(TokenProgram::Classic, &unit_mint_pda(&pool), &issuer).await;
    let activate = activate_pool_ix(&issuer, &pool, &units, TokenProgram::Classic);
    r.env
        .send_expect_error(
            std::slice::from_ref(&activate),
            &[&r.issuer],
            ReceivablesError::ScheduleBelowFaceValue,
        )
        .await;

    r.env.send_ok(&[append_schedule_ix(&issuer, &pool, vec![last])], &[&r.issuer]).await;
    r.env.send_ok(&[activate], &[&r.issuer]).await;
    assert_eq!(r.env.token_balance(units).await, FACE);
}

/// A Draft pool whose first flow fell due before activation would be overdue the moment its
/// units exist: activation is refused until the issuer creates a pool with a live schedule.
#[tokio::test]
async fn a_schedule_already_due_cannot_be_activated() {
    let mut r = Registry::new(TokenProgram::Classic).await;
    let params = pool_params(r.now);
    let first_due = params.schedule[0].due_ts;
    let pool = r.create_pool(0, params).await;
    let issuer = r.issuer.pubkey();
    let units = r.env.create_ata(TokenProgram::Classic, &unit_mint_pda(&pool), &issuer).await;
    let activate = activate_pool_ix(&issuer, &pool, &units, TokenProgram::Classic);
    for now in [first_due, first_due + DAY] {
        r.env.set_unix_timestamp(now).await;
        r.env
            .send_expect_error(
                std::slice::from_ref(&activate),
                &[&r.issuer],
                ReceivablesError::ScheduleAlreadyDue,
            )
            .await;
    }
    assert_eq!(r.env.mint_supply(unit_mint_pda(&pool)).await, 0);
    r.env.set_unix_timestamp(first_due - 1).await;
    r.env.send_ok(&[activate], &[&r.issuer]).await;
}
