//! Account, mailbox and tenant activities from the unified audit log (Exchange, SharePoint) and
//! from Entra directory audits.

use serde_json::Value;

use super::json::{array, name_value, parse_ip, split_list, text, text_any, time};
use super::users::UserIndex;
use super::{Activity, ActivityKind, RuleChange, RuleSpec};
use crate::network::NetworkLookup;

pub fn from_audit_record(
    record: &Value,
    users: &UserIndex,
    lookup: &dyn NetworkLookup,
) -> Option<Activity> {
    let operation = text(record, "Operation")?;
    let actor = text(record, "UserId")
        .unwrap_or_default()
        .to_ascii_lowercase();
    let params = |name: &str| name_value(record, "Parameters", name);
    let mut subject = users.id_by_upn(&actor);
    let kind = match operation.as_str() {
        "New-InboxRule" | "Set-InboxRule" => {
            let (mailbox, name_from_object) = split_rule_identity(
                &text(record, "ObjectId")
                    .or_else(|| params("Identity"))
                    .unwrap_or_default(),
            );
            subject = users.id_by_alias(&mailbox).or(subject);
            let mut spec = rule_spec_from_parameters(record);
            if spec.name.is_empty() {
                spec.name = name_from_object;
            }
            let change = if operation == "New-InboxRule" {
                RuleChange::Create
            } else {
                RuleChange::Modify
            };
            ActivityKind::InboxRule {
                change,
                mailbox,
                spec,
            }
        }
        "Enable-InboxRule" | "Disable-InboxRule" | "Remove-InboxRule" => {
            let (mailbox, name) = split_rule_identity(
                &params("Identity")
                    .or_else(|| text(record, "ObjectId"))
                    .unwrap_or_default(),
            );
            subject = users.id_by_alias(&mailbox).or(subject);
            let change = match operation.as_str() {
                "Enable-InboxRule" => RuleChange::Enable,
                "Disable-InboxRule" => RuleChange::Disable,
                _ => RuleChange::Remove,
            };
            ActivityKind::InboxRule {
                change,
                mailbox,
                spec: RuleSpec {
                    name,
                    ..RuleSpec::default()
                },
            }
        }
        "UpdateInboxRules" => {
            let owner = text(record, "MailboxOwnerUPN")
                .unwrap_or_else(|| actor.clone())
                .to_ascii_lowercase();
            subject = users.id_by_upn(&owner).or(subject);
            let change = match name_value(record, "OperationProperties", "RuleOperation").as_deref()
            {
                Some("Create") | Some("AddMailboxRule") => RuleChange::Create,
                Some("Delete") | Some("RemoveMailboxRule") => RuleChange::Remove,
                _ => RuleChange::Modify,
            };
            ActivityKind::InboxRule {
                change,
                mailbox: owner,
                spec: rule_spec_from_client_rule(record),
            }
        }
        "Set-Mailbox" => {
            let forward_smtp = params("ForwardingSmtpAddress");
            let forward_addr = params("ForwardingAddress");
            if forward_smtp.is_none() && forward_addr.is_none() {
                return None;
            }
            let mailbox = params("Identity")
                .or_else(|| text(record, "ObjectId"))
                .unwrap_or_default();
            subject = users.id_by_alias(&mailbox).or(subject);
            let target = forward_smtp
                .or(forward_addr)
                .map(|t| {
                    t.trim_start_matches("smtp:")
                        .trim_start_matches("SMTP:")
                        .to_string()
                })
                .filter(|t| !t.is_empty() && t != "$null");
            let keep_copy = params("DeliverToMailboxAndForward")
                .is_some_and(|v| v.eq_ignore_ascii_case("true"));
            ActivityKind::MailboxForwarding {
                mailbox,
                target,
                keep_copy,
            }
        }
        "Add-MailboxPermission" | "Add-RecipientPermission" => {
            let mailbox = params("Identity").unwrap_or_default();
            subject = users.id_by_alias(&mailbox).or(subject);
            let trustee = params("User")
                .or_else(|| params("Trustee"))
                .unwrap_or_default();
            let rights = params("AccessRights")
                .map(|r| split_list(&r))
                .unwrap_or_default();
            ActivityKind::MailboxPermission {
                mailbox,
                trustee,
                rights,
            }
        }
        "Send" | "SendAs" | "SendOnBehalf" => ActivityKind::MailSent { count: 1 },
        "SoftDelete" | "HardDelete" | "MoveToDeletedItems" => {
            let n = array(record, "AffectedItems").len().max(1);
            ActivityKind::MailDeleted {
                count: u32::try_from(n).unwrap_or(u32::MAX),
            }
        }
        "MailItemsAccessed" => {
            let n = super::json::int(record, "OperationCount")
                .unwrap_or(1)
                .max(1);
            ActivityKind::MailItemsAccessed {
                count: u32::try_from(n).unwrap_or(u32::MAX),
            }
        }
        "FileDownloaded" | "FileSyncDownloadedFull" => ActivityKind::FileDownloaded {
            object: text(record, "ObjectId").unwrap_or_default(),
        },
        "New-InboundConnector" | "Set-InboundConnector" => ActivityKind::InboundConnector {
            name: params("Name")
                .or_else(|| params("Identity"))
                .or_else(|| text(record, "ObjectId"))
                .unwrap_or_default(),
            sender_ips: params("SenderIPAddresses")
                .map(|v| split_list(&v))
                .unwrap_or_default(),
            sender_domains: params("SenderDomains")
                .map(|v| split_list(&v))
                .unwrap_or_default(),
        },
        "New-TransportRule" | "Set-TransportRule" => ActivityKind::TransportRule {
            name: params("Name")
                .or_else(|| params("Identity"))
                .or_else(|| text(record, "ObjectId"))
                .unwrap_or_default(),
            copies_or_redirects: [
                "BlindCopyTo",
                "RedirectMessageTo",
                "CopyTo",
                "AddToRecipients",
            ]
            .iter()
            .filter_map(|p| params(p))
            .flat_map(|v| split_list(&v))
            .collect(),
        },
        "Set-AdminAuditLogConfig" => {
            let off = params("UnifiedAuditLogIngestionEnabled")
                .is_some_and(|v| v.eq_ignore_ascii_case("false"));
            if !off {
                return None;
            }
            ActivityKind::AuditLoggingDisabled
        }
        _ => return None,
    };
    let ip = text_any(record, &["ClientIP", "ClientIPAddress", "ActorIpAddress"])
        .and_then(|t| parse_ip(&t));
    Some(Activity {
        record_id: text(record, "Id")?,
        time: time(record, &["CreationTime"])?,
        actor,
        subject_user_id: subject,
        network: lookup.network(ip, None),
        ip,
        kind,
    })
}

