//! `deposit`: stable in for reserve shares at the net assets (idle cash + holdings, each
//! marked up to date), with virtual shares against the first-depositor attack.
use buyback_reserve::{errors::ReserveError, state::PositionKind, state::MIN_FIRST_DEPOSIT};
use rwa_math::shares::{self, VIRTUAL_SHARES};
use rwa_testkit::{prelude::*, pricer::INPUTS_BPS, reserve::*};

/// A deposit of `amount` by `who`, at least `min_shares`, with the reserve's pools.
fn deposit(fx: &ReserveFixture, who: &Actor, amount: u64, min_shares: u64) -> Instruction {
    let currency = fx.stable_mint();
    deposit_ix(&who.key.pubkey(), &who.stable, &currency, &fx.valuation(), amount, min_shares)
}

/// The holder sells `units` (rate refreshed in the same transaction): the reserve holds units.
async fn sell(fx: &mut ReserveFixture, units: u64) {
    let ixs = fx.refresh_and_sell_ixs(units, 0);
    fx.as_holder(&ixs).await;
}

async fn expect_refusal(
    fx: &mut ReserveFixture,
    who: &Actor,
    ixs: &[Instruction],
    e: ReserveError,
) {
    let key = who.key.insecure_clone();
    fx.env().send_expect_error(ixs, &[&key], e).await;
}

#[tokio::test]
async fn the_first_deposit_buys_a_thousand_shares_per_base_unit() {
    let mut fx = ReserveFixture::without_capital().await;
    let d = fx.depositor.clone();
    let ix = fx.deposit_ix(&d, DEPOSIT);
    fx.send_as(&d, &[ix]).await;

    let expected = shares::shares_for_deposit(DEPOSIT, 0, 0).unwrap();
    assert_eq!(expected, DEPOSIT * VIRTUAL_SHARES);
    let book = fx.book().await;
    assert_eq!((book.cash, book.shares), (DEPOSIT, expected));
    let position = fx.position(PositionKind::Deposit, &d.key.pubkey()).await;
    assert_eq!(position.owner, d.key.pubkey());
    assert_eq!(position.kind, PositionKind::Deposit);
    assert_eq!((position.shares, position.exiting, position.exit_requested_at), (expected, 0, 0));
    assert_eq!(fx.env().token_balance(stable_vault_pda()).await, DEPOSIT);
    assert_eq!(fx.stable_of(&d).await, DEPOSIT, "2 x DEPOSIT funded, one deposited");
}

#[tokio::test]
async fn a_later_deposit_buys_shares_at_the_net_assets_including_the_marked_holding() {
    let mut fx = ReserveFixture::new().await;
    sell(&mut fx, 10_000_000_000).await;
    let before = fx.book().await;
    let held = before.holdings[0];
    assert!(held.units > 0 && held.value > 0, "the reserve holds units");
    let net_assets = before.cash + held.value;

    let amount = 12_345_678_901;
    let newcomer = fx.actor(amount).await;
    let ix = fx.deposit_ix(&newcomer, amount);
    fx.send_as(&newcomer, &[ix]).await;

    let expected = shares::shares_for_deposit(amount, net_assets, before.shares).unwrap();
    let cash_only = shares::shares_for_deposit(amount, before.cash, before.shares).unwrap();
    assert!(expected < cash_only, "the holding is counted: {expected} vs {cash_only}");
    let position = fx.position(PositionKind::Deposit, &newcomer.key.pubkey()).await;
    assert_eq!(position.shares, expected);
    let book = fx.book().await;
    assert_eq!(book.shares, before.shares + expected);
    assert_eq!(book.cash, before.cash + amount);
    assert_eq!(book.holdings[0], held, "a deposit leaves the holding as marked");
    assert_eq!(fx.stable_of(&newcomer).await, 0);
}

#[tokio::test]
async fn a_first_deposit_below_the_minimum_is_refused() {
    let mut fx = ReserveFixture::without_capital().await;
    let d = fx.depositor.clone();
    let ix = deposit(&fx, &d, MIN_FIRST_DEPOSIT - 1, 0);
    expect_refusal(&mut fx, &d, &[ix], ReserveError::FirstDepositTooSmall).await;
    assert_eq!(fx.book().await.shares, 0);

    // the minimum itself is accepted, and once there are shares any amount is
    let ix = deposit(&fx, &d, MIN_FIRST_DEPOSIT, 0);
    fx.send_as(&d, &[ix]).await;
    let book = fx.book().await;
    let ix = deposit(&fx, &d, 1, 0);
    fx.send_as(&d, &[ix]).await;
    let one = shares::shares_for_deposit(1, book.cash, book.shares).unwrap();
    assert!(one > 0);
    assert_eq!(fx.book().await.shares, book.shares + one);
}

