//! The documented service limits (API reference §12), on the real clock: the client's real
//! waiting is what is under test. Rejected requests do not count against the window, so a client
//! that waits the given `Retry-After` is served on its next try.

use crate::config::ThrottleMode;
use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The limits enforced in `Realistic` mode; tests may shrink them through the control handle.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ThrottleLimits {
    /// Outlook: requests per window per app + mailbox (10,000 per 10 minutes).
    pub mail_requests: usize,
    pub mail_window_secs: f64,
    /// Outlook: concurrent requests per app + mailbox (4).
    pub mail_concurrency: usize,
    /// Identity and access reports (`auditLogs`): 5 per 10 seconds per app + tenant.
    pub reports_requests: usize,
    pub reports_window_secs: f64,
    /// Identity protection and Conditional Access: 1 per second per tenant, no Retry-After.
    pub ca_requests: usize,
    pub ca_window_secs: f64,
    /// Management Activity API: about 2,000 per minute per tenant.
    pub management_requests: usize,
    pub management_window_secs: f64,
    /// Identity and access: resource units per window per app + tenant, by tenant size
    /// (< 50 users, 50-500, > 500).
    pub directory_units_small: u32,
    pub directory_units_medium: u32,
    pub directory_units_large: u32,
    pub directory_window_secs: f64,
    /// Identity and access writes per window per app + tenant.
    pub write_units: u32,
    pub write_window_secs: f64,
}

impl Default for ThrottleLimits {
    fn default() -> Self {
        ThrottleLimits {
            mail_requests: 10_000,
            mail_window_secs: 600.0,
            mail_concurrency: 4,
            reports_requests: 5,
            reports_window_secs: 10.0,
            ca_requests: 1,
            ca_window_secs: 1.0,
            management_requests: 2_000,
            management_window_secs: 60.0,
            directory_units_small: 3_500,
            directory_units_medium: 5_000,
            directory_units_large: 8_000,
            directory_window_secs: 10.0,
            write_units: 3_000,
            write_window_secs: 150.0,
        }
    }
}

/// Which limit a request falls under.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LimitClass {
    Mail {
        mailbox: String,
    },
    Reports,
    ConditionalAccess,
    Management,
    /// Identity and access (users, apps, devices, ...): a resource-unit budget.
    Directory {
        units: u32,
        write: bool,
        tenant_users: usize,
    },
    Unlimited,
}

/// Why a request was refused.
#[derive(Debug, Clone, PartialEq)]
pub enum Refusal {
    /// Window full; retry after this many seconds (`None` where Microsoft sends no header).
    Rate { retry_after: Option<f64> },
    /// Too many in flight for this mailbox.
    Concurrency,
    /// Resource-unit budget spent; `information` is `x-ms-throttle-information`.
    Units {
        retry_after: f64,
        information: &'static str,
    },
}

pub struct Throttle {
    inner: Mutex<Inner>,
}

struct Inner {
    mode: ThrottleMode,
    limits: ThrottleLimits,
    windows: HashMap<String, VecDeque<Instant>>,
    unit_windows: HashMap<String, VecDeque<(Instant, u32)>>,
    in_flight: HashMap<String, usize>,
}

/// Holds a mailbox concurrency slot until dropped.
pub struct Slot<'a> {
    throttle: &'a Throttle,
    key: Option<String>,
    /// Share of the resource-unit budget in use after this request (directory requests).
    pub usage: f64,
}

impl Drop for Slot<'_> {
    fn drop(&mut self) {
        if let Some(key) = self.key.take() {
            let mut inner = self.throttle.lock();
            if let Some(n) = inner.in_flight.get_mut(&key) {
                *n = n.saturating_sub(1);
            }
        }
    }
}

