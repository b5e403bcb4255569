//! Time formatting in Microsoft's style, via the snapshot crate so the text round-trips.

use chrono::{DateTime, Utc};

/// `2026-05-01T08:15:30.1234567Z` (or without fraction when it is zero).
pub(crate) fn ms(time: DateTime<Utc>) -> String {
    parapet_snapshot::time::format(time)
}

/// Whole seconds, as the Management Activity API writes `CreationTime` and Exchange writes
/// `WhenCreated`.
pub(crate) fn whole_seconds(time: DateTime<Utc>) -> DateTime<Utc> {
    DateTime::from_timestamp(time.timestamp(), 0).unwrap_or(time)
}
