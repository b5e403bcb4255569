//! Building [`Evidence`] from snapshot records. Records are read as Microsoft-shaped JSON (the
//! snapshot spec is the contract), so the engine sees exactly the fields Microsoft sent,
//! including ones the typed snapshot model keeps only in `extra`.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::activities::from_audit_record;
use super::artifacts::{collect, StateFiles};
use super::directory::{from_directory_audit, from_unified_audit_entra};
use super::json::{flag, strings, text, time};
use super::records::{PerUserRecords, Records, Typed, TypedPerUser};
use super::signins::{from_entra, from_unified_audit, SignInContext};
use super::{Evidence, MailMessage, SignInEvent, TenantFacts, UserFacts, UserIndex};
use crate::knowledge::{is_microsoft_tenant, rogue_app};
use crate::network::NetworkLookup;

/// One tenant snapshot as JSON records, one field per snapshot file (absent file = empty).
#[derive(Debug, Clone, Default)]
pub struct RawSnapshot {
    pub tenant: Value,
    pub users: Vec<Value>,
    pub sign_ins: Vec<Value>,
    pub directory_audits: Vec<Value>,
    pub audit_records: Vec<Value>,
    pub mailboxes: Vec<Value>,
    pub message_rules: BTreeMap<String, Vec<Value>>,
    pub messages: BTreeMap<String, Vec<Value>>,
    pub authentication_methods: BTreeMap<String, Vec<Value>>,
    pub service_principals: Vec<Value>,
    pub applications: Vec<Value>,
    pub oauth2_permission_grants: Vec<Value>,
    pub devices: Vec<Value>,
    pub mailbox_permissions: Vec<Value>,
    pub recipient_permissions: Vec<Value>,
    pub inbound_connectors: Vec<Value>,
    pub transport_rules: Vec<Value>,
}

impl RawSnapshot {
    /// Fills a snapshot from parsed files; `file` returns the parsed JSON of a spec file name
    /// (`"signIns.json"`), or `None` when absent. Wrong top-level types count as absent: the
    /// snapshot reader is the place that rejects them.
    pub fn from_files(file: impl Fn(&str) -> Option<Value>) -> Self {
        let list = |name: &str| match file(name) {
            Some(Value::Array(items)) => items,
            _ => Vec::new(),
        };
        let per_user = |name: &str| -> BTreeMap<String, Vec<Value>> {
            match file(name) {
                Some(Value::Object(map)) => map
                    .into_iter()
                    .map(|(k, v)| {
                        (
                            k,
                            if let Value::Array(items) = v {
                                items
                            } else {
                                Vec::new()
                            },
                        )
                    })
                    .collect(),
                _ => BTreeMap::new(),
            }
        };
        RawSnapshot {
            tenant: file("tenant.json").unwrap_or(Value::Null),
            users: list("users.json"),
            sign_ins: list("signIns.json"),
            directory_audits: list("directoryAudits.json"),
            audit_records: list("auditRecords.json"),
            mailboxes: list("mailboxes.json"),
            message_rules: per_user("messageRules.json"),
            messages: per_user("messages.json"),
            authentication_methods: per_user("authenticationMethods.json"),
            service_principals: list("servicePrincipals.json"),
            applications: list("applications.json"),
            oauth2_permission_grants: list("oauth2PermissionGrants.json"),
            devices: list("devices.json"),
            mailbox_permissions: list("mailboxPermissions.json"),
            recipient_permissions: list("recipientPermissions.json"),
            inbound_connectors: list("inboundConnectors.json"),
            transport_rules: list("transportRules.json"),
        }
    }
}

impl Evidence {
    /// Normalizes a snapshot. Pure: the lookup is the only outside knowledge.
    pub fn from_raw(raw: &RawSnapshot, lookup: &dyn NetworkLookup) -> Evidence {
        normalize(
            &Sources {
                tenant: &raw.tenant,
                users: &raw.users,
                state: state_files(raw),
                sign_ins: &raw.sign_ins,
                audit_records: &raw.audit_records,
                directory_audits: &raw.directory_audits,
                messages: &raw.messages,
            },
            lookup,
        )
    }
}

/// What normalization reads: the tenant and the current state as JSON, the logs one record at a
/// time (see [`Records`]).
struct Sources<'a> {
    tenant: &'a Value,
    users: &'a [Value],
    state: StateFiles<'a>,
    sign_ins: &'a dyn Records,
    audit_records: &'a dyn Records,
    directory_audits: &'a dyn Records,
    messages: &'a dyn PerUserRecords,
}

