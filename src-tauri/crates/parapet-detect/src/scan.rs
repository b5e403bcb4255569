//! Entry points: run every rule family over the evidence and correlate.

use chrono::{DateTime, Utc};

use crate::correlate::incidents;
use crate::evidence::{evidence_from_snapshot, Evidence, RawSnapshot};
use crate::network::NetworkLookup;
use crate::report::{Coverage, ScanReport, TargetedUser, TenantSummary};
use crate::rules::context::Context;
use crate::rules::{
    access_signals, consent, data_access, forwarding, inbox_rules, mail_volume, mailflow,
    promotion, registration, signin, spray, Signal,
};

/// Scans a snapshot. `now` bounds the coverage and ages app-only findings; nothing reads a clock.
pub fn scan(
    snapshot: &parapet_snapshot::Snapshot,
    lookup: &dyn NetworkLookup,
    now: DateTime<Utc>,
) -> ScanReport {
    detect(&evidence_from_snapshot(snapshot, lookup), now)
}

/// Scans a snapshot given as JSON records (fixtures, or callers without the typed model).
pub fn scan_raw(raw: &RawSnapshot, lookup: &dyn NetworkLookup, now: DateTime<Utc>) -> ScanReport {
    detect(&Evidence::from_raw(raw, lookup), now)
}

/// Runs detection over normalized evidence.
pub fn detect(evidence: &Evidence, now: DateTime<Utc>) -> ScanReport {
    let sources = spray::spray_sources(&evidence.sign_ins);
    let mut access = signin::assess(evidence, &sources);
    promotion::promote(evidence, &mut access);
    let ctx = Context::new(evidence, &access);
    let signals = all_signals(&ctx);
    let incidents = incidents(&ctx, &signals, now);
    let targeted_users = targeted(&ctx, &sources);
    ScanReport {
        tenant: TenantSummary {
            id: evidence.tenant.id.clone(),
            display_name: evidence.tenant.display_name.clone(),
            coverage: coverage(evidence, now),
        },
        incidents,
        targeted_users,
    }
}

/// Every family's signals, in a fixed order.
pub fn all_signals(ctx: &Context<'_>) -> Vec<Signal> {
    let mut signals = access_signals::signals(ctx.evidence, ctx.access);
    signals.extend(inbox_rules::signals(ctx));
    signals.extend(forwarding::signals(ctx));
    let mut consents = consent::findings(ctx);
    let from_state = consent::rogue_grants(ctx, &consents);
    consents.extend(from_state);
    signals.extend(consent::app_activity(ctx, &consents));
    signals.extend(consents.into_iter().map(|c| c.signal));
    signals.extend(registration::signals(ctx));
    signals.extend(mailflow::signals(ctx));
    signals.extend(mail_volume::signals(ctx));
    signals.extend(data_access::signals(ctx));
    signals.sort_by(|a, b| {
        (&a.user_id, a.time, a.kind, &a.evidence).cmp(&(&b.user_id, b.time, b.kind, &b.evidence))
    });
    signals
}

fn targeted(ctx: &Context<'_>, sources: &spray::SpraySources) -> Vec<TargetedUser> {
    let mut out: Vec<TargetedUser> =
        spray::failed_attacks(&ctx.evidence.sign_ins, sources, &ctx.access.baselines)
            .into_iter()
            .map(|(user_id, attempts)| TargetedUser {
                user_principal_name: ctx.upn(&user_id),
                failed_attempts: attempts.len(),
            })
            .collect();
    out.sort_by(|a, b| {
        (std::cmp::Reverse(a.failed_attempts), &a.user_principal_name)
            .cmp(&(std::cmp::Reverse(b.failed_attempts), &b.user_principal_name))
    });
    out
}

fn coverage(evidence: &Evidence, now: DateTime<Utc>) -> Coverage {
    let times = evidence
        .sign_ins
        .iter()
        .map(|s| s.time)
        .chain(evidence.activities.iter().map(|a| a.time));
    let from = times.min();
    let to = Some(evidence.tenant.snapshot_time.map_or(now, |t| t.min(now)));
    Coverage {
        from,
        to,
        sources: evidence.sources.clone(),
    }
}
