//! Mailbox-level forwarding (`Set-Mailbox -ForwardingSmtpAddress/-ForwardingAddress`) to an
//! address outside the tenant's verified domains.

use super::context::Context;
use super::{ArtifactRef, Signal, SignalKind, Strength};
use crate::evidence::{ActivityKind, ArtifactDetail, ArtifactType};

pub fn signals(ctx: &Context<'_>) -> Vec<Signal> {
    let evidence = ctx.evidence;
    let mut out = Vec::new();
    for a in &evidence.activities {
        let ActivityKind::MailboxForwarding {
            mailbox,
            target: Some(target),
            keep_copy,
        } = &a.kind
        else {
            continue;
        };
        if evidence.tenant.is_internal_address(target) {
            continue;
        }
        let Some(user_id) = a.subject_user_id.clone() else {
            continue;
        };
        let attacker = ctx.is_attacker_activity(&user_id, a);
        let strength = if attacker || !keep_copy {
            Strength::Strong
        } else {
            Strength::Medium
        };
        let mut summary = format!(
            "Mailbox {mailbox} set to forward all mail to the external address {target}{} by {} from {}",
            if *keep_copy { "" } else { " without keeping a copy" },
            a.actor,
            ctx.where_(a)
        );
        if attacker {
            summary.push_str(", an address used in the attacker's sign-ins");
        }
        let artifacts = evidence
            .artifacts
            .iter()
            .filter(|x| x.kind == ArtifactType::MailboxForwarding && x.id == user_id)
            .filter(|x| matches!(&x.detail, ArtifactDetail::MailboxForwarding { target } if !evidence.tenant.is_internal_address(target)))
            .map(|x| ArtifactRef { kind: x.kind, id: x.id.clone() })
            .collect();
        out.push(Signal {
            kind: SignalKind::ExternalForwarding,
            time: a.time,
            user_id,
            summary,
            evidence: vec![a.record_id.clone()],
            strength,
            attacker_context: attacker,
            artifacts,
            until: None,
        });
    }
    out
}