/// `…/alias\RuleName` or `alias\RuleName` → (alias, rule name).
fn split_rule_identity(identity: &str) -> (String, String) {
    match identity.rsplit_once('\\') {
        Some((left, name)) => {
            let mailbox = left.rsplit('/').next().unwrap_or(left);
            (mailbox.to_string(), name.to_string())
        }
        None => (String::new(), identity.to_string()),
    }
}

fn rule_spec_from_parameters(record: &Value) -> RuleSpec {
    let p = |name: &str| name_value(record, "Parameters", name);
    let truthy = |name: &str| p(name).is_some_and(|v| v.eq_ignore_ascii_case("true"));
    let mut keywords = Vec::new();
    for key in [
        "SubjectContainsWords",
        "SubjectOrBodyContainsWords",
        "BodyContainsWords",
    ] {
        if let Some(v) = p(key) {
            keywords.extend(split_list(&v));
        }
    }
    let mut forward_to = Vec::new();
    for key in ["ForwardTo", "ForwardAsAttachmentTo", "RedirectTo"] {
        if let Some(v) = p(key) {
            forward_to.extend(split_list(&v));
        }
    }
    RuleSpec {
        name: p("Name").unwrap_or_default(),
        move_to_folder: p("MoveToFolder"),
        delete: truthy("DeleteMessage") || truthy("SoftDeleteMessage"),
        mark_read: truthy("MarkAsRead"),
        forward_to,
        keywords,
        has_sender_condition: p("From").is_some() || p("FromAddressContainsWords").is_some(),
    }
}

