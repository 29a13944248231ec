//! `distribute_fees`: value-anchor's PSM fees, swept into the reserve's fee vault, split 30% to
//! insurance, 20% to protocol-token stakers (to the reserve while nobody stakes), the rest to
//! the reserve's cash; `claim_rewards` pays a staker its accrued share.
use buyback_reserve::{errors::ReserveError, state::PositionKind};
use rwa_math::{shares, Fixed};
use rwa_testkit::{anchor_token as va, prelude::*, registry::FACE, reserve::*};
use value_anchor::math::fee_ceil;

/// A PSM mint and a PSM redemption's fees (5 bps each, rounded up).
const MINT: u64 = 1_000_000_007;
const REDEEM: u64 = 500_000_000;
/// 500,001 + 250,000.
const FEES: u64 = 750_001;
/// floor(750,001 x 30%) and floor(750,001 x 20%).
const TO_INSURANCE: u64 = 225_000;
const TO_STAKERS: u64 = 150_000;

/// value-anchor's admin names the reserve's fee vault its fee recipient; the holder's PSM mint
/// and redemption accrue `FEES`; the sweep moves them into the fee vault.
async fn fees_in_the_vault(fx: &mut ReserveFixture) {
    let admin = fx.a.p.r.admin.insecure_clone();
    let ix = va::set_fee_recipient_ix(&admin.pubkey(), &fee_vault_pda());
    fx.env().send_ok(&[ix], &[&admin]).await;
    // the exchange's haircut leaves the surplus that mints and sweeps need
    let ixs = fx.a.exchange_ixs(FACE / 10, 1);
    fx.as_holder(&ixs).await;
    let ixs = [fx.a.mint_ix(MINT, 1), fx.a.redeem_ix(REDEEM, 1)];
    fx.as_holder(&ixs).await;
    let fees = fee_ceil(MINT, va::PARAMS.fee_in_bps).unwrap()
        + fee_ceil(REDEEM, va::PARAMS.fee_out_bps).unwrap();
    assert_eq!(fees, FEES);
    let ix = fx.a.sweep_ix(&fee_vault_pda());
    fx.env().send_ok(&[ix], &[]).await;
    assert_eq!(fx.env().token_balance(fee_vault_pda()).await, FEES);
}

/// A staker of `tokens` protocol tokens, with a stable account for its rewards.
async fn protocol_staker(fx: &mut ReserveFixture, tokens: u64) -> Actor {
    let (key, account) = fx.protocol_holder(tokens).await;
    fx.env().send_ok(&[stake_protocol_ix(&key.pubkey(), &account, tokens)], &[&key]).await;
    let currency = fx.stable_mint();
    let stable = fx.env().create_ata(TokenProgram::Classic, &currency, &key.pubkey()).await;
    Actor { key, stable }
}

async fn distribute(fx: &mut ReserveFixture) {
    let ix = distribute_fees_ix(&fx.stable_mint());
    fx.env().send_ok(&[ix], &[]).await;
}

/// Claims `who`'s rewards; returns what arrived.
async fn claim(fx: &mut ReserveFixture, who: &Actor) -> u64 {
    let before = fx.env().token_balance(who.stable).await;
    let ix = claim_rewards_ix(&who.key.pubkey(), &who.stable, &fx.stable_mint());
    fx.env().send_ok(&[ix], &[&who.key]).await;
    fx.env().token_balance(who.stable).await - before
}

async fn expect_claim_refused(fx: &mut ReserveFixture, who: &Actor) {
    let ix = claim_rewards_ix(&who.key.pubkey(), &who.stable, &fx.stable_mint());
    fx.env().send_expect_error(&[ix], &[&who.key], ReserveError::NothingOwed).await;
}

/// The vaults hold exactly what the book says.
async fn assert_vaults_match_the_book(fx: &mut ReserveFixture) {
    let book = fx.book().await;
    assert_eq!(fx.env().token_balance(stable_vault_pda()).await, book.cash);
    assert_eq!(fx.env().token_balance(insurance_vault_pda()).await, book.insurance_cash);
    assert_eq!(fx.env().token_balance(rewards_vault_pda()).await, book.rewards_cash);
}

#[tokio::test]
async fn fees_split_to_insurance_stakers_and_the_reserve_with_the_roundings_to_the_reserve() {
    let mut fx = ReserveFixture::new().await;
    fx.create_protocol_token(1_000_000_000_000).await;
    let staked = 3_000_000;
    protocol_staker(&mut fx, staked).await;
    fees_in_the_vault(&mut fx).await;
    distribute(&mut fx).await;

    let book = fx.book().await;
    assert_eq!(book.insurance_cash, STAKE + TO_INSURANCE);
    assert_eq!(book.rewards_cash, TO_STAKERS);
    assert_eq!(book.cash, DEPOSIT + FEES - TO_INSURANCE - TO_STAKERS);
    assert_eq!(FEES - TO_INSURANCE - TO_STAKERS, 375_001, "both roundings stay with the reserve");
    let acc = shares::accumulate(Fixed::ZERO, TO_STAKERS, staked).unwrap();
    assert_eq!(book.reward_per_token, acc.raw());
    assert_eq!(fx.env().token_balance(fee_vault_pda()).await, 0);
    assert_vaults_match_the_book(&mut fx).await;
}

