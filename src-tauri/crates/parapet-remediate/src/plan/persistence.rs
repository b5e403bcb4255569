//! Step 3: one action per persistence artifact.

use super::{Draft, Operation};
use crate::model::{Artifact, ArtifactKind, IncidentTarget, PlanOptions, Removal};

pub(super) fn remove(t: &IncidentTarget, options: &PlanOptions) -> Vec<Draft> {
    let mut seen = std::collections::HashSet::new();
    t.artifacts
        .iter()
        .filter(|a| seen.insert((a.kind, a.id.clone())))
        .map(|a| draft(t, a, options))
        .collect()
}

fn verb(removal: Removal) -> &'static str {
    match removal {
        Removal::Disable => "disable",
        Removal::Delete => "delete",
    }
}

fn draft(t: &IncidentTarget, a: &Artifact, options: &PlanOptions) -> Draft {
    let user = &t.user_id;
    let id = &a.id;
    let (target, request, operation) = match a.kind {
        ArtifactKind::InboxRule => (
            format!("inbox rule {id} of {}", t.upn),
            match options.inbox_rules {
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
                removal: options.inbox_rules,
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
            match options.devices {
                Removal::Disable => format!("PATCH /v1.0/devices/{id} accountEnabled=false"),
                Removal::Delete => format!("DELETE /v1.0/devices/{id}"),
            },
            Operation::Device {
                object_id: id.clone(),
                removal: options.devices,
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
                match options.inbound_connectors {
                    Removal::Disable => "Set",
                    Removal::Delete => "Remove",
                }
            ),
            Operation::InboundConnector {
                identity: id.clone(),
                removal: options.inbound_connectors,
            },
        ),
        ArtifactKind::TransportRule => (
            format!("transport rule {id}"),
            format!(
                "Exchange {}-TransportRule {id}",
                match options.transport_rules {
                    Removal::Disable => "Disable",
                    Removal::Delete => "Remove",
                }
            ),
            Operation::TransportRule {
                identity: id.clone(),
                removal: options.transport_rules,
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
    let object = match a.kind {
        ArtifactKind::InboxRule => format!("inbox_rule:{}:{id}", verb(options.inbox_rules)),
        ArtifactKind::Device => format!("device:{}:{id}", verb(options.devices)),
        kind => format!("{}:{id}", kind.as_str()),
    };
    Draft {
        object,
        target,
        request,
        operation,
    }
}
