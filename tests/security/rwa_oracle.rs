//! The oracle's flow: every instruction of rwa-oracle, each attacked the first time it is sent.
use pyth_solana_receiver_sdk::price_update::VerificationLevel;
use rwa_oracle::state::{FeedKind, WriteDownStepRaw};
use rwa_testkit::{oracle::*, prelude::*};

use crate::{
    harness::{hand_over, Attacker},
    table,
};
use rwa_testkit::authority::RwaOracle;

const TARGETS: &[&str] = &[
    "initialize",
    "create_feed",
    "add_publisher",
    "submit_observation",
    "read_feed",
    "set_grade",
    "read_grade_risk",
    "read_pyth_price",
    "confirm_held_value",
    "set_feed_paused",
    "set_paused",
    "remove_publisher",
    "propose_admin",
    "accept_admin",
    "set_guardian",
];

const PYTH_ID: [u8; 32] = [0xef; 32];
const MARKET: [u8; 32] = [5; 32];

#[tokio::test]
async fn every_oracle_instruction_refuses_every_substituted_account() {
    let record = Attacker::install("rwa_oracle", TARGETS);
    // initialize, create_feed, add_publisher
    let mut fx = OracleFixture::new().await;
    let id = fx.feed_id;
    let admin = fx.admin.insecure_clone();
    // submit_observation, read_feed
    fx.publish_ok(&id, bps(500), T0).await;
    fx.read_feed(id, 600).await.expect("read_feed");

    // set_grade, read_grade_risk
    let feeds = GradeFeeds { spread: [1; 32], pd: [2; 32], lgd: [3; 32] };
    fx.create_feed(feeds.spread, rate_params(FeedKind::CreditSpread), QUORUM).await;
    fx.create_feed(feeds.pd, rate_params(FeedKind::DefaultProbability), QUORUM).await;
    fx.create_feed(feeds.lgd, rate_params(FeedKind::LossGivenDefault), QUORUM).await;
    let steps = vec![
        WriteDownStepRaw { days_late: 30, fraction: bps(2_500) },
        WriteDownStepRaw { days_late: 90, fraction: bps(10_000) },
    ];
    fx.env.send_ok(&[set_grade_ix(&admin.pubkey(), 1, &feeds, steps)], &[&admin]).await;
    fx.publish_ok(&feeds.spread, bps(350), T0).await;
    fx.publish_ok(&feeds.pd, bps(300), T0).await;
    fx.publish_ok(&feeds.lgd, bps(4_500), T0).await;
    fx.read_grade(1, &feeds, 600).await.expect("read_grade_risk");

    // read_pyth_price
    let params = market_params(PYTH_ID);
    fx.create_feed(MARKET, params, 0).await;
    let update = Pubkey::new_unique();
    let account = pyth_price_update_account(
        PYTH_ID,
        15_000_000_000,
        5_000_000,
        -8,
        T0,
        VerificationLevel::Full,
    );
    fx.env.set_account(update, account);
    fx.read_pyth(MARKET, update, 60).await.expect("read_pyth_price");

    // confirm_held_value: a jump beyond the deviation bound is held
    fx.env.set_unix_timestamp(T0 + 60).await;
    fx.publish_ok(&id, bps(600), T0 + 60).await;
    fx.env.send_ok(&[confirm_ix(&admin.pubkey(), &id)], &[&admin]).await;

    // the guardian's pauses, then the admin's publisher removal
    let guardian = fx.guardian.insecure_clone();
    fx.env.send_ok(&[set_feed_paused_ix(&guardian.pubkey(), &id, true)], &[&guardian]).await;
    fx.env.send_ok(&[set_paused_ix(&guardian.pubkey(), true)], &[&guardian]).await;
    let publisher = fx.publishers[2].pubkey();
    fx.env.send_ok(&[remove_publisher_ix(&admin.pubkey(), &id, publisher)], &[&admin]).await;

    // the handover
    hand_over::<RwaOracle>(&mut fx.env, &admin).await;

    Attacker::uninstall();
    table::check("rwa_oracle", "rwa_oracle", TARGETS, &record.borrow());
}