fn state_files(raw: &RawSnapshot) -> StateFiles<'_> {
    StateFiles {
        message_rules: &raw.message_rules,
        mailboxes: &raw.mailboxes,
        grants: &raw.oauth2_permission_grants,
        service_principals: &raw.service_principals,
        applications: &raw.applications,
        devices: &raw.devices,
        auth_methods: &raw.authentication_methods,
        inbound_connectors: &raw.inbound_connectors,
        transport_rules: &raw.transport_rules,
        mailbox_permissions: &raw.mailbox_permissions,
        recipient_permissions: &raw.recipient_permissions,
    }
}

fn normalize(src: &Sources<'_>, lookup: &dyn NetworkLookup) -> Evidence {
    let tenant = TenantFacts {
        id: text(src.tenant, "id").unwrap_or_default(),
        display_name: text(src.tenant, "displayName").unwrap_or_default(),
        verified_domains: strings(src.tenant, "verifiedDomains"),
        snapshot_time: time(src.tenant, &["snapshotTime"]),
    };
    let users: Vec<UserFacts> = src
        .users
        .iter()
        .filter_map(|u| {
            Some(UserFacts {
                id: text(u, "id")?,
                upn: text(u, "userPrincipalName")
                    .unwrap_or_default()
                    .to_ascii_lowercase(),
                display_name: text(u, "displayName").unwrap_or_default(),
                mail: text(u, "mail"),
                account_enabled: flag(u, "accountEnabled").unwrap_or(true),
            })
        })
        .collect();
    let index = UserIndex::new(&users, src.state.mailboxes);
    let mut third_party: BTreeSet<String> = src
        .state
        .service_principals
        .iter()
        .filter(|sp| !is_microsoft_tenant(&text(sp, "appOwnerOrganizationId").unwrap_or_default()))
        .filter_map(|sp| text(sp, "appId").map(|a| a.to_ascii_lowercase()))
        .collect();
    let mut sources = Vec::new();
    // A rogue app can be known from its sign-ins alone, so whether a sign-in's app is a third
    // party's is settled once every sign-in has been read (in one pass: re-emitting a typed
    // record as JSON is most of the cost of reading it).
    let mut sign_ins: Vec<SignInEvent> = Vec::new();
    src.sign_ins.each(&mut |r| {
        if let Some(app_id) = text(r, "appId").filter(|a| rogue_app(a).is_some()) {
            third_party.insert(app_id);
        }
        sign_ins.extend(from_entra(r, lookup));
    });
    for sign_in in &mut sign_ins {
        sign_in.third_party_app = third_party.contains(&sign_in.app_id);
    }
    if !sign_ins.is_empty() {
        sources.push("entraSignIns".to_string());
    }
    let ctx = SignInContext {
        third_party_app_ids: &third_party,
        lookup,
    };
    // One pass over the audit log for its logons, its activities and, without directory audits,
    // its Entra operations. The logons fill what Entra's sign-in log does not hold: all of it
    // without Entra ID P1, and the months before the sign-in log's retention otherwise.
    let entra_from = sign_ins.iter().map(|s| s.time).min();
    let entra_from_audit_log = src.directory_audits.is_empty();
    let mut ual_sign_ins = Vec::new();
    let mut activities = Vec::new();
    let mut entra_activities = Vec::new();
    src.audit_records.each(&mut |r| {
        let upn = text(r, "UserId").unwrap_or_default();
        let uid = index.id_by_upn(&upn).unwrap_or_default();
        ual_sign_ins.extend(
            from_unified_audit(r, &uid, &ctx).filter(|s| match entra_from {
                Some(from) => s.time < from,
                None => true,
            }),
        );
        activities.extend(from_audit_record(r, &index, lookup));
        if entra_from_audit_log {
            entra_activities.extend(from_unified_audit_entra(r, &index, lookup));
        }
    });
    if !ual_sign_ins.is_empty() {
        sources.push("unifiedAuditLogSignIns".to_string());
    }
    sign_ins.extend(ual_sign_ins);
    sign_ins.sort_by(|a, b| (a.time, &a.record_id).cmp(&(b.time, &b.record_id)));

    if !src.audit_records.is_empty() {
        sources.push("unifiedAuditLog".to_string());
    }
    src.directory_audits.each(&mut |r| {
        activities.extend(from_directory_audit(r, &index, lookup));
    });
    if !src.directory_audits.is_empty() {
        sources.push("directoryAudits".to_string());
    } else if !entra_activities.is_empty() {
        activities.extend(entra_activities);
        sources.push("unifiedAuditLogDirectory".to_string());
    }
    activities.sort_by(|a, b| (a.time, &a.record_id).cmp(&(b.time, &b.record_id)));

    let messages = messages(src.messages, &index);
    if !messages.is_empty() {
        sources.push("messages".to_string());
    }
    let artifacts = collect(&src.state, &index);
    sources.push("currentState".to_string());
    Evidence {
        tenant,
        users,
        sign_ins,
        activities,
        messages,
        artifacts,
        sources,
    }
}