#[tokio::test]
async fn with_nobody_staking_the_stakers_share_goes_to_the_reserve() {
    let mut fx = ReserveFixture::new().await;
    fees_in_the_vault(&mut fx).await;
    distribute(&mut fx).await;
    let book = fx.book().await;
    assert_eq!(book.insurance_cash, STAKE + TO_INSURANCE);
    assert_eq!((book.rewards_cash, book.reward_per_token), (0, 0));
    assert_eq!(book.cash, DEPOSIT + FEES - TO_INSURANCE);
    assert_eq!(fx.env().token_balance(fee_vault_pda()).await, 0);
    assert_vaults_match_the_book(&mut fx).await;

    // the protocol token existing changes nothing while nobody stakes it
    fx.create_protocol_token(1_000_000_000_000).await;
    let ix = fx.a.mint_ix(MINT, 1);
    fx.as_holder(&[ix]).await;
    let ix = fx.a.sweep_ix(&fee_vault_pda());
    fx.env().send_ok(&[ix], &[]).await;
    let fee = fee_ceil(MINT, va::PARAMS.fee_in_bps).unwrap();
    distribute(&mut fx).await;
    let after = fx.book().await;
    assert_eq!(after.rewards_cash, 0);
    assert_eq!(after.insurance_cash, book.insurance_cash + fee * 3_000 / 10_000);
    assert_eq!(after.cash, book.cash + fee - fee * 3_000 / 10_000);
}

#[tokio::test]
async fn distributing_an_empty_fee_vault_is_refused() {
    let mut fx = ReserveFixture::new().await;
    let ix = distribute_fees_ix(&fx.stable_mint());
    fx.env().send_expect_error(&[ix], &[], ReserveError::NothingOwed).await;
    fees_in_the_vault(&mut fx).await;
    distribute(&mut fx).await;
    let ix = distribute_fees_ix(&fx.stable_mint());
    fx.env().send_expect_error(&[ix], &[], ReserveError::NothingOwed).await;
}

#[tokio::test]
async fn a_staker_claims_exactly_its_accrued_share_once() {
    let mut fx = ReserveFixture::new().await;
    fx.create_protocol_token(1_000_000_000_000).await;
    let staked = 3_000_000;
    let staker = protocol_staker(&mut fx, staked).await;
    expect_claim_refused(&mut fx, &staker).await;
    fees_in_the_vault(&mut fx).await;
    distribute(&mut fx).await;

    let acc = shares::accumulate(Fixed::ZERO, TO_STAKERS, staked).unwrap();
    let owed = shares::accrued(staked, acc).unwrap();
    assert!(owed <= TO_STAKERS && TO_STAKERS - owed <= 1, "{owed}");
    assert_eq!(claim(&mut fx, &staker).await, owed);
    let book = fx.book().await;
    assert_eq!(book.rewards_cash, TO_STAKERS - owed);
    let position = fx.position(PositionKind::Protocol, &staker.key.pubkey()).await;
    assert_eq!((position.rewards_owed, position.reward_index), (0, acc.raw()));
    assert_vaults_match_the_book(&mut fx).await;
    expect_claim_refused(&mut fx, &staker).await;
}

#[tokio::test]
async fn rewards_are_shared_by_stake_and_a_later_staker_earns_nothing_of_earlier_fees() {
    let mut fx = ReserveFixture::new().await;
    fx.create_protocol_token(1_000_000_000_000).await;
    let (small, large) = (1_000_000, 2_000_001);
    let a = protocol_staker(&mut fx, small).await;
    let b = protocol_staker(&mut fx, large).await;
    fees_in_the_vault(&mut fx).await;
    distribute(&mut fx).await;
    let late = protocol_staker(&mut fx, 5_000_000).await;

    let acc = shares::accumulate(Fixed::ZERO, TO_STAKERS, small + large).unwrap();
    let (owed_a, owed_b) =
        (shares::accrued(small, acc).unwrap(), shares::accrued(large, acc).unwrap());
    assert_eq!(claim(&mut fx, &a).await, owed_a);
    assert_eq!(claim(&mut fx, &b).await, owed_b);
    assert!(owed_a + owed_b <= TO_STAKERS, "never more than was added");
    assert!(owed_b > 2 * owed_a - 2, "pro rata: {owed_a} vs {owed_b}");
    expect_claim_refused(&mut fx, &late).await;
    let book = fx.book().await;
    assert_eq!(book.rewards_cash, TO_STAKERS - owed_a - owed_b);
    assert_vaults_match_the_book(&mut fx).await;
}
