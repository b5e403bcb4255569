//! Corroboration the other way round: a suspicious sign-in (a network new for the user, say an
//! unfamiliar VPN, but too little on its own) becomes the attacker's when a malicious action comes from
//! the same address. This catches users who never sign in from registered devices, where a
//! missing device id says nothing.

use super::inbox_rules::judge;
use super::signin::{AccessFindings, Factor};
use super::{SignalKind, Strength};
use crate::evidence::{ActivityKind, Evidence, RuleChange};
use crate::knowledge::risky_scopes;

pub fn promote(evidence: &Evidence, access: &mut AccessFindings) {
    let users: Vec<String> = access
        .footprints
        .iter()
        .filter(|(_, f)| !f.suspects.is_empty())
        .map(|(u, _)| u.clone())
        .collect();
    // Activities by the user or on the user's account, indexed once.
    let mut by_user: std::collections::BTreeMap<&str, Vec<usize>> =
        std::collections::BTreeMap::new();
    let id_by_upn: std::collections::BTreeMap<&str, &str> = evidence
        .users
        .iter()
        .map(|u| (u.upn.as_str(), u.id.as_str()))
        .collect();
    for (i, a) in evidence.activities.iter().enumerate() {
        let subject = a.subject_user_id.as_deref();
        let actor = id_by_upn.get(a.actor.as_str()).copied();
        for u in [subject, actor.filter(|x| Some(*x) != subject)]
            .into_iter()
            .flatten()
        {
            by_user.entry(u).or_default().push(i);
        }
    }
    for user in users {
        let upn = evidence
            .users
            .iter()
            .find(|u| u.id == user)
            .map(|u| u.upn.clone())
            .unwrap_or_default();
        let mut promoted: Vec<(usize, String)> = Vec::new();
        for a in &evidence.activities {
            let mine = a.subject_user_id.as_deref() == Some(user.as_str())
                || (!upn.is_empty() && a.actor == upn);
            let Some(ip) = a.ip.filter(|_| mine) else {
                continue;
            };
            let Some(indices) = access
                .footprints
                .get(&user)
                .and_then(|f| f.suspects.get(&ip))
            else {
                continue;
            };
            let Some(what) = malicious_action(evidence, &a.kind) else {
                continue;
            };
            for &i in indices
                .iter()
                .filter(|&&i| evidence.sign_ins[i].time <= a.time)
            {
                promoted.push((
                    i,
                    format!("was followed by {what} from the same address ({ip})"),
                ));
            }
        }
        promoted.sort();
        promoted.dedup_by_key(|(i, _)| *i);
        let Some(footprint) = access.footprints.get_mut(&user) else {
            continue;
        };
        for (i, text) in promoted {
            let Some(Some(v)) = access.verdicts.get_mut(i) else {
                continue;
            };
            if v.attacker {
                continue;
            }
            v.attacker = true;
            v.factors.push(Factor {
                kind: SignalKind::SignInFromNewInfrastructure,
                points: 0,
                strong: false,
                text,
            });
            let s = &evidence.sign_ins[i];
            footprint.sign_ins.push(i);
            if let Some(ip) = s.ip {
                footprint.ips.insert(ip);
            }
            if let Some(sid) = &s.session_id {
                footprint.sessions.insert(sid.clone());
            }
            if let Some(asn) = s.network.asn {
                footprint.asns.insert(asn);
            }
        }
        footprint.sign_ins.sort_unstable();
        footprint.sign_ins.dedup();
    }
}

/// A plain description of an action that no honest user needs an unfamiliar VPN or cloud
/// server for, or `None`.
fn malicious_action(evidence: &Evidence, kind: &ActivityKind) -> Option<&'static str> {
    match kind {
        ActivityKind::InboxRule {
            change: RuleChange::Create | RuleChange::Modify | RuleChange::Enable,
            spec,
            ..
        } => judge(spec, &evidence.tenant)
            .filter(|(s, _)| *s >= Strength::Medium)
            .map(|_| "a mail-hiding inbox rule"),
        ActivityKind::MailboxForwarding {
            target: Some(t), ..
        } if !evidence.tenant.is_internal_address(t) => Some("external mailbox forwarding"),
        ActivityKind::Consent { scopes, .. } if !risky_scopes(scopes).is_empty() => {
            Some("a consent to an app with mail access")
        }
        ActivityKind::MfaRegistered { .. } => Some("an MFA method registration"),
        ActivityKind::MfaPhonesAdded { .. } => Some("an MFA phone number added to the account"),
        ActivityKind::DeviceRegistered { .. } => Some("a device registration"),
        ActivityKind::InboundConnector { .. } => Some("an inbound connector"),
        ActivityKind::TransportRule { .. } => Some("a transport rule"),
        ActivityKind::MailboxPermission { .. } => Some("a mailbox permission grant"),
        ActivityKind::AuditLoggingDisabled => Some("turning off audit logging"),
        ActivityKind::CredentialAdded { .. } => Some("a new app credential"),
        _ => None,
    }
}
