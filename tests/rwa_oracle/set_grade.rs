use anchor_lang::error::ErrorCode;
use rwa_oracle::{
    errors::OracleError,
    state::{FeedKind, GradeRisk, WriteDownStepRaw},
};
use rwa_testkit::{oracle::*, prelude::*};

pub fn steps() -> Vec<WriteDownStepRaw> {
    vec![
        WriteDownStepRaw { days_late: 30, fraction: bps(2_500) },
        WriteDownStepRaw { days_late: 90, fraction: bps(10_000) },
    ]
}

/// The fixture plus spread, PD and LGD feeds, each with the fixture's publishers.
pub async fn with_grade_feeds() -> (OracleFixture, GradeFeeds) {
    let mut fx = OracleFixture::new().await;
    let feeds = GradeFeeds { spread: [1; 32], pd: [2; 32], lgd: [3; 32] };
    fx.create_feed(feeds.spread, rate_params(FeedKind::CreditSpread), QUORUM).await;
    fx.create_feed(feeds.pd, rate_params(FeedKind::DefaultProbability), QUORUM).await;
    fx.create_feed(feeds.lgd, rate_params(FeedKind::LossGivenDefault), QUORUM).await;
    (fx, feeds)
}

#[tokio::test]
async fn admin_defines_a_grade_with_its_feeds_and_write_down_steps() {
    let (mut fx, feeds) = with_grade_feeds().await;
    let admin = fx.admin.pubkey();
    fx.env.send_ok(&[set_grade_ix(&admin, 1, &feeds, steps())], &[&fx.admin]).await;
    let g: GradeRisk = fx.env.anchor_account(grade_pda(1)).await;
    assert_eq!((g.grade, g.label[0]), (1, b'B'));
    assert_eq!(g.spread_feed, feed_pda(&feeds.spread));
    assert_eq!((g.pd_feed, g.lgd_feed), (feed_pda(&feeds.pd), feed_pda(&feeds.lgd)));
    assert_eq!(&g.write_down[..g.write_down_len as usize], &steps()[..]);

    // replacing the schedule keeps one account
    fx.env.send_ok(&[set_grade_ix(&admin, 1, &feeds, steps()[..1].to_vec())], &[&fx.admin]).await;
    let g: GradeRisk = fx.env.anchor_account(grade_pda(1)).await;
    assert_eq!(g.write_down_len, 1);
}

#[tokio::test]
async fn a_feed_of_the_wrong_kind_is_refused() {
    let (mut fx, mut feeds) = with_grade_feeds().await;
    feeds.pd = fx.feed_id; // a benchmark rate feed
    let admin = fx.admin.pubkey();
    fx.env
        .send_expect_error(
            &[set_grade_ix(&admin, 1, &feeds, steps())],
            &[&fx.admin],
            OracleError::FeedKindMismatch,
        )
        .await;
}

#[tokio::test]
async fn invalid_write_down_schedules_are_refused() {
    let (mut fx, feeds) = with_grade_feeds().await;
    let admin = fx.admin.pubkey();
    let unsorted = vec![steps()[1], steps()[0]];
    let above_one = vec![WriteDownStepRaw { days_late: 1, fraction: bps(10_001) }];
    let too_long: Vec<_> = (0..9).map(|d| WriteDownStepRaw { days_late: d, fraction: 0 }).collect();
    for wd in [unsorted, above_one, too_long] {
        fx.env
            .send_expect_error(
                &[set_grade_ix(&admin, 1, &feeds, wd)],
                &[&fx.admin],
                OracleError::InvalidWriteDown,
            )
            .await;
    }
}

#[tokio::test]
async fn only_the_admin_defines_grades() {
    let (mut fx, feeds) = with_grade_feeds().await;
    let p = fx.publishers[0].insecure_clone();
    fx.env
        .send_expect_error(
            &[set_grade_ix(&p.pubkey(), 1, &feeds, steps())],
            &[&p],
            ErrorCode::ConstraintHasOne,
        )
        .await;
}