/// Outlook desktop rules carry their definition as a JSON string in `ServerRule`.
fn rule_spec_from_client_rule(record: &Value) -> RuleSpec {
    let name = name_value(record, "OperationProperties", "Name").unwrap_or_default();
    let server_rule: Value = name_value(record, "OperationProperties", "ServerRule")
        .and_then(|s| serde_json::from_str(&s).ok())
        .unwrap_or(Value::Null);
    let actions_text = name_value(record, "OperationProperties", "Actions").unwrap_or_default();
    let mut spec = RuleSpec {
        name,
        ..RuleSpec::default()
    };
    for action in array(&server_rule, "Actions") {
        let kind = text(action, "ActionType").unwrap_or_default();
        match kind.as_str() {
            "ForwardToRecipientsAction"
            | "ForwardAsAttachmentToRecipientsAction"
            | "RedirectToRecipientsAction" => {
                for r in array(action, "Recipients") {
                    if let Some(a) = text(r, "Address") {
                        spec.forward_to.push(a);
                    }
                }
            }
            "DeleteAction" | "PermanentDeleteAction" => spec.delete = true,
            "MarkAsReadAction" => spec.mark_read = true,
            "MoveToFolderAction" => {
                spec.move_to_folder =
                    text_any(action, &["FolderName", "Folder", "FolderId"]).or(Some(String::new()))
            }
            _ => {}
        }
    }
    if server_rule.is_null() && actions_text.contains("Forward") {
        spec.forward_to.push(String::new());
    }
    if let Some(condition) = super::json::at(&server_rule, "Condition") {
        for key in [
            "ContainsSubjectStrings",
            "ContainsBodyStrings",
            "ContainsSubjectOrBodyStrings",
        ] {
            spec.keywords.extend(
                array(condition, key)
                    .iter()
                    .filter_map(|v| v.as_str().map(str::to_string)),
            );
        }
        spec.has_sender_condition = super::json::at(condition, "FromAddresses").is_some();
    }
    spec
}