#[tokio::test]
async fn a_paused_reserve_takes_no_deposits() {
    let mut fx = ReserveFixture::new().await;
    let guardian = fx.a.p.r.guardian.insecure_clone();
    fx.env().send_ok(&[set_paused_ix(&guardian.pubkey(), true)], &[&guardian]).await;
    let d = fx.depositor.clone();
    let ix = deposit(&fx, &d, 1_000_000, 0);
    expect_refusal(&mut fx, &d, std::slice::from_ref(&ix), ReserveError::Paused).await;

    let admin = fx.a.p.r.admin.insecure_clone();
    fx.env().send_ok(&[set_paused_ix(&admin.pubkey(), false)], &[&admin]).await;
    fx.send_as(&d, &[ix]).await;
    assert_eq!(fx.book().await.cash, DEPOSIT + 1_000_000);
}

#[tokio::test]
async fn a_deposit_is_refused_once_the_holdings_pool_changed_since_the_mark() {
    let mut fx = ReserveFixture::new().await;
    sell(&mut fx, 10_000_000_000).await;
    // a repayment bumps the pool's version: the holding's value may be gone
    fx.a.p.repay(1_000_000).await;
    assert_ne!(fx.pool_state().await.version, fx.book().await.holdings[0].pool_version);
    let d = fx.depositor.clone();
    let ix = deposit(&fx, &d, 1_000_000, 0);
    expect_refusal(&mut fx, &d, std::slice::from_ref(&ix), ReserveError::StaleHolding).await;

    // marked in the same transaction, the deposit goes through
    let [refresh, mark] = fx.mark_ixs();
    fx.send_as(&d, &[refresh, mark, ix]).await;
    let book = fx.book().await;
    assert_eq!(book.holdings[0].pool_version, fx.pool_state().await.version);
    assert_eq!(book.cash, fx.env().token_balance(stable_vault_pda()).await);
}

#[tokio::test]
async fn a_deposit_is_refused_once_the_mark_is_older_than_the_price_age() {
    let mut fx = ReserveFixture::new().await;
    sell(&mut fx, 10_000_000_000).await;
    let d = fx.depositor.clone();
    let priced_at = fx.book().await.holdings[0].priced_at;

    // exactly max_price_age_secs old is still current
    fx.env().set_unix_timestamp(priced_at + PARAMS.max_price_age_secs as i64).await;
    let ix = deposit(&fx, &d, 1_000_000, 0);
    fx.send_as(&d, &[ix]).await;

    // one second more is not
    fx.env().warp_seconds(1).await;
    let ix = deposit(&fx, &d, 1_000_000, 0);
    expect_refusal(&mut fx, &d, std::slice::from_ref(&ix), ReserveError::StaleHolding).await;

    // republished inputs, a refresh and a mark make it current again
    fx.a.p.publish_all(INPUTS_BPS).await;
    let [refresh, mark] = fx.mark_ixs();
    fx.send_as(&d, &[refresh, mark, ix]).await;
    let now = fx.env().clock().await.unix_timestamp;
    assert_eq!(fx.book().await.holdings[0].priced_at, now);
}

#[tokio::test]
async fn a_deposit_without_the_listed_pools_is_refused() {
    let mut fx = ReserveFixture::new().await;
    let d = fx.depositor.clone();
    let currency = fx.stable_mint();
    let pubkey = d.key.pubkey();
    let bad =
        [Valuation::default(), Valuation { listed: vec![Pubkey::new_unique()], accepted: vec![] }];
    for pools in bad {
        let ix = deposit_ix(&pubkey, &d.stable, &currency, &pools, 1_000_000, 0);
        expect_refusal(&mut fx, &d, &[ix], ReserveError::PoolAccountsMissing).await;
    }
    assert_eq!(fx.book().await.cash, DEPOSIT, "nothing was taken");
}

#[tokio::test]
async fn a_deposit_buying_fewer_shares_than_the_minimum_is_refused() {
    let mut fx = ReserveFixture::new().await;
    sell(&mut fx, 10_000_000_000).await;
    let book = fx.book().await;
    let amount = 5_000_000_000;
    let expected =
        shares::shares_for_deposit(amount, book.cash + book.holdings[0].value, book.shares)
            .unwrap();
    let d = fx.depositor.clone();
    let ix = deposit(&fx, &d, amount, expected + 1);
    expect_refusal(&mut fx, &d, &[ix], ReserveError::SlippageExceeded).await;
    let ix = deposit(&fx, &d, 0, 0);
    expect_refusal(&mut fx, &d, &[ix], ReserveError::InvalidAmount).await;

    // exactly the minimum is accepted
    let ix = deposit(&fx, &d, amount, expected);
    fx.send_as(&d, &[ix]).await;
    assert_eq!(fx.book().await.shares, book.shares + expected);
}
