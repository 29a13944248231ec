use anchor_lang::error::ErrorCode;
use rwa_oracle::{errors::OracleError, GradeRiskValue};
use rwa_testkit::{oracle::*, prelude::*};

use crate::set_grade::{steps, with_grade_feeds};

async fn publish(fx: &mut OracleFixture, feed_id: [u8; 32], value: u128) {
    for i in 0..2 {
        let (ix, p) = fx.submit(i, &feed_id, value, T0);
        let p = p.insecure_clone();
        fx.env.send_ok(&[ix], &[&p]).await;
    }
}

#[tokio::test]
async fn a_grade_read_returns_spread_pd_lgd_and_write_down() {
    let (mut fx, feeds) = with_grade_feeds().await;
    let admin = fx.admin.pubkey();
    fx.env.send_ok(&[set_grade_ix(&admin, 1, &feeds, steps())], &[&fx.admin]).await;
    publish(&mut fx, feeds.spread, bps(350)).await;
    publish(&mut fx, feeds.pd, bps(300)).await;
    publish(&mut fx, feeds.lgd, bps(4_500)).await;

    let v: GradeRiskValue = fx.read_grade(1, &feeds, 600).await.unwrap();
    assert_eq!((v.spread.value, v.pd.value, v.lgd.value), (bps(350), bps(300), bps(4_500)));
    assert_eq!(v.write_down, steps());
}

#[tokio::test]
async fn a_grade_read_fails_if_any_of_its_feeds_is_unusable() {
    let (mut fx, feeds) = with_grade_feeds().await;
    let admin = fx.admin.pubkey();
    fx.env.send_ok(&[set_grade_ix(&admin, 1, &feeds, steps())], &[&fx.admin]).await;
    publish(&mut fx, feeds.spread, bps(350)).await;
    publish(&mut fx, feeds.pd, bps(300)).await;
    fx.env
        .send_expect_error(&[read_grade_ix(1, &feeds, 600)], &[], OracleError::TooFewPublishers)
        .await;
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
