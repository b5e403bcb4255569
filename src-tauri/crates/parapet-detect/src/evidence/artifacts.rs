//! Current-state objects (snapshot time) where an attacker can leave persistence, identified the
//! way the snapshot spec identifies them.

use std::collections::BTreeMap;

use serde_json::Value;

use super::json::{array, flag, strings, text, time};
use super::{Artifact, ArtifactDetail, ArtifactType, RuleSpec, UserIndex};
use crate::knowledge::is_microsoft_tenant;

/// Owned inputs for the artifact readers, one field per snapshot file.
pub struct StateFiles<'a> {
    pub message_rules: &'a BTreeMap<String, Vec<Value>>,
    pub mailboxes: &'a [Value],
    pub grants: &'a [Value],
    pub service_principals: &'a [Value],
    pub applications: &'a [Value],
    pub devices: &'a [Value],
    pub auth_methods: &'a BTreeMap<String, Vec<Value>>,
    pub inbound_connectors: &'a [Value],
    pub transport_rules: &'a [Value],
    pub mailbox_permissions: &'a [Value],
    pub recipient_permissions: &'a [Value],
}

pub fn collect(files: &StateFiles<'_>, users: &UserIndex) -> Vec<Artifact> {
    let mut out = Vec::new();
    for (user_id, rules) in files.message_rules {
        for rule in rules {
            let Some(id) = text(rule, "id") else { continue };
            out.push(Artifact {
                kind: ArtifactType::InboxRule,
                id,
                owner_user_id: Some(user_id.clone()),
                created: None,
                detail: ArtifactDetail::InboxRule {
                    spec: rule_spec(rule),
                    enabled: flag(rule, "isEnabled").unwrap_or(true),
                },
            });
        }
    }
    for m in files.mailboxes {
        let Some(user_id) = text(m, "userId") else {
            continue;
        };
        let target = text(m, "forwardingSmtpAddress").or_else(|| text(m, "forwardingAddress"));
        if let Some(target) = target.filter(|t| !t.is_empty()) {
            let target = target
                .trim_start_matches("smtp:")
                .trim_start_matches("SMTP:")
                .to_string();
            out.push(Artifact {
                kind: ArtifactType::MailboxForwarding,
                id: user_id.clone(),
                owner_user_id: Some(user_id),
                created: None,
                detail: ArtifactDetail::MailboxForwarding { target },
            });
        }
    }
    for g in files.grants {
        let Some(id) = text(g, "id") else { continue };
        let scopes = text(g, "scope")
            .unwrap_or_default()
            .split_whitespace()
            .map(str::to_string)
            .collect();
        out.push(Artifact {
            kind: ArtifactType::OauthGrant,
            id,
            owner_user_id: text(g, "principalId"),
            created: None,
            detail: ArtifactDetail::OauthGrant {
                client_sp_id: text(g, "clientId").unwrap_or_default(),
                scopes,
                all_principals: text(g, "consentType").is_some_and(|c| c == "AllPrincipals"),
            },
        });
    }
    for sp in files.service_principals {
        let Some(id) = text(sp, "id") else { continue };
        let owner_org = text(sp, "appOwnerOrganizationId").unwrap_or_default();
        out.push(Artifact {
            kind: ArtifactType::ServicePrincipal,
            id,
            owner_user_id: None,
            created: time(sp, &["createdDateTime"]),
            detail: ArtifactDetail::ServicePrincipal {
                app_id: text(sp, "appId").unwrap_or_default().to_ascii_lowercase(),
                name: text(sp, "displayName").unwrap_or_default(),
                first_party: is_microsoft_tenant(&owner_org),
            },
        });
    }
    for app in files.applications {
        let Some(id) = text(app, "id") else { continue };
        out.push(Artifact {
            kind: ArtifactType::Application,
            id,
            owner_user_id: None,
            created: time(app, &["createdDateTime"]),
            detail: ArtifactDetail::Application {
                app_id: text(app, "appId").unwrap_or_default().to_ascii_lowercase(),
                name: text(app, "displayName").unwrap_or_default(),
                has_credentials: !array(app, "passwordCredentials").is_empty()
                    || !array(app, "keyCredentials").is_empty(),
            },
        });
    }
    for d in files.devices {
        let Some(id) = text(d, "id") else { continue };
        out.push(Artifact {
            kind: ArtifactType::Device,
            id,
            owner_user_id: strings(d, "registeredOwners").into_iter().next(),
            created: time(d, &["registrationDateTime", "createdDateTime"]),
            detail: ArtifactDetail::Device {
                device_id: text(d, "deviceId").unwrap_or_default(),
                name: text(d, "displayName").unwrap_or_default(),
            },
        });
    }
    for (user_id, methods) in files.auth_methods {
        for m in methods {
            let Some(id) = text(m, "id") else { continue };
            let method = text(m, "@odata.type")
                .unwrap_or_default()
                .trim_start_matches("#microsoft.graph.")
                .to_string();
            if method == "passwordAuthenticationMethod" {
                continue;
            }
            out.push(Artifact {
                kind: ArtifactType::AuthMethod,
                id,
                owner_user_id: Some(user_id.clone()),
                created: time(m, &["createdDateTime"]),
                detail: ArtifactDetail::AuthMethod {
                    method,
                    phone_number: text(m, "phoneNumber").filter(|n| !n.trim().is_empty()),
                    phone_type: text(m, "phoneType"),
                },
            });
        }
    }
    for c in files.inbound_connectors {
        let Some(id) = text(c, "Identity") else {
            continue;
        };
        out.push(Artifact {
            kind: ArtifactType::InboundConnector,
            owner_user_id: None,
            created: time(c, &["WhenCreated"]),
            detail: ArtifactDetail::InboundConnector {
                name: text(c, "Name").unwrap_or_else(|| id.clone()),
                sender_ips: strings(c, "SenderIPAddresses"),
                sender_domains: strings(c, "SenderDomains"),
            },
            id,
        });
    }
    for r in files.transport_rules {
        let Some(id) = text(r, "Identity") else {
            continue;
        };
        let mut copies = strings(r, "BlindCopyTo");
        copies.extend(strings(r, "RedirectMessageTo"));
        copies.extend(strings(r, "CopyTo"));
        out.push(Artifact {
            kind: ArtifactType::TransportRule,
            owner_user_id: None,
            created: time(r, &["WhenChanged", "WhenCreated"]),
            detail: ArtifactDetail::TransportRule {
                name: text(r, "Name").unwrap_or_else(|| id.clone()),
                copies_or_redirects: copies,
            },
            id,
        });
    }
    for (list, trustee_key) in [
        (files.mailbox_permissions, "User"),
        (files.recipient_permissions, "Trustee"),
    ] {
        for p in list {
            let (Some(identity), Some(trustee)) = (text(p, "Identity"), text(p, trustee_key))
            else {
                continue;
            };
            let inherited = flag(p, "IsInherited").unwrap_or(false);
            let deny = flag(p, "Deny").unwrap_or(false);
            if inherited || deny || trustee.to_ascii_uppercase().starts_with("NT AUTHORITY") {
                continue;
            }
            out.push(Artifact {
                kind: ArtifactType::MailboxPermission,
                id: format!("{identity}|{trustee}"),
                owner_user_id: users.id_by_alias(&identity),
                created: None,
                detail: ArtifactDetail::MailboxPermission {
                    trustee,
                    rights: strings(p, "AccessRights"),
                },
            });
        }
    }
    out
}

/// A Graph `messageRule` as a [`RuleSpec`]. `moveToFolder` is an opaque folder id here; the
/// folder's name is only known from the audit record that created the rule.
pub fn rule_spec(rule: &Value) -> RuleSpec {
    let mut keywords = Vec::new();
    for key in [
        "conditions.subjectContains",
        "conditions.bodyContains",
        "conditions.bodyOrSubjectContains",
    ] {
        keywords.extend(strings(rule, key));
    }
    let mut forward_to = Vec::new();
    for key in [
        "actions.forwardTo",
        "actions.forwardAsAttachmentTo",
        "actions.redirectTo",
    ] {
        forward_to.extend(strings(rule, key));
    }
    RuleSpec {
        name: text(rule, "displayName").unwrap_or_default(),
        move_to_folder: text(rule, "actions.moveToFolder"),
        delete: flag(rule, "actions.delete").unwrap_or(false)
            || flag(rule, "actions.permanentDelete").unwrap_or(false),
        mark_read: flag(rule, "actions.markAsRead").unwrap_or(false),
        forward_to,
        keywords,
        has_sender_condition: !strings(rule, "conditions.senderContains").is_empty()
            || !strings(rule, "conditions.fromAddresses").is_empty(),
    }
}