impl Throttle {
    pub fn new(mode: ThrottleMode) -> Throttle {
        Throttle {
            inner: Mutex::new(Inner {
                mode,
                limits: ThrottleLimits::default(),
                windows: HashMap::new(),
                unit_windows: HashMap::new(),
                in_flight: HashMap::new(),
            }),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn set_mode(&self, mode: ThrottleMode) {
        let mut inner = self.lock();
        inner.mode = mode;
        inner.windows.clear();
    }

    pub fn mode(&self) -> ThrottleMode {
        self.lock().mode
    }

    pub fn set_limits(&self, limits: ThrottleLimits) {
        let mut inner = self.lock();
        inner.limits = limits;
        inner.windows.clear();
    }

    pub fn limits(&self) -> ThrottleLimits {
        self.lock().limits
    }

    /// Admits one request of `class` for (app, tenant) or says why not. On success the returned
    /// slot must be held while the request is being served (mailbox concurrency).
    pub fn admit(
        &self,
        class: &LimitClass,
        app_id: &str,
        tenant_id: &str,
    ) -> Result<Slot<'_>, Refusal> {
        let mut inner = self.lock();
        let none = Slot {
            throttle: self,
            key: None,
            usage: 0.0,
        };
        if inner.mode == ThrottleMode::Off {
            return Ok(none);
        }
        let l = inner.limits;
        let now = Instant::now();
        let (key, max, window, sends_retry_after) = match class {
            LimitClass::Unlimited => return Ok(none),
            LimitClass::Directory {
                units,
                write,
                tenant_users,
            } => {
                let budget = match tenant_users {
                    0..=49 => l.directory_units_small,
                    50..=500 => l.directory_units_medium,
                    _ => l.directory_units_large,
                };
                let key = format!("dir|{app_id}|{tenant_id}");
                let usage = spend(
                    &mut inner.unit_windows,
                    &key,
                    *units,
                    budget,
                    l.directory_window_secs,
                    now,
                )
                .map_err(|wait| Refusal::Units {
                    retry_after: wait,
                    information: "ResourceUnitLimitExceeded",
                })?;
                if *write {
                    let key = format!("write|{app_id}|{tenant_id}");
                    spend(
                        &mut inner.unit_windows,
                        &key,
                        1,
                        l.write_units,
                        l.write_window_secs,
                        now,
                    )
                    .map_err(|wait| Refusal::Units {
                        retry_after: wait,
                        information: "WriteLimitExceeded",
                    })?;
                }
                return Ok(Slot {
                    throttle: self,
                    key: None,
                    usage,
                });
            }
            LimitClass::Mail { mailbox } => (
                format!("mail|{app_id}|{mailbox}"),
                l.mail_requests,
                l.mail_window_secs,
                true,
            ),
            LimitClass::Reports => (
                format!("reports|{app_id}|{tenant_id}"),
                l.reports_requests,
                l.reports_window_secs,
                true,
            ),
            LimitClass::ConditionalAccess => (
                format!("ca|{tenant_id}"),
                l.ca_requests,
                l.ca_window_secs,
                false,
            ),
            LimitClass::Management => (
                format!("mgmt|{tenant_id}"),
                l.management_requests,
                l.management_window_secs,
                true,
            ),
        };
        if let LimitClass::Mail { .. } = class {
            let busy = inner.in_flight.get(&key).copied().unwrap_or(0);
            if busy >= l.mail_concurrency {
                return Err(Refusal::Concurrency);
            }
        }
        let span = Duration::from_secs_f64(window.max(0.001));
        let q = inner.windows.entry(key.clone()).or_default();
        while q.front().is_some_and(|t| now.duration_since(*t) >= span) {
            q.pop_front();
        }
        if q.len() >= max {
            let oldest = q.front().copied().unwrap_or(now);
            let wait = (span.saturating_sub(now.duration_since(oldest)))
                .as_secs_f64()
                .max(0.001);
            return Err(Refusal::Rate {
                retry_after: sends_retry_after.then_some(wait),
            });
        }
        q.push_back(now);
        if let LimitClass::Mail { .. } = class {
            *inner.in_flight.entry(key.clone()).or_insert(0) += 1;
            return Ok(Slot {
                throttle: self,
                key: Some(key),
                usage: 0.0,
            });
        }
        Ok(none)
    }
}

/// Spends `units` from a sliding-window budget; the usage share after spending, or the seconds
/// until enough of the window has drained.
fn spend(
    windows: &mut HashMap<String, VecDeque<(Instant, u32)>>,
    key: &str,
    units: u32,
    budget: u32,
    window_secs: f64,
    now: Instant,
) -> Result<f64, f64> {
    let span = Duration::from_secs_f64(window_secs.max(0.001));
    let q = windows.entry(key.to_string()).or_default();
    while q
        .front()
        .is_some_and(|(t, _)| now.duration_since(*t) >= span)
    {
        q.pop_front();
    }
    let used: u32 = q.iter().map(|(_, u)| u).sum();
    if used + units > budget {
        // Wait until the oldest entries that must leave have left.
        let mut freed = 0;
        let mut until = now;
        for (t, u) in q.iter() {
            freed += u;
            until = *t + span;
            if used - freed + units <= budget {
                break;
            }
        }
        return Err(until
            .saturating_duration_since(now)
            .as_secs_f64()
            .max(0.001));
    }
    q.push_back((now, units));
    Ok(f64::from(used + units) / f64::from(budget.max(1)))
}

/// `Retry-After` as Microsoft writes it: seconds with up to three decimals ("2.128").
pub fn format_retry_after(secs: f64) -> String {
    format!("{:.3}", secs.max(0.001))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_window_admits_five_then_refuses_with_retry_after() {
        let t = Throttle::new(ThrottleMode::Realistic);
        for _ in 0..5 {
            assert!(t.admit(&LimitClass::Reports, "app", "t1").is_ok());
        }
        match t.admit(&LimitClass::Reports, "app", "t1") {
            Err(Refusal::Rate {
                retry_after: Some(s),
            }) => assert!(s > 0.0 && s <= 10.0),
            other => panic!("expected a rate refusal, got {:?}", other.map(|_| ())),
        }
        // Another tenant has its own window.
        assert!(t.admit(&LimitClass::Reports, "app", "t2").is_ok());
        t.set_mode(ThrottleMode::Off);
        assert!(t.admit(&LimitClass::Reports, "app", "t1").is_ok());
    }

    #[test]
    fn mailbox_concurrency_is_released_on_drop() {
        let t = Throttle::new(ThrottleMode::Realistic);
        let class = LimitClass::Mail {
            mailbox: "u1".into(),
        };
        let slots: Vec<_> = (0..4).map(|_| t.admit(&class, "app", "t").ok()).collect();
        assert!(slots.iter().all(Option::is_some));
        assert!(matches!(
            t.admit(&class, "app", "t").map(|_| ()),
            Err(Refusal::Concurrency)
        ));
        drop(slots);
        assert!(t.admit(&class, "app", "t").is_ok());
    }

    #[test]
    fn directory_budget_depends_on_tenant_size_and_reports_usage() {
        let t = Throttle::new(ThrottleMode::Realistic);
        t.set_limits(ThrottleLimits {
            directory_units_small: 10,
            directory_units_medium: 20,
            ..ThrottleLimits::default()
        });
        let small = LimitClass::Directory {
            units: 2,
            write: false,
            tenant_users: 25,
        };
        let usages: Vec<f64> = (0..5)
            .map(|_| t.admit(&small, "a", "s").map(|s| s.usage).unwrap_or(-1.0))
            .collect();
        assert_eq!(usages, vec![0.2, 0.4, 0.6, 0.8, 1.0]);
        assert!(matches!(
            t.admit(&small, "a", "s").map(|_| ()),
            Err(Refusal::Units {
                information: "ResourceUnitLimitExceeded",
                ..
            })
        ));
        let medium = LimitClass::Directory {
            units: 2,
            write: false,
            tenant_users: 60,
        };
        assert!((0..10).all(|_| t.admit(&medium, "a", "m").is_ok()));
        assert!(t.admit(&medium, "a", "m").is_err());
    }

    #[test]
    fn conditional_access_refusal_has_no_retry_after() {
        let t = Throttle::new(ThrottleMode::Realistic);
        assert!(t.admit(&LimitClass::ConditionalAccess, "a", "t").is_ok());
        let r = t
            .admit(&LimitClass::ConditionalAccess, "a", "t")
            .map(|_| ());
        assert!(matches!(r, Err(Refusal::Rate { retry_after: None })));
    }
}
