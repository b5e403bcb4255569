//! Step 3: one action per persistence artifact.

use super::{Draft, Operation};
use crate::error::RemediateError;
use crate::model::{Artifact, ArtifactKind, IncidentTarget, PlanOptions, Removal, Step};

/// The stable key of the step-3 action that applies `removal` to `artifact`, as [`crate::plan()`]
/// gives it; the UI reads per-artifact progress from the log with it. Kinds with a choice
/// name the removal in the key, so deleting a rule that was disabled earlier is a new action.
pub fn persistence_key(artifact: &Artifact, removal: Removal) -> String {
    format!(
        "{}:{}",
        Step::RemovePersistence.number(),
        object(artifact, removal)
    )
}

pub(super) fn remove(
    t: &IncidentTarget,
    options: &PlanOptions,
) -> Result<Vec<Draft>, RemediateError> {
    check_choices(t, options)?;
    let mut seen = std::collections::HashSet::new();
    Ok(t.artifacts
        .iter()
        .filter(|a| seen.insert((a.kind, a.id.clone())))
        .map(|a| draft(t, a, options))
        .collect())
}

/// Every per-artifact choice names an artifact of this incident whose kind allows it.
fn check_choices(t: &IncidentTarget, options: &PlanOptions) -> Result<(), RemediateError> {
    let shown = |id: &str| id.chars().take(80).collect::<String>();
    for (id, removal) in &options.artifact_removals {
        let mut named = t.artifacts.iter().filter(|a| &a.id == id).peekable();
        if named.peek().is_none() {
            return Err(RemediateError::UnknownArtifact { id: shown(id) });
        }
        if let Some(a) = named.find(|a| !a.kind.removals().contains(removal)) {
            return Err(RemediateError::RemovalNotOffered {
                kind: a.kind.as_str().replace('_', " "),
                id: shown(id),
                removal: removal.as_str(),
                offered: a
                    .kind
                    .removals()
                    .first()
                    .copied()
                    .unwrap_or_default()
                    .as_str(),
            });
        }
    }
    Ok(())
}

fn object(a: &Artifact, removal: Removal) -> String {
    if a.kind.removals().len() > 1 {
        format!("{}:{}:{}", a.kind.as_str(), removal.as_str(), a.id)
    } else {
        format!("{}:{}", a.kind.as_str(), a.id)
    }
}

fn draft(t: &IncidentTarget, a: &Artifact, options: &PlanOptions) -> Draft {
    let removal = options.removal_for(a);
    let user = &t.user_id;
    let id = &a.id;
    let (target, request, operation) = match a.kind {
        ArtifactKind::InboxRule => (
            format!("inbox rule {id} of {}", t.upn),
            match removal {
                Removal::Disable => format!(
                    "PATCH /v1.0/users/{user}/mailFolders/inbox/messageRules/{id} isEnabled=false"
                ),
                Removal::Delete => {
                    format!("DELETE /v1.0/users/{user}/mailFolders/inbox/messageRules/{id}")
                }
            },
            Operation::InboxRule {
                user_id: user.clone(),
                rule_id: id.clone(),
                removal,
            },
        ),
        ArtifactKind::MailboxForwarding => (
            format!("mailbox forwarding of {}", t.upn),
            "Exchange Set-Mailbox ForwardingSmtpAddress=$null ForwardingAddress=$null".into(),
            Operation::ClearForwarding {
                mailbox: id.clone(),
            },
        ),
        ArtifactKind::OauthGrant => (
            format!("delegated consent grant {id}"),
            format!("DELETE /v1.0/oauth2PermissionGrants/{id}"),
            Operation::DeleteOauthGrant {
                grant_id: id.clone(),
            },
        ),
        ArtifactKind::ServicePrincipal => (
            format!("service principal {id}"),
            format!("PATCH /v1.0/servicePrincipals/{id} accountEnabled=false"),
            Operation::DisableServicePrincipal {
                service_principal_id: id.clone(),
            },
        ),
        ArtifactKind::Application => {
            let (app, key) = match id.split_once('|') {
                Some((app, key)) => (app.to_string(), Some(key.to_string())),
                None => (id.clone(), None),
            };
            (
                match &key {
                    Some(k) => format!("credential {k} of application {app}"),
                    None => format!("password credentials of application {app}"),
                },
                format!("POST /v1.0/applications/{app}/removePassword"),
                Operation::RemoveApplicationCredential {
                    application_id: app,
                    key_id: key,
                },
            )
        }
        ArtifactKind::Device => (
            format!("device {id}"),
            match removal {
                Removal::Disable => format!("PATCH /v1.0/devices/{id} accountEnabled=false"),
                Removal::Delete => format!("DELETE /v1.0/devices/{id}"),
            },
            Operation::Device {
                object_id: id.clone(),
                removal,
            },
        ),
        ArtifactKind::AuthMethod => (
            format!("authentication method {id} of {}", t.upn),
            format!("DELETE /v1.0/users/{user}/authentication/{{kind}}Methods/{id}"),
            Operation::DeleteAuthMethod {
                user_id: user.clone(),
                method_id: id.clone(),
                confirmed_only_method: options.confirm_remove_only_method,
            },
        ),
        ArtifactKind::InboundConnector => (
            format!("inbound connector {id}"),
            format!(
                "Exchange {}-InboundConnector {id}",
                match removal {
                    Removal::Disable => "Set",
                    Removal::Delete => "Remove",
                }
            ),
            Operation::InboundConnector {
                identity: id.clone(),
                removal,
            },
        ),
        ArtifactKind::TransportRule => (
            format!("transport rule {id}"),
            format!(
                "Exchange {}-TransportRule {id}",
                match removal {
                    Removal::Disable => "Disable",
                    Removal::Delete => "Remove",
                }
            ),
            Operation::TransportRule {
                identity: id.clone(),
                removal,
            },
        ),
        ArtifactKind::MailboxPermission => {
            let (mailbox, trustee) = id.split_once('|').unwrap_or((id.as_str(), ""));
            (
                format!("permission of {trustee} on mailbox {mailbox}"),
                format!("Exchange Remove-MailboxPermission {mailbox} -User {trustee}"),
                Operation::RemoveMailboxPermission {
                    identity: mailbox.to_string(),
                    trustee: trustee.to_string(),
                },
            )
        }
    };
    Draft {
        object: object(a, removal),
        target,
        request,
        operation,
    }
}
