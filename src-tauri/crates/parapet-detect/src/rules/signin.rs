//! Judging each sign-in against the user's own history: new infrastructure, AiTM kits, token
//! replay, device-code phishing, legacy protocols, spray and MFA-fatigue successes. A sign-in is
//! the attacker's when its factors add up to [`ATTACKER_SCORE`], or when it continues a session
//! or reuses an address already shown to be the attacker's.

use std::collections::{BTreeMap, BTreeSet};
use std::net::IpAddr;

use chrono::{DateTime, Utc};

use super::factors::score;
use super::spray::SpraySources;
use super::SignalKind;
use crate::baseline::{warmup, UserBaseline};
use crate::evidence::{Evidence, SignInEvent, SignInOutcome};
use crate::knowledge::scripted_agent;
use crate::tenant_baseline::TenantBaseline;

/// Points at which a sign-in is taken to be the attacker's.
pub const ATTACKER_SCORE: u32 = 4;
/// Failures against one user within [`BRUTE_FORCE_WINDOW_HOURS`] that make the next success suspect.
pub const BRUTE_FORCE_MIN_FAILURES: usize = 5;
pub const BRUTE_FORCE_WINDOW_HOURS: i64 = 24;
/// Distinct days a (network, device) pair must recur on before it becomes part of the baseline.
pub const HABIT_DAYS: usize = 3;
/// MFA denials within an hour before a success that make it MFA fatigue.
pub const MFA_FATIGUE_MIN_DENIALS: usize = 3;

/// A failed attempt against the user: when, how, and whether from a network the user knows.
pub(crate) type Failure = (DateTime<Utc>, SignInOutcome, bool);

#[derive(Debug, Clone, PartialEq)]
pub struct Factor {
    pub kind: SignalKind,
    pub points: u32,
    pub strong: bool,
    pub text: String,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Verdict {
    pub score: u32,
    pub factors: Vec<Factor>,
    pub attacker: bool,
    /// Attacker only because it continues an attacker session or reuses an attacker address.
    pub by_association: bool,
}

impl Verdict {
    pub fn strong(&self) -> bool {
        self.factors.iter().any(|f| f.strong)
    }
}

/// What the attacker used against one user.
#[derive(Debug, Clone, Default)]
pub struct Footprint {
    pub ips: BTreeSet<IpAddr>,
    pub asns: BTreeSet<u32>,
    pub sessions: BTreeSet<String>,
    pub sign_ins: Vec<usize>,
    /// Suspicious but unproven sign-ins (score 2-3 from a network new for the user), by address:
    /// promoted to the attacker's when a malicious action comes from the same address.
    pub suspects: BTreeMap<IpAddr, Vec<usize>>,
}

#[derive(Debug, Default)]
pub struct AccessFindings {
    /// Parallel to `evidence.sign_ins`; `None` for events that were not judged (failures, app
    /// back-ends refreshing their own tokens).
    pub verdicts: Vec<Option<Verdict>>,
    pub baselines: BTreeMap<String, UserBaseline>,
    pub footprints: BTreeMap<String, Footprint>,
}

pub fn assess(evidence: &Evidence, spray: &SpraySources) -> AccessFindings {
    let mut by_user: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, s) in evidence.sign_ins.iter().enumerate() {
        by_user.entry(s.user_id.as_str()).or_default().push(i);
    }
    let tenant_start = evidence.sign_ins.first().map(|s| s.time);
    let tenant = TenantBaseline::from_sign_ins(&evidence.sign_ins);
    let mut out = AccessFindings {
        verdicts: vec![None; evidence.sign_ins.len()],
        ..AccessFindings::default()
    };
    for (user, indices) in by_user {
        let (baseline, footprint) = assess_user(
            evidence,
            &indices,
            spray,
            &tenant,
            tenant_start,
            &mut out.verdicts,
        );
        out.baselines.insert(user.to_string(), baseline);
        if !footprint.sign_ins.is_empty() || !footprint.suspects.is_empty() {
            out.footprints.insert(user.to_string(), footprint);
        }
    }
    out
}

