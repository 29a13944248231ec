//! Audit probes: each `probe_*` test replays an attack an audit of this code found and now
//! asserts the property that defeats it (a regression test; its doc comment tells the
//! finding); each `held_*` test documents an attack that was tried and refused.
use rwa_oracle::{
    errors::OracleError,
    state::{bps_of, within_deviation, Feed},
};
use rwa_testkit::{oracle::*, prelude::*};

async fn feed(fx: &mut OracleFixture) -> Feed {
    let id = fx.feed_id;
    fx.env.anchor_account(feed_pda(&id)).await
}

/// Publisher `i` submits `value` with `confidence`, published at `ts`.
async fn submit_with(fx: &mut OracleFixture, i: usize, value: u128, confidence: u128, ts: i64) {
    let p = fx.publishers[i].insecure_clone();
    let ix = submit_ix(&p.pubkey(), &fx.feed_id, value, confidence, ts);
    fx.env.send_ok(&[ix], &[&p]).await;
}

/// FINDING (high): one publisher of a quorum of three sets the aggregate confidence. The median
/// ignores the attacker's value, but `fresh_aggregate` keeps the WIDEST confidence of all fresh
/// observations, and each observation's confidence is bounded only against its own value: an
/// outvoted value of 100% carries a confidence of 10 percentage points. The served value is 5%
/// +- 10%, twenty times the feed's `max_confidence_bps` of the served value, and no deviation
/// bound applies to confidence. Consumers take value + confidence (the pricer), so one
/// publisher moves every reader.
#[tokio::test]
async fn probe_one_publisher_sets_the_aggregate_confidence() {
    let mut fx = OracleFixture::new().await;
    fx.submit_ok(0, bps(500), T0).await;
    fx.submit_ok(1, bps(500), T0).await;
    let outvoted = bps(10_000);
    submit_with(&mut fx, 2, outvoted, bps_of(outvoted, 1_000), T0).await;

    let f = feed(&mut fx).await;
    assert_eq!(f.accepted.value, bps(500), "the median is the honest value");
    let id = fx.feed_id;
    let read = fx.read_feed(id, 600).await.expect("the value is served");
    let bound = bps_of(read.value, f.params.max_confidence_bps);
    assert!(
        read.confidence <= bound,
        "one publisher of three made the served confidence {} ({}x the feed's bound \
         {} for the served value)",
        read.confidence,
        read.confidence / bound.max(1),
        bound
    );
}

/// FINDING (medium): one publisher makes the feed stale for every reader. The aggregate's
/// publish time is the OLDEST of all fresh observations; a publisher may submit an observation
/// dated up to `max_staleness_secs` in the past (each newer than its last). With three honest
/// publishers and a quorum of three (so the feed does not need the attacker), the attacker's
/// backdated observation is in every fresh set: a reader asking for values at most 5 minutes
/// old is refused `StaleFeed` although three honest publishers published this second, and a
/// reader at the feed's own bound is refused two seconds after every formation.
#[tokio::test]
async fn probe_one_backdating_publisher_makes_every_read_stale() {
    let mut fx = OracleFixture::new().await;
    let id = fx.feed_id;
    fx.add_publisher(&id, 3).await;
    for i in 0..3 {
        fx.submit_ok(i, bps(500), T0).await;
    }
    assert!(fx.read_feed(id, 300).await.is_ok(), "live with the three honest publishers");

    // the attacker backdates its observation to the edge of the staleness bound
    fx.env.set_unix_timestamp(T0 + 2).await;
    for i in 0..3 {
        fx.submit_ok(i, bps(500), T0 + 2).await;
    }
    fx.submit_ok(3, bps(500), T0 + 2 - 599).await;
    let f = feed(&mut fx).await;
    assert_eq!((f.accepted.value, f.accepted.publishers), (bps(500), 4));
    let five_minutes = fx.read_feed(id, 300).await;
    let at_the_bound_later = {
        fx.env.set_unix_timestamp(T0 + 4).await;
        fx.read_feed(id, 600).await
    };
    let refused = |r: &Result<_, TxFailure>| r.as_ref().err().map(|f| format!("{:?}", f.error));
    assert!(
        five_minutes.is_ok() && at_the_bound_later.is_ok(),
        "three honest publishers published 0-2 s ago, yet one backdating publisher \
         makes reads fail: max_age 300 -> {:?}, max_age 600 two seconds later -> {:?} \
         (StaleFeed is {})",
        refused(&five_minutes),
        refused(&at_the_bound_later),
        u32::from(OracleError::StaleFeed)
    );
}

