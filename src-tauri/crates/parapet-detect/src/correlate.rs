//! From signals to incidents: per user, the attacker's access, what they did with it, whether
//! it was remediated, and what they left behind. An incident needs corroboration: a strong access
//! technique, or attacker access followed by a malicious action from the attacker's footprint.
//! A lone unusual sign-in never becomes an incident.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Duration, Utc};
use sha2::{Digest, Sha256};

use crate::evidence::{ActivityKind, ArtifactDetail, Evidence};
use crate::report::{Confidence, Incident, IncidentKind, PersistenceOut, Severity, SignalOut};
use crate::rules::context::Context;
use crate::rules::inbox_rules::judge;
use crate::rules::{ArtifactRef, Signal, SignalKind, Strength};

/// How recently (before the snapshot) a malicious app must have used its grant for an app-only
/// finding to count as active.
pub const APP_ACTIVE_DAYS: i64 = 7;

pub fn incidents(ctx: &Context<'_>, signals: &[Signal], now: DateTime<Utc>) -> Vec<Incident> {
    let mut by_user: BTreeMap<&str, Vec<&Signal>> = BTreeMap::new();
    for s in signals {
        by_user.entry(s.user_id.as_str()).or_default().push(s);
    }
    let mut out: Vec<Incident> = by_user
        .into_iter()
        .filter_map(|(user, sigs)| incident_for(ctx, user, &sigs, as_of(ctx.evidence, now)))
        .collect();
    out.sort_by(|a, b| {
        (
            std::cmp::Reverse(a.severity),
            a.first_seen,
            &a.user_principal_name,
        )
            .cmp(&(
                std::cmp::Reverse(b.severity),
                b.first_seen,
                &b.user_principal_name,
            ))
    });
    out
}

fn incident_for(
    ctx: &Context<'_>,
    user_id: &str,
    sigs: &[&Signal],
    now: DateTime<Utc>,
) -> Option<Incident> {
    let evidence = ctx.evidence;
    let access: Vec<&Signal> = sigs
        .iter()
        .copied()
        .filter(|s| s.kind.is_access())
        .collect();
    let actions: Vec<&Signal> = sigs
        .iter()
        .copied()
        .filter(|s| {
            // Outside the attacker's footprint only a rogue-app grant speaks for itself; a
            // user's own odd rule from home does not.
            let rogue_grant =
                s.kind == SignalKind::IllicitConsent && s.strength == Strength::Strong;
            !s.kind.is_access()
                && (s.attacker_context || rogue_grant)
                && s.strength >= Strength::Medium
        })
        .collect();
    let strong_access = access.iter().any(|s| s.strength == Strength::Strong);
    let corroborated = actions.iter().any(|s| s.attacker_context);
    let rogue_app = actions
        .iter()
        .any(|s| s.kind == SignalKind::IllicitConsent && s.strength == Strength::Strong);
    let raise = if access.is_empty() {
        rogue_app
    } else {
        strong_access || corroborated
    };
    if !raise {
        return None;
    }
    let attacker_signals: Vec<&Signal> = access.iter().chain(actions.iter()).copied().collect();
    let first_seen = attacker_signals.iter().map(|s| s.time).min()?;
    let last_attacker = attacker_signals
        .iter()
        .filter(|s| s.attacker_context)
        .map(|s| s.last_time())
        .max()
        .unwrap_or(first_seen);
    let persistence = persistence(ctx, user_id, &attacker_signals);
    let remediation = remediation_after(evidence, user_id, last_attacker);
    let kind = match (&remediation, persistence.is_empty()) {
        (Some(_), true) => IncidentKind::PastCompromise,
        (Some(_), false) => IncidentKind::LeftoverPersistence,
        (None, _) if access.is_empty() && last_attacker < now - Duration::days(APP_ACTIVE_DAYS) => {
            IncidentKind::LeftoverPersistence
        }
        (None, _) => IncidentKind::ActiveCompromise,
    };
    let exfil = actions.iter().any(|s| {
        matches!(
            s.kind,
            SignalKind::InternalPhishing
                | SignalKind::OutboundMassMail
                | SignalKind::MassDownload
                | SignalKind::MailboxAccessedFromAttacker
                | SignalKind::ExternalForwarding
                | SignalKind::MaliciousAppActivity
        )
    });
    let severity = match kind {
        IncidentKind::ActiveCompromise if exfil || !persistence.is_empty() => Severity::Critical,
        IncidentKind::ActiveCompromise => Severity::High,
        IncidentKind::LeftoverPersistence => Severity::Medium,
        IncidentKind::PastCompromise => Severity::Low,
    };
    let confidence = if (strong_access && corroborated)
        || actions.iter().filter(|s| s.attacker_context).count() >= 2
    {
        Confidence::High
    } else if strong_access || corroborated || rogue_app {
        Confidence::Medium
    } else {
        Confidence::Low
    };
    let mut timeline: Vec<SignalOut> = attacker_signals
        .iter()
        .map(|s| SignalOut {
            kind: s.kind.as_str().to_string(),
            time: s.time,
            summary: s.summary.clone(),
            evidence: s.evidence.clone(),
        })
        .collect();
    timeline.extend(remediation_signals(ctx, user_id, first_seen));
    timeline.sort_by(|a, b| (a.time, &a.kind, &a.summary).cmp(&(b.time, &b.kind, &b.summary)));
    let first_record = attacker_signals
        .iter()
        .min_by(|a, b| (a.time, &a.evidence).cmp(&(b.time, &b.evidence)))
        .and_then(|s| s.evidence.first().cloned())
        .unwrap_or_default();
    let upn = ctx.upn(user_id);
    let reasons = crate::reasons::reasons(
        &access,
        &actions,
        kind,
        &remediation,
        last_attacker,
        persistence.len(),
    );
    Some(Incident {
        id: incident_id(&evidence.tenant.id, user_id, &first_record),
        user_principal_name: upn,
        kind,
        severity,
        confidence,
        first_seen,
        last_seen: last_attacker.max(first_seen),
        signals: timeline,
        persistence,
        reasons,
    })
}

