//! `sell_anchor_to_reserve`: the standing bid pays `1 - band` of what anchor tokens redeem for
//! (par at full backing, the pro-rata share below it), from the epoch's bid budget and idle cash.
use buyback_reserve::{
    errors::ReserveError,
    state::{PositionKind, ReserveParams},
};
use rwa_testkit::{
    anchor_token::{self as va, stable_reserve_pda},
    prelude::*,
    pricer::INPUTS_BPS,
    registry::FACE,
    reserve::*,
};
use value_anchor::{errors::AnchorTokenError, math::redemption_value_floor, state::Backing};

/// What the bid pays for anchor tokens whose redemption value is `value`: the PSM's
/// redemption fee (5 bps, rounded up) off, then `floor(net x (10,000 - 30) / 10,000)`.
fn bid(value: u64) -> u64 {
    let net = value - (value * va::PARAMS.fee_out_bps as u64).div_ceil(10_000);
    net * (10_000 - PARAMS.bid_band_bps as u64) / 10_000
}

/// The holder takes anchor tokens for `units` of the pool (exchange) and for `stable`
/// (PSM `mint_with_stable`, when positive); the exchange's haircut leaves the surplus the PSM
/// mint's overcollateral check needs.
async fn holder_gets_anchor(fx: &mut ReserveFixture, units: u64, stable: u64) -> u64 {
    let ixs = fx.a.exchange_ixs(units, 1);
    fx.as_holder(&ixs).await;
    if stable > 0 {
        let ix = fx.a.mint_ix(stable, 1);
        fx.as_holder(&[ix]).await;
    }
    fx.holder_anchor().await
}

/// Sells `amount` to the bid; returns what the holder was paid.
async fn sell(fx: &mut ReserveFixture, amount: u64, min_out: u64) -> u64 {
    let before = fx.holder_stable().await;
    let ix = fx.sell_anchor_ix(amount, min_out);
    fx.as_holder(&[ix]).await;
    fx.holder_stable().await - before
}

async fn expect_refusal(fx: &mut ReserveFixture, amount: u64, min_out: u64, error: ReserveError) {
    let holder = fx.a.holder.insecure_clone();
    let ix = fx.sell_anchor_ix(amount, min_out);
    fx.env().send_expect_error(&[ix], &[&holder], error).await;
}

#[tokio::test]
async fn the_bid_pays_par_less_the_band_for_anchor_tokens_minted_with_stable() {
    let mut fx = ReserveFixture::new().await;
    holder_gets_anchor(&mut fx, FACE / 10, FACE / 20).await;
    let b: Backing = fx.a.backing().await;
    assert!(b.total_backing >= b.anchor_supply, "fully backed: {} bps", b.ratio_bps);

    let amount = 10_000_000_007;
    let anchor_before = fx.holder_anchor().await;
    let paid = sell(&mut fx, amount, 0).await;
    // at par, less the 5 bps fee rounded up (5,000,001), then x 9,970 / 10,000 rounded down
    assert_eq!(paid, bid(amount));
    assert_eq!(paid, 9_965_015_005);
    assert_eq!(fx.holder_anchor().await, anchor_before - amount);

    let book = fx.book().await;
    assert_eq!((book.anchor_held, book.bid_used), (amount, amount));
    assert_eq!(book.cash, DEPOSIT - paid);
    assert_eq!(fx.env().token_balance(anchor_vault_pda()).await, amount);
    assert_eq!(fx.env().token_balance(stable_vault_pda()).await, book.cash);

    // a second sale adds to both
    let more = 1_000_000;
    let paid2 = sell(&mut fx, more, bid(more)).await;
    assert_eq!(paid2, bid(more));
    let book = fx.book().await;
    assert_eq!((book.anchor_held, book.bid_used), (amount + more, amount + more));
    assert_eq!(book.cash, DEPOSIT - paid - paid2);
}

#[tokio::test]
async fn anchor_tokens_from_an_exchange_are_bought_at_par_less_the_band() {
    let mut fx = ReserveFixture::new().await;
    let held = holder_gets_anchor(&mut fx, FACE / 10, 0).await;
    assert_eq!(fx.env().token_balance(stable_reserve_pda()).await, 0, "no stable behind them");
    let amount = held / 3;
    let paid = sell(&mut fx, amount, 0).await;
    assert_eq!(paid, bid(amount));
    assert_eq!(fx.book().await.anchor_held, amount);
}

