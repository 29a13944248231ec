//! The pricer's flow: every instruction of dcf-pricer, each attacked the first time it is sent.
use rwa_testkit::{prelude::*, pricer::*};

use crate::{harness::Attacker, table};

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

    let next = fx.r.env.funded_keypair(1_000_000_000).await;
    fx.r.env.send_ok(&[propose_admin_ix(&admin.pubkey(), next.pubkey())], &[&admin]).await;
    fx.r.env.send_ok(&[accept_admin_ix(&next.pubkey())], &[&next]).await;
    fx.r.env.send_ok(&[set_guardian_ix(&next.pubkey(), Pubkey::new_unique())], &[&next]).await;

    Attacker::uninstall();
    table::check("dcf_pricer", "dcf_pricer", TARGETS, &record.borrow());
}
