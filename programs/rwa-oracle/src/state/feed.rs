use anchor_lang::prelude::*;

use crate::errors::OracleError;
use crate::state::{validate_freshness, MAX_PUBLISHERS};

const BPS: u128 = 10_000;

/// What a feed measures. All values are `rwa_math::Fixed` raw (Q64.64): annual rates and
/// probabilities as fractions (0.05 = 5%), prices in quote units.
#[derive(AnchorSerialize, AnchorDeserialize, InitSpace, Clone, Copy, Debug, PartialEq, Eq)]
pub enum FeedKind {
    /// Benchmark interest rate of one currency and tenor.
    BenchmarkRate,
    /// A grade's credit spread over the benchmark.
    CreditSpread,
    /// A grade's annual probability of default.
    DefaultProbability,
    /// A grade's loss given default.
    LossGivenDefault,
    /// A market price (from publishers, or from Pyth via `pyth_feed_id`).
    MarketPrice,
}

/// Bounds of a feed, set by the admin at creation.
#[derive(AnchorSerialize, AnchorDeserialize, InitSpace, Clone, Copy, Debug, PartialEq, Eq)]
pub struct FeedParams {
    pub kind: FeedKind,
    /// Smallest and largest acceptable value (Fixed raw).
    pub min_value: u128,
    pub max_value: u128,
    /// Largest move a new value may make without the admin's confirmation: from the window's
    /// reference within `deviation_window_secs` of it, from the last accepted value after.
    pub max_deviation_bps: u16,
    pub deviation_window_secs: u32,
    /// Oldest observation counted; 0 = the config's default.
    pub max_staleness_secs: u32,
    /// Fresh distinct publishers needed for a value; 0 = the config's default. At least
    /// `MIN_QUORUM`, or 1 or 2 for a single-source feed.
    pub min_publishers: u8,
    /// Widest confidence interval accepted, relative to the value.
    pub max_confidence_bps: u16,
    /// Pyth feed id a `MarketPrice` feed may be read from (all zero: none).
    pub pyth_feed_id: [u8; 32],
    /// The feed's value may rest on fewer than `MIN_QUORUM` publishers (set exactly when
    /// `min_publishers < MIN_QUORUM`); every read must opt in with
    /// `ReadOptions::allow_single_source`.
    pub single_source: bool,
}

impl FeedParams {
    pub fn validate(&self) -> Result<()> {
        require!(
            self.min_value <= self.max_value
                && self.max_deviation_bps > 0
                && self.max_deviation_bps as u128 <= BPS
                && self.deviation_window_secs > 0
                && self.max_confidence_bps as u128 <= BPS,
            OracleError::InvalidFeedParams
        );
        validate_freshness(self.max_staleness_secs, self.min_publishers, self.single_source)
    }

    fn in_bounds(&self, value: u128) -> bool {
        (self.min_value..=self.max_value).contains(&value)
    }
}

/// `value * bps / 10,000` rounded down, exact for every `u128` (`bps` capped at 10,000).
pub fn bps_of(value: u128, bps: u16) -> u128 {
    let bps = (bps as u128).min(BPS);
    // (q * BPS + r) * bps / BPS = q * bps + r * bps / BPS, and q * bps <= value: no overflow
    let (q, r) = (value / BPS, value % BPS);
    q * bps + r * bps / BPS
}

/// Whether `candidate` is within `max_bps` basis points of `baseline` (`|candidate - baseline|
/// * 10,000 <= baseline * max_bps`, exactly). A zero baseline admits only zero.
pub fn within_deviation(candidate: u128, baseline: u128, max_bps: u16) -> bool {
    candidate.abs_diff(baseline) <= bps_of(baseline, max_bps)
}

/// A publisher's slot and its latest observation (`publish_ts == 0`: none yet).
#[derive(
    AnchorSerialize, AnchorDeserialize, InitSpace, Clone, Copy, Debug, Default, PartialEq, Eq,
)]
pub struct Observation {
    pub publisher: Pubkey,
    pub value: u128,
    pub confidence: u128,
    pub publish_ts: i64,
}

