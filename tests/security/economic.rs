//! Economic attacks: donations into vaults, the first depositor of a share vault, many tiny
//! operations against one whole, exits just before a known default, and a sandwiched price
//! refresh. Each states the attack and what refuses it or makes it unprofitable.
use buyback_reserve::{errors::ReserveError, state::PositionKind};
use rwa_math::shares;
use rwa_testkit::{
    anchor_token as va,
    prelude::*,
    pricer::INPUTS_BPS,
    registry::{pool_params, FACE},
    reserve::*,
};

/// Transfers `amount` of the stable from `who` straight into `vault` (a donation).
async fn donate(fx: &mut ReserveFixture, who: &Actor, vault: Pubkey, amount: u64) {
    let key = who.key.insecure_clone();
    fx.env().transfer_tokens(&who.stable, &vault, &key, amount).await;
}

/// A donation into the reserve's or the insurance pool's vault changes no book entry, so no
/// share price: the next depositor gets exactly the shares the book says, and the donation is
/// simply lost to the donor (the vault holds more than the book; SECURITY.md).
#[tokio::test]
async fn donations_into_the_reserves_vaults_move_no_share_price() {
    let mut fx = ReserveFixture::new().await;
    let attacker = fx.actor(FACE / 10).await;
    let book = fx.book().await;
    donate(&mut fx, &attacker, stable_vault_pda(), FACE / 20).await;
    donate(&mut fx, &attacker, insurance_vault_pda(), FACE / 20).await;
    assert_eq!(fx.book().await.cash, book.cash, "the book ignores donations");
    assert_eq!(fx.book().await.insurance_cash, book.insurance_cash);

    let victim = fx.actor(DEPOSIT).await;
    let expected = shares::shares_for_deposit(DEPOSIT, book.cash, book.shares).unwrap();
    let ix = fx.deposit_ix(&victim, DEPOSIT);
    fx.send_as(&victim, &[ix]).await;
    let got = fx.position(PositionKind::Deposit, &victim.key.pubkey()).await.shares;
    assert_eq!(got, expected, "priced at the book, as if nothing had been donated");
}

/// The classic inflation attack: the first depositor takes the minimum, donates a fortune to
/// the vault and waits for a victim whose shares round to nothing. The book ignores the
/// donation and 1,000 virtual shares per base unit keep the rounding at most one base unit.
#[tokio::test]
async fn the_first_depositor_cannot_inflate_the_share_price() {
    let mut fx = ReserveFixture::without_capital().await;
    let attacker = fx.actor(FACE).await;
    let ix = fx.deposit_ix(&attacker, buyback_reserve::state::MIN_FIRST_DEPOSIT - 1);
    let key = attacker.key.insecure_clone();
    fx.env().send_expect_error(&[ix], &[&key], ReserveError::FirstDepositTooSmall).await;
    let ix = fx.deposit_ix(&attacker, buyback_reserve::state::MIN_FIRST_DEPOSIT);
    fx.send_as(&attacker, &[ix]).await;
    donate(&mut fx, &attacker, stable_vault_pda(), FACE / 2).await;

    let victim = fx.actor(DEPOSIT).await;
    let amount = 2_000_000;
    let ix = fx.deposit_ix(&victim, amount);
    fx.send_as(&victim, &[ix]).await;
    let book = fx.book().await;
    let got = fx.position(PositionKind::Deposit, &victim.key.pubkey()).await.shares;
    let worth = shares::assets_for_shares(got, book.cash, book.shares).unwrap();
    assert!(worth + 1 >= amount, "the victim's shares are worth {worth} of its {amount}");
}

