//! One customer tenant's mutable data, held as Microsoft-shaped JSON so that responses carry
//! every field the snapshot had, including ones this simulator does not know.

use crate::clock::parse_time;
use chrono::{DateTime, Utc};
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet};

pub type Record = Map<String, Value>;

/// Per-user collections (`messageRules.json`, `messages.json`, ...) keyed by user object id.
pub type PerUser = BTreeMap<String, Vec<Record>>;

#[derive(Debug, Clone, Default)]
pub struct TenantData {
    pub id: String,
    pub display_name: String,
    pub default_domain: String,
    pub verified_domains: Vec<String>,
    pub snapshot_time: Option<DateTime<Utc>>,
    pub p1: bool,
    pub p2: bool,
    pub users: Vec<Record>,
    pub subscribed_skus: Vec<Record>,
    /// Newest first, as Microsoft serves them.
    pub sign_ins: Vec<Record>,
    /// Newest first.
    pub directory_audits: Vec<Record>,
    /// Management Activity API schema (PascalCase), newest first. Audit queries and content
    /// blobs binary-search this order, so changes go through `insert_audit_record`.
    pub audit_records: Vec<Record>,
    pub mailboxes: Vec<Record>,
    pub message_rules: PerUser,
    pub messages: PerUser,
    pub auth_methods: PerUser,
    pub service_principals: Vec<Record>,
    pub applications: Vec<Record>,
    pub oauth2_grants: Vec<Record>,
    pub app_role_assignments: Vec<Record>,
    pub devices: Vec<Record>,
    pub mailbox_permissions: Vec<Record>,
    pub recipient_permissions: Vec<Record>,
    pub inbound_connectors: Vec<Record>,
    pub transport_rules: Vec<Record>,
    pub ca_policies: Vec<Record>,
    /// Identity Protection state (none in snapshots; filled by confirmCompromised/dismiss).
    pub risky_users: Vec<Record>,
    pub risk_detections: Vec<Record>,
    /// Password reset long-running operations by id (`authentication/operations/{id}`).
    pub password_operations: BTreeMap<String, Record>,
    /// (user id, due time, value): `accountEnabled` values a directory sync will put back.
    pub pending_reverts: Vec<(String, DateTime<Utc>, Value)>,
    /// App ids with admin consent (a service principal) in this tenant.
    pub consented_apps: BTreeSet<String>,
    /// Set by `SimConfig::consented` or the admin surface: every partner app counts as consented.
    pub consent_all: bool,
}

/// Raw JSON of a snapshot, file by file (file stem → parsed content), the common ground between
/// `parapet_snapshot::Snapshot` and hand-written test data.
pub struct RawSnapshot {
    pub tenant: Value,
    pub files: BTreeMap<String, Value>,
}

impl TenantData {
    pub fn from_raw(raw: RawSnapshot) -> Result<TenantData, String> {
        let t = raw
            .tenant
            .as_object()
            .ok_or("tenant.json is not an object")?;
        let text = |k: &str| {
            t.get(k)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string()
        };
        let id = text("id").to_ascii_lowercase();
        if id.is_empty() {
            return Err("tenant.json has no id".into());
        }
        let licences = t.get("licenses");
        let flag = |k: &str| {
            licences
                .and_then(|l| l.get(k))
                .and_then(Value::as_bool)
                .unwrap_or(false)
        };
        let mut files = raw.files;
        let mut list = |name: &str| -> Result<Vec<Record>, String> { take_list(&mut files, name) };
        let mut data = TenantData {
            display_name: text("displayName"),
            default_domain: text("defaultDomainName"),
            verified_domains: t
                .get("verifiedDomains")
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(|v| v.as_str().map(String::from))
                        .collect()
                })
                .unwrap_or_default(),
            snapshot_time: t
                .get("snapshotTime")
                .and_then(Value::as_str)
                .and_then(parse_time),
            p1: flag("entraIdP1") || flag("entraIdP2"),
            p2: flag("entraIdP2"),
            users: list("users")?,
            subscribed_skus: list("subscribedSkus")?,
            sign_ins: list("signIns")?,
            directory_audits: list("directoryAudits")?,
            audit_records: list("auditRecords")?,
            mailboxes: list("mailboxes")?,
            service_principals: list("servicePrincipals")?,
            applications: list("applications")?,
            oauth2_grants: list("oauth2PermissionGrants")?,
            app_role_assignments: list("appRoleAssignments")?,
            devices: list("devices")?,
            mailbox_permissions: list("mailboxPermissions")?,
            recipient_permissions: list("recipientPermissions")?,
            inbound_connectors: list("inboundConnectors")?,
            transport_rules: list("transportRules")?,
            ca_policies: list("conditionalAccessPolicies")?,
            id,
            ..TenantData::default()
        };
        data.message_rules = take_per_user(&mut files, "messageRules")?;
        data.messages = take_per_user(&mut files, "messages")?;
        data.auth_methods = take_per_user(&mut files, "authenticationMethods")?;
        sort_newest_first(&mut data.sign_ins, "createdDateTime");
        sort_newest_first(&mut data.directory_audits, "activityDateTime");
        sort_newest_first(&mut data.audit_records, "CreationTime");
        Ok(data)
    }

    pub fn user(&self, id_or_upn: &str) -> Option<&Record> {
        self.users.iter().find(|u| user_matches(u, id_or_upn))
    }

    pub fn user_mut(&mut self, id_or_upn: &str) -> Option<&mut Record> {
        self.users.iter_mut().find(|u| user_matches(u, id_or_upn))
    }

    /// The object id of a user given by id or UPN.
    pub fn user_id(&self, id_or_upn: &str) -> Option<String> {
        self.user(id_or_upn)
            .and_then(|u| str_field(u, "id"))
            .map(str::to_ascii_lowercase)
    }

    /// Applies the directory-sync reverts that are due at `now`.
    pub fn apply_due_reverts(&mut self, now: DateTime<Utc>) {
        let (due, later): (Vec<_>, Vec<_>) = std::mem::take(&mut self.pending_reverts)
            .into_iter()
            .partition(|(_, at, _)| *at <= now);
        self.pending_reverts = later;
        for (user, _, value) in due {
            if let Some(u) = self.user_mut(&user) {
                u.insert("accountEnabled".into(), value);
            }
        }
    }

    pub fn is_consented(&self, app_id: &str) -> bool {
        self.consent_all || self.consented_apps.contains(&app_id.to_ascii_lowercase())
    }

    /// Inserts a sign-in keeping newest-first order.
    pub fn insert_sign_in(&mut self, record: Record) {
        insert_sorted(&mut self.sign_ins, record, "createdDateTime");
    }

    pub fn insert_directory_audit(&mut self, record: Record) {
        insert_sorted(&mut self.directory_audits, record, "activityDateTime");
    }

    pub fn insert_audit_record(&mut self, record: Record) {
        insert_sorted(&mut self.audit_records, record, "CreationTime");
    }
}