#[tokio::test]
async fn a_sale_past_the_bid_budget_is_refused_and_exactly_what_is_left_fits() {
    let mut fx = ReserveFixture::new().await;
    holder_gets_anchor(&mut fx, FACE / 10, 0).await;
    let first = 30_000_000_000;
    sell(&mut fx, first, 0).await;
    expect_refusal(&mut fx, first, 0, ReserveError::BidBudgetExceeded).await;
    let left = PARAMS.bid_budget - first;
    expect_refusal(&mut fx, left + 1, 0, ReserveError::BidBudgetExceeded).await;
    let paid = sell(&mut fx, left, 0).await;
    assert_eq!(paid, bid(left));
    let book = fx.book().await;
    assert_eq!(book.bid_used, PARAMS.bid_budget);
    assert_eq!(book.anchor_held, PARAMS.bid_budget);
    expect_refusal(&mut fx, 1, 0, ReserveError::BidBudgetExceeded).await;
}

#[tokio::test]
async fn the_bid_budget_resets_at_the_next_epoch() {
    let mut fx = ReserveFixture::new().await;
    holder_gets_anchor(&mut fx, FACE / 10, 0).await;
    sell(&mut fx, PARAMS.bid_budget, 0).await;
    expect_refusal(&mut fx, 1, 0, ReserveError::BidBudgetExceeded).await;
    // a day later, with value-anchor's backing refreshed (its entry would count nothing stale)
    fx.a.refresh_all(86_400).await;
    let amount = 1_000_000_000;
    assert_eq!(sell(&mut fx, amount, 0).await, bid(amount));
    let book = fx.book().await;
    assert_eq!(book.bid_used, amount, "usage restarted");
    assert_eq!(book.anchor_held, PARAMS.bid_budget + amount);
}

#[tokio::test]
async fn a_sale_beyond_the_idle_cash_is_refused_and_exactly_what_the_cash_pays_fits() {
    let mut fx = ReserveFixture::new().await;
    let admin = fx.a.p.r.admin.insecure_clone();
    let params = ReserveParams { bid_budget: u64::MAX / 4, ..PARAMS };
    fx.env().send_ok(&[set_params_ix(&admin.pubkey(), params)], &[&admin]).await;
    let held =
        holder_gets_anchor(&mut fx, FACE / 5, rwa_testkit::anchor_token::HOLDER_STABLE).await;
    let cash = fx.book().await.cash;
    assert!(bid(held) > cash, "the holder has more than the cash buys: {held}");
    expect_refusal(&mut fx, held, 0, ReserveError::InsufficientCash).await;
    // the most tokens whose payout the cash covers: bid(a) <= cash < bid(a + 1)
    let (mut lo, mut hi) = (0u64, held);
    while lo < hi {
        let mid = lo + (hi - lo).div_ceil(2);
        if bid(mid) <= cash {
            lo = mid
        } else {
            hi = mid - 1
        }
    }
    let fits = lo;
    assert!(bid(fits) <= cash && bid(fits + 1) > cash);
    expect_refusal(&mut fx, fits + 1, 0, ReserveError::InsufficientCash).await;
    let paid = sell(&mut fx, fits, 0).await;
    assert_eq!(paid, bid(fits));
    assert_eq!(fx.book().await.cash, cash - paid);
}

#[tokio::test]
async fn a_sale_below_the_sellers_minimum_is_refused_and_at_it_goes_through() {
    let mut fx = ReserveFixture::new().await;
    holder_gets_anchor(&mut fx, FACE / 10, 0).await;
    let amount = 5_000_000_000;
    expect_refusal(&mut fx, amount, bid(amount) + 1, ReserveError::SlippageExceeded).await;
    assert_eq!(sell(&mut fx, amount, bid(amount)).await, bid(amount));
}

#[tokio::test]
async fn a_sale_of_nothing_is_refused() {
    let mut fx = ReserveFixture::new().await;
    holder_gets_anchor(&mut fx, FACE / 10, 0).await;
    expect_refusal(&mut fx, 0, 0, ReserveError::InvalidAmount).await;
}

#[tokio::test]
async fn a_paused_reserve_buys_no_anchor_tokens() {
    let mut fx = ReserveFixture::new().await;
    holder_gets_anchor(&mut fx, FACE / 10, 0).await;
    let guardian = fx.a.p.r.guardian.insecure_clone();
    fx.env().send_ok(&[set_paused_ix(&guardian.pubkey(), true)], &[&guardian]).await;
    expect_refusal(&mut fx, 1_000_000, 0, ReserveError::Paused).await;
    let book = fx.book().await;
    assert_eq!((book.anchor_held, book.bid_used, book.cash), (0, 0, DEPOSIT));
}

