//! value-anchor's flow: every instruction of value-anchor, each attacked the first time it is
//! sent: exchange, PSM mint and redemption, in-kind redemption and claim, fees swept, a default
//! covered, the defaulted pool written off, closed and collected.
use receivables::state::Pool;
use rwa_testkit::{
    anchor_token::*,
    prelude::*,
    registry::{self, FACE},
};

use crate::{
    harness::{hand_over, Attacker},
    table,
};
use rwa_testkit::authority::ValueAnchor;

const TARGETS: &[&str] = &[
    "initialize",
    "accept_pool",
    "exchange",
    "mint_with_stable",
    "redeem_for_stable",
    "refresh_backing",
    "set_fee_recipient",
    "sweep_fees",
    "redeem_in_kind",
    "claim_in_kind",
    "set_params",
    "set_pool_params",
    "receive_cover",
    "collect",
    "set_paused",
    "propose_admin",
    "accept_admin",
    "set_guardian",
];

#[tokio::test]
async fn every_value_anchor_instruction_refuses_every_substituted_account() {
    let record = Attacker::install("value_anchor", TARGETS);
    // initialize, accept_pool
    let mut fx = AnchorFixture::new().await;
    let holder = fx.holder.insecure_clone();
    let admin = fx.p.r.admin.insecure_clone();
    let h = holder.pubkey();
    let currency = fx.p.r.currency;
    fx.p.r.env.send_ok(&fx.exchange_ixs(FACE / 10, 1), &[&holder]).await;
    fx.p.r.env.send_ok(&[fx.mint_ix(FACE / 20, 1)], &[&holder]).await;
    fx.p.r.env.send_ok(&[fx.redeem_ix(FACE / 100, 1)], &[&holder]).await;
    fx.refresh_all(60).await;

    let fee_to =
        fx.p.r.env.create_ata(TokenProgram::Classic, &currency, &Pubkey::new_unique()).await;
    fx.p.r.env.send_ok(&[set_fee_recipient_ix(&admin.pubkey(), &fee_to)], &[&admin]).await;
    fx.p.r.env.send_ok(&[fx.sweep_ix(&fee_to)], &[]).await;

    fx.p.r.env.send_ok(&[fx.in_kind_ix(0, FACE / 100)], &[&holder]).await;
    fx.p.r.env.send_ok(&[claim_in_kind_ix(&h, &fx.p.pool, 0, &fx.holder_units)], &[&holder]).await;

    fx.p.r.env.send_ok(&[set_params_ix(&admin.pubkey(), PARAMS)], &[&admin]).await;
    let pool = fx.p.pool;
    fx.p.r
        .env
        .send_ok(&[set_pool_params_ix(&admin.pubkey(), &pool, POOL_PARAMS, true)], &[&admin])
        .await;

    // a default, covered by an insurer
    fx.default_and_refresh().await;
    let insurer = fx.p.r.env.funded_keypair(1_000_000_000).await;
    let insurer_stable =
        fx.p.r.env.create_ata(TokenProgram::Classic, &currency, &insurer.pubkey()).await;
    fx.p.r.env.mint_tokens(TokenProgram::Classic, &currency, &insurer_stable, &admin, FACE).await;
    let cover = fx.cover_ix(&insurer.pubkey(), &insurer_stable, FACE);
    fx.p.r.env.send_ok(&[cover], &[&insurer]).await;

    // the servicer writes the pool off and closes it; its recovery is collected
    let servicer = fx.p.r.servicer.pubkey();
    fx.p.as_servicer(fx.p.r.recover_ix(&pool, FACE / 10)).await;
    let rest = fx.p.r.env.anchor_account::<Pool>(pool).await.outstanding().expect("outstanding");
    fx.p.as_servicer(registry::write_down_ix(&servicer, &pool, rest)).await;
    let issuer = fx.p.r.issuer.pubkey();
    fx.p.as_servicer(registry::close_pool_ix(&servicer, &pool, &issuer)).await;
    fx.p.r.env.send_ok(&[collect_ix(&pool, &currency)], &[]).await;

    let guardian = fx.p.r.guardian.insecure_clone();
    fx.p.r.env.send_ok(&[set_paused_ix(&guardian.pubkey(), true)], &[&guardian]).await;
    hand_over::<ValueAnchor>(&mut fx.p.r.env, &admin).await;

    Attacker::uninstall();
    table::check("value_anchor", "value_anchor", TARGETS, &record.borrow());
}