/// A value formed from a quorum of fresh observations.
#[derive(
    AnchorSerialize, AnchorDeserialize, InitSpace, Clone, Copy, Debug, Default, PartialEq, Eq,
)]
pub struct Aggregate {
    /// Median of the observations' values (Fixed raw); an even count takes the lower middle.
    pub value: u128,
    /// Upper middle of their confidence intervals, capped at `max_confidence_bps` of the value
    /// (Fixed raw).
    pub confidence: u128,
    /// The quorum-th freshest of their publish times: the value is as fresh as this.
    pub publish_ts: i64,
    /// Clock time the aggregate was formed (accepted or held).
    pub formed_at: i64,
    /// Observations it was formed from; 0 = no aggregate.
    pub publishers: u8,
}

/// What deviation is measured from; set by the first accepted value and kept for the feed's
/// life (also while it serves nothing), so no value ever escapes the bound.
#[derive(
    AnchorSerialize, AnchorDeserialize, InitSpace, Clone, Copy, Debug, Default, PartialEq, Eq,
)]
pub struct DeviationReference {
    /// The window's reference: until `deviation_window_secs` have passed since `set_at`, a new
    /// value must be within `max_deviation_bps` of it, so small steps cannot add up.
    pub value: u128,
    /// Clock time the window started.
    pub set_at: i64,
    /// The last accepted value: once the window has passed, a new value must be within
    /// `max_deviation_bps` of it, and on acceptance becomes the reference of a new window.
    pub last_accepted: u128,
    /// The previous window's reference, while that window ended less than one window ago: a
    /// new value must be within the bound of it too, so moves cannot compound across a window
    /// boundary (equal to `value` when there is no such window).
    pub previous: u128,
}

/// What a reader accepts. `Feed::read`, `pyth::read_pyth_price`, `read_grade_inputs` and the
/// three read instructions take it.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ReadOptions {
    /// Oldest value the caller accepts, in seconds (bounded by the feed's own staleness bound).
    pub max_age_secs: u32,
    /// The caller accepts a single-source feed's value; otherwise such a feed fails
    /// `SingleSourceFeed`.
    pub allow_single_source: bool,
}

impl ReadOptions {
    /// A read of quorum feeds only, of a value at most `max_age_secs` old.
    pub const fn max_age(max_age_secs: u32) -> Self {
        ReadOptions { max_age_secs, allow_single_source: false }
    }

    /// The same read, also accepting single-source feeds.
    pub const fn allowing_single_source(self) -> Self {
        ReadOptions { max_age_secs: self.max_age_secs, allow_single_source: true }
    }
}

/// What a read returns: a value and its confidence interval, both Fixed raw. Consumers bias it
/// against the user: `value - confidence` for assets, `value + confidence` for liabilities.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub struct FeedValue {
    pub value: u128,
    pub confidence: u128,
    pub publish_ts: i64,
}

/// What re-forming a feed's value did (after an observation or a publisher's removal).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Aggregation {
    /// Fewer fresh publishers than the quorum after an observation: nothing formed, nothing
    /// changed beyond the stored observation.
    NoQuorum,
    /// Fewer fresh publishers than the quorum after a removal: the feed serves and holds
    /// nothing until a quorum forms again; the deviation reference is kept.
    Withdrawn,
    /// A new accepted value.
    Accepted(Aggregate),
    /// A value beyond `max_deviation_bps` from `baseline`, held until the admin confirms it or
    /// a value within the bound is formed.
    Held { held: Aggregate, baseline: u128 },
}

/// One feed. PDA: `[seeds::FEED, feed_id]`.
#[account]
#[derive(InitSpace)]
pub struct Feed {
    pub feed_id: [u8; 32],
    pub params: FeedParams,
    pub paused: bool,
    /// Publisher slots; an empty slot has the default pubkey.
    pub observations: [Observation; MAX_PUBLISHERS as usize],
    /// The value readers get (`publishers == 0`: none).
    pub accepted: Aggregate,
    /// A value held by the deviation bound (`publishers == 0`: none).
    pub held: Aggregate,
    /// What deviation is measured from; `None` until a value is first accepted.
    pub reference: Option<DeviationReference>,
    pub bump: u8,
}

impl Feed {
    fn slot_of(&self, publisher: &Pubkey) -> Option<usize> {
        self.observations.iter().position(|o| o.publisher == *publisher)
    }

    pub fn add_publisher(&mut self, publisher: Pubkey) -> Result<()> {
        require!(self.slot_of(&publisher).is_none(), OracleError::PublisherAlreadyAdded);
        let free = self.slot_of(&Pubkey::default()).ok_or(OracleError::TooManyPublishers)?;
        self.observations[free] = Observation { publisher, ..Observation::default() };
        Ok(())
    }

