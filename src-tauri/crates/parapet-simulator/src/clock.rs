//! The simulated clock: data time (log retention, token expiry, content arrival) runs on it,
//! while throttle windows use the real clock because the client's real waiting is under test.

use chrono::{DateTime, Duration, Utc};
use std::time::Instant;

/// Starts at a fixed instant, then moves with the wall clock plus any manual advances.
#[derive(Debug, Clone)]
pub struct SimClock {
    start: DateTime<Utc>,
    wall_start: Instant,
    advanced: Duration,
}

impl SimClock {
    pub fn new(start: DateTime<Utc>) -> SimClock {
        SimClock {
            start,
            wall_start: Instant::now(),
            advanced: Duration::zero(),
        }
    }

    pub fn now(&self) -> DateTime<Utc> {
        let wall =
            Duration::from_std(self.wall_start.elapsed()).unwrap_or_else(|_| Duration::zero());
        self.start + wall + self.advanced
    }

    pub fn advance(&mut self, by: Duration) {
        self.advanced += by;
    }
}

/// Graph's timestamp style for error `innerError.date` (no fractional seconds, no zone).
pub fn graph_error_date(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S").to_string()
}

/// Entra's `timestamp` style: `2016-01-09 02:02:12Z`.
pub fn entra_timestamp(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%d %H:%M:%SZ").to_string()
}

/// ISO 8601 with seven fractional digits, as Graph writes `createdDateTime`.
pub fn graph_time(t: DateTime<Utc>) -> String {
    // chrono has no 7-digit fraction specifier; Graph writes 100 ns ticks.
    let ticks = t.timestamp_subsec_nanos() / 100;
    format!("{}.{ticks:07}Z", t.format("%Y-%m-%dT%H:%M:%S"))
}

/// Parses the timestamps found in snapshots and OData literals.
pub fn parse_time(s: &str) -> Option<DateTime<Utc>> {
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.with_timezone(&Utc));
    }
    // Date-only and zone-less forms appear in filters and Management API windows.
    if let Ok(d) = chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return d.and_hms_opt(0, 0, 0).map(|n| n.and_utc());
    }
    for fmt in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M",
    ] {
        if let Ok(n) = chrono::NaiveDateTime::parse_from_str(s, fmt) {
            return Some(n.and_utc());
        }
    }
    None
}
