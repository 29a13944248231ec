use receivables::state::{Pool, PoolStatus};
use rwa_testkit::{
    anchor_token::*,
    registry::{self, pool_params, vault_pda, FACE},
};
use value_anchor::{errors::AnchorTokenError, state::Backing};

/// At maturity the protocol's units are redeemed through the real receivables program, into
/// the stable reserve, by anyone.
#[tokio::test]
async fn collect_redeems_a_matured_pools_units_into_the_stable_reserve() {
    let mut fx = AnchorFixture::new().await;
    let holder = fx.holder.insecure_clone();
    fx.p.r.env.send_ok(&fx.exchange_ixs(FACE / 10, 1), &[&holder]).await;
    let currency = fx.p.r.currency;
    let ix = collect_ix(&fx.p.pool, &currency);
    fx.p.r.env.send_expect_error(&[ix], &[], AnchorTokenError::PoolNotCollectable).await;

    let total: u64 = pool_params(fx.p.r.now).schedule.iter().map(|p| p.amount).sum();
    fx.p.repay(total).await;
    let pool: Pool = fx.p.r.env.anchor_account(fx.p.pool).await;
    assert_eq!(pool.status, PoolStatus::Matured);
    let vault = fx.p.r.env.token_balance(vault_pda(&fx.p.pool)).await;
    let supply = fx.p.r.env.mint_supply(registry::unit_mint_pda(&fx.p.pool)).await;
    let expected = receivables::state::redemption_payout_floor(vault, supply, FACE / 10).unwrap();

    fx.p.r.env.send_ok(&[collect_ix(&fx.p.pool, &currency)], &[]).await;
    assert_eq!(fx.p.r.env.token_balance(stable_reserve_pda()).await, expected);
    assert_eq!(fx.p.r.env.token_balance(collateral_pda(&fx.p.pool)).await, 0);
    let b: Backing = fx.backing().await;
    assert_eq!((b.entries[0].units, b.entries[0].value), (0, 0));
    assert_eq!(b.stable_reserve, expected);
    assert_eq!(b.total_backing, expected);
    // nothing left to collect
    let ix = collect_ix(&fx.p.pool, &currency);
    fx.p.r.env.send_expect_error(&[ix], &[], AnchorTokenError::NothingOwed).await;
}
