//! What is normal for one user, learned only from that user's history before the event being
//! judged, and only from sign-ins judged benign (so an attacker's network never becomes "usual").

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Duration, Utc};

use crate::evidence::SignInEvent;

/// History a user needs before novelty ("new country", "new network") means anything. Monitoring
/// should not trust a tenant's novelty alerts before this much history exists either.
pub const WARMUP_DAYS: i64 = 3;

pub fn warmup() -> Duration {
    Duration::days(WARMUP_DAYS)
}

/// Successful sign-ins, spread over at least [`HOURS_MIN_DAYS`] days, before a user's usual
/// hours mean anything: a few weeks of routine, not a first impression.
pub const HOURS_MIN_SUCCESSES: u32 = 20;
pub const HOURS_MIN_DAYS: i64 = 7;
/// An hour of the day (UTC) is usual when the user has signed in successfully within this many
/// hours of it before: only sign-ins far from every usual hour are off-hours.
pub const HOURS_SLACK: usize = 2;

#[derive(Debug, Clone, Default)]
pub struct UserBaseline {
    first_seen: Option<DateTime<Utc>>,
    asns: BTreeMap<u32, u32>,
    countries: BTreeSet<String>,
    devices: BTreeSet<String>,
    protocols: BTreeSet<String>,
    scripted_agents: BTreeSet<&'static str>,
    successes: u32,
    first_success: Option<DateTime<Utc>>,
    last_success: Option<DateTime<Utc>>,
    /// Successful sign-ins per UTC hour of the day.
    hours: [u32; 24],
    with_device: u32,
    interactive_mfa: u32,
    interactive: u32,
}

impl UserBaseline {
    /// Notes that the user was seen at all (any sign-in), which starts the warm-up clock.
    pub fn observe(&mut self, time: DateTime<Utc>) {
        if self.first_seen.is_none_or_before(time) {
            self.first_seen = Some(time);
        }
    }

    /// Whether enough history exists at `at` for novelty to count.
    pub fn is_warm(&self, at: DateTime<Utc>) -> bool {
        self.first_seen.is_some_and(|f| at - f >= warmup()) && self.successes > 0
    }

    pub fn learn(&mut self, s: &SignInEvent) {
        self.observe(s.time);
        self.successes += 1;
        self.first_success = Some(self.first_success.map_or(s.time, |f| f.min(s.time)));
        self.last_success = Some(self.last_success.map_or(s.time, |l| l.max(s.time)));
        if let Some(count) = self.hours.get_mut(hour_of_day(s.time)) {
            *count += 1;
        }
        if let Some(asn) = s.network.asn {
            *self.asns.entry(asn).or_default() += 1;
        }
        if let Some(c) = &s.network.country {
            self.countries.insert(c.clone());
        }
        if let Some(d) = &s.device_id {
            self.devices.insert(d.clone());
            self.with_device += 1;
        }
        if !s.protocol.is_empty() && s.protocol != "none" {
            self.protocols.insert(s.protocol.to_ascii_lowercase());
        }
        if let Some(agent) = crate::knowledge::scripted_agent(&s.user_agent) {
            self.scripted_agents.insert(agent);
        }
        if s.interactive {
            self.interactive += 1;
            if !s.single_factor {
                self.interactive_mfa += 1;
            }
        }
    }

    pub fn knows_asn(&self, asn: Option<u32>) -> bool {
        asn.is_some_and(|a| self.asns.contains_key(&a))
    }

    pub fn knows_country(&self, country: Option<&str>) -> bool {
        country.is_some_and(|c| self.countries.contains(c))
    }

    pub fn knows_device(&self, device: Option<&str>) -> bool {
        device.is_some_and(|d| self.devices.contains(d))
    }

    /// Most of the user's sign-ins carry a device id, so one without is out of character.
    pub fn usually_has_device(&self) -> bool {
        self.successes >= 3 && self.with_device * 2 > self.successes
    }

    pub fn knows_protocol(&self, protocol: &str) -> bool {
        self.protocols.contains(&protocol.to_ascii_lowercase())
    }

    pub fn knows_scripted_agent(&self, agent: &str) -> bool {
        self.scripted_agents.contains(agent)
    }

    /// Interactive sign-ins of this user normally satisfy MFA.
    pub fn usually_mfa(&self) -> bool {
        self.interactive >= 3 && self.interactive_mfa * 10 >= self.interactive * 8
    }

    /// The user has enough history for usual hours to count, and none of their successful
    /// sign-ins fell within [`HOURS_SLACK`] hours of `at`'s hour of the day (UTC).
    pub fn is_off_hours(&self, at: DateTime<Utc>) -> bool {
        let spread = match (self.first_success, self.last_success) {
            (Some(f), Some(l)) => l - f,
            _ => return false,
        };
        if self.successes < HOURS_MIN_SUCCESSES || spread < Duration::days(HOURS_MIN_DAYS) {
            return false;
        }
        let hour = hour_of_day(at);
        (0..=2 * HOURS_SLACK)
            .map(|k| (hour + 24 + k - HOURS_SLACK) % 24)
            .all(|h| self.hours.get(h).is_none_or(|c| *c == 0))
    }

    pub fn successes(&self) -> u32 {
        self.successes
    }
}

fn hour_of_day(t: DateTime<Utc>) -> usize {
    usize::try_from(chrono::Timelike::hour(&t)).unwrap_or(0)
}

trait BeforeOrNone {
    fn is_none_or_before(&self, t: DateTime<Utc>) -> bool;
}

impl BeforeOrNone for Option<DateTime<Utc>> {
    fn is_none_or_before(&self, t: DateTime<Utc>) -> bool {
        match self {
            None => true,
            Some(f) => t < *f,
        }
    }
}
