//! Password spray and brute force: the infrastructure that fails against many accounts, and the
//! per-user tally of attempts from attacker infrastructure (the Failed Attacks view).

use std::collections::{BTreeMap, BTreeSet};
use std::net::IpAddr;

use crate::baseline::UserBaseline;
use crate::evidence::{SignInEvent, SignInOutcome};

/// Distinct accounts one address must fail against to count as a spray source.
pub const SPRAY_MIN_USERS_PER_IP: usize = 3;
/// Distinct accounts one anonymising network (ASN) must fail against to count as a spray source.
pub const SPRAY_MIN_USERS_PER_ASN: usize = 5;

#[derive(Debug, Clone, Default)]
pub struct SpraySources {
    pub ips: BTreeSet<IpAddr>,
    pub asns: BTreeSet<u32>,
}

pub fn is_failed_attempt(s: &SignInEvent) -> bool {
    matches!(s.outcome, SignInOutcome::PasswordWrong | SignInOutcome::Locked | SignInOutcome::MfaDenied)
}

pub fn spray_sources(sign_ins: &[SignInEvent]) -> SpraySources {
    let mut by_ip: BTreeMap<IpAddr, BTreeSet<&str>> = BTreeMap::new();
    let mut by_asn: BTreeMap<u32, BTreeSet<&str>> = BTreeMap::new();
    for s in sign_ins.iter().filter(|s| matches!(s.outcome, SignInOutcome::PasswordWrong | SignInOutcome::Locked)) {
        if let Some(ip) = s.ip {
            by_ip.entry(ip).or_default().insert(&s.user_id);
        }
        if let (Some(asn), true) = (s.network.asn, s.network.class().is_anonymising()) {
            by_asn.entry(asn).or_default().insert(&s.user_id);
        }
    }
    SpraySources {
        ips: by_ip.into_iter().filter(|(_, u)| u.len() >= SPRAY_MIN_USERS_PER_IP).map(|(ip, _)| ip).collect(),
        asns: by_asn.into_iter().filter(|(_, u)| u.len() >= SPRAY_MIN_USERS_PER_ASN).map(|(a, _)| a).collect(),
    }
}

/// Whether a sign-in attempt came from infrastructure that is attacking the tenant, judged
/// against this user's own habits (a daily VPN user's VPN is not attacker infrastructure for
/// them).
pub fn from_attacker_infrastructure(s: &SignInEvent, sources: &SpraySources, baseline: &UserBaseline) -> bool {
    let known = baseline.knows_asn(s.network.asn);
    if s.ip.is_some_and(|ip| sources.ips.contains(&ip)) {
        return true;
    }
    if known {
        return false;
    }
    s.network.asn.is_some_and(|a| sources.asns.contains(&a))
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
