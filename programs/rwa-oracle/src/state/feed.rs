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
    /// Largest move from the last accepted value within `deviation_window_secs` of its
    /// acceptance; a larger one is held for the admin (or until the window has passed).
    pub max_deviation_bps: u16,
    pub deviation_window_secs: u32,
    /// Oldest observation counted; 0 = the config's default.
    pub max_staleness_secs: u32,
    /// Fresh distinct publishers needed for a value; 0 = the config's default.
    pub min_publishers: u8,
    /// Widest confidence interval accepted, relative to the value.
    pub max_confidence_bps: u16,
    /// Pyth feed id a `MarketPrice` feed may be read from (all zero: none).
    pub pyth_feed_id: [u8; 32],
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
        validate_freshness(self.max_staleness_secs, self.min_publishers)
    }
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
    /// Median of the observations' values (Fixed raw).
    pub value: u128,
    /// Widest of their confidence intervals (Fixed raw).
    pub confidence: u128,
    /// Oldest of their publish times: the value is as fresh as this.
    pub publish_ts: i64,
    /// Clock time the aggregate was formed (accepted or held).
    pub formed_at: i64,
    /// Observations it was formed from; 0 = no aggregate.
    pub publishers: u8,
}

/// What a read returns: a value and its confidence interval, both Fixed raw. Consumers bias it
/// against the user: `value - confidence` for assets, `value + confidence` for liabilities.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub struct FeedValue {
    pub value: u128,
    pub confidence: u128,
    pub publish_ts: i64,
}

/// Result of taking one observation into a feed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Aggregation {
    /// Stored; fewer fresh publishers than the quorum, nothing formed.
    NoQuorum,
    /// A new accepted value.
    Accepted(Aggregate),
    /// A value beyond the deviation bound, held until confirmed or the window passes.
    Held(Aggregate),
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
    /// The value readers get.
    pub accepted: Aggregate,
    /// A value held by the deviation bound (`publishers == 0`: none).
    pub held: Aggregate,
    /// The value deviation is measured from, and when it was set: moves are bounded by
    /// `max_deviation_bps` from it until `deviation_window_secs` have passed, so small steps
    /// cannot add up to a large move within one window.
    pub reference_value: u128,
    pub reference_at: i64,
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

    pub fn remove_publisher(&mut self, publisher: &Pubkey) -> Result<()> {
        let slot = self.slot_of(publisher).ok_or(OracleError::PublisherNotFound)?;
        self.observations[slot] = Observation::default();
        Ok(())
    }

    /// Median of the observations at most `max_age` old at `now`, if a quorum is fresh.
    pub fn fresh_aggregate(&self, now: i64, max_age: u32) -> Option<Aggregate> {
        let mut values = [0u128; MAX_PUBLISHERS as usize];
        let mut n = 0usize;
        let (mut confidence, mut oldest) = (0u128, i64::MAX);
        for o in self.observations.iter() {
            let fresh = o.publish_ts > 0 && now.saturating_sub(o.publish_ts) <= max_age as i64;
            if o.publisher != Pubkey::default() && fresh {
                values[n] = o.value;
                n += 1;
                confidence = confidence.max(o.confidence);
                oldest = oldest.min(o.publish_ts);
            }
        }
        if n < self.params.min_publishers as usize {
            return None;
        }
        let sorted = &mut values[..n];
        sorted.sort_unstable();
        let value = if n % 2 == 1 {
            sorted[n / 2]
        } else {
            // lower middle plus half the gap, rounded down: no overflow near u128::MAX
            let (lo, hi) = (sorted[n / 2 - 1], sorted[n / 2]);
            lo + (hi - lo) / 2
        };
        Some(Aggregate {
            value,
            confidence,
            publish_ts: oldest,
            formed_at: now,
            publishers: n as u8,
        })
    }

    /// True if `candidate` may replace the accepted value without confirmation at `now`;
    /// starts a new window (and reference) when the last one has passed.
    fn take_within_deviation(&mut self, candidate: u128, now: i64) -> bool {
        let window = self.params.deviation_window_secs as i64;
        if self.accepted.publishers == 0 || now.saturating_sub(self.reference_at) >= window {
            self.reference_value = candidate;
            self.reference_at = now;
            return true;
        }
        let diff = candidate.abs_diff(self.reference_value);
        // diff / reference <= bps / 10_000, cross-multiplied; saturating keeps huge values safe
        diff.saturating_mul(BPS)
            <= self.reference_value.saturating_mul(self.params.max_deviation_bps as u128)
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
            now - obs.publish_ts <= self.params.max_staleness_secs as i64,
            OracleError::StaleObservation
        );
        require!(
            (self.params.min_value..=self.params.max_value).contains(&obs.value),
            OracleError::ValueOutOfBounds
        );
        require!(
            obs.confidence.saturating_mul(BPS)
                <= obs.value.saturating_mul(self.params.max_confidence_bps as u128),
            OracleError::ConfidenceTooWide
        );
        self.observations[slot] = Observation { publisher: *publisher, ..obs };

        let Some(candidate) = self.fresh_aggregate(now, self.params.max_staleness_secs) else {
            return Ok(Aggregation::NoQuorum);
        };
        if self.take_within_deviation(candidate.value, now) {
            self.accepted = candidate;
            self.held = Aggregate::default();
            Ok(Aggregation::Accepted(candidate))
        } else {
            self.held = candidate;
            Ok(Aggregation::Held(candidate))
        }
    }

    /// Admin confirmation of the held value.
    pub fn confirm_held(&mut self, now: i64) -> Result<Aggregate> {
        require!(self.held.publishers > 0, OracleError::NothingPending);
        let confirmed = Aggregate { formed_at: now, ..self.held };
        self.accepted = confirmed;
        self.held = Aggregate::default();
        self.reference_value = confirmed.value;
        self.reference_at = now;
        Ok(confirmed)
    }

    /// The one read every consumer uses: the accepted value, if the oracle and the feed are
    /// live, no jump is held, a quorum of publishers is still fresh, and the value is at most
    /// `max_age` old (bounded by the feed's own staleness bound).
    pub fn read(&self, oracle_paused: bool, now: i64, max_age: u32) -> Result<FeedValue> {
        require!(!oracle_paused && !self.paused, OracleError::FeedPaused);
        require!(self.held.publishers == 0, OracleError::DeviationTooLarge);
        let max_age = max_age.min(self.params.max_staleness_secs);
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
        let a = &self.accepted;
        require!(
            a.publishers == 0 || (self.params.min_value..=self.params.max_value).contains(&a.value),
            OracleError::ValueOutOfBounds
        );
        Ok(())
    }
}