/// Twenty small exchanges mint no more anchor tokens than one of their sum, twenty small sales
/// to the reserve pay no more than one (each piece pays its own floor and its own rounded-up
/// discount), and twenty small PSM redemptions pay no more than one.
#[tokio::test]
async fn many_tiny_operations_never_pay_more_than_one_whole() {
    const PIECES: u64 = 20;
    const PIECE: u64 = 1_000_003;
    let mut split = ReserveFixture::new().await;
    let mut whole = ReserveFixture::new().await;
    let before = (split.holder_anchor().await, whole.holder_anchor().await);
    for _ in 0..PIECES {
        let ixs = split.a.exchange_ixs(PIECE, 0);
        split.as_holder(&ixs).await;
    }
    let ixs = whole.a.exchange_ixs(PIECES * PIECE, 0);
    whole.as_holder(&ixs).await;
    let minted = (split.holder_anchor().await - before.0, whole.holder_anchor().await - before.1);
    assert!(minted.0 <= minted.1, "exchange: {} in pieces, {} at once", minted.0, minted.1);

    let before = (split.holder_stable().await, whole.holder_stable().await);
    for _ in 0..PIECES {
        let ixs = split.refresh_and_sell_ixs(PIECE, 0);
        split.as_holder(&ixs).await;
    }
    let ixs = whole.refresh_and_sell_ixs(PIECES * PIECE, 0);
    whole.as_holder(&ixs).await;
    let paid = (split.holder_stable().await - before.0, whole.holder_stable().await - before.1);
    assert!(paid.0 <= paid.1, "sale: {} in pieces, {} at once", paid.0, paid.1);

    // stable in the PSM for the redemptions (a larger exchange's haircut leaves the surplus a
    // mint needs), the same in both
    for fx in [&mut split, &mut whole] {
        let ixs = fx.a.exchange_ixs(FACE / 10, 1);
        fx.as_holder(&ixs).await;
        let ix = fx.a.mint_ix(FACE / 200, 1);
        fx.as_holder(&[ix]).await;
    }

    // redemptions of 1,001 base units: a 5 bps fee is 0.5005 a piece, rounded up to 1 (20 in
    // all), against 11 on the whole 20,020; a fee rounded down would pay the pieces more
    const DUST: u64 = 1_001;
    let before = (split.holder_stable().await, whole.holder_stable().await);
    for _ in 0..PIECES {
        let ix = split.a.redeem_ix(DUST, 0);
        split.as_holder(&[ix]).await;
    }
    let ix = whole.a.redeem_ix(PIECES * DUST, 0);
    whole.as_holder(&[ix]).await;
    let paid = (split.holder_stable().await - before.0, whole.holder_stable().await - before.1);
    assert_eq!(paid, (PIECES * (DUST - 1), PIECES * DUST - 11), "pieces pay strictly less");
}

