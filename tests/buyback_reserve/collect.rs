//! `collect`: anyone redeems the reserve's units of a Matured, WrittenOff or Closed pool through
//! the receivables program; the proceeds become idle cash.
use anchor_lang::solana_program::program_pack::Pack;
use buyback_reserve::errors::ReserveError;
use receivables::state::{redemption_payout_floor, PoolStatus};
use rwa_testkit::{
    prelude::*,
    registry::{self, unit_mint_pda, vault_pda},
    reserve::*,
};

const UNITS: u64 = 10_000_000_000;

async fn sell(fx: &mut ReserveFixture, units: u64) {
    let ixs = fx.refresh_and_sell_ixs(units, 0);
    fx.as_holder(&ixs).await;
}

async fn unit_supply(fx: &mut ReserveFixture) -> u64 {
    let mint = unit_mint_pda(&fx.pool());
    let account = fx.env().account(mint).await.unwrap();
    anchor_spl::token::spl_token::state::Mint::unpack_from_slice(&account.data).unwrap().supply
}

#[tokio::test]
async fn collecting_a_matured_pool_redeems_the_units_into_idle_cash_at_a_gain() {
    let mut fx = ReserveFixture::new().await;
    sell(&mut fx, UNITS).await;
    fx.repay_all().await;
    assert_eq!(fx.pool_state().await.status, PoolStatus::Matured);

    let pool = fx.pool();
    let before = fx.book().await;
    let held = before.holdings[0];
    let vault = fx.env().token_balance(vault_pda(&pool)).await;
    let supply = unit_supply(&mut fx).await;
    let expected = redemption_payout_floor(vault, supply, UNITS).unwrap();
    let stable_before = fx.env().token_balance(stable_vault_pda()).await;

    let ix = collect_ix(&fx.pool(), &fx.stable_mint());
    fx.env().send_ok(&[ix], &[]).await;

    let book = fx.book().await;
    let proceeds = book.cash - before.cash;
    assert_eq!(proceeds, expected);
    assert_eq!(fx.env().token_balance(stable_vault_pda()).await, stable_before + proceeds);
    assert_eq!((book.holdings[0].units, book.holdings[0].value), (0, 0));
    assert!(proceeds > held.value, "the discounts earned a gain: {proceeds} vs {}", held.value);
    assert_eq!(fx.env().token_balance(units_vault_pda(&pool)).await, 0);
    assert_eq!(unit_supply(&mut fx).await, supply - UNITS, "the units were burned");
    assert_eq!(fx.env().token_balance(vault_pda(&pool)).await, vault - proceeds);

    // nothing is held any more: a second collect has nothing to do, and deposits need no mark
    let ix = collect_ix(&fx.pool(), &fx.stable_mint());
    fx.env().send_expect_error(&[ix], &[], ReserveError::NothingOwed).await;
    let d = fx.depositor.clone();
    let ix = fx.deposit_ix(&d, 1_000_000);
    fx.send_as(&d, &[ix]).await;
}

#[tokio::test]
async fn a_pool_that_has_not_matured_is_not_collectable() {
    let mut fx = ReserveFixture::new().await;
    sell(&mut fx, UNITS).await;
    // Active, then Defaulted: neither pays holders yet
    let ix = collect_ix(&fx.pool(), &fx.stable_mint());
    fx.env()
        .send_expect_error(std::slice::from_ref(&ix), &[], ReserveError::PoolNotCollectable)
        .await;
    fx.a.p.at_first_due().await;
    fx.a.p.declare_default().await;
    fx.env().send_expect_error(&[ix], &[], ReserveError::PoolNotCollectable).await;
    assert_eq!(fx.book().await.holdings[0].units, UNITS);
}

#[tokio::test]
async fn collecting_with_no_units_held_is_refused() {
    let mut fx = ReserveFixture::new().await;
    fx.repay_all().await;
    let ix = collect_ix(&fx.pool(), &fx.stable_mint());
    fx.env().send_expect_error(&[ix], &[], ReserveError::NothingOwed).await;
}

/// A pool written off whole pays its holders nothing: collecting writes the holding off (the
/// depositors bear the loss) without calling the registry, which would refuse a zero payout.
#[tokio::test]
async fn collecting_a_pool_written_off_with_an_empty_vault_writes_the_holding_off() {
    let mut fx = ReserveFixture::new().await;
    sell(&mut fx, UNITS).await;
    fx.a.p.at_first_due().await;
    let (servicer, pool) = (fx.a.p.r.servicer.pubkey(), fx.pool());
    fx.a.p.as_servicer(registry::mark_late_ix(&servicer, &pool)).await;
    let outstanding = fx.pool_state().await.outstanding().unwrap();
    fx.a.p.as_servicer(registry::write_down_ix(&servicer, &pool, outstanding)).await;
    assert_eq!(fx.pool_state().await.status, PoolStatus::WrittenOff);
    assert_eq!(fx.env().token_balance(vault_pda(&pool)).await, 0);
    let before = fx.book().await;

    let ix = collect_ix(&pool, &fx.stable_mint());
    fx.env().send_ok(&[ix], &[]).await;
    let book = fx.book().await;
    assert_eq!(book.cash, before.cash, "nothing was paid");
    assert_eq!((book.holdings[0].units, book.holdings[0].value), (0, 0));
    assert_eq!(fx.env().token_balance(units_vault_pda(&pool)).await, UNITS, "not redeemed");
}
