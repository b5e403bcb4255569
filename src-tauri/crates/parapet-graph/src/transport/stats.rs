use std::sync::atomic::{AtomicU64, Ordering};

/// Counters of what the transport did, for benchmarks, logs and tests of resilience.
#[derive(Debug, Default)]
pub struct TransportStats {
    attempts: AtomicU64,
    throttled: AtomicU64,
    unavailable: AtomicU64,
    connection_failures: AtomicU64,
    batch_items_retried: AtomicU64,
}

/// A copy of the counters at one moment.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StatsSnapshot {
    /// HTTP requests sent, including retries and token requests.
    pub attempts: u64,
    /// 429 answers (outer).
    pub throttled: u64,
    /// 503/504 answers.
    pub unavailable: u64,
    /// Connections that failed, were cut or timed out.
    pub connection_failures: u64,
    /// `$batch` items sent again after an inner 429/503/504.
    pub batch_items_retried: u64,
}

impl TransportStats {
    pub(crate) fn attempt(&self) {
        self.attempts.fetch_add(1, Ordering::Relaxed);
    }
    pub(crate) fn status(&self, status: u16) {
        match status {
            429 => self.throttled.fetch_add(1, Ordering::Relaxed),
            503 | 504 => self.unavailable.fetch_add(1, Ordering::Relaxed),
            _ => 0,
        };
    }
    pub(crate) fn connection_failure(&self) {
        self.connection_failures.fetch_add(1, Ordering::Relaxed);
    }
    pub(crate) fn batch_retry(&self, items: usize) {
        self.batch_items_retried
            .fetch_add(items as u64, Ordering::Relaxed);
    }

    pub fn snapshot(&self) -> StatsSnapshot {
        StatsSnapshot {
            attempts: self.attempts.load(Ordering::Relaxed),
            throttled: self.throttled.load(Ordering::Relaxed),
            unavailable: self.unavailable.load(Ordering::Relaxed),
            connection_failures: self.connection_failures.load(Ordering::Relaxed),
            batch_items_retried: self.batch_items_retried.load(Ordering::Relaxed),
        }
    }
}
