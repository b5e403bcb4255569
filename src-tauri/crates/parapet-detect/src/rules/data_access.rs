//! What the attacker read, downloaded or deleted: mailbox access (`MailItemsAccessed`), file
//! downloads and deletions performed from the attacker's network, summarised per user and kind.

use std::collections::BTreeMap;

use super::context::Context;
use super::{Signal, SignalKind, Strength};
use crate::evidence::{Activity, ActivityKind};

/// Record ids cited per summary; the count in the summary covers all of them.
pub const MAX_EVIDENCE: usize = 50;

pub fn signals(ctx: &Context<'_>) -> Vec<Signal> {
    let mut groups: BTreeMap<(String, SignalKind), Vec<&Activity>> = BTreeMap::new();
    for a in &ctx.evidence.activities {
        let kind = match a.kind {
            ActivityKind::MailItemsAccessed { .. } | ActivityKind::MailDeleted { .. } => {
                SignalKind::MailboxAccessedFromAttacker
            }
            ActivityKind::FileDownloaded { .. } => SignalKind::MassDownload,
            _ => continue,
        };
        let Some(user_id) = ctx
            .user_id_of(&a.actor)
            .or_else(|| a.subject_user_id.clone())
        else {
            continue;
        };
        if ctx.from_attacker_network(&user_id, a) {
            groups.entry((user_id, kind)).or_default().push(a);
        }
    }
    let mut out = Vec::new();
    for ((user_id, kind), items) in groups {
        let (mut accessed, mut deleted, mut files) = (0u64, 0u64, 0u64);
        for a in &items {
            match a.kind {
                ActivityKind::MailItemsAccessed { count, .. } => accessed += u64::from(count),
                ActivityKind::MailDeleted { count } => deleted += u64::from(count),
                ActivityKind::FileDownloaded { .. } => files += 1,
                _ => {}
            }
        }
        let first = items[0];
        let last = items[items.len() - 1];
        let what = match kind {
            SignalKind::MassDownload => format!("{files} files downloaded"),
            _ => {
                let mut parts = Vec::new();
                if accessed > 0 {
                    parts.push(format!("{accessed} mailbox accesses"));
                }
                if deleted > 0 {
                    parts.push(format!("{deleted} messages deleted"));
                }
                parts.join(" and ")
            }
        };
        out.push(Signal {
            kind,
            time: first.time,
            summary: format!(
                "{what} from the attacker's network ({}) between {} and {}",
                ctx.where_(first),
                first.time.format("%Y-%m-%d %H:%M"),
                last.time.format("%Y-%m-%d %H:%M")
            ),
            user_id,
            evidence: items
                .iter()
                .take(MAX_EVIDENCE)
                .map(|a| a.record_id.clone())
                .collect(),
            strength: Strength::Medium,
            attacker_context: true,
            artifacts: Vec::new(),
            until: Some(last.time),
        });
    }
    out
}
