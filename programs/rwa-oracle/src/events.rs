//! Events of every state change and every observation taken.
use anchor_lang::prelude::*;

use crate::state::{FeedKind, WriteDownStepRaw};

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

/// A quorum's value moved beyond the deviation bound and is held; reads fail until the admin
/// confirms it or a later quorum forms after the window.
#[event]
pub struct DeviationHeld {
    pub feed: Pubkey,
    pub reference: u128,
    pub held: u128,
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
