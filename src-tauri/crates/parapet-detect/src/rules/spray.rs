//! Password spray and brute force: the infrastructure that fails against many accounts, and the
//! per-user tally of attempts from attacker infrastructure (the Failed Attacks view).

use std::collections::{BTreeMap, BTreeSet};
use std::net::IpAddr;

use chrono::{DateTime, Duration, Utc};

use crate::baseline::UserBaseline;
use crate::evidence::{SignInEvent, SignInOutcome};

/// Distinct accounts one address must fail against to count as a spray source.
pub const SPRAY_MIN_USERS_PER_IP: usize = 3;
/// Distinct accounts one anonymising network (ASN) must fail against to count as a spray source.
pub const SPRAY_MIN_USERS_PER_ASN: usize = 5;

/// How long after a spray its infrastructure still taints a success (and how long before: the
/// log is sampled, the first failures may be missing).
pub const SPRAY_TAINT_AFTER_DAYS: i64 = 7;
pub const SPRAY_TAINT_BEFORE_DAYS: i64 = 1;

/// Spraying addresses and networks, each with the period it was seen failing. A spray in
/// November says nothing about a May sign-in from a shared VPN exit.
#[derive(Debug, Clone, Default)]
pub struct SpraySources {
    pub ips: BTreeMap<IpAddr, (DateTime<Utc>, DateTime<Utc>)>,
    pub asns: BTreeMap<u32, (DateTime<Utc>, DateTime<Utc>)>,
}

impl SpraySources {
    fn active(period: Option<&(DateTime<Utc>, DateTime<Utc>)>, at: DateTime<Utc>) -> bool {
        period.is_some_and(|(first, last)| {
            at >= *first - Duration::days(SPRAY_TAINT_BEFORE_DAYS)
                && at <= *last + Duration::days(SPRAY_TAINT_AFTER_DAYS)
        })
    }

    /// The address was spraying around `at`.
    pub fn ip_active(&self, ip: Option<IpAddr>, at: DateTime<Utc>) -> bool {
        ip.is_some_and(|ip| Self::active(self.ips.get(&ip), at))
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

pub fn spray_sources(sign_ins: &[SignInEvent]) -> SpraySources {
    type Seen<'a> = (BTreeSet<&'a str>, DateTime<Utc>, DateTime<Utc>);
    fn note<'a, K: Ord>(map: &mut BTreeMap<K, Seen<'a>>, key: K, s: &'a SignInEvent) {
        let e = map
            .entry(key)
            .or_insert_with(|| (BTreeSet::new(), s.time, s.time));
        e.0.insert(&s.user_id);
        e.1 = e.1.min(s.time);
        e.2 = e.2.max(s.time);
    }
    let mut by_ip: BTreeMap<IpAddr, Seen<'_>> = BTreeMap::new();
    let mut by_asn: BTreeMap<u32, Seen<'_>> = BTreeMap::new();
    for s in sign_ins.iter().filter(|s| {
        matches!(
            s.outcome,
            SignInOutcome::PasswordWrong | SignInOutcome::Locked
        )
    }) {
        if let Some(ip) = s.ip {
            note(&mut by_ip, ip, s);
        }
        if let (Some(asn), true) = (s.network.asn, s.network.class().is_anonymising()) {
            note(&mut by_asn, asn, s);
        }
    }
    let offices = shared_offices(sign_ins);
    SpraySources {
        ips: by_ip
            .into_iter()
            .filter(|(ip, e)| e.0.len() >= SPRAY_MIN_USERS_PER_IP && !offices.contains(ip))
            .map(|(k, e)| (k, (e.1, e.2)))
            .collect(),
        asns: by_asn
            .into_iter()
            .filter(|(_, e)| e.0.len() >= SPRAY_MIN_USERS_PER_ASN)
            .map(|(k, e)| (k, (e.1, e.2)))
            .collect(),
    }
}

/// Addresses where several users sign in successfully from their registered devices: an office
/// or school egress, where a few mistyped passwords are not a spray.
fn shared_offices(sign_ins: &[SignInEvent]) -> BTreeSet<IpAddr> {
    let mut users: BTreeMap<IpAddr, BTreeSet<&str>> = BTreeMap::new();
    for s in sign_ins
        .iter()
        .filter(|s| s.succeeded() && s.device_id.is_some())
    {
        if let Some(ip) = s.ip {
            users.entry(ip).or_default().insert(&s.user_id);
        }
    }
    users
        .into_iter()
        .filter(|(_, u)| u.len() >= SPRAY_MIN_USERS_PER_IP)
        .map(|(ip, _)| ip)
        .collect()
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
