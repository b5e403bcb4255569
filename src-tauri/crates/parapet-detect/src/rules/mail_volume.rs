//! Internal phishing bursts (one subject to many colleagues) and outbound mass mail, sent while
//! the attacker held the account. The same burst from an honest sender (an all-staff notice) is
//! not a signal: only bursts inside the attacker's footprint are reported.

use std::collections::{BTreeMap, BTreeSet};

use chrono::Duration;

use super::context::Context;
use super::{Signal, SignalKind, Strength};
use crate::evidence::{ActivityKind, MailMessage};

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
            if big && sent_by_attacker(ctx, &user_id, first.time, last.time) {
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
                    evidence: burst.iter().map(|m| m.record_id.clone()).collect(),
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
fn sent_by_attacker(
    ctx: &Context<'_>,
    user_id: &str,
    from: chrono::DateTime<chrono::Utc>,
    to: chrono::DateTime<chrono::Utc>,
) -> bool {
    if ctx.in_attack_window(user_id, from) {
        return true;
    }
    if !ctx
        .access
        .footprints
        .get(user_id)
        .is_some_and(|f| !f.ips.is_empty())
    {
        return false;
    }
    let slack = Duration::minutes(30);
    let send_from_attacker = ctx.evidence.activities.iter().any(|a| {
        matches!(a.kind, ActivityKind::MailSent { .. })
            && a.subject_user_id.as_deref() == Some(user_id)
            && a.time >= from - slack
            && a.time <= to + slack
            && ctx.from_attacker_network(user_id, a)
    });
    send_from_attacker
}
