//! Oracle manipulation (Mirror's "fresh but wrong" prices): one publisher pushing an extreme
//! value, a jump beyond the deviation bound, stale data, a spoofed Pyth account, and a colluding
//! quorum walking the rates within their bounds window after window, with what that walk can do
//! to a unit price (SECURITY.md, "Oracle").
use anchor_lang::error::ErrorCode;
use pyth_solana_receiver_sdk::price_update::VerificationLevel;
use rwa_oracle::errors::OracleError;
use rwa_testkit::{oracle::*, prelude::*, pricer::*};

const PYTH_ID: [u8; 32] = [0xef; 32];
const MARKET: [u8; 32] = [5; 32];

/// Publishers 0, 1 and 2 agree on 5.00% at T0.
async fn at_five_percent() -> OracleFixture {
    let mut fx = OracleFixture::new().await;
    let id = fx.feed_id;
    fx.publish_ok(&id, bps(500), T0).await;
    fx
}

#[tokio::test]
async fn one_publisher_pushing_an_extreme_value_moves_nothing() {
    let mut fx = at_five_percent().await;
    let id = fx.feed_id;
    fx.env.set_unix_timestamp(T0 + 60).await;
    // beyond the feed's bounds: refused at submission
    let (ix, p) = fx.submit(2, &id, bps(10_001), T0 + 60);
    let p = p.insecure_clone();
    fx.env.send_expect_error(&[ix], &[&p], OracleError::ValueOutOfBounds).await;
    // at the bound: accepted as an observation, but the median of three ignores it
    fx.submit_on_ok(2, &id, bps(10_000), T0 + 60).await;
    fx.submit_on_ok(0, &id, bps(501), T0 + 60).await;
    fx.submit_on_ok(1, &id, bps(499), T0 + 60).await;
    assert_eq!(fx.read_feed(id, 600).await.expect("read").value, bps(501), "the median");
    // two of four pushing it: the lower middle of an even count still ignores them
    fx.add_publisher(&id, 3).await;
    fx.submit_on_ok(3, &id, bps(10_000), T0 + 60).await;
    assert_eq!(fx.read_feed(id, 600).await.expect("read").value, bps(501));
}

#[tokio::test]
async fn a_quorum_jumping_beyond_the_deviation_bound_is_held_until_the_admin_confirms() {
    let mut fx = at_five_percent().await;
    let id = fx.feed_id;
    fx.env.set_unix_timestamp(T0 + 60).await;
    fx.publish_ok(&id, bps(600), T0 + 60).await; // +20% against a 5% bound
    fx.env.send_expect_error(&[read_feed_ix(&id, 600)], &[], OracleError::DeviationTooLarge).await;
    // the window passing does not release it either
    fx.env.set_unix_timestamp(T0 + 3_700).await;
    fx.publish_ok(&id, bps(600), T0 + 3_700).await;
    fx.env.send_expect_error(&[read_feed_ix(&id, 600)], &[], OracleError::DeviationTooLarge).await;
    let admin = fx.admin.insecure_clone();
    fx.env.send_ok(&[confirm_ix(&admin.pubkey(), &id)], &[&admin]).await;
    assert_eq!(fx.read_feed(id, 600).await.expect("confirmed").value, bps(600));
}

#[tokio::test]
async fn stale_data_is_refused_by_the_oracle_and_by_the_pricer() {
    let mut fx = at_five_percent().await;
    let id = fx.feed_id;
    fx.env.set_unix_timestamp(T0 + 601).await;
    // every observation is past the feed's freshness: no quorum of fresh publishers is left
    fx.env.send_expect_error(&[read_feed_ix(&id, 600)], &[], OracleError::TooFewPublishers).await;
    // an observation older than the feed's freshness bound is not taken at all
    fx.add_publisher(&id, 3).await;
    let (ix, p) = fx.submit(3, &id, bps(500), T0);
    let p = p.insecure_clone();
    fx.env.send_expect_error(&[ix], &[&p], OracleError::StaleObservation).await;

    // the pricer keeps its last rate rather than price from stale inputs
    let mut pp = PricedPool::new().await;
    let before = pp.refresh().await;
    pp.r.env.warp_seconds(601).await;
    let ix = pp.refresh_ix();
    let failure = pp.r.env.send_expect_failure(&[ix], &[]).await;
    let decoded = rwa_testkit::rwa_sdk::errors::decode_transaction_error(
        &failure.error,
        &[dcf_pricer::ID],
        &failure.logs,
    )
    .expect("a named error");
    assert_eq!(decoded.name, "TooFewPublishers", "{decoded}");
    assert_eq!(pp.pricing().await.rate, before.rate, "the last rate stands, unchanged");
}