fn assess_user(
    evidence: &Evidence,
    indices: &[usize],
    spray: &SpraySources,
    tenant: &TenantBaseline,
    tenant_start: Option<DateTime<Utc>>,
    verdicts: &mut [Option<Verdict>],
) -> (UserBaseline, Footprint) {
    let mut baseline = UserBaseline::default();
    let mut footprint = Footprint::default();
    let mut sessions: BTreeMap<String, Option<u32>> = BTreeMap::new();
    let mut failures: Vec<Failure> = Vec::new();
    let mut habits: BTreeMap<(Option<u32>, String), BTreeSet<chrono::NaiveDate>> = BTreeMap::new();
    for &i in indices {
        let s = &evidence.sign_ins[i];
        baseline.observe(s.time);
        if matches!(
            s.outcome,
            SignInOutcome::PasswordWrong | SignInOutcome::Locked | SignInOutcome::MfaDenied
        ) {
            failures.push((s.time, s.outcome, baseline.knows_asn(s.network.asn)));
            continue;
        }
        if !matches!(
            s.outcome,
            SignInOutcome::Success | SignInOutcome::PasswordValid
        ) {
            continue;
        }
        // A third-party app's servers refreshing its own tokens: judged by the consent rules.
        if s.third_party_app && !s.interactive {
            continue;
        }
        let warm = baseline.is_warm(s.time) && tenant_start.is_some_and(|t| s.time - t >= warmup());
        let mut verdict = score(s, &baseline, tenant, warm, &sessions, &failures, spray);
        // What the user's baseline learns is decided without the hour of day, so an odd hour
        // never keeps an otherwise familiar sign-in out of the baseline.
        let usual_score = verdict.score;
        add_off_hours(&mut verdict, s, &baseline);
        let net_known = baseline.knows_asn(s.network.asn);
        let continues_session = s
            .session_id
            .as_ref()
            .is_some_and(|sid| footprint.sessions.contains(sid));
        let reuses_address = s.ip.is_some_and(|ip| footprint.ips.contains(&ip)) && !net_known;
        if verdict.score >= ATTACKER_SCORE {
            verdict.attacker = true;
        } else if (continues_session
            && !(net_known && baseline.knows_device(s.device_id.as_deref())))
            || reuses_address
        {
            verdict.attacker = true;
            verdict.by_association = true;
        }
        if verdict.attacker {
            note_attacker(&mut footprint, s, i, &baseline);
        } else if s.outcome == SignInOutcome::Success {
            let device_known = baseline.knows_device(s.device_id.as_deref());
            let familiar_place = net_known && !verdict.strong() && usual_score <= 2;
            if usual_score <= 1
                || familiar_place
                || (device_known && scripted_agent(&s.user_agent).is_none())
                || is_habit(&mut habits, s)
            {
                baseline.learn(s);
            } else if usual_score >= 2 && !baseline.knows_asn(s.network.asn) {
                if let Some(ip) = s.ip {
                    footprint.suspects.entry(ip).or_default().push(i);
                }
            }
        }
        if let Some(sid) = &s.session_id {
            sessions.entry(sid.clone()).or_insert(s.network.asn);
        }
        verdicts[i] = Some(verdict);
    }
    // A session or address proven to be the attacker's taints what came before it in the same
    // session, such as the proxied sign-in that opened an AiTM session.
    for &i in indices {
        let s = &evidence.sign_ins[i];
        let Some(v) = verdicts[i].as_mut() else {
            continue;
        };
        if v.attacker || v.score < 2 {
            continue;
        }
        let in_session = s
            .session_id
            .as_ref()
            .is_some_and(|sid| footprint.sessions.contains(sid));
        let at_address = s.ip.is_some_and(|ip| footprint.ips.contains(&ip));
        if in_session || at_address {
            v.attacker = true;
            v.by_association = true;
            note_attacker(&mut footprint, s, i, &baseline);
        }
    }
    footprint.sign_ins.sort_unstable();
    (baseline, footprint)
}

/// Points a successful sign-in far outside the user's usual hours adds to an otherwise
/// suspicious one. Never more than 1, and only on top of [`OFF_HOURS_MIN_SCORE`] points from
/// other factors: night owls, travellers and shift workers exist, so an odd hour alone (or with
/// one weak anomaly) never makes a sign-in the attacker's.
pub const OFF_HOURS_POINTS: u32 = 1;
pub const OFF_HOURS_MIN_SCORE: u32 = 2;

fn add_off_hours(verdict: &mut Verdict, s: &SignInEvent, baseline: &UserBaseline) {
    if s.outcome != SignInOutcome::Success
        || verdict.score < OFF_HOURS_MIN_SCORE
        || !baseline.is_off_hours(s.time)
    {
        return;
    }
    verdict.score += OFF_HOURS_POINTS;
    verdict.factors.push(Factor {
        kind: SignalKind::SignInFromNewInfrastructure,
        points: OFF_HOURS_POINTS,
        strong: false,
        text: format!(
            "came at {} UTC, far outside the hours this user normally signs in",
            s.time.format("%H:%M")
        ),
    });
}

/// The same network and device on [`HABIT_DAYS`] different days, never tied to the attacker:
/// a new routine (a cloud desktop, a new VPN), learned rather than flagged forever.
fn is_habit(
    habits: &mut BTreeMap<(Option<u32>, String), BTreeSet<chrono::NaiveDate>>,
    s: &SignInEvent,
) -> bool {
    let Some(device) = &s.device_id else {
        return false;
    };
    if scripted_agent(&s.user_agent).is_some() {
        return false;
    }
    let days = habits.entry((s.network.asn, device.clone())).or_default();
    days.insert(s.time.date_naive());
    days.len() >= HABIT_DAYS
}

fn note_attacker(
    footprint: &mut Footprint,
    s: &SignInEvent,
    index: usize,
    baseline: &UserBaseline,
) {
    footprint.sign_ins.push(index);
    if let Some(ip) = s.ip {
        footprint.ips.insert(ip);
    }
    if let Some(sid) = &s.session_id {
        footprint.sessions.insert(sid.clone());
    }
    if let Some(asn) = s.network.asn {
        if s.network.class().is_anonymising() && !baseline.knows_asn(Some(asn)) {
            footprint.asns.insert(asn);
        }
    }
}
