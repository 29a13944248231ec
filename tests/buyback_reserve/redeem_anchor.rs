//! The cranks that turn the anchor tokens the bid bought back into reserve assets:
//! `redeem_anchor` through value-anchor's PSM, or `redeem_anchor_in_kind` when the PSM cannot
//! pay, then `claim_anchor_units` per pool; the in-kind claim blocks share valuations while open.
use anchor_lang::Space;
use buyback_reserve::errors::ReserveError;
use rwa_testkit::{
    anchor_token::{self as va, claim_pda, stable_reserve_pda},
    prelude::*,
    registry::FACE,
    reserve::*,
};
use value_anchor::{
    errors::AnchorTokenError,
    math,
    state::{Backing, InKindClaim},
};

/// The holder takes anchor tokens by exchange (`units`) and with stable (`stable`, if any) and
/// sells `amount` of them to the bid.
async fn reserve_holds_anchor(fx: &mut ReserveFixture, units: u64, stable: u64, amount: u64) {
    let ixs = fx.a.exchange_ixs(units, 1);
    fx.as_holder(&ixs).await;
    if stable > 0 {
        let ix = fx.a.mint_ix(stable, 1);
        fx.as_holder(&[ix]).await;
    }
    let ix = fx.sell_anchor_ix(amount, 0);
    fx.as_holder(&[ix]).await;
    assert_eq!(fx.book().await.anchor_held, amount);
}

fn lamports(account: Option<rwa_testkit::solana_sdk::account::Account>) -> u64 {
    account.map_or(0, |a| a.lamports)
}

#[tokio::test]
async fn redeem_anchor_redeems_every_token_held_for_stable_less_the_psm_fee() {
    let mut fx = ReserveFixture::new().await;
    let amount = 10_000_000_003;
    reserve_holds_anchor(&mut fx, FACE / 10, FACE / 20, amount).await;
    let cash = fx.book().await.cash;
    let b: Backing = fx.a.backing().await;
    assert!(b.total_backing >= b.anchor_supply);

    let ix = fx.redeem_anchor_ix();
    fx.env().send_ok(&[ix], &[]).await;
    // at full backing the tokens are worth par; the PSM keeps its fee, rounded up
    let fee = math::fee_ceil(amount, va::PARAMS.fee_out_bps).unwrap();
    assert_eq!(fee, 5_000_001);
    let proceeds = amount - fee;
    let book = fx.book().await;
    assert_eq!(book.cash, cash + proceeds);
    assert_eq!(book.anchor_held, 0);
    assert_eq!(fx.env().token_balance(anchor_vault_pda()).await, 0);
    assert_eq!(fx.env().token_balance(stable_vault_pda()).await, book.cash);
    let after: Backing = fx.a.backing().await;
    assert_eq!(after.anchor_supply, b.anchor_supply - amount, "burned");
    assert_eq!(after.stable_reserve, b.stable_reserve - proceeds);
    assert_eq!(after.fees_accrued, b.fees_accrued + fee);

    let ix = fx.redeem_anchor_ix();
    fx.env().send_expect_error(&[ix], &[], ReserveError::NothingOwed).await;
}

/// value-anchor's lower-bound backing counts an entry priced longer ago than its max entry age
/// as nothing: a crank sent then would redeem the reserve's tokens far below what they are
/// worth. The crank needs the backing fresh (refreshed in the same transaction).
#[tokio::test]
async fn redeem_anchor_needs_value_anchors_backing_fresh() {
    let mut fx = ReserveFixture::new().await;
    let amount = 10_000_000_000;
    reserve_holds_anchor(&mut fx, FACE / 10, FACE / 20, amount).await;
    fx.a.p.advance(va::PARAMS.max_entry_age_secs as i64 + 1, rwa_testkit::pricer::INPUTS_BPS).await;
    let ix = fx.redeem_anchor_ix();
    fx.env()
        .send_expect_error_from(&[ix], &[], 0, buyback_reserve::ID, AnchorTokenError::StaleBacking)
        .await;
    assert_eq!(fx.book().await.anchor_held, amount);

    let pool = fx.pool();
    let ixs = [fx.a.p.refresh_ix(), va::refresh_backing_ix(&pool), fx.redeem_anchor_ix()];
    let cash = fx.book().await.cash;
    fx.env().send_ok(&ixs, &[]).await;
    let fee = math::fee_ceil(amount, va::PARAMS.fee_out_bps).unwrap();
    assert_eq!(fx.book().await.cash, cash + amount - fee, "par less the fee");
}