#[tokio::test]
async fn a_spoofed_pyth_account_is_refused() {
    let mut fx = OracleFixture::new().await;
    let params = market_params(PYTH_ID);
    fx.create_feed(MARKET, params, 0).await;
    let good = |level| pyth_price_update_account(PYTH_ID, 15_000_000_000, 5_000_000, -8, T0, level);

    // the right bytes under another owner: a look-alike written by anyone
    let mut forged = good(VerificationLevel::Full);
    forged.owner = Pubkey::new_unique();
    let key = Pubkey::new_unique();
    fx.env.set_account(key, forged);
    let ix = read_pyth_ix(&MARKET, &key, 60);
    fx.env.send_expect_error(&[ix], &[], ErrorCode::AccountOwnedByWrongProgram).await;
    // a genuine update that is only partially verified
    let partial = good(VerificationLevel::Partial { num_signatures: 1 });
    let key = Pubkey::new_unique();
    fx.env.set_account(key, partial);
    let ix = read_pyth_ix(&MARKET, &key, 60);
    fx.env.send_expect_error(&[ix], &[], OracleError::PythNotFullyVerified).await;
    // a genuine, verified update of another asset
    let other = pyth_price_update_account([1; 32], 1, 0, -8, T0, VerificationLevel::Full);
    let key = Pubkey::new_unique();
    fx.env.set_account(key, other);
    let ix = read_pyth_ix(&MARKET, &key, 60);
    fx.env.send_expect_error(&[ix], &[], OracleError::PythFeedMismatch).await;
    // an old one
    let old = pyth_price_update_account(
        PYTH_ID,
        15_000_000_000,
        5_000_000,
        -8,
        T0 - 61,
        VerificationLevel::Full,
    );
    let key = Pubkey::new_unique();
    fx.env.set_account(key, old);
    let ix = read_pyth_ix(&MARKET, &key, 60);
    fx.env.send_expect_error(&[ix], &[], OracleError::StaleFeed).await;
}

/// Every input moved by `step_bps` (a fraction of its value, negative: down).
fn walked(inputs: [u64; 4], step_bps: i64) -> [u64; 4] {
    inputs.map(|v| (v as i64 + v as i64 * step_bps / 10_000) as u64)
}

/// A colluding quorum on every feed walks every input down 4.9% an hour (just inside the 5%
/// bound, the reference renewed each window) for 24 hours: the feeds accept every step and the
/// price they imply climbs. The pricer publishes at most `max_rise_bps` (1%) more an interval,
/// so however far the inputs walk, a day lifts the unit price by at most 1.01^24 - 1 = 27%; for
/// the fixture's one-year pool the walk itself moves it far less (SECURITY.md has the figure).
#[tokio::test]
async fn a_quorum_walking_the_rates_within_bounds_lifts_the_price_at_most_the_rise_cap() {
    let mut pp = PricedPool::new().await;
    let start = pp.refresh().await.rate.unit_price;
    let mut inputs = INPUTS_BPS;
    let mut last = start;
    for hour in 1..=24 {
        inputs = walked(inputs, -490);
        pp.advance(3_600, inputs).await;
        let rate = pp.refresh().await.rate;
        // each interval's rise is at most 1% of the previous published price (rounded down)
        let cap = last + last * PRICING.max_rise_bps as u128 / 10_000;
        assert!(rate.unit_price <= cap, "hour {hour}: {} above the cap {cap}", rate.unit_price);
        assert!(rate.computed_price >= rate.unit_price);
        last = rate.unit_price;
    }
    let computed = pp.pricing().await.rate.computed_price;
    let published_rise_bps = (last - start) * 10_000 / start;
    let computed_rise_bps = (computed - start) * 10_000 / start;
    println!(
        "24 h walk of every input by -4.9%/h: published price +{published_rise_bps} bps, \
         uncapped +{computed_rise_bps} bps; inputs now {inputs:?} bps"
    );
    // the exposure SECURITY.md records (the cap itself binding is
    // `economic::sandwiching_a_price_refresh_gains_nothing` and dcf_pricer's refresh_rate tests)
    assert!(published_rise_bps <= 400, "a day's walk moved the price {published_rise_bps} bps");
    assert!(published_rise_bps <= computed_rise_bps);
}
