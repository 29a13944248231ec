//! `list_pool` (admin only: a pool in the reserve stablecoin that the pricer prices takes the
//! next holding slot and gets a unit account) and `set_pool_cap` (admin only).
use anchor_lang::{error::ErrorCode, solana_program::program_pack::Pack};
use buyback_reserve::{
    errors::ReserveError,
    state::{Holding, ListedPool},
};
use rwa_testkit::{
    oracle::{feed_pda, grade_pda},
    prelude::*,
    pricer::{self, BENCHMARK, PRICING},
    registry::{self, unit_mint_pda},
    reserve::*,
    spl_token,
};

/// Creates and activates the registry's pool 1 (in the reserve stablecoin, grade 1).
async fn second_pool(fx: &mut ReserveFixture) -> Pubkey {
    fx.a.p.r.active_pool(1).await.0
}

/// The pricer accepts `pool` for pricing.
async fn price(fx: &mut ReserveFixture, pool: &Pubkey) {
    let admin = fx.a.p.r.admin.insecure_clone();
    let ix = pricer::create_pool_pricing_ix(
        &admin.pubkey(),
        pool,
        &grade_pda(1),
        &feed_pda(&BENCHMARK),
        PRICING,
    );
    fx.env().send_ok(&[ix], &[&admin]).await;
}

#[tokio::test]
async fn a_second_pool_takes_slot_one_with_its_unit_account() {
    let mut fx = ReserveFixture::new().await;
    let pool = second_pool(&mut fx).await;
    price(&mut fx, &pool).await;
    let admin = fx.a.p.r.admin.insecure_clone();
    let cap = 123_456_789;
    fx.env().send_ok(&[list_pool_ix(&admin.pubkey(), &pool, cap)], &[&admin]).await;

    let listed: ListedPool = fx.env().anchor_account(listed_pool_pda(&pool)).await;
    assert_eq!(listed.pool, pool);
    assert_eq!(listed.pricing, pricer::pool_pricing_pda(&pool));
    assert_eq!(listed.unit_mint, unit_mint_pda(&pool));
    assert_eq!(listed.unit_token_program, TokenProgram::Classic.id());
    assert_eq!(listed.units_vault, units_vault_pda(&pool));
    assert_eq!((listed.slot, listed.grade, listed.cap), (1, 1, cap));
    let book = fx.book().await;
    assert_eq!(book.holding_count, 2);
    assert_eq!(book.holdings[0].pool, fx.pool());
    assert_eq!(book.holdings[1], Holding { pool, ..Holding::default() });
    let vault = fx.env().account(units_vault_pda(&pool)).await.expect("the unit account exists");
    let vault = spl_token::state::Account::unpack_from_slice(&vault.data).unwrap();
    assert_eq!((vault.mint, vault.owner, vault.amount), (unit_mint_pda(&pool), config_pda(), 0));
}

/// A listing is created once: the listed-pool PDA exists, so the system program refuses to
/// create it again.
#[tokio::test]
async fn a_pool_is_listed_once() {
    let mut fx = ReserveFixture::new().await;
    let admin = fx.a.p.r.admin.insecure_clone();
    let pool = fx.pool();
    let failure =
        fx.env().send_expect_failure(&[list_pool_ix(&admin.pubkey(), &pool, 1)], &[&admin]).await;
    crate::protocol_token::assert_refused_by_the_system_program(&failure);
    assert_eq!(fx.book().await.holding_count, 1);
    let listed: ListedPool = fx.env().anchor_account(listed_pool_pda(&pool)).await;
    assert_eq!(listed.cap, POOL_CAP);
}