#[tokio::test]
async fn cranks_with_nothing_held_or_owed_are_refused() {
    let mut fx = ReserveFixture::new().await;
    let payer = fx.env().funded_keypair(1_000_000_000).await;
    let currency = fx.stable_mint();
    let pool = fx.pool();
    let ix = fx.redeem_anchor_ix();
    fx.env().send_expect_error(&[ix], &[], ReserveError::NothingOwed).await;
    let ix = redeem_anchor_in_kind_ix(&payer.pubkey(), &currency, &fx.a.accepted, 0);
    fx.env().send_expect_error(&[ix], &[&payer], ReserveError::NothingOwed).await;
    let ix = claim_anchor_units_ix(&pool, 0);
    fx.env().send_expect_error(&[ix], &[], ReserveError::NothingOwed).await;
}

/// value-anchor's stable reserve cannot pay (its tokens were minted mostly by exchange): the
/// PSM refuses, the in-kind crank (its claim's rent paid by a third party) brings the stable
/// share now and opens a claim on the units, which blocks deposits until `claim_anchor_units`
/// settles it; with the new holding marked, deposits work again.
#[tokio::test]
async fn in_kind_brings_the_stable_share_then_the_units_and_the_claim_blocks_deposits_meanwhile() {
    let mut fx = ReserveFixture::new().await;
    let amount = 30_000_000_000;
    reserve_holds_anchor(&mut fx, FACE / 10, 1_000_000_000, amount).await;
    let ix = fx.redeem_anchor_ix();
    fx.env().send_expect_error(&[ix], &[], AnchorTokenError::InsufficientStableReserve).await;

    // what value-anchor gives for `amount`: the fraction amount / max(supply, backing_high)
    let b: Backing = fx.a.backing().await;
    let reserve = fx.env().token_balance(stable_reserve_pda()).await;
    let high = b.backing_high(reserve).unwrap();
    let (num, den) = math::in_kind_fraction(amount, high, b.anchor_supply).unwrap();
    let stable_share = math::mul_div_floor(reserve, num, den).unwrap();
    let units_owed = math::mul_div_floor(b.entries[0].units, num, den).unwrap();
    assert!(stable_share > 0 && units_owed > 0);

    let cash = fx.book().await.cash;
    let payer = fx.env().funded_keypair(1_000_000_000).await;
    let payer_before = lamports(fx.env().account(payer.pubkey()).await);
    let config_before = lamports(fx.env().account(config_pda()).await);
    let currency = fx.stable_mint();
    let ix = redeem_anchor_in_kind_ix(&payer.pubkey(), &currency, &fx.a.accepted, 0);
    fx.env().send_ok(&[ix], &[&payer]).await;

    let claim_address = claim_pda(&config_pda(), 0);
    let rent = TestEnv::rent_exempt(8 + InKindClaim::INIT_SPACE);
    assert_eq!(lamports(fx.env().account(payer.pubkey()).await), payer_before - rent);
    let claim: InKindClaim = fx.env().anchor_account(claim_address).await;
    assert_eq!((claim.holder, claim.nonce, claim.units_owed[0]), (config_pda(), 0, units_owed));
    let book = fx.book().await;
    assert_eq!(book.cash, cash + stable_share);
    assert_eq!(book.anchor_held, 0);
    assert!(book.claim_open);
    assert_eq!(book.claims_opened, 1);
    assert_eq!(fx.env().token_balance(anchor_vault_pda()).await, 0);
    assert_eq!(fx.env().token_balance(stable_vault_pda()).await, book.cash);

    // no share is priced while units are owed to the reserve
    let depositor = fx.depositor.key.insecure_clone();
    let ix = fx.deposit_ix(&fx.depositor, 1_000_000);
    fx.env().send_expect_error(&[ix], &[&depositor], ReserveError::ClaimPending).await;

    let pool = fx.pool();
    fx.env().send_ok(&[claim_anchor_units_ix(&pool, 0)], &[]).await;
    let book = fx.book().await;
    assert!(!book.claim_open);
    assert_eq!(book.holdings[0].units, units_owed);
    assert_eq!(fx.env().token_balance(units_vault_pda(&pool)).await, units_owed);
    assert!(fx.env().account(claim_address).await.is_none(), "settled and closed");
    // value-anchor refunds the claim's rent to its holder, the reserve's config
    assert_eq!(lamports(fx.env().account(config_pda()).await), config_before + rent);
    let ix = claim_anchor_units_ix(&pool, 0);
    fx.env().send_expect_error(&[ix], &[], ReserveError::NothingOwed).await;

    // the new units must be marked before a share is priced; then deposits work again
    let ix = fx.deposit_ix(&fx.depositor, 1_000_000);
    fx.env().send_expect_error(&[ix], &[&depositor], ReserveError::StaleHolding).await;
    let [refresh, mark] = fx.mark_ixs();
    let ixs = [refresh, mark, fx.deposit_ix(&fx.depositor, 1_000_000)];
    fx.env().send_ok(&ixs, &[&depositor]).await;
    let book = fx.book().await;
    assert!(book.holdings[0].value > 0);
    assert_eq!(book.cash, cash + stable_share + 1_000_000);
}

