//! Tenant mail-flow, delegation and app changes: inbound connectors, transport rules that copy or
//! redirect mail, mailbox permissions, app registrations and app credentials. Admins make these all the time; they matter when the
//! attacker's session makes them, or when a transport rule copies mail outside the tenant.

use super::context::Context;
use super::{ArtifactRef, Signal, SignalKind, Strength};
use crate::evidence::{Activity, ActivityKind, ArtifactType, Evidence};
use crate::knowledge::is_mail_gateway_name;

pub fn signals(ctx: &Context<'_>) -> Vec<Signal> {
    let evidence = ctx.evidence;
    let mut out = Vec::new();
    for a in &evidence.activities {
        let actor_id = ctx.user_id_of(&a.actor);
        let Some(user_id) = actor_id.or_else(|| a.subject_user_id.clone()) else {
            continue;
        };
        let attacker = ctx.is_attacker_activity(&user_id, a);
        let signal = match &a.kind {
            ActivityKind::InboundConnector {
                name,
                sender_ips,
                sender_domains,
            } => {
                if !attacker {
                    continue;
                }
                let gateway = is_mail_gateway_name(name)
                    || sender_domains.iter().any(|d| is_mail_gateway_name(d));
                let summary = format!(
                    "Inbound connector \"{name}\" (sender IPs {}) created from {}, the attacker's network{}",
                    if sender_ips.is_empty() { "none".to_string() } else { sender_ips.join(", ") },
                    ctx.where_(a),
                    if gateway { ", although it is named like a mail gateway" } else { "" }
                );
                signal(
                    a,
                    &user_id,
                    SignalKind::InboundConnectorCreated,
                    summary,
                    Strength::Strong,
                    true,
                    artifact(evidence, ArtifactType::InboundConnector, name),
                )
            }
            ActivityKind::TransportRule {
                name,
                copies_or_redirects,
            } => {
                let external: Vec<&String> = copies_or_redirects
                    .iter()
                    .filter(|t| !evidence.tenant.is_internal_address(t))
                    .collect();
                if !attacker && external.is_empty() {
                    continue;
                }
                let strength = if attacker {
                    Strength::Strong
                } else {
                    Strength::Medium
                };
                let mut summary = format!(
                    "Transport rule \"{name}\" created or changed by {} from {}",
                    a.actor,
                    ctx.where_(a)
                );
                if !external.is_empty() {
                    summary.push_str(&format!(
                        "; it copies or redirects mail to {}",
                        external
                            .iter()
                            .map(|s| s.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ));
                }
                signal(
                    a,
                    &user_id,
                    SignalKind::TransportRuleCreated,
                    summary,
                    strength,
                    attacker,
                    artifact(evidence, ArtifactType::TransportRule, name),
                )
            }
            ActivityKind::MailboxPermission {
                mailbox,
                trustee,
                rights,
            } => {
                if !attacker {
                    continue;
                }
                let summary = format!(
                    "{trustee} was given {} on mailbox {mailbox} from {}, the attacker's network",
                    rights.join(", "),
                    ctx.where_(a)
                );
                let id = format!("{mailbox}|{trustee}");
                signal(
                    a,
                    &user_id,
                    SignalKind::MailboxPermissionAdded,
                    summary,
                    Strength::Strong,
                    true,
                    artifact(evidence, ArtifactType::MailboxPermission, &id),
                )
            }
            ActivityKind::ApplicationAdded {
                object_id,
                app_name,
            }
            | ActivityKind::CredentialAdded {
                object_id,
                app_name,
            } => {
                if !attacker {
                    continue;
                }
                let what = if matches!(a.kind, ActivityKind::ApplicationAdded { .. }) {
                    "registered the app"
                } else {
                    "added a credential to the app"
                };
                let summary = format!(
                    "{} {what} \"{app_name}\" from {}, the attacker's network",
                    a.actor,
                    ctx.where_(a)
                );
                let mut artifacts = artifact(evidence, ArtifactType::Application, object_id);
                artifacts.extend(artifact(
                    evidence,
                    ArtifactType::ServicePrincipal,
                    object_id,
                ));
                signal(
                    a,
                    &user_id,
                    SignalKind::AppCredentialAdded,
                    summary,
                    Strength::Strong,
                    true,
                    artifacts,
                )
            }
            ActivityKind::AuditLoggingDisabled => {
                let summary = format!(
                    "{} turned off unified audit logging from {}",
                    a.actor,
                    ctx.where_(a)
                );
                signal(
                    a,
                    &user_id,
                    SignalKind::AuditLoggingDisabled,
                    summary,
                    if attacker {
                        Strength::Strong
                    } else {
                        Strength::Medium
                    },
                    attacker,
                    Vec::new(),
                )
            }
            _ => continue,
        };
        out.push(signal);
    }
    out
}

fn signal(
    a: &Activity,
    user_id: &str,
    kind: SignalKind,
    summary: String,
    strength: Strength,
    attacker: bool,
    artifacts: Vec<ArtifactRef>,
) -> Signal {
    Signal {
        kind,
        time: a.time,
        user_id: user_id.to_string(),
        summary,
        evidence: vec![a.record_id.clone()],
        strength,
        attacker_context: attacker,
        artifacts,
        until: None,
    }
}

/// The current object with this Exchange identity (or name), if it still exists.
fn artifact(evidence: &Evidence, kind: ArtifactType, identity: &str) -> Vec<ArtifactRef> {
    evidence
        .artifacts
        .iter()
        .filter(|x| x.kind == kind && x.id.eq_ignore_ascii_case(identity))
        .map(|x| ArtifactRef {
            kind,
            id: x.id.clone(),
        })
        .collect()
}