/// A pool in another currency (added to the registry, the pool created and activated in it,
/// and priced by the pricer) is refused.
#[tokio::test]
async fn a_pool_in_another_currency_is_refused() {
    let mut fx = ReserveFixture::new().await;
    let admin = fx.a.p.r.admin.insecure_clone();
    let other = fx.env().create_mint(TokenProgram::Classic, 6, &admin.pubkey()).await;
    let ix = registry::add_currency_ix(&admin.pubkey(), &other, TokenProgram::Classic);
    fx.env().send_ok(&[ix], &[&admin]).await;
    let issuer = fx.a.p.r.issuer.insecure_clone();
    let servicer = fx.a.p.r.servicer.pubkey();
    let params = registry::pool_params(fx.a.p.r.now);
    let ix = registry::create_pool_ix(
        &issuer.pubkey(),
        &servicer,
        1,
        &other,
        TokenProgram::Classic,
        TokenProgram::Classic,
        params,
    );
    fx.env().send_ok(&[ix], &[&issuer]).await;
    let pool = registry::pool_pda(&issuer.pubkey(), 1);
    let units =
        fx.env().create_ata(TokenProgram::Classic, &unit_mint_pda(&pool), &issuer.pubkey()).await;
    let ix = registry::activate_pool_ix(&issuer.pubkey(), &pool, &units, TokenProgram::Classic);
    fx.env().send_ok(&[ix], &[&issuer]).await;
    price(&mut fx, &pool).await;

    let ix = list_pool_ix(&admin.pubkey(), &pool, 1);
    fx.env().send_expect_error(&[ix], &[&admin], ReserveError::CurrencyMismatch).await;
    assert!(fx.env().account(listed_pool_pda(&pool)).await.is_none());
    assert_eq!(fx.book().await.holding_count, 1);
}

#[tokio::test]
async fn a_pool_the_pricer_does_not_price_is_refused() {
    let mut fx = ReserveFixture::new().await;
    let pool = second_pool(&mut fx).await;
    let admin = fx.a.p.r.admin.insecure_clone();
    let ix = list_pool_ix(&admin.pubkey(), &pool, 1);
    fx.env().send_expect_error(&[ix], &[&admin], ErrorCode::AccountNotInitialized).await;
    assert_eq!(fx.book().await.holding_count, 1);
}

#[tokio::test]
async fn list_pool_by_anyone_but_the_admin_is_refused() {
    let mut fx = ReserveFixture::new().await;
    let pool = second_pool(&mut fx).await;
    price(&mut fx, &pool).await;
    let guardian = fx.a.p.r.guardian.insecure_clone();
    let stranger = fx.env().funded_keypair(1_000_000_000).await;
    for who in [&guardian, &stranger] {
        let ix = list_pool_ix(&who.pubkey(), &pool, 1);
        fx.env().send_expect_error(&[ix], &[who], ErrorCode::ConstraintHasOne).await;
    }
    assert!(fx.env().account(listed_pool_pda(&pool)).await.is_none());
    assert_eq!(fx.book().await.holding_count, 1);
}

#[tokio::test]
async fn set_pool_cap_by_the_admin_changes_the_cap() {
    let mut fx = ReserveFixture::new().await;
    let admin = fx.a.p.r.admin.insecure_clone();
    let pool = fx.pool();
    for cap in [0, 42, u64::MAX] {
        fx.env().send_ok(&[set_pool_cap_ix(&admin.pubkey(), &pool, cap)], &[&admin]).await;
        let listed: ListedPool = fx.env().anchor_account(listed_pool_pda(&pool)).await;
        assert_eq!((listed.cap, listed.slot, listed.pool), (cap, 0, pool));
    }
}

#[tokio::test]
async fn set_pool_cap_by_anyone_but_the_admin_is_refused() {
    let mut fx = ReserveFixture::new().await;
    let pool = fx.pool();
    let guardian = fx.a.p.r.guardian.insecure_clone();
    let stranger = fx.env().funded_keypair(1_000_000_000).await;
    for who in [&guardian, &stranger] {
        let ix = set_pool_cap_ix(&who.pubkey(), &pool, 1);
        fx.env().send_expect_error(&[ix], &[who], ErrorCode::ConstraintHasOne).await;
    }
    let listed: ListedPool = fx.env().anchor_account(listed_pool_pda(&pool)).await;
    assert_eq!(listed.cap, POOL_CAP);
}
