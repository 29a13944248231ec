use receivables::{
    errors::ReceivablesError,
    state::{Pool, MAX_SCHEDULE_LEN},
    ScheduledPayment,
};
use rwa_testkit::{prelude::*, registry::*};

fn later(after: i64, n: usize, amount: u64) -> Vec<ScheduledPayment> {
    (1..=n as i64).map(|i| ScheduledPayment { due_ts: after + i * DAY, amount }).collect()
}

#[tokio::test]
async fn the_issuer_completes_a_draft_schedule_in_chunks_up_to_the_maximum() {
    let mut r = Registry::new(TokenProgram::Classic).await;
    let pool = r.create_pool(0, pool_params(r.now)).await;
    let issuer = r.issuer.pubkey();
    let mut last = r.now + 360 * DAY;
    for chunk in [26, 26] {
        r.env
            .send_ok(&[append_schedule_ix(&issuer, &pool, later(last, chunk, 1))], &[&r.issuer])
            .await;
        last += chunk as i64 * DAY;
    }
    let state: Pool = r.env.anchor_account(pool).await;
    assert_eq!(state.schedule.len(), MAX_SCHEDULE_LEN);
    r.env
        .send_expect_error(
            &[append_schedule_ix(&issuer, &pool, later(last, 1, 1))],
            &[&r.issuer],
            ReceivablesError::InvalidScheduleLength,
        )
        .await;
}

#[tokio::test]
async fn appended_flows_must_follow_the_last_one() {
    let mut r = Registry::new(TokenProgram::Classic).await;
    let pool = r.create_pool(0, pool_params(r.now)).await;
    let issuer = r.issuer.pubkey();
    let overlapping = later(r.now, 1, 1); // due before the existing 12th month
    r.env
        .send_expect_error(
            &[append_schedule_ix(&issuer, &pool, overlapping)],
            &[&r.issuer],
            ReceivablesError::ScheduleNotSorted,
        )
        .await;
}

#[tokio::test]
async fn only_the_issuer_of_a_draft_pool_appends() {
    let mut r = Registry::new(TokenProgram::Classic).await;
    let (pool, _) = r.active_pool(0).await;
    let issuer = r.issuer.pubkey();
    let more = later(r.now + 400 * DAY, 1, 1);
    r.env
        .send_expect_error(
            &[append_schedule_ix(&issuer, &pool, more.clone())],
            &[&r.issuer],
            ReceivablesError::InvalidPoolStatus,
        )
        .await;
    let servicer = r.servicer.insecure_clone();
    r.env
        .send_expect_error(
            &[append_schedule_ix(&servicer.pubkey(), &pool, more)],
            &[&servicer],
            ReceivablesError::NotPoolIssuer,
        )
        .await;
}

#[tokio::test]
async fn appended_flows_must_keep_the_schedules_time_of_day() {
    let mut r = Registry::new(TokenProgram::Classic).await;
    let pool = r.create_pool(0, pool_params(r.now)).await;
    let issuer = r.issuer.pubkey();
    let before = r.env.account(pool).await;
    let off_by_a_minute = later(r.now + 400 * DAY + 60, 1, 1);
    r.env
        .send_expect_error(
            &[append_schedule_ix(&issuer, &pool, off_by_a_minute)],
            &[&r.issuer],
            ReceivablesError::ScheduleNotDayAligned,
        )
        .await;
    assert_eq!(r.env.account(pool).await, before);
}