/// FINDING (low): the deviation bound compounds across the window boundary. A move of 5% one
/// second before the window ends and another 5% one second after are both accepted: 10.2% in
/// two seconds, where "small steps cannot add up" is the stated intent.
#[tokio::test]
async fn probe_deviation_bound_compounds_across_the_window_boundary() {
    let mut fx = OracleFixture::new().await;
    let id = fx.feed_id;
    fx.publish_ok(&id, bps(500), T0).await;
    let window = 3_600;
    fx.env.set_unix_timestamp(T0 + window - 1).await;
    let before = fx.read_feed(id, 600).await.is_err(); // stale by now; the value is 5.00%
    assert!(before);
    fx.publish_ok(&id, bps(525), T0 + window - 1).await; // +5% from the window's reference
    fx.env.set_unix_timestamp(T0 + window).await;
    fx.publish_ok(&id, bps(551), T0 + window).await; // +5% from the last accepted
    let f = feed(&mut fx).await;
    assert!(f.held.publishers > 0, "the compounding step is held");
    assert!(
        within_deviation(f.accepted.value, bps(500), 500),
        "the served value moved from 500 bps to {} bps within two seconds, beyond the \
         500 bps bound",
        (f.accepted.value * 10_000) >> 64
    );
}

/// HELD: one publisher of three can neither move the median outside the honest values nor get
/// a value held (so it cannot block reads through the deviation bound), whichever extreme it
/// submits.
#[tokio::test]
async fn held_one_publisher_cannot_move_or_hold_the_median() {
    let mut fx = OracleFixture::new().await;
    fx.submit_ok(0, bps(500), T0).await;
    fx.submit_ok(1, bps(510), T0).await;
    fx.submit_ok(2, bps(10_000), T0).await;
    let id = fx.feed_id;
    assert_eq!(fx.read_feed(id, 600).await.unwrap().value, bps(510));
    fx.env.set_unix_timestamp(T0 + 1).await;
    fx.submit_ok(2, 0, T0 + 1).await;
    let f = feed(&mut fx).await;
    assert_eq!((f.accepted.value, f.held.publishers), (bps(500), 0));
}

/// HELD: removing publishers below the quorum and adding new ones does not reset the deviation
/// reference: a 10x value formed by a fresh set of publishers is held.
#[tokio::test]
async fn held_removal_and_addition_do_not_reset_the_deviation_reference() {
    let mut fx = OracleFixture::new().await;
    let id = fx.feed_id;
    fx.publish_ok(&id, bps(500), T0).await;
    let admin = fx.admin.insecure_clone();
    for i in 0..3 {
        let p = fx.publishers[i].pubkey();
        fx.env.send_ok(&[remove_publisher_ix(&admin.pubkey(), &id, p)], &[&admin]).await;
    }
    for i in 3..6 {
        fx.add_publisher(&id, i).await;
    }
    let later = T0 + 10 * 3_600;
    fx.env.set_unix_timestamp(later).await;
    for i in 3..6 {
        fx.submit_ok(i, bps(5_000), later).await;
    }
    let f = feed(&mut fx).await;
    assert_eq!((f.held.value, f.accepted.publishers), (bps(5_000), 0));
    let err = fx.read_feed(id, 600).await.unwrap_err();
    err.assert_error(0, rwa_oracle::ID, OracleError::DeviationTooLarge);
}
