//! Internal phishing bursts (one subject to many colleagues) and outbound mass mail, sent while
//! the attacker held the account. The same burst from an honest sender (an all-staff notice) is
//! not a signal: only bursts inside the attacker's footprint are reported.

use std::collections::{BTreeMap, BTreeSet};

use chrono::Duration;

use super::context::Context;
use super::{Signal, SignalKind, Strength};
use crate::evidence::{Activity, ActivityKind, MailMessage};

/// Distinct internal recipients of one subject within [`BURST_WINDOW_MINUTES`].
pub const INTERNAL_BURST_MIN_RECIPIENTS: usize = 10;
pub const EXTERNAL_BURST_MIN_RECIPIENTS: usize = 20;
pub const BURST_WINDOW_MINUTES: i64 = 60;

pub fn signals(ctx: &Context<'_>) -> Vec<Signal> {
    let evidence = ctx.evidence;
    let mut groups: BTreeMap<(String, String), Vec<&MailMessage>> = BTreeMap::new();
    for m in &evidence.messages {
        groups
            .entry((m.sender.clone(), m.subject.trim().to_lowercase()))
            .or_default()
            .push(m);
    }
    let mut out = Vec::new();
    for ((sender, _), messages) in groups {
        let Some(user_id) = ctx.user_id_of(&sender) else {
            continue;
        };
        let mut start = 0;
        while start < messages.len() {
            let window_end = messages[start].time + Duration::minutes(BURST_WINDOW_MINUTES);
            let burst: Vec<&MailMessage> = messages[start..]
                .iter()
                .take_while(|m| m.time <= window_end)
                .copied()
                .collect();
            let recipients: BTreeSet<&String> =
                burst.iter().flat_map(|m| m.recipients.iter()).collect();
            let internal = recipients
                .iter()
                .filter(|r| evidence.tenant.is_internal_address(r))
                .count();
            let external = recipients.len() - internal;
            let first = burst[0];
            let last = burst[burst.len() - 1];
            let big = internal >= INTERNAL_BURST_MIN_RECIPIENTS
                || external >= EXTERNAL_BURST_MIN_RECIPIENTS;
            let sends = if big {
                sent_by_attacker(ctx, &user_id, first.time, last.time)
            } else {
                None
            };
            if let Some(sends) = sends {
                let kind = if internal >= INTERNAL_BURST_MIN_RECIPIENTS {
                    SignalKind::InternalPhishing
                } else {
                    SignalKind::OutboundMassMail
                };
                out.push(Signal {
                    kind,
                    time: first.time,
                    user_id: user_id.clone(),
                    summary: format!(
                        "{sender} sent \"{}\" to {internal} colleagues and {external} outside recipients within {} minutes, while the attacker held the account",
                        first.subject,
                        (last.time - first.time).num_minutes().max(1)
                    ),
                    evidence: sends.into_iter().chain(burst.iter().map(|m| m.record_id.clone())).collect(),
                    strength: Strength::Strong,
                    attacker_context: true,
                    artifacts: Vec::new(),
                    until: Some(last.time),
                });
                start += burst.len();
            } else {
                start += 1;
            }
        }
    }
    out
}

/// A `Send` from the attacker's network around the burst, or the burst inside the attack window.
/// Whether the attacker sent the burst, and the `Send` records that show it. When the audit log
/// holds the user's `Send` records for the burst, they decide (the attacker's network or not);
/// without them, a burst inside the attack window is taken as the attacker's.
fn sent_by_attacker(
    ctx: &Context<'_>,
    user_id: &str,
    from: chrono::DateTime<chrono::Utc>,
    to: chrono::DateTime<chrono::Utc>,
) -> Option<Vec<String>> {
    let footprint = ctx.access.footprints.get(user_id)?;
    if footprint.sign_ins.is_empty() {
        return None;
    }
    let slack = Duration::minutes(30);
    let sends: Vec<&Activity> = ctx
        .evidence
        .activities
        .iter()
        .filter(|a| {
            matches!(a.kind, ActivityKind::MailSent { .. })
                && a.subject_user_id.as_deref() == Some(user_id)
                && a.time >= from - slack
                && a.time <= to + slack
        })
        .collect();
    if sends.is_empty() {
        return ctx.in_attack_window(user_id, from).then(Vec::new);
    }
    let by_attacker: Vec<String> = sends
        .iter()
        .filter(|a| ctx.from_attacker_network(user_id, a))
        .map(|a| a.record_id.clone())
        .collect();
    (!by_attacker.is_empty()).then_some(by_attacker)
}