/// The moment the evidence describes: the snapshot's time (a snapshot reviewed weeks later
/// still shows an app using its grant up to when it was taken), never later than `now`.
fn as_of(evidence: &Evidence, now: DateTime<Utc>) -> DateTime<Utc> {
    evidence.tenant.snapshot_time.map_or(now, |t| t.min(now))
}

/// Stable across re-scans of the same evidence: tenant, user and the first attacker record.
pub fn incident_id(tenant_id: &str, user_id: &str, first_record: &str) -> String {
    let mut h = Sha256::new();
    h.update(tenant_id.as_bytes());
    h.update(b"|");
    h.update(user_id.as_bytes());
    h.update(b"|");
    h.update(first_record.as_bytes());
    let digest = h.finalize();
    let hex: String = digest.iter().take(8).map(|b| format!("{b:02x}")).collect();
    format!("inc_{hex}")
}

/// Password reset and session revocation, both after the attacker's last activity.
pub struct Remediation {
    pub password_reset: DateTime<Utc>,
    pub sessions_revoked: DateTime<Utc>,
}

fn remediation_after(
    evidence: &Evidence,
    user_id: &str,
    after: DateTime<Utc>,
) -> Option<Remediation> {
    let mine = evidence
        .activities
        .iter()
        .filter(|a| a.subject_user_id.as_deref() == Some(user_id) && a.time > after);
    let mut reset = None;
    let mut revoked = None;
    for a in mine {
        match a.kind {
            ActivityKind::PasswordReset { .. } if reset.is_none() => reset = Some(a.time),
            ActivityKind::SessionsRevoked if revoked.is_none() => revoked = Some(a.time),
            _ => {}
        }
    }
    Some(Remediation {
        password_reset: reset?,
        sessions_revoked: revoked?,
    })
}

fn remediation_signals(ctx: &Context<'_>, user_id: &str, since: DateTime<Utc>) -> Vec<SignalOut> {
    ctx.evidence
        .activities
        .iter()
        .filter(|a| a.subject_user_id.as_deref() == Some(user_id) && a.time >= since)
        .filter_map(|a| {
            let what = match a.kind {
                ActivityKind::PasswordReset { by_admin: true } => {
                    format!("Password reset by {}", a.actor)
                }
                ActivityKind::PasswordReset { by_admin: false } => {
                    "Password changed by the user".to_string()
                }
                ActivityKind::SessionsRevoked => format!("Sign-in sessions revoked by {}", a.actor),
                ActivityKind::AccountDisabled => format!("Account disabled by {}", a.actor),
                _ => return None,
            };
            Some(SignalOut {
                kind: SignalKind::Remediation.as_str().to_string(),
                time: a.time,
                summary: what,
                evidence: vec![a.record_id.clone()],
            })
        })
        .collect()
}

/// Artifacts the attacker's actions left that still exist, plus suspicious objects of the
/// user's mailbox that no audit record explains (rules and forwarding set outside the log).
/// The audit log shows the rule being created or changed, never from the attacker's footprint:
/// the user's own rule, however odd, is not the attacker's artifact.
fn made_by_the_user(ctx: &Context<'_>, user_id: &str, name: &str) -> bool {
    let mut seen = false;
    for a in &ctx.evidence.activities {
        let ActivityKind::InboxRule { spec, change, .. } = &a.kind else {
            continue;
        };
        if a.subject_user_id.as_deref() != Some(user_id)
            || spec.name != name
            || *change == crate::evidence::RuleChange::Remove
        {
            continue;
        }
        if ctx.is_attacker_activity(user_id, a) {
            return false;
        }
        seen = true;
    }
    seen
}

fn persistence(ctx: &Context<'_>, user_id: &str, signals: &[&Signal]) -> Vec<PersistenceOut> {
    let evidence = ctx.evidence;
    let mut refs: BTreeSet<ArtifactRef> = signals
        .iter()
        .flat_map(|s| s.artifacts.iter().cloned())
        .collect();
    for x in evidence
        .artifacts
        .iter()
        .filter(|x| x.owner_user_id.as_deref() == Some(user_id))
    {
        let suspicious = match &x.detail {
            ArtifactDetail::InboxRule { spec, .. } => {
                judge(spec, &evidence.tenant).is_some_and(|(s, _)| s >= Strength::Medium)
                    && !made_by_the_user(ctx, user_id, &spec.name)
            }
            ArtifactDetail::MailboxForwarding { target } => {
                !evidence.tenant.is_internal_address(target)
            }
            _ => false,
        };
        if suspicious {
            refs.insert(ArtifactRef {
                kind: x.kind,
                id: x.id.clone(),
            });
        }
    }
    refs.into_iter()
        .filter_map(|r| {
            let x = evidence
                .artifacts
                .iter()
                .find(|x| x.kind == r.kind && x.id == r.id)?;
            Some(PersistenceOut {
                kind: r.kind,
                id: r.id.clone(),
                summary: crate::reasons::describe_artifact(x, ctx.evidence),
            })
        })
        .collect()
}
