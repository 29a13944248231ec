//! PDA seeds of every rwa-oracle account, in one place.

/// `[CONFIG]`: the singleton oracle config.
pub const CONFIG: &[u8] = b"config";
/// `[FEED, feed_id (32 bytes)]`: one feed and its publishers' observations.
pub const FEED: &[u8] = b"feed";
/// `[GRADE, grade (1 byte)]`: a risk grade's feeds and write-down schedule.
pub const GRADE: &[u8] = b"grade";
