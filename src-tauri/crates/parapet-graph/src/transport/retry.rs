//! When and how long to wait before trying a request again.

use std::time::Duration;

use rand::Rng;
use reqwest::header::HeaderMap;

/// Retry budget and backoff shape. The budget bounds both the attempts per request and the
/// total time spent waiting, so a tenant that throttles forever yields a clear error.
#[derive(Debug, Clone)]
pub struct RetryPolicy {
    /// Attempts per request, including the first.
    pub max_attempts: u32,
    /// First backoff step when Microsoft gives no `Retry-After`.
    pub base_delay: Duration,
    pub max_delay: Duration,
    /// Total waiting allowed for one request across all its retries.
    pub max_total_wait: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 10,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(60),
            max_total_wait: Duration::from_secs(600),
        }
    }
}

impl RetryPolicy {
    /// Exponential backoff with "equal jitter": between half and all of `base * 2^(n-1)`.
    /// `retry` counts from 1.
    pub fn backoff(&self, retry: u32) -> Duration {
        let exp = 2u32.saturating_pow(retry.saturating_sub(1).min(20));
        let ceiling = self.base_delay.saturating_mul(exp).min(self.max_delay);
        let low = ceiling / 2;
        let spread = ceiling.saturating_sub(low).as_micros() as u64;
        low + Duration::from_micros(rand::thread_rng().gen_range(0..=spread))
    }
}

/// `Retry-After` as seconds (fractional allowed, e.g. `2.128`) or an HTTP date.
pub fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let raw = headers.get(reqwest::header::RETRY_AFTER)?.to_str().ok()?;
    parse_retry_after(raw)
}

pub fn parse_retry_after(raw: &str) -> Option<Duration> {
    let raw = raw.trim();
    if let Ok(seconds) = raw.parse::<f64>() {
        if seconds.is_finite() && seconds >= 0.0 {
            return Some(Duration::from_secs_f64(seconds.min(86_400.0)));
        }
        return None;
    }
    let when = chrono::DateTime::parse_from_rfc2822(raw).ok()?;
    let wait = when.with_timezone(&chrono::Utc) - chrono::Utc::now();
    Some(wait.to_std().unwrap_or(Duration::ZERO))
}

/// Statuses worth retrying: throttling and transient unavailability.
pub fn is_retryable_status(status: u16) -> bool {
    matches!(status, 429 | 503 | 504)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_forms() {
        let cases = [
            ("2.128", Some(2128)),
            ("3", Some(3000)),
            (" 0.5 ", Some(500)),
            ("-1", None),
            ("soon", None),
            ("NaN", None),
        ];
        for (raw, want) in cases {
            assert_eq!(
                parse_retry_after(raw).map(|d| d.as_millis() as u64),
                want,
                "{raw}"
            );
        }
        let past = parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT").unwrap();
        assert_eq!(past, Duration::ZERO);
    }

    #[test]
    fn backoff_grows_with_jitter_and_caps() {
        let p = RetryPolicy {
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_secs(1),
            ..RetryPolicy::default()
        };
        for retry in 1..=8u32 {
            let ceiling =
                (Duration::from_millis(100) * 2u32.pow(retry - 1)).min(Duration::from_secs(1));
            for _ in 0..50 {
                let d = p.backoff(retry);
                assert!(d >= ceiling / 2 && d <= ceiling, "{retry}: {d:?}");
            }
        }
        let samples: std::collections::HashSet<_> = (0..20).map(|_| p.backoff(3)).collect();
        assert!(samples.len() > 1, "jitter");
    }
}