#[tokio::test]
async fn a_second_in_kind_redemption_is_refused_while_a_claim_is_open() {
    let mut fx = ReserveFixture::new().await;
    reserve_holds_anchor(&mut fx, FACE / 10, 0, 20_000_000_000).await;
    let payer = fx.env().funded_keypair(1_000_000_000).await;
    let currency = fx.stable_mint();
    let ix = redeem_anchor_in_kind_ix(&payer.pubkey(), &currency, &fx.a.accepted, 0);
    fx.env().send_ok(&[ix], &[&payer]).await;
    assert!(fx.book().await.claim_open);

    // the bid goes on buying meanwhile, but the tokens wait for the claim
    let ix = fx.sell_anchor_ix(1_000_000_000, 0);
    fx.as_holder(&[ix]).await;
    let ix = redeem_anchor_in_kind_ix(&payer.pubkey(), &currency, &fx.a.accepted, 1);
    fx.env().send_expect_error(&[ix], &[&payer], ReserveError::ClaimPending).await;
    let book = fx.book().await;
    assert_eq!((book.anchor_held, book.claims_opened), (1_000_000_000, 1));

    // settled, the next in-kind redemption opens claim 1
    let pool = fx.pool();
    fx.env().send_ok(&[claim_anchor_units_ix(&pool, 0)], &[]).await;
    let ix = redeem_anchor_in_kind_ix(&payer.pubkey(), &currency, &fx.a.accepted, 1);
    fx.env().send_ok(&[ix], &[&payer]).await;
    let book = fx.book().await;
    assert!(book.claim_open);
    assert_eq!((book.anchor_held, book.claims_opened), (0, 2));
}

/// While value-anchor's stable reserve can pay what the reserve's tokens are worth, the in-kind
/// crank is refused: anyone could otherwise open a claim and hold deposits and withdrawals
/// until its units are claimed.
#[tokio::test]
async fn in_kind_is_refused_while_the_psm_can_pay() {
    let mut fx = ReserveFixture::new().await;
    let amount = 10_000_000_000;
    reserve_holds_anchor(&mut fx, FACE / 10, FACE / 20, amount).await;
    let payer = fx.env().funded_keypair(1_000_000_000).await;
    let currency = fx.stable_mint();
    let pool = fx.pool();
    let ix = redeem_anchor_in_kind_ix(&payer.pubkey(), &currency, &fx.a.accepted, 0);
    let ixs = [fx.a.p.refresh_ix(), va::refresh_backing_ix(&pool), ix];
    fx.env().send_expect_error(&ixs, &[&payer], ReserveError::StableRedemptionAvailable).await;
    assert!(!fx.book().await.claim_open);
}
