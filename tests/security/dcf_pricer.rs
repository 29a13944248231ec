//! The pricer's flow: every instruction of dcf-pricer, each attacked the first time it is sent.
use rwa_testkit::{prelude::*, pricer::*};

use crate::{
    harness::{hand_over, Attacker},
    table,
};
use rwa_testkit::authority::DcfPricer;

const TARGETS: &[&str] = &[
    "initialize",
    "create_pool_pricing",
    "refresh_rate",
    "set_pricing_params",
    "set_paused",
    "propose_admin",
    "accept_admin",
    "set_guardian",
];

#[tokio::test]
async fn every_pricer_instruction_refuses_every_substituted_account() {
    let record = Attacker::install("dcf_pricer", TARGETS);
    // initialize, create_pool_pricing
    let mut fx = PricedPool::new().await;
    fx.refresh().await;
    let admin = fx.r.admin.insecure_clone();
    let pool = fx.pool;
    fx.r.env.send_ok(&[set_pricing_params_ix(&admin.pubkey(), &pool, PRICING)], &[&admin]).await;
    let guardian = fx.r.guardian.insecure_clone();
    fx.r.env.send_ok(&[set_paused_ix(&guardian.pubkey(), true)], &[&guardian]).await;

    hand_over::<DcfPricer>(&mut fx.r.env, &admin).await;

    Attacker::uninstall();
    table::check("dcf_pricer", "dcf_pricer", TARGETS, &record.borrow());
}
