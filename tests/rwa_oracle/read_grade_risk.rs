use anchor_lang::error::ErrorCode;
use rwa_oracle::{errors::OracleError, state::FeedKind, GradeRiskValue};
use rwa_testkit::{oracle::*, prelude::*};

use crate::set_grade::{steps, with_grade_feeds};

#[tokio::test]
async fn a_grade_read_returns_spread_pd_lgd_and_write_down() {
    let (mut fx, feeds) = with_grade_feeds().await;
    let admin = fx.admin.pubkey();
    fx.env.send_ok(&[set_grade_ix(&admin, 1, &feeds, steps())], &[&fx.admin]).await;
    fx.publish_ok(&feeds.spread, bps(350), T0).await;
    fx.publish_ok(&feeds.pd, bps(300), T0).await;
    fx.publish_ok(&feeds.lgd, bps(4_500), T0).await;

    let v: GradeRiskValue = fx.read_grade(1, &feeds, 600).await.unwrap();
    assert_eq!((v.spread.value, v.pd.value, v.lgd.value), (bps(350), bps(300), bps(4_500)));
    assert_eq!(v.write_down, steps());
}

#[tokio::test]
async fn a_grade_read_fails_if_any_of_its_feeds_is_unusable() {
    let (mut fx, feeds) = with_grade_feeds().await;
    let admin = fx.admin.pubkey();
    fx.env.send_ok(&[set_grade_ix(&admin, 1, &feeds, steps())], &[&fx.admin]).await;
    fx.publish_ok(&feeds.spread, bps(350), T0).await;
    fx.publish_ok(&feeds.pd, bps(300), T0).await;
    fx.env
        .send_expect_error(&[read_grade_ix(1, &feeds, 600)], &[], OracleError::TooFewPublishers)
        .await;
}

#[tokio::test]
async fn a_grade_with_a_single_source_feed_is_read_only_by_a_caller_who_opts_in() {
    let (mut fx, mut feeds) = with_grade_feeds().await;
    feeds.pd = [4; 32];
    fx.create_feed(feeds.pd, single_source_params(FeedKind::DefaultProbability, 1), 1).await;
    let admin = fx.admin.pubkey();
    fx.env.send_ok(&[set_grade_ix(&admin, 1, &feeds, steps())], &[&fx.admin]).await;
    fx.publish_ok(&feeds.spread, bps(350), T0).await;
    fx.submit_on_ok(0, &feeds.pd, bps(300), T0).await;
    fx.publish_ok(&feeds.lgd, bps(4_500), T0).await;

    fx.env
        .send_expect_error(&[read_grade_ix(1, &feeds, 600)], &[], OracleError::SingleSourceFeed)
        .await;
    let opted_in = ReadOptions::max_age(600).allowing_single_source();
    let v = fx.read_grade_with(1, &feeds, opted_in).await.unwrap();
    assert_eq!(v.pd.value, bps(300));
}

#[tokio::test]
async fn a_grade_read_with_a_substituted_feed_is_refused() {
    let (mut fx, mut feeds) = with_grade_feeds().await;
    let admin = fx.admin.pubkey();
    fx.env.send_ok(&[set_grade_ix(&admin, 1, &feeds, steps())], &[&fx.admin]).await;
    feeds.lgd = feeds.pd;
    fx.env
        .send_expect_error(&[read_grade_ix(1, &feeds, 600)], &[], ErrorCode::ConstraintHasOne)
        .await;
}