/// Exits just before a known default: the pool's first flow falls due unpaid. An insurance
/// staker whose window is open is frozen; a reserve depositor cannot withdraw at the old mark
/// (the pool changed, the holding must be re-marked at the lower price first); an anchor holder
/// redeeming in stable is paid from what is proven, which counts the stale entry as nothing.
#[tokio::test]
async fn exits_just_before_a_known_default_are_frozen_or_priced_after_it() {
    let mut fx = ReserveFixture::new().await;
    let ixs = fx.refresh_and_sell_ixs(10_000_000_000, 0);
    fx.as_holder(&ixs).await;
    let ixs = fx.a.exchange_ixs(FACE / 10, 1);
    fx.as_holder(&ixs).await;
    // some stable in value-anchor's PSM
    let ix = fx.a.mint_ix(FACE / 200, 1);
    fx.as_holder(&[ix]).await;
    let first_due = pool_params(fx.a.p.r.now).schedule[0].due_ts;

    // both exits requested so that their windows are open at the first due date
    let (d, s) = (fx.depositor.clone(), fx.staker.clone());
    let d_shares = fx.position(PositionKind::Deposit, &d.key.pubkey()).await.shares / 2;
    let s_shares = fx.position(PositionKind::Insurance, &s.key.pubkey()).await.shares / 2;
    fx.env().set_unix_timestamp(first_due - PARAMS.stake_cooldown_secs as i64 - 60).await;
    fx.send_as(&s, &[request_exit_ix(&s.key.pubkey(), PositionKind::Insurance, s_shares)]).await;
    fx.env().set_unix_timestamp(first_due - PARAMS.deposit_cooldown_secs as i64 - 60).await;
    fx.send_as(&d, &[request_exit_ix(&d.key.pubkey(), PositionKind::Deposit, d_shares)]).await;

    // the flow falls due unpaid and the servicer declares the default
    fx.a.p.at_first_due().await;
    fx.a.p.declare_default().await;
    let pool = fx.pool();

    // an anchor holder redeeming before anyone refreshes: the pool changed since its entry was
    // priced, so only the stable reserve is proven and the holder is paid no more than its
    // share of that: the loss is not dodged by being first
    let b: value_anchor::state::Backing = fx.a.backing().await;
    let amount = FACE / 100;
    let share = (amount as u128 * b.stable_reserve as u128 / b.anchor_supply as u128) as u64;
    let before = fx.holder_stable().await;
    let ix = fx.a.redeem_ix(amount, 0);
    fx.as_holder(&[ix]).await;
    let paid = fx.holder_stable().await - before;
    assert!(paid <= share, "paid {paid}, the proven share is {share}");

    let ixs = [fx.a.p.refresh_ix(), va::refresh_backing_ix(&pool)];
    fx.env().send_ok(&ixs, &[]).await;
    let ix = fx.unstake_insurance_ix(&s, s_shares);
    let key = s.key.insecure_clone();
    fx.env().send_expect_error(&[ix], &[&key], ReserveError::ExitsFrozen).await;
    let ix = fx.withdraw_ix(&d, d_shares);
    let key = d.key.insecure_clone();
    fx.env().send_expect_error(&[ix], &[&key], ReserveError::StaleHolding).await;
    let before = fx.book().await.holdings[0].value;
    let ixs = fx.mark_ixs();
    fx.env().send_ok(&ixs, &[]).await;
    assert!(fx.book().await.holdings[0].value < before, "re-marked at the defaulted price");
}

/// A refresh that raises the price by more than the rise cap (an admin-confirmed jump of every
/// risk input) is published at most 1% higher in its interval; an attacker who buys units at
/// the old fair price and exchanges them right after the refresh pays the 3% haircut on the way
/// in, so the sandwich loses at least 2%.
#[tokio::test]
async fn sandwiching_a_price_refresh_gains_nothing() {
    let mut fx = va::AnchorFixture::new().await;
    let old = fx.p.refresh().await.rate.unit_price;
    // every rate and risk input collapses: the admin confirms the held jump on every feed
    fx.p.r.env.warp_seconds(3_700).await;
    let inputs = INPUTS_BPS.map(|v| v / 10);
    fx.p.publish_all(inputs).await;
    let admin = fx.p.r.admin.insecure_clone();
    let g = rwa_testkit::pricer::GRADE_FEEDS;
    for feed in [rwa_testkit::pricer::BENCHMARK, g.spread, g.pd, g.lgd] {
        let ix = rwa_testkit::oracle::confirm_ix(&admin.pubkey(), &feed);
        fx.p.r.env.send_ok(&[ix], &[&admin]).await;
    }
    let rate = fx.p.refresh().await.rate;
    assert!(rate.computed_price > old + old / 100, "the inputs say more than 1%");
    assert!(rate.unit_price <= old + old / 100, "published at most 1% up");

    let units = FACE / 100;
    let before = fx.p.r.env.token_balance(fx.holder_anchor).await;
    let holder = fx.holder.insecure_clone();
    fx.p.r.env.send_ok(&fx.exchange_ixs(units, 1), &[&holder]).await;
    let got = fx.p.r.env.token_balance(fx.holder_anchor).await - before;
    // what the units cost at the old fair price (unit_price is a 64.64 fixed-point price)
    let cost = ((units as u128 * old) >> 64) as u64;
    assert!(got < cost - cost / 50, "exchanged for {got}, bought for {cost}");
}
