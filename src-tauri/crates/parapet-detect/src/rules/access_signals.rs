//! Turning the attacker's sign-ins into readable signals: one per session (or per address when
//! the sign-in had no session), led by its most telling sign-in.

use std::collections::BTreeMap;

use super::data_access::MAX_EVIDENCE;
use super::signin::{AccessFindings, Verdict};
use super::{Signal, SignalKind, Strength};
use crate::evidence::{Evidence, SignInEvent};

pub fn signals(evidence: &Evidence, access: &AccessFindings) -> Vec<Signal> {
    let mut out = Vec::new();
    for (user_id, footprint) in &access.footprints {
        let mut episodes: BTreeMap<String, Vec<(&SignInEvent, &Verdict)>> = BTreeMap::new();
        for &i in &footprint.sign_ins {
            let (Some(s), Some(Some(v))) = (evidence.sign_ins.get(i), access.verdicts.get(i))
            else {
                continue;
            };
            let key = s
                .session_id
                .clone()
                .unwrap_or_else(|| format!("ip:{}", s.ip_text));
            episodes.entry(key).or_default().push((s, v));
        }
        for (_, items) in episodes {
            let Some(&(lead, lead_verdict)) = items
                .iter()
                .max_by_key(|(s, v)| (v.score, std::cmp::Reverse(s.time)))
            else {
                continue;
            };
            let first = items.iter().map(|(s, _)| s.time).min().unwrap_or(lead.time);
            let last = items.iter().map(|(s, _)| s.time).max().unwrap_or(lead.time);
            let strong = items.iter().any(|(_, v)| v.strong());
            let kind = lead_kind(lead_verdict);
            // The lead sign-in's own factors: one coherent story a technician can check in
            // that single record.
            let reasons: Vec<String> = lead_verdict
                .factors
                .iter()
                .take(5)
                .map(|f| f.text.clone())
                .collect();
            let summary = format!(
                "{} attacker sign-in{} as {} between {} and {}; the most telling one ({}, {}, record {}) {}",
                items.len(),
                if items.len() == 1 { "" } else { "s" },
                lead.upn,
                first.format("%Y-%m-%d %H:%M"),
                last.format("%Y-%m-%d %H:%M"),
                lead.app_name,
                lead.time.format("%Y-%m-%d %H:%M"),
                lead.record_id,
                if reasons.is_empty() { "continued a session already used by the attacker".to_string() } else { reasons.join("; ") }
            );
            out.push(Signal {
                kind,
                time: first,
                user_id: user_id.clone(),
                summary,
                evidence: items
                    .iter()
                    .take(MAX_EVIDENCE)
                    .map(|(s, _)| s.record_id.clone())
                    .collect(),
                strength: if strong {
                    Strength::Strong
                } else {
                    Strength::Medium
                },
                attacker_context: true,
                artifacts: Vec::new(),
                until: Some(last),
            });
        }
    }
    out
}

/// The kind of the highest-scoring strong factor, else of the highest-scoring one.
fn lead_kind(v: &Verdict) -> SignalKind {
    v.factors
        .iter()
        .max_by_key(|f| (f.strong, f.points))
        .map(|f| f.kind)
        .unwrap_or(SignalKind::SignInFromNewInfrastructure)
}