/// One entry per sent message (copies in several mailboxes are merged by internetMessageId).
/// The mailbox a copy sits in counts as a recipient: Bcc'd phishing shows only the sender in
/// `toRecipients`.
fn messages(per_user: &dyn PerUserRecords, users: &UserIndex) -> Vec<MailMessage> {
    let mut by_key: BTreeMap<String, MailMessage> = BTreeMap::new();
    per_user.each(&mut |owner_id, m| {
        let Some(id) = text(m, "id") else { return };
        let Some(when) = time(m, &["sentDateTime", "receivedDateTime", "createdDateTime"]) else {
            return;
        };
        let key = text(m, "internetMessageId").unwrap_or_else(|| id.clone());
        let entry = by_key.entry(key).or_insert_with(|| MailMessage {
            record_id: id,
            time: when,
            sender: text(m, "from.emailAddress.address")
                .unwrap_or_default()
                .to_ascii_lowercase(),
            subject: text(m, "subject").unwrap_or_default(),
            recipients: Vec::new(),
        });
        let in_sent_items =
            text(m, "parentFolderId").is_some_and(|f| f.eq_ignore_ascii_case("sentitems"));
        let holder = users
            .upn_of(owner_id)
            .filter(|o| !in_sent_items && *o != entry.sender)
            .map(str::to_string);
        for r in strings(m, "toRecipients")
            .into_iter()
            .chain(strings(m, "ccRecipients"))
            .chain(strings(m, "bccRecipients"))
            .chain(holder)
        {
            let r = r.to_ascii_lowercase();
            if !entry.recipients.contains(&r) {
                entry.recipients.push(r);
            }
        }
    });
    let mut out: Vec<MailMessage> = by_key.into_values().collect();
    out.sort_by(|a, b| (a.time, &a.record_id).cmp(&(b.time, &b.record_id)));
    out
}

/// Normalizes a typed snapshot. Each record is re-emitted as the JSON Microsoft sent (the
/// snapshot model keeps every field), so detection reads one shape whatever produced it. The
/// logs are re-emitted one record at a time (see [`Records`]), the small current-state files
/// whole.
pub fn evidence_from_snapshot(
    snapshot: &parapet_snapshot::Snapshot,
    lookup: &dyn NetworkLookup,
) -> Evidence {
    let state = state_from_snapshot(snapshot);
    normalize(
        &Sources {
            tenant: &state.tenant,
            users: &state.users,
            state: state_files(&state),
            sign_ins: &Typed(&snapshot.sign_ins),
            audit_records: &Typed(&snapshot.audit_records),
            directory_audits: &Typed(&snapshot.directory_audits),
            messages: &TypedPerUser(&snapshot.messages),
        },
        lookup,
    )
}

/// A whole snapshot as JSON records.
pub fn raw_from_snapshot(s: &parapet_snapshot::Snapshot) -> RawSnapshot {
    RawSnapshot {
        sign_ins: json_list(&s.sign_ins),
        directory_audits: json_list(&s.directory_audits),
        audit_records: json_list(&s.audit_records),
        messages: json_per_user(&s.messages),
        ..state_from_snapshot(s)
    }
}

/// The tenant and its current state as JSON records; the log collections are left empty.
fn state_from_snapshot(s: &parapet_snapshot::Snapshot) -> RawSnapshot {
    RawSnapshot {
        tenant: serde_json::to_value(&s.tenant).unwrap_or(Value::Null),
        users: json_list(&s.users),
        mailboxes: json_list(&s.mailboxes),
        message_rules: json_per_user(&s.message_rules),
        authentication_methods: json_per_user(&s.authentication_methods),
        service_principals: json_list(&s.service_principals),
        applications: json_list(&s.applications),
        oauth2_permission_grants: json_list(&s.oauth2_permission_grants),
        devices: json_list(&s.devices),
        mailbox_permissions: json_list(&s.mailbox_permissions),
        recipient_permissions: json_list(&s.recipient_permissions),
        inbound_connectors: json_list(&s.inbound_connectors),
        transport_rules: json_list(&s.transport_rules),
        ..RawSnapshot::default()
    }
}

fn json_list<T: serde::Serialize>(items: &[T]) -> Vec<Value> {
    items
        .iter()
        .filter_map(|i| serde_json::to_value(i).ok())
        .collect()
}

fn json_per_user<T: serde::Serialize>(
    map: &BTreeMap<String, Vec<T>>,
) -> BTreeMap<String, Vec<Value>> {
    map.iter().map(|(k, v)| (k.clone(), json_list(v))).collect()
}
