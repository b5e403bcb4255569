//! What the caller passes in and gets back: options, progress ticks and the summary.

use chrono::{DateTime, Duration, Utc};
use parapet_store::EntraLicence;

/// How far back and how wide to collect.
#[derive(Debug, Clone)]
pub struct CollectOptions {
    /// The end of every window; the scan's "now".
    pub now: DateTime<Utc>,
    /// How far back logs are collected on a first run (Purview keeps 180 days).
    pub lookback_days: u32,
    /// How far back messages are read for phishing evidence on a first run.
    pub message_days: u32,
    /// Re-read this much before each watermark, because Microsoft delivers some log records
    /// late; the re-read records are deduplicated by id.
    pub overlap: Duration,
    /// Decides whether the sign-in log API exists for this tenant.
    pub licence: EntraLicence,
    /// Concurrent per-user (and per-mailbox) requests.
    pub concurrency: usize,
    /// How often a Purview audit log query is polled, and how long it may take.
    pub audit_query_poll: std::time::Duration,
    pub audit_query_timeout: std::time::Duration,
    /// Whether to read the Management Activity API for the recent week (needs the
    /// `ActivityFeed.Read` permission and a started subscription).
    pub management_activity: bool,
}

impl CollectOptions {
    /// Defaults: 180 days of logs, 30 days of messages, 6 hours of overlap, 8 concurrent users.
    pub fn new(now: DateTime<Utc>, licence: EntraLicence) -> Self {
        CollectOptions {
            now,
            lookback_days: 180,
            message_days: 30,
            overlap: Duration::hours(6),
            licence,
            concurrency: 8,
            audit_query_poll: std::time::Duration::from_secs(15),
            audit_query_timeout: std::time::Duration::from_secs(30 * 60),
            management_activity: true,
        }
    }
}

/// One progress tick, for a progress bar: `step` of `steps` phases, records stored so far.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Progress {
    /// What is being fetched, e.g. `Sign-ins` (plain text for the UI).
    pub phase: &'static str,
    /// 1-based number of the current phase.
    pub step: usize,
    pub steps: usize,
    /// Within a per-user phase: users done and users in all (0/0 otherwise).
    pub items_done: usize,
    pub items_total: usize,
    /// Records fetched so far in this collection, all sources together.
    pub records: u64,
}

/// Whether a source contributed to the evidence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SourceStatus {
    Used,
    /// Not available in this tenant; the reason says what stands in for it.
    Unavailable(String),
}

/// One source's outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceSummary {
    /// e.g. `signIns`, `auditLogQuery`, `managementActivity`, `messageRules`.
    pub source: &'static str,
    pub status: SourceStatus,
    /// Records received (distinct ids), including the overlap re-read.
    pub fetched: usize,
    /// Records not stored before (log sources); for current state, the records now stored.
    pub new: usize,
    /// The window read, for log sources.
    pub window: Option<(DateTime<Utc>, DateTime<Utc>)>,
}

/// A per-user (or per-mailbox, per-app) read that Microsoft refused or did not find.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemFailure {
    pub source: &'static str,
    /// User object id, mailbox identity or service principal id.
    pub item: String,
    pub message: String,
}

/// What one collection did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CollectSummary {
    pub sources: Vec<SourceSummary>,
    pub failures: Vec<ItemFailure>,
    /// Records received that lacked an id or time and were not stored.
    pub malformed: usize,
    /// Plain-text notes for the Scan page, e.g. where sign-in evidence came from.
    pub notes: Vec<String>,
}

impl CollectSummary {
    /// The outcome of `source`, if it ran.
    pub fn source(&self, source: &str) -> Option<&SourceSummary> {
        self.sources.iter().find(|s| s.source == source)
    }

    /// Whether sign-in evidence came from the audit log's `UserLoggedIn`/`UserLoginFailed`
    /// records because the sign-in log API was unavailable.
    pub fn sign_ins_from_audit_log(&self) -> bool {
        self.source("signIns")
            .is_some_and(|s| matches!(s.status, SourceStatus::Unavailable(_)))
    }

    /// Records received from every source.
    pub fn fetched(&self) -> usize {
        self.sources.iter().map(|s| s.fetched).sum()
    }
}
