//! Plain-English explanations for incidents and persistence artifacts, written for a technician
//! who will check them against the cited records.

use chrono::{DateTime, Utc};

use crate::correlate::Remediation;
use crate::evidence::{Artifact, ArtifactDetail, Evidence};
use crate::report::IncidentKind;
use crate::rules::{Signal, SignalKind};

fn day(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%d %H:%M UTC").to_string()
}

pub fn reasons(
    access: &[&Signal],
    actions: &[&Signal],
    kind: IncidentKind,
    remediation: &Option<Remediation>,
    last_attacker: DateTime<Utc>,
    persistence: usize,
) -> Vec<String> {
    let mut out = Vec::new();
    let has = |k: SignalKind| access.iter().any(|s| s.kind == k);
    if has(SignalKind::AitmPhishing) {
        out.push("The account was taken over through an adversary-in-the-middle phishing page: the stolen session was then used by a scripted client from hosting infrastructure".to_string());
    }
    if has(SignalKind::TokenReplay) {
        out.push("One sign-in session was used from several networks: the session token was stolen and replayed".to_string());
    }
    if has(SignalKind::PasswordSpraySuccess) {
        out.push("The password was guessed: a sign-in succeeded from infrastructure that was password-spraying the tenant".to_string());
    }
    if has(SignalKind::MfaFatigue) {
        out.push(
            "The user approved an MFA prompt after a series of denied prompts (MFA fatigue)"
                .to_string(),
        );
    }
    if has(SignalKind::DeviceCodePhishing) {
        out.push("A device-code sign-in the user never uses let someone else obtain tokens for the account".to_string());
    }
    if has(SignalKind::LegacyAuthSuccess) {
        out.push("A legacy password-only protocol was used to sign in".to_string());
    }
    if has(SignalKind::SignInFromNewInfrastructure) && out.is_empty() {
        out.push(
            "The account signed in from networks and devices this user never uses".to_string(),
        );
    }
    let mut seen = Vec::new();
    for s in actions {
        if seen.contains(&s.kind) {
            continue;
        }
        seen.push(s.kind);
        let text = match s.kind {
            SignalKind::SuspiciousInboxRule => "An inbox rule was created to hide or delete mail, typical of attackers hiding replies and warnings",
            SignalKind::ExternalForwarding => "The mailbox was set to forward mail to an outside address",
            SignalKind::IllicitConsent => "An app that can read or send the user's mail was granted access",
            SignalKind::MaliciousAppActivity => "That app has been using its access since",
            SignalKind::MfaMethodRegistered => "An MFA method was registered from the attacker's network",
            SignalKind::DeviceRegistered => "A device was registered to the account from the attacker's network",
            SignalKind::MailboxPermissionAdded => "Mailbox permissions were granted from the attacker's network",
            SignalKind::InboundConnectorCreated => "An inbound mail connector was created from the attacker's network",
            SignalKind::TransportRuleCreated => "A mail-flow rule copying or redirecting mail was created",
            SignalKind::AppCredentialAdded => "An app registration or app credential was created from the attacker's network",
            SignalKind::InternalPhishing => "Phishing was sent from the account to colleagues",
            SignalKind::OutboundMassMail => "Mass mail was sent from the account to outside recipients",
            SignalKind::MassDownload => "Files were downloaded from the attacker's network",
            SignalKind::MailboxAccessedFromAttacker => "Mail was read or deleted from the attacker's network",
            SignalKind::AuditLoggingDisabled => "Audit logging was turned off",
            _ => continue,
        };
        out.push(text.to_string());
    }
    match (kind, remediation) {
        (IncidentKind::ActiveCompromise, _) => out.push(format!(
            "No password reset together with a session revocation followed the attacker's last activity ({}): the attacker may still have access",
            day(last_attacker)
        )),
        (_, Some(r)) => {
            out.push(format!(
                "The password was reset ({}) and sessions were revoked ({}) after the attacker's last activity ({})",
                day(r.password_reset),
                day(r.sessions_revoked),
                day(last_attacker)
            ));
            if kind == IncidentKind::LeftoverPersistence {
                out.push(format!(
                    "{persistence} object{} the attacker created still exist{} and should be removed (a disabled rule can be re-enabled)",
                    if persistence == 1 { "" } else { "s" },
                    if persistence == 1 { "s" } else { "" }
                ));
            }
        }
        (IncidentKind::LeftoverPersistence, None) => out.push(format!(
            "The last attacker activity on record is from {}; what was left behind still exists and keeps working until removed",
            day(last_attacker)
        )),
        _ => {}
    }
    out
}

pub fn describe_artifact(x: &Artifact, evidence: &Evidence) -> String {
    match &x.detail {
        ArtifactDetail::InboxRule { spec, enabled } => {
            let state = if *enabled {
                "enabled"
            } else {
                "disabled, but can be re-enabled"
            };
            let mut what = Vec::new();
            if spec.delete {
                what.push("deletes".to_string());
            }
            if spec.move_to_folder.is_some() {
                what.push("moves mail out of the inbox".to_string());
            }
            if spec.mark_read {
                what.push("marks as read".to_string());
            }
            if !spec.forward_to.is_empty() {
                what.push(format!("forwards to {}", spec.forward_to.join(", ")));
            }
            if !spec.keywords.is_empty() {
                what.push(format!("for mail containing {}", spec.keywords.join(", ")));
            }
            format!(
                "Inbox rule \"{}\" ({state}): {}",
                spec.name,
                what.join(", ")
            )
        }
        ArtifactDetail::MailboxForwarding { target } => {
            format!("Mailbox forwards all mail to {target}")
        }
        ArtifactDetail::OauthGrant {
            client_sp_id,
            scopes,
            all_principals,
        } => {
            let app = evidence
                .artifacts
                .iter()
                .find_map(|a| match &a.detail {
                    ArtifactDetail::ServicePrincipal { name, .. } if a.id == *client_sp_id => {
                        Some(name.clone())
                    }
                    _ => None,
                })
                .unwrap_or_else(|| client_sp_id.clone());
            format!(
                "Permission grant to \"{app}\"{}: {}",
                if *all_principals {
                    " for all users"
                } else {
                    ""
                },
                scopes.join(" ")
            )
        }
        ArtifactDetail::ServicePrincipal { app_id, name, .. } => {
            format!("Enterprise app \"{name}\" (app id {app_id})")
        }
        ArtifactDetail::Application {
            app_id,
            name,
            has_credentials,
        } => {
            format!(
                "App registration \"{name}\" (app id {app_id}){}",
                if *has_credentials {
                    " with credentials"
                } else {
                    ""
                }
            )
        }
        ArtifactDetail::Device { device_id, name } => {
            format!("Registered device \"{name}\" (device id {device_id})")
        }
        ArtifactDetail::AuthMethod {
            method,
            phone_number,
            ..
        } => match phone_number {
            Some(number) => format!("Authentication method {method} ({number})"),
            None => format!("Authentication method {method}"),
        },
        ArtifactDetail::InboundConnector {
            name, sender_ips, ..
        } => format!(
            "Inbound connector \"{name}\" accepting mail from {}",
            sender_ips.join(", ")
        ),
        ArtifactDetail::TransportRule {
            name,
            copies_or_redirects,
        } => {
            format!(
                "Transport rule \"{name}\" copying or redirecting to {}",
                copies_or_redirects.join(", ")
            )
        }
        ArtifactDetail::MailboxPermission { trustee, rights } => {
            format!("{trustee} holds {} on the mailbox", rights.join(", "))
        }
    }
}
