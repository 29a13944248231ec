//! Events of every state change and every observation taken.
use anchor_lang::prelude::*;

use crate::state::{Aggregation, FeedKind, WriteDownStepRaw};

#[event]
pub struct PauseChanged {
    /// `None`: the whole oracle; `Some(feed)`: one feed.
    pub feed: Option<Pubkey>,
    pub paused: bool,
    pub by: Pubkey,
}

#[event]
pub struct FeedCreated {
    pub feed: Pubkey,
    pub feed_id: [u8; 32],
    pub kind: FeedKind,
    pub min_publishers: u8,
    pub single_source: bool,
}

#[event]
pub struct PublisherChanged {
    pub feed: Pubkey,
    pub publisher: Pubkey,
    pub added: bool,
}

/// An observation passed every check and was stored.
#[event]
pub struct ObservationAccepted {
    pub feed: Pubkey,
    pub publisher: Pubkey,
    pub value: u128,
    pub confidence: u128,
    pub publish_ts: i64,
}

/// A quorum formed a new accepted value.
#[event]
pub struct FeedUpdated {
    pub feed: Pubkey,
    pub value: u128,
    pub confidence: u128,
    pub publish_ts: i64,
    pub publishers: u8,
}

/// A quorum's value moved beyond the deviation bound from `baseline` (the window's reference,
/// or the last accepted value once the window has passed) and is held; reads fail until the
/// admin confirms it or a value within the bound is formed.
#[event]
pub struct DeviationHeld {
    pub feed: Pubkey,
    pub baseline: u128,
    pub held: u128,
}

/// A publisher's removal left fewer fresh publishers than the quorum: the feed serves and holds
/// nothing (reads fail `TooFewPublishers`) until a quorum forms again, still bounded by the kept
/// deviation reference.
#[event]
pub struct FeedWithdrawn {
    pub feed: Pubkey,
}

#[event]
pub struct HeldValueConfirmed {
    pub feed: Pubkey,
    pub value: u128,
    pub admin: Pubkey,
}

#[event]
pub struct GradeSet {
    pub grade: u8,
    pub label: [u8; 8],
    pub spread_feed: Pubkey,
    pub pd_feed: Pubkey,
    pub lgd_feed: Pubkey,
    pub write_down: Vec<WriteDownStepRaw>,
}

/// Emits what re-forming `feed`'s value did (nothing when no quorum formed).
pub fn emit_aggregation(feed: Pubkey, outcome: Aggregation) {
    match outcome {
        Aggregation::NoQuorum => {}
        Aggregation::Withdrawn => emit!(FeedWithdrawn { feed }),
        Aggregation::Accepted(a) => emit!(FeedUpdated {
            feed,
            value: a.value,
            confidence: a.confidence,
            publish_ts: a.publish_ts,
            publishers: a.publishers,
        }),
        Aggregation::Held { held, baseline } => {
            emit!(DeviationHeld { feed, baseline, held: held.value })
        }
    }
}