    /// Removes `publisher` and its observation, then re-forms the value from the remaining
    /// fresh observations through the same deviation bound as an observation. Without a quorum
    /// the feed serves and holds nothing (`Withdrawn`), but keeps its deviation reference.
    pub fn remove_publisher(&mut self, publisher: &Pubkey, now: i64) -> Result<Aggregation> {
        let slot = self.slot_of(publisher).ok_or(OracleError::PublisherNotFound)?;
        self.observations[slot] = Observation::default();
        Ok(match self.fresh_aggregate(now, self.params.max_staleness_secs) {
            Some(candidate) => self.take(candidate, now),
            None => {
                self.accepted = Aggregate::default();
                self.held = Aggregate::default();
                Aggregation::Withdrawn
            }
        })
    }

    /// Median of the observations at most `max_age` old at `now`, if a quorum is fresh. An
    /// even count takes the lower middle: no value is ever averaged toward an outlier. The
    /// confidence is the upper middle of the observations' confidences, capped at
    /// `max_confidence_bps` of the median (one publisher cannot widen it), and the value is as
    /// fresh as its quorum: the publish time of the quorum-th freshest observation (one
    /// back-dated publisher cannot age it).
    pub fn fresh_aggregate(&self, now: i64, max_age: u32) -> Option<Aggregate> {
        const N: usize = MAX_PUBLISHERS as usize;
        let (mut values, mut confidences, mut times) = ([0u128; N], [0u128; N], [0i64; N]);
        let mut n = 0usize;
        for o in self.observations.iter() {
            let fresh = o.publish_ts > 0 && now.saturating_sub(o.publish_ts) <= max_age as i64;
            if o.publisher != Pubkey::default() && fresh {
                values[n] = o.value;
                confidences[n] = o.confidence;
                times[n] = o.publish_ts;
                n += 1;
            }
        }
        let quorum = (self.params.min_publishers as usize).max(1);
        if n < quorum {
            return None;
        }
        values[..n].sort_unstable();
        confidences[..n].sort_unstable();
        times[..n].sort_unstable_by(|a, b| b.cmp(a));
        let value = values[(n - 1) / 2];
        let confidence = confidences[n / 2].min(bps_of(value, self.params.max_confidence_bps));
        Some(Aggregate {
            value,
            confidence,
            publish_ts: times[quorum - 1],
            formed_at: now,
            publishers: n as u8,
        })
    }

    /// The values a new one must stay within `max_deviation_bps` of at `now`, and whether the
    /// window has passed (then the reference moves on acceptance). Within a window: the
    /// window's reference and the previous window's; after it: the last accepted value and,
    /// for one more window, the old reference. `None`: no value was ever accepted, anything
    /// within the bounds is.
    pub fn deviation_baselines(&self, now: i64) -> Option<([u128; 2], bool)> {
        let window = self.params.deviation_window_secs as i64;
        self.reference.map(|r| {
            let elapsed = now.saturating_sub(r.set_at);
            if elapsed < window {
                ([r.value, r.previous], false)
            } else if elapsed < 2 * window {
                ([r.last_accepted, r.value], true)
            } else {
                ([r.last_accepted, r.last_accepted], true)
            }
        })
    }

    /// Serves `candidate` if it is within the deviation bound of every baseline, or holds it.
    fn take(&mut self, candidate: Aggregate, now: i64) -> Aggregation {
        match self.deviation_baselines(now) {
            None => self.accept(candidate, now, true, true),
            Some((baselines, window_passed)) => {
                let bps = self.params.max_deviation_bps;
                match baselines.iter().find(|&&b| !within_deviation(candidate.value, b, bps)) {
                    None => self.accept(candidate, now, window_passed, false),
                    Some(&baseline) => {
                        self.held = candidate;
                        Aggregation::Held { held: candidate, baseline }
                    }
                }
            }
        }
    }