fn user_matches(u: &Record, id_or_upn: &str) -> bool {
    str_field(u, "id").is_some_and(|id| id.eq_ignore_ascii_case(id_or_upn))
        || str_field(u, "userPrincipalName").is_some_and(|upn| upn.eq_ignore_ascii_case(id_or_upn))
}

pub fn str_field<'a>(r: &'a Record, key: &str) -> Option<&'a str> {
    r.get(key).and_then(Value::as_str)
}

pub fn time_field(r: &Record, key: &str) -> Option<DateTime<Utc>> {
    str_field(r, key).and_then(parse_time)
}

fn sort_newest_first(list: &mut [Record], key: &str) {
    // Ties are broken by id so that paging cursors (time, id) are total.
    list.sort_by(|a, b| sort_key(b, key).cmp(&sort_key(a, key)));
}

fn sort_key<'a>(r: &'a Record, key: &str) -> (Option<DateTime<Utc>>, Option<&'a str>) {
    (
        time_field(r, key),
        str_field(r, "id").or(str_field(r, "Id")),
    )
}

/// Where a stable re-sort would put a record pushed last: after every record whose key is not
/// older. Found by binary search, so injecting or generating records one at a time into a large
/// log does not re-sort (and re-parse) the whole log each time.
fn insert_sorted(list: &mut Vec<Record>, record: Record, key: &str) {
    let new_key = sort_key(&record, key);
    let at = list.partition_point(|r| sort_key(r, key) >= new_key);
    list.insert(at, record);
}

fn take_list(files: &mut BTreeMap<String, Value>, name: &str) -> Result<Vec<Record>, String> {
    match files.remove(name) {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(items)) => items
            .into_iter()
            .map(|v| match v {
                Value::Object(o) => Ok(o),
                _ => Err(format!("{name}.json holds a non-object record")),
            })
            .collect(),
        Some(_) => Err(format!("{name}.json is not an array")),
    }
}

fn take_per_user(files: &mut BTreeMap<String, Value>, name: &str) -> Result<PerUser, String> {
    match files.remove(name) {
        None | Some(Value::Null) => Ok(PerUser::new()),
        Some(Value::Object(map)) => {
            let mut out = PerUser::new();
            for (user, v) in map {
                let mut one = BTreeMap::new();
                one.insert(name.to_string(), v);
                out.insert(user.to_ascii_lowercase(), take_list(&mut one, name)?);
            }
            Ok(out)
        }
        Some(_) => Err(format!("{name}.json is not an object keyed by user id")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn inserting_one_at_a_time_orders_as_a_stable_sort_does() {
        // Ties on time (broken by id), an equal key twice, a second-precision time, an
        // unparseable and a missing time (these sort last).
        let arrivals = [
            ("2026-11-20T08:00:00Z", "b"),
            ("2026-11-20T09:00:00.5Z", "a"),
            ("2026-11-20T08:00:00Z", "c"),
            ("2026-11-20T08:00:00", "a"),
            ("garbage", "z"),
            ("2026-11-19T23:59:59.9999999Z", "q"),
            ("2026-11-20T08:00:00Z", "b"),
            ("", "m"),
        ];
        let records: Vec<Record> = arrivals
            .iter()
            .enumerate()
            .map(|(n, (t, id))| {
                let mut r = Record::new();
                if !t.is_empty() {
                    r.insert("createdDateTime".into(), json!(t));
                }
                r.insert("id".into(), json!(id));
                r.insert("arrival".into(), json!(n));
                r
            })
            .collect();
        let mut sorted = records.clone();
        sort_newest_first(&mut sorted, "createdDateTime");
        let mut data = TenantData::default();
        for r in records {
            data.insert_sign_in(r);
        }
        let arrival =
            |v: &[Record]| -> Vec<Value> { v.iter().map(|r| r["arrival"].clone()).collect() };
        assert_eq!(arrival(&data.sign_ins), arrival(&sorted));
        assert_eq!(arrival(&sorted)[..3], [json!(1), json!(2), json!(0)]);
    }
}
