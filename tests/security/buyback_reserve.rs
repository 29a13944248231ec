//! The buyback reserve's flows: every instruction of buyback-reserve, each attacked the first
//! time it is sent. `capital`: deposits, stakes, a sale on the exit curve, the anchor bid and
//! its PSM crank, fees distributed and claimed, the protocol token, every exit in its window, a
//! matured holding collected. `losses`: the in-kind crank and its claim, then a default covered
//! by the insurance.
use buyback_reserve::state::PositionKind;
use rwa_testkit::{anchor_token as va, prelude::*, pricer::INPUTS_BPS, registry::FACE, reserve::*};

use crate::{
    harness::{hand_over, Attacker},
    table,
};
use rwa_testkit::authority::BuybackReserve;

const CAPITAL: &[&str] = &[
    "initialize",
    "list_pool",
    "deposit",
    "stake_insurance",
    "set_pool_cap",
    "set_params",
    "sell_to_reserve",
    "mark_holding",
    "sell_anchor_to_reserve",
    "redeem_anchor",
    "create_protocol_token",
    "transfer_treasury",
    "stake_protocol",
    "distribute_fees",
    "claim_rewards",
    "request_exit",
    "withdraw",
    "unstake_insurance",
    "unstake_protocol",
    "collect",
    "set_paused",
    "propose_admin",
    "accept_admin",
    "set_guardian",
];

const LOSSES: &[&str] = &["redeem_anchor_in_kind", "claim_anchor_units", "cover_shortfall"];

#[tokio::test]
async fn every_reserve_capital_instruction_refuses_every_substituted_account() {
    let record = Attacker::install("buyback_reserve", CAPITAL);
    // initialize, list_pool, deposit, stake_insurance
    let mut fx = ReserveFixture::new().await;
    let t0 = fx.env().clock().await.unix_timestamp;
    let admin = fx.a.p.r.admin.insecure_clone();
    let pool = fx.pool();
    let currency = fx.stable_mint();
    fx.env().send_ok(&[set_pool_cap_ix(&admin.pubkey(), &pool, POOL_CAP)], &[&admin]).await;
    fx.env().send_ok(&[set_params_ix(&admin.pubkey(), PARAMS)], &[&admin]).await;

    let ixs = fx.refresh_and_sell_ixs(10_000_000_000, 0);
    fx.as_holder(&ixs).await;
    let ixs = fx.mark_ixs();
    fx.env().send_ok(&ixs, &[]).await;

    // the anchor bid, its PSM crank, and value-anchor's fees swept into the fee vault
    let ix = va::set_fee_recipient_ix(&admin.pubkey(), &fee_vault_pda());
    fx.env().send_ok(&[ix], &[&admin]).await;
    let ixs = fx.a.exchange_ixs(FACE / 10, 1);
    fx.as_holder(&ixs).await;
    let ix = fx.a.mint_ix(FACE / 20, 1);
    fx.as_holder(&[ix]).await;
    let ix = fx.sell_anchor_ix(10_000_000_003, 0);
    fx.as_holder(&[ix]).await;
    let ix = fx.redeem_anchor_ix();
    fx.env().send_ok(&[ix], &[]).await;
    let ix = fx.a.sweep_ix(&fee_vault_pda());
    fx.env().send_ok(&[ix], &[]).await;

    // the protocol token: a staker, then fees distributed and its rewards claimed
    fx.create_protocol_token(1_000_000_000_000).await;
    let (staker, tokens) = fx.protocol_holder(10_000_000).await;
    let s = staker.pubkey();
    fx.env().send_ok(&[stake_protocol_ix(&s, &tokens, 10_000_000)], &[&staker]).await;
    fx.env().send_ok(&[distribute_fees_ix(&currency)], &[]).await;
    let rewards = fx.env().create_ata(TokenProgram::Classic, &currency, &s).await;
    fx.env().send_ok(&[claim_rewards_ix(&s, &rewards, &currency)], &[&staker]).await;

    // every exit: requested now, paid in its window
    let d = fx.depositor.clone();
    let i = fx.staker.clone();
    let d_shares = fx.position(PositionKind::Deposit, &d.key.pubkey()).await.shares / 2;
    let i_shares = fx.position(PositionKind::Insurance, &i.key.pubkey()).await.shares / 2;
    fx.send_as(&d, &[request_exit_ix(&d.key.pubkey(), PositionKind::Deposit, d_shares)]).await;
    fx.send_as(&i, &[request_exit_ix(&i.key.pubkey(), PositionKind::Insurance, i_shares)]).await;
    fx.env().send_ok(&[request_exit_ix(&s, PositionKind::Protocol, 10_000_000)], &[&staker]).await;

    fx.env().set_unix_timestamp(t0 + PARAMS.deposit_cooldown_secs as i64).await;
    fx.a.p.publish_all(INPUTS_BPS).await;
    let [refresh, mark] = fx.mark_ixs();
    let backing = va::refresh_backing_ix(&pool);
    let ixs = [refresh, backing, mark, fx.withdraw_ix(&d, d_shares)];
    fx.send_as(&d, &ixs).await;

    fx.env().set_unix_timestamp(t0 + PARAMS.stake_cooldown_secs as i64).await;
    fx.a.p.publish_all(INPUTS_BPS).await;
    let [refresh, mark] = fx.mark_ixs();
    let backing = va::refresh_backing_ix(&pool);
    let ixs = [refresh, backing, mark, fx.unstake_insurance_ix(&i, i_shares)];
    fx.send_as(&i, &ixs).await;
    fx.env().send_ok(&[unstake_protocol_ix(&s, &tokens, 10_000_000)], &[&staker]).await;

    // the pool matures; the reserve's units are collected
    fx.repay_all().await;
    fx.env().send_ok(&[collect_ix(&pool, &currency)], &[]).await;

    let guardian = fx.a.p.r.guardian.insecure_clone();
    fx.env().send_ok(&[set_paused_ix(&guardian.pubkey(), true)], &[&guardian]).await;
    hand_over::<BuybackReserve>(fx.env(), &admin).await;

    Attacker::uninstall();
    table::check("buyback_reserve_capital", "buyback_reserve", CAPITAL, &record.borrow());
}

#[tokio::test]
async fn every_reserve_loss_instruction_refuses_every_substituted_account() {
    let record = Attacker::install("buyback_reserve", LOSSES);
    let mut fx = ReserveFixture::new().await;
    let currency = fx.stable_mint();
    let pool = fx.pool();
    // the bid buys more anchor tokens than the PSM's stable reserve can pay: in kind
    let ixs = fx.a.exchange_ixs(FACE / 10, 1);
    fx.as_holder(&ixs).await;
    let ix = fx.a.mint_ix(1_000_000_000, 1);
    fx.as_holder(&[ix]).await;
    let ix = fx.sell_anchor_ix(30_000_000_000, 0);
    fx.as_holder(&[ix]).await;
    let payer = fx.env().funded_keypair(1_000_000_000).await;
    let ix = redeem_anchor_in_kind_ix(&payer.pubkey(), &currency, &fx.a.accepted, 0);
    fx.env().send_ok(&[ix], &[&payer]).await;
    fx.env().send_ok(&[claim_anchor_units_ix(&pool, 0)], &[]).await;

    // a default, covered by the insurance
    fx.a.default_and_refresh().await;
    let ix = fx.cover_ix();
    fx.env().send_ok(&[ix], &[]).await;

    Attacker::uninstall();
    table::check("buyback_reserve_losses", "buyback_reserve", LOSSES, &record.borrow());
}