    /// Serves `value` and drops any held one. `new_window` makes it the reference of a window
    /// starting at `now`; the old reference stays as `previous` if its window ended less than
    /// one window ago, unless `reset` (an admin confirmation: the confirmed value is the only
    /// reference).
    fn accept(&mut self, value: Aggregate, now: i64, new_window: bool, reset: bool) -> Aggregation {
        self.accepted = value;
        self.held = Aggregate::default();
        let window = self.params.deviation_window_secs as i64;
        let v = value.value;
        self.reference = Some(match self.reference {
            Some(r) if !new_window => DeviationReference { last_accepted: v, ..r },
            Some(r) if !reset && now.saturating_sub(r.set_at) < 2 * window => {
                DeviationReference { value: v, set_at: now, last_accepted: v, previous: r.value }
            }
            _ => DeviationReference { value: v, set_at: now, last_accepted: v, previous: v },
        });
        Aggregation::Accepted(value)
    }

    /// Validates and stores `publisher`'s observation, then re-forms the feed's value.
    pub fn submit(
        &mut self,
        publisher: &Pubkey,
        obs: Observation,
        now: i64,
    ) -> Result<Aggregation> {
        let slot = self.slot_of(publisher).ok_or(OracleError::UnauthorizedPublisher)?;
        require!(obs.publish_ts <= now, OracleError::FutureTimestamp);
        require!(
            obs.publish_ts > self.observations[slot].publish_ts,
            OracleError::ObservationNotNewer
        );
        require!(
            now.saturating_sub(obs.publish_ts) <= self.params.max_staleness_secs as i64,
            OracleError::StaleObservation
        );
        require!(self.params.in_bounds(obs.value), OracleError::ValueOutOfBounds);
        require!(
            obs.confidence <= bps_of(obs.value, self.params.max_confidence_bps),
            OracleError::ConfidenceTooWide
        );
        self.observations[slot] = Observation { publisher: *publisher, ..obs };

        Ok(match self.fresh_aggregate(now, self.params.max_staleness_secs) {
            Some(candidate) => self.take(candidate, now),
            None => Aggregation::NoQuorum,
        })
    }

    /// Admin confirmation of the held value: it is served and starts a new window.
    pub fn confirm_held(&mut self, now: i64) -> Result<Aggregate> {
        require!(self.held.publishers > 0, OracleError::NothingPending);
        let confirmed = Aggregate { formed_at: now, ..self.held };
        self.accept(confirmed, now, true, true);
        Ok(confirmed)
    }

    /// The one read every consumer uses: the accepted value, if the oracle and the feed are
    /// live, the feed is not single-source (or the caller accepts that), no jump is held, a
    /// quorum of publishers is still fresh, and the value is at most `options.max_age_secs` old
    /// (bounded by the feed's own staleness bound).
    pub fn read(&self, oracle_paused: bool, now: i64, options: ReadOptions) -> Result<FeedValue> {
        require!(!oracle_paused && !self.paused, OracleError::FeedPaused);
        require!(
            !self.params.single_source || options.allow_single_source,
            OracleError::SingleSourceFeed
        );
        require!(self.held.publishers == 0, OracleError::DeviationTooLarge);
        let max_age = options.max_age_secs.min(self.params.max_staleness_secs);
        require!(
            self.accepted.publishers > 0 && self.fresh_aggregate(now, max_age).is_some(),
            OracleError::TooFewPublishers
        );
        require!(
            now.saturating_sub(self.accepted.publish_ts) <= max_age as i64,
            OracleError::StaleFeed
        );
        Ok(FeedValue {
            value: self.accepted.value,
            confidence: self.accepted.confidence,
            publish_ts: self.accepted.publish_ts,
        })
    }

