//! Password spray and brute force: the infrastructure that fails against many accounts, and the
//! per-user tally of attempts from attacker infrastructure (the Failed Attacks view).

use std::collections::BTreeMap;
use std::net::IpAddr;

use chrono::{DateTime, Duration, Utc};

use crate::baseline::UserBaseline;
use crate::evidence::{SignInEvent, SignInOutcome};

pub use super::spray_source::{spray_sources, SPRAY_MIN_USERS_PER_ASN, SPRAY_MIN_USERS_PER_IP};

/// How long after a spray its infrastructure still taints a success (and how long before: the
/// log is sampled, the first failures may be missing).
pub const SPRAY_TAINT_AFTER_DAYS: i64 = 7;
pub const SPRAY_TAINT_BEFORE_DAYS: i64 = 1;

/// Spraying addresses and networks, each with the period it was seen spraying. A spray in
/// November says nothing about a May sign-in from a shared VPN exit.
#[derive(Debug, Clone, Default)]
pub struct SpraySources {
    pub ips: BTreeMap<IpAddr, SprayPeriod>,
    pub asns: BTreeMap<u32, SprayPeriod>,
}

/// When a place sprayed, and the most accounts it guessed at within one spray window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SprayPeriod {
    pub first: DateTime<Utc>,
    pub last: DateTime<Utc>,
    pub accounts: usize,
}

impl SpraySources {
    fn active(period: Option<&SprayPeriod>, at: DateTime<Utc>) -> bool {
        period.is_some_and(|p| {
            at >= p.first - Duration::days(SPRAY_TAINT_BEFORE_DAYS)
                && at <= p.last + Duration::days(SPRAY_TAINT_AFTER_DAYS)
        })
    }

    /// The address was spraying around `at`.
    pub fn ip_active(&self, ip: Option<IpAddr>, at: DateTime<Utc>) -> bool {
        ip.is_some_and(|ip| Self::active(self.ips.get(&ip), at))
    }

    /// The most accounts the address (else its network) guessed at within one spray window.
    pub fn accounts_at(&self, ip: Option<IpAddr>, asn: Option<u32>) -> usize {
        ip.and_then(|ip| self.ips.get(&ip))
            .or_else(|| asn.and_then(|a| self.asns.get(&a)))
            .map_or(0, |p| p.accounts)
    }

    /// The network was spraying around `at`.
    pub fn asn_active(&self, asn: Option<u32>, at: DateTime<Utc>) -> bool {
        asn.is_some_and(|a| Self::active(self.asns.get(&a), at))
    }
}

pub fn is_failed_attempt(s: &SignInEvent) -> bool {
    matches!(
        s.outcome,
        SignInOutcome::PasswordWrong | SignInOutcome::Locked | SignInOutcome::MfaDenied
    )
}

/// Whether a sign-in attempt came from infrastructure that is attacking the tenant, judged
/// against this user's own habits (a daily VPN user's VPN is not attacker infrastructure for
/// them).
pub fn from_attacker_infrastructure(
    s: &SignInEvent,
    sources: &SpraySources,
    baseline: &UserBaseline,
) -> bool {
    let known = baseline.knows_asn(s.network.asn);
    if sources.ip_active(s.ip, s.time) && !known {
        return true;
    }
    if known {
        return false;
    }
    sources.asn_active(s.network.asn, s.time)
        || s.network.class().is_anonymising()
        || crate::knowledge::scripted_agent(&s.user_agent).is_some()
}

/// Failed attempts per user from attacker infrastructure, with the record ids.
pub fn failed_attacks<'a>(
    sign_ins: &'a [SignInEvent],
    sources: &SpraySources,
    baselines: &BTreeMap<String, UserBaseline>,
) -> BTreeMap<String, Vec<&'a SignInEvent>> {
    let empty = UserBaseline::default();
    let mut out: BTreeMap<String, Vec<&SignInEvent>> = BTreeMap::new();
    for s in sign_ins {
        let attempt = is_failed_attempt(s) || s.outcome == SignInOutcome::PasswordValid;
        if !attempt {
            continue;
        }
        let baseline = baselines.get(&s.user_id).unwrap_or(&empty);
        if from_attacker_infrastructure(s, sources, baseline) {
            out.entry(s.user_id.clone()).or_default().push(s);
        }
    }
    out
}
