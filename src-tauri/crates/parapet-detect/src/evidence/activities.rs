//! Mailbox and tenant activities from the unified audit log (Exchange, SharePoint).

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
                app_id: text_any(record, &["AppId", "ClientAppId"])
                    .map(|a| a.to_ascii_lowercase())
                    .filter(|a| !a.is_empty()),
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