    /// Checks the bounds every stored feed must satisfy; called after every change.
    pub fn invariant(&self) -> Result<()> {
        self.params.validate()?;
        let (accepted, held) = (&self.accepted, &self.held);
        for a in [accepted, held] {
            require!(
                a.publishers == 0 || self.params.in_bounds(a.value),
                OracleError::ValueOutOfBounds
            );
            require!(
                a.publishers == 0 || a.publishers >= self.params.min_publishers,
                OracleError::FeedStateInconsistent
            );
        }
        let consistent = match self.reference {
            None => accepted.publishers == 0 && held.publishers == 0,
            Some(r) => {
                require!(
                    self.params.in_bounds(r.value)
                        && self.params.in_bounds(r.last_accepted)
                        && self.params.in_bounds(r.previous),
                    OracleError::ValueOutOfBounds
                );
                accepted.publishers == 0 || accepted.value == r.last_accepted
            }
        };
        require!(consistent, OracleError::FeedStateInconsistent);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::MIN_QUORUM;

    const T0: i64 = 1_800_000_000;
    const WINDOW: i64 = 3_600;

    /// Fixed raw of `bps` basis points.
    fn bps(bps: u64) -> u128 {
        ((bps as u128) << 64) / 10_000
    }

    fn key(i: usize) -> Pubkey {
        Pubkey::new_from_array([i as u8 + 1; 32])
    }

    /// A rate feed in [0, 100%], 5% moves an hour, 10 minutes fresh, `publishers` authorised.
    fn feed(min_publishers: u8, publishers: usize) -> Feed {
        let mut f = Feed {
            feed_id: [7; 32],
            params: FeedParams {
                kind: FeedKind::BenchmarkRate,
                min_value: 0,
                max_value: bps(10_000),
                max_deviation_bps: 500,
                deviation_window_secs: WINDOW as u32,
                max_staleness_secs: 600,
                min_publishers,
                max_confidence_bps: 1_000,
                pyth_feed_id: [0; 32],
                single_source: min_publishers < MIN_QUORUM,
            },
            paused: false,
            observations: [Observation::default(); MAX_PUBLISHERS as usize],
            accepted: Aggregate::default(),
            held: Aggregate::default(),
            reference: None,
            bump: 255,
        };
        for i in 0..publishers {
            f.add_publisher(key(i)).unwrap();
        }
        f.invariant().unwrap();
        f
    }

    fn submit(f: &mut Feed, i: usize, value: u128, now: i64) -> Aggregation {
        let obs = Observation { publisher: key(i), value, confidence: 0, publish_ts: now };
        let outcome = f.submit(&key(i), obs, now).unwrap();
        f.invariant().unwrap();
        outcome
    }

    fn read(f: &Feed, now: i64) -> Result<u128> {
        f.read(false, now, ReadOptions::max_age(600).allowing_single_source()).map(|v| v.value)
    }

    /// Publishers `0..n` agree on 5% at T0.
    fn at_five_percent(min_publishers: u8, n: usize) -> Feed {
        let mut f = feed(min_publishers, n);
        for i in 0..n {
            submit(&mut f, i, bps(500), T0);
        }
        assert_eq!(read(&f, T0).unwrap(), bps(500));
        f
    }

    #[test]
    fn the_median_of_an_even_count_is_the_lower_middle() {
        let mut f = feed(MIN_QUORUM, 4);
        for (i, v) in [bps(500), bps(510), bps(490), bps(10_000)].into_iter().enumerate() {
            submit(&mut f, i, v, T0);
        }
        // sorted 4.90%, 5.00%, 5.10%, 100%: the lower middle, not 5.05%
        assert_eq!(f.accepted.value, bps(500));
        assert_eq!(f.accepted.publishers, 4);
        let mut two = feed(2, 2);
        submit(&mut two, 0, bps(500), T0);
        submit(&mut two, 1, bps(5_000), T0);
        assert_eq!(two.accepted.value, bps(500), "two values: the lower one");
    }

    #[test]
    fn the_issue_10_attack_no_longer_moves_the_feed() {
        // quorum 2 (single-source), three publishers; after the window one honest refresh and
        // one attacker value: the old averaged median was 52.5%, accepted without a hold
        let mut f = at_five_percent(2, 2);
        f.add_publisher(key(2)).unwrap();
        submit(&mut f, 0, bps(500), T0 + WINDOW);
        let outcome = submit(&mut f, 2, bps(10_000), T0 + WINDOW);
        assert!(matches!(outcome, Aggregation::Accepted(a) if a.value == bps(500)));
        assert_eq!(read(&f, T0 + WINDOW).unwrap(), bps(500));
    }

    #[test]
    fn a_jump_beyond_the_bound_is_held_after_the_window_has_passed_too() {
        // the 52.5% the old median formed, offered once the window has passed
        let mut f = at_five_percent(MIN_QUORUM, 3);
        let candidate = Aggregate { value: bps(5_250), publishers: 3, ..f.accepted };
        let outcome = f.take(candidate, T0 + 2 * WINDOW);
        assert_eq!(outcome, Aggregation::Held { held: candidate, baseline: bps(500) });
        assert_eq!(f.accepted.value, bps(500));
        assert_eq!(read(&f, T0 + 2 * WINDOW), Err(OracleError::DeviationTooLarge.into()));
        assert_eq!(f.reference.unwrap().value, bps(500), "a held value moves no reference");
    }

    #[test]
    fn within_a_window_moves_are_bounded_from_its_reference() {
        let mut f = at_five_percent(MIN_QUORUM, 3);
        let step = |v| Aggregate { value: v, publishers: 3, ..Aggregate::default() };
        assert!(matches!(f.take(step(bps(520)), T0 + 60), Aggregation::Accepted(_)));
        // 5.40% is within 5% of the last accepted 5.20% but not of the window's 5.00%
        let held = f.take(step(bps(540)), T0 + 120);
        assert_eq!(held, Aggregation::Held { held: step(bps(540)), baseline: bps(500) });
        let r = f.reference.unwrap();
        assert_eq!((r.value, r.set_at, r.last_accepted), (bps(500), T0, bps(520)));
    }

    #[test]
    fn after_the_window_moves_stay_bounded_from_the_old_reference_for_one_more_window() {
        let mut f = at_five_percent(MIN_QUORUM, 3);
        let step = |v| Aggregate { value: v, publishers: 3, ..Aggregate::default() };
        f.take(step(bps(520)), T0 + 60);
        // 5.46% is 5% above the last accepted 5.20% but 9.2% above the old reference 5.00%:
        // a second step right across the window boundary would compound, so it is held
        let later = T0 + WINDOW + 1;
        let held = f.take(step(bps(546)), later);
        assert_eq!(held, Aggregation::Held { held: step(bps(546)), baseline: bps(500) });
        // 5.25% is within 5% of both: accepted, a new window starts, the old reference stays
        assert!(matches!(f.take(step(bps(525)), later), Aggregation::Accepted(_)));
        let r = f.reference.unwrap();
        assert_eq!(
            (r.value, r.set_at, r.last_accepted, r.previous),
            (bps(525), later, bps(525), bps(500))
        );
        // within the new window the bound holds from both references
        let next = f.take(step(bps(540)), later + 60);
        assert_eq!(next, Aggregation::Held { held: step(bps(540)), baseline: bps(500) });
        // two windows on, only the last accepted value binds
        let much_later = later + 2 * WINDOW;
        assert!(matches!(f.take(step(bps(550)), much_later), Aggregation::Accepted(_)));
        let r = f.reference.unwrap();
        assert_eq!((r.value, r.previous), (bps(550), bps(550)));
    }

    #[test]
    fn one_attacker_among_a_quorum_of_three_neither_moves_nor_blocks_the_feed() {
        for n in [3, 4] {
            let mut f = at_five_percent(MIN_QUORUM, n);
            for (k, attack) in [bps(10_000), 0].into_iter().enumerate() {
                let outcome = submit(&mut f, n - 1, attack, T0 + 60 + k as i64);
                assert!(matches!(outcome, Aggregation::Accepted(a) if a.value == bps(500)));
                assert_eq!(read(&f, T0 + 100).unwrap(), bps(500));
            }
        }
    }

    #[test]
    fn removing_a_publisher_re_forms_the_value_without_its_observation() {
        let mut f = feed(MIN_QUORUM, 4);
        for (i, v) in [bps(500), bps(505), bps(510), bps(515)].into_iter().enumerate() {
            submit(&mut f, i, v, T0);
        }
        assert_eq!(f.accepted.value, bps(505));
        let outcome = f.remove_publisher(&key(0), T0 + 10).unwrap();
        f.invariant().unwrap();
        assert!(matches!(outcome, Aggregation::Accepted(a) if a.value == bps(510)));
        assert_eq!((f.accepted.publishers, f.accepted.formed_at), (3, T0 + 10));
    }

    #[test]
    fn removing_a_publisher_re_forms_through_the_deviation_bound() {
        let mut f = feed(MIN_QUORUM, 4);
        // 5%, 5%, 5.6%, 5.6%: the lower middle 5%; without one 5% the median is 5.6%, +12%
        for (i, v) in [bps(500), bps(500), bps(560), bps(560)].into_iter().enumerate() {
            submit(&mut f, i, v, T0);
        }
        let outcome = f.remove_publisher(&key(0), T0 + 10).unwrap();
        f.invariant().unwrap();
        assert!(matches!(outcome, Aggregation::Held { held, baseline }
            if held.value == bps(560) && baseline == bps(500)));
        assert_eq!(read(&f, T0 + 10), Err(OracleError::DeviationTooLarge.into()));
    }

    #[test]
    fn removal_below_the_quorum_serves_nothing_but_keeps_the_reference() {
        let mut f = at_five_percent(MIN_QUORUM, 3);
        let reference = f.reference;
        assert_eq!(f.remove_publisher(&key(2), T0 + 10).unwrap(), Aggregation::Withdrawn);
        f.invariant().unwrap();
        assert_eq!((f.accepted.publishers, f.held.publishers), (0, 0));
        assert_eq!(f.reference, reference);
        assert_eq!(read(&f, T0 + 10), Err(OracleError::TooFewPublishers.into()));
        // a new publisher completes a quorum with a 10x value, well after the window: held
        f.add_publisher(key(9)).unwrap();
        let later = T0 + 2 * WINDOW;
        submit(&mut f, 0, bps(5_000), later);
        submit(&mut f, 1, bps(5_000), later);
        let outcome = submit(&mut f, 9, bps(5_000), later);
        assert!(matches!(outcome, Aggregation::Held { baseline, .. } if baseline == bps(500)));
        assert_eq!(read(&f, later), Err(OracleError::DeviationTooLarge.into()));
    }

    #[test]
    fn a_single_source_feed_is_read_only_by_a_caller_who_opts_in() {
        let f = at_five_percent(1, 1);
        let strict = ReadOptions::max_age(600);
        assert_eq!(f.read(false, T0, strict), Err(OracleError::SingleSourceFeed.into()));
        assert_eq!(f.read(false, T0, strict.allowing_single_source()).unwrap().value, bps(500));
        let quorum = at_five_percent(MIN_QUORUM, 3);
        assert_eq!(quorum.read(false, T0, strict).unwrap().value, bps(500));
    }

    #[test]
    fn the_quorum_is_at_least_three_unless_the_feed_is_single_source() {
        let base = feed(MIN_QUORUM, 0).params;
        let with =
            |min_publishers, single_source| FeedParams { min_publishers, single_source, ..base };
        for (q, single) in [(3, false), (16, false), (1, true), (2, true)] {
            assert_eq!(with(q, single).validate(), Ok(()), "{q} {single}");
        }
        for (q, single) in [(0, false), (1, false), (2, false), (17, false), (0, true), (3, true)] {
            assert_eq!(
                with(q, single).validate(),
                Err(OracleError::InvalidMinPublishers.into()),
                "{q} {single}"
            );
        }
    }

    #[test]
    fn the_deviation_bound_is_exact_for_every_value() {
        assert!(within_deviation(bps(525), bps(500), 500));
        assert!(!within_deviation(bps(525) + 1, bps(500), 500));
        assert!(within_deviation(bps(475), bps(500), 500));
        assert!(!within_deviation(bps(475) - 1, bps(500), 500));
        assert!(within_deviation(0, 0, 500) && !within_deviation(1, 0, 500));
        // where the cross-multiplication saturates: a 50% move from a huge baseline
        let huge = u128::MAX / 2;
        assert!(!within_deviation(huge / 2, huge, 500));
        assert!(within_deviation(2 * huge, huge, 10_000));
        assert!(!within_deviation(u128::MAX, huge, 10_000));
        assert_eq!(bps_of(u128::MAX, 10_000), u128::MAX);
        assert_eq!(bps_of(10_001, 5_000), 5_000);
    }

    #[test]
    fn confirming_a_held_value_serves_it_and_starts_a_window() {
        let mut f = at_five_percent(MIN_QUORUM, 3);
        for i in 0..3 {
            submit(&mut f, i, bps(600), T0 + 60);
        }
        assert_eq!(f.held.value, bps(600));
        let confirmed = f.confirm_held(T0 + 90).unwrap();
        f.invariant().unwrap();
        assert_eq!((confirmed.value, confirmed.formed_at), (bps(600), T0 + 90));
        let r = f.reference.unwrap();
        assert_eq!((r.value, r.set_at, r.last_accepted), (bps(600), T0 + 90, bps(600)));
        assert_eq!(f.confirm_held(T0 + 91), Err(OracleError::NothingPending.into()));
    }

    #[test]
    fn the_account_size_is_as_specified() {
        assert_eq!(8 + Feed::INIT_SPACE, 8 + 1_420);
    }
}