pub fn from_directory_audit(
    record: &Value,
    users: &UserIndex,
    lookup: &dyn NetworkLookup,
) -> Option<Activity> {
    let activity = text(record, "activityDisplayName")?;
    if text(record, "result").is_some_and(|r| !r.eq_ignore_ascii_case("success")) {
        return None;
    }
    let initiator_id = text(record, "initiatedBy.user.id");
    let actor = text(record, "initiatedBy.user.userPrincipalName")
        .map(|u| u.to_ascii_lowercase())
        .or_else(|| initiator_id.clone())
        .or_else(|| text(record, "initiatedBy.app.displayName"))
        .unwrap_or_default();
    let targets = array(record, "targetResources");
    let first = targets.first();
    let target_id = first.and_then(|t| text(t, "id")).unwrap_or_default();
    let target_name = first
        .and_then(|t| text(t, "displayName"))
        .unwrap_or_default();
    let user_target = targets
        .iter()
        .find(|t| text_any(t, &["type", "Type"]).is_some_and(|k| k.eq_ignore_ascii_case("user")));
    let target_user_id = user_target.and_then(|t| text(t, "id"));
    let modified = |name: &str| -> Option<String> {
        targets
            .iter()
            .flat_map(|t| array(t, "modifiedProperties"))
            .find_map(|m| {
                (text(m, "displayName")? == name)
                    .then(|| text(m, "newValue"))
                    .flatten()
            })
    };
    let detail = |key: &str| -> Option<String> {
        array(record, "additionalDetails")
            .iter()
            .find_map(|d| (text(d, "key")? == key).then(|| text(d, "value")).flatten())
    };
    let initiator_subject = initiator_id.clone().or_else(|| users.id_by_upn(&actor));
    let (kind, subject) = match activity.as_str() {
        "Consent to application" => {
            let permissions = modified("ConsentAction.Permissions").unwrap_or_default();
            let admin = modified("ConsentContext.IsAdminConsent")
                .is_some_and(|v| v.to_ascii_lowercase().contains("true"));
            let kind = ActivityKind::Consent {
                sp_id: target_id,
                app_name: target_name,
                scopes: field_in_permissions(&permissions, "Scope:")
                    .map(|s| s.split_whitespace().map(str::to_string).collect())
                    .unwrap_or_default(),
                admin,
                grant_id: field_in_permissions(&permissions, "Id:").filter(|s| !s.is_empty()),
            };
            (kind, initiator_subject)
        }
        "Add service principal" => {
            let app_id = modified("AppId")
                .or_else(|| detail("AppId"))
                .map(|v| strip_json_list(&v));
            (
                ActivityKind::ServicePrincipalAdded {
                    sp_id: target_id,
                    app_id,
                    app_name: target_name,
                },
                initiator_subject,
            )
        }
        "Add application" => (
            ActivityKind::ApplicationAdded {
                object_id: target_id,
                app_name: target_name,
            },
            initiator_subject,
        ),
        "Add service principal credentials"
        | "Update application – Certificates and secrets management" => (
            ActivityKind::CredentialAdded {
                object_id: target_id,
                app_name: target_name,
            },
            initiator_subject,
        ),
        "Register device" => {
            let device_id =
                detail("Device Id").or_else(|| modified("DeviceId").map(|v| strip_json_list(&v)));
            (
                ActivityKind::DeviceRegistered {
                    object_id: target_id,
                    device_id,
                    name: target_name,
                },
                initiator_subject,
            )
        }
        "User registered security info" | "Admin registered security info" => {
            let method = text(record, "resultReason").unwrap_or_default();
            (
                ActivityKind::MfaRegistered { method },
                target_user_id.or(initiator_subject),
            )
        }
        "Reset user password"
        | "Reset password (by admin)"
        | "Change user password"
        | "Reset password (self-service)"
        | "Change password (self-service)" => {
            let by_admin = target_user_id.is_some() && target_user_id != initiator_id;
            (
                ActivityKind::PasswordReset { by_admin },
                target_user_id.or(initiator_subject),
            )
        }
        "Update StsRefreshTokenValidFrom Timestamp"
        | "Revoke sign-in sessions"
        | "Invalidate all refresh tokens for a user" => (
            ActivityKind::SessionsRevoked,
            target_user_id.or(initiator_subject),
        ),
        "Disable account" => (ActivityKind::AccountDisabled, target_user_id),
        _ => return None,
    };
    let ip = text(record, "initiatedBy.user.ipAddress").and_then(|t| parse_ip(&t));
    Some(Activity {
        record_id: text(record, "id")?,
        time: time(record, &["activityDateTime"])?,
        actor,
        subject_user_id: subject,
        network: lookup.network(ip, None),
        ip,
        kind,
    })
}

/// `ConsentAction.Permissions` is free text: `[Id: X, ClientId: Y, …, Scope: Mail.Read Mail.Send, …]`.
fn field_in_permissions(text: &str, label: &str) -> Option<String> {
    let start = text.rfind(label)? + label.len();
    let rest = &text[start..];
    let end = rest.find(',').unwrap_or(rest.len());
    Some(
        rest[..end]
            .trim()
            .trim_matches(|c| c == ']' || c == ';' || c == '"')
            .trim()
            .to_string(),
    )
}

fn strip_json_list(v: &str) -> String {
    v.trim_matches(|c| c == '[' || c == ']' || c == '"' || c == '\\' || c == ' ')
        .to_string()
}