/// The worth needs every accepted pool's account (value-anchor's own rule, raised in the
/// reserve's frame as it reads the backing).
#[tokio::test]
async fn a_sale_without_value_anchors_pools_is_refused_by_value_anchors_rule() {
    let mut fx = ReserveFixture::new().await;
    holder_gets_anchor(&mut fx, FACE / 10, 0).await;
    let holder = fx.a.holder.insecure_clone();
    let (h, currency) = (holder.pubkey(), fx.stable_mint());
    let (anchor, stable) = (fx.a.holder_anchor, fx.a.holder_stable);
    let ix = sell_anchor_ix(&h, &anchor, &stable, &currency, &[], 1_000_000, 0);
    fx.env()
        .send_expect_error_from(
            &[ix],
            &[&holder],
            0,
            buyback_reserve::ID,
            AnchorTokenError::PoolAccountsMissing,
        )
        .await;
}

/// After a default (refreshed into the backing, no cover), anchor tokens are worth the
/// pro-rata `backing / supply` and the bid pays that less the band.
#[tokio::test]
async fn below_full_backing_the_bid_pays_the_pro_rata_worth_less_the_band() {
    let mut fx = ReserveFixture::new().await;
    holder_gets_anchor(&mut fx, FACE / 10, FACE / 20).await;
    fx.a.default_and_refresh().await;
    let b: Backing = fx.a.backing().await;
    assert!(b.total_backing < b.anchor_supply, "under water: {} bps", b.ratio_bps);
    let stable = fx.env().token_balance(stable_reserve_pda()).await;
    assert_eq!(b.stable_reserve, stable);

    let amount = 10_000_000_000;
    let worth = redemption_value_floor(amount, b.total_backing, b.anchor_supply).unwrap();
    assert!(worth < amount);
    let paid = sell(&mut fx, amount, 0).await;
    assert_eq!(paid, bid(worth));
    let book = fx.book().await;
    assert_eq!((book.anchor_held, book.bid_used), (amount, amount));
    assert_eq!(book.cash, DEPOSIT - paid);
}

/// value-anchor's lower bound counts an entry priced longer ago than its max entry age as
/// nothing: the bid reads its worth only from a fresh backing (refreshed in the same
/// transaction), as a sale of units needs a fresh rate.
#[tokio::test]
async fn a_sale_needs_value_anchors_backing_fresh() {
    let mut fx = ReserveFixture::new().await;
    holder_gets_anchor(&mut fx, FACE / 10, FACE / 20).await;
    fx.a.p.advance(va::PARAMS.max_entry_age_secs as i64 + 1, INPUTS_BPS).await;
    let holder = fx.a.holder.insecure_clone();
    let amount = 1_000_000_000;
    let ix = fx.sell_anchor_ix(amount, 0);
    fx.env()
        .send_expect_error_from(
            &[ix],
            &[&holder],
            0,
            buyback_reserve::ID,
            AnchorTokenError::StaleBacking,
        )
        .await;
    let pool = fx.pool();
    let before = fx.holder_stable().await;
    let ixs = [fx.a.p.refresh_ix(), va::refresh_backing_ix(&pool), fx.sell_anchor_ix(amount, 0)];
    fx.as_holder(&ixs).await;
    assert_eq!(fx.holder_stable().await - before, bid(amount), "par less the band");
}

/// The anchor tokens the reserve holds count in its share price at what they redeem for, read
/// from a fresh backing only: a deposit priced while value-anchor's entry is stale would count
/// them at a fraction of their worth and take value from the depositors (about a fifth more
/// shares here).
#[tokio::test]
async fn while_anchor_tokens_are_held_a_deposit_needs_value_anchors_backing_fresh() {
    let mut fx = ReserveFixture::new().await;
    holder_gets_anchor(&mut fx, FACE / 10, FACE / 20).await;
    sell(&mut fx, PARAMS.bid_budget, 0).await;
    fx.a.p.advance(va::PARAMS.max_entry_age_secs as i64 + 1, INPUTS_BPS).await;
    let who = fx.actor(DEPOSIT).await;
    let ix = fx.deposit_ix(&who, DEPOSIT);
    fx.env()
        .send_expect_error_from(
            &[ix],
            &[&who.key],
            0,
            buyback_reserve::ID,
            AnchorTokenError::StaleBacking,
        )
        .await;

    let pool = fx.pool();
    let book = fx.book().await;
    let ixs = [fx.a.p.refresh_ix(), va::refresh_backing_ix(&pool), fx.deposit_ix(&who, DEPOSIT)];
    fx.env().send_ok(&ixs, &[&who.key]).await;
    // the tokens held count at par less the PSM's redemption fee (what redeeming them pays)
    let fee = (book.anchor_held * va::PARAMS.fee_out_bps as u64).div_ceil(10_000);
    let net_assets = book.cash + book.anchor_held - fee;
    let expected = rwa_math::shares::shares_for_deposit(DEPOSIT, net_assets, book.shares).unwrap();
    let position = fx.position(PositionKind::Deposit, &who.key.pubkey()).await;
    assert_eq!(position.shares, expected);
}
