//! Collected evidence: Microsoft's records as JSON, per tenant and kind, and the watermarks
//! that make the next collection incremental.
//!
//! Log kinds ([`EvidenceKind::is_log`]) accumulate and are upserted by id, so overlapping
//! fetch windows never duplicate. Current-state kinds are replaced wholesale by each
//! collection, so a rule deleted in the tenant disappears from the store too.
//! [`Store::evidence_snapshot`] rebuilds a [`parapet_snapshot::Snapshot`] from the rows, so
//! the pure detector runs on stored evidence unchanged.

use chrono::{DateTime, SecondsFormat, Utc};
use parapet_snapshot::model::TenantInfo;
use parapet_snapshot::{PerUser, Snapshot};
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::{Store, StoreError};

/// What a stored record is; one per snapshot collection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EvidenceKind {
    User,
    SubscribedSku,
    SignIn,
    DirectoryAudit,
    AuditRecord,
    Mailbox,
    MessageRule,
    Message,
    AuthenticationMethod,
    ServicePrincipal,
    Application,
    OAuth2PermissionGrant,
    AppRoleAssignment,
    Device,
    MailboxPermission,
    RecipientPermission,
    InboundConnector,
    TransportRule,
    ConditionalAccessPolicy,
}

impl EvidenceKind {
    /// Every kind, in snapshot file order.
    pub const ALL: [EvidenceKind; 19] = [
        Self::User,
        Self::SubscribedSku,
        Self::SignIn,
        Self::DirectoryAudit,
        Self::AuditRecord,
        Self::Mailbox,
        Self::MessageRule,
        Self::Message,
        Self::AuthenticationMethod,
        Self::ServicePrincipal,
        Self::Application,
        Self::OAuth2PermissionGrant,
        Self::AppRoleAssignment,
        Self::Device,
        Self::MailboxPermission,
        Self::RecipientPermission,
        Self::InboundConnector,
        Self::TransportRule,
        Self::ConditionalAccessPolicy,
    ];

    /// The stored spelling (the snapshot file name without `.json`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::User => "users",
            Self::SubscribedSku => "subscribedSkus",
            Self::SignIn => "signIns",
            Self::DirectoryAudit => "directoryAudits",
            Self::AuditRecord => "auditRecords",
            Self::Mailbox => "mailboxes",
            Self::MessageRule => "messageRules",
            Self::Message => "messages",
            Self::AuthenticationMethod => "authenticationMethods",
            Self::ServicePrincipal => "servicePrincipals",
            Self::Application => "applications",
            Self::OAuth2PermissionGrant => "oauth2PermissionGrants",
            Self::AppRoleAssignment => "appRoleAssignments",
            Self::Device => "devices",
            Self::MailboxPermission => "mailboxPermissions",
            Self::RecipientPermission => "recipientPermissions",
            Self::InboundConnector => "inboundConnectors",
            Self::TransportRule => "transportRules",
            Self::ConditionalAccessPolicy => "conditionalAccessPolicies",
        }
    }

    /// Log kinds accumulate by id with an event time; the rest are current state.
    pub fn is_log(self) -> bool {
        matches!(
            self,
            Self::SignIn | Self::DirectoryAudit | Self::AuditRecord | Self::Message
        )
    }

    /// Kinds stored per user (the snapshot's `{userId: [record]}` files).
    pub fn is_per_user(self) -> bool {
        matches!(
            self,
            Self::MessageRule | Self::Message | Self::AuthenticationMethod
        )
    }

    /// The `(id, event time)` properties of a log kind's records.
    fn log_keys(self) -> Option<(&'static str, &'static str)> {
        match self {
            Self::SignIn => Some(("id", "createdDateTime")),
            Self::DirectoryAudit => Some(("id", "activityDateTime")),
            Self::AuditRecord => Some(("Id", "CreationTime")),
            Self::Message => Some(("id", "receivedDateTime")),
            _ => None,
        }
    }
}

/// One log record to store: Microsoft's JSON plus the keys the store indexes it by.
#[derive(Debug, Clone, PartialEq)]
pub struct EvidenceRecord {
    /// The owning user's object id for per-user kinds, `None` for tenant-wide kinds.
    pub user_id: Option<String>,
    pub id: String,
    pub time: DateTime<Utc>,
    pub json: Value,
}

impl EvidenceRecord {
    /// Reads the id and event time of a log kind's record from its own properties (`Id` and
    /// `CreationTime` for audit records, `id` and `createdDateTime` for sign-ins, ...).
    /// `None` for a current-state kind, a record without a usable id or time, or one the
    /// snapshot model cannot read (so a stored row never breaks [`Store::evidence_snapshot`]).
    pub fn from_json(kind: EvidenceKind, user_id: Option<String>, json: Value) -> Option<Self> {
        let (id_key, time_key) = kind.log_keys()?;
        if !kind.fits(&json) {
            return None;
        }
        let id = json.get(id_key)?.as_str()?.to_string();
        let time = parapet_snapshot::time::parse(json.get(time_key)?.as_str()?)?;
        Some(EvidenceRecord {
            user_id,
            id,
            time,
            json,
        })
    }
}

/// One current-state record: Microsoft's JSON and, for per-user kinds, its user.
#[derive(Debug, Clone, PartialEq)]
pub struct StateRecord {
    pub user_id: Option<String>,
    pub json: Value,
}

impl StateRecord {
    /// A current-state record, or `None` when the snapshot model cannot read it.
    pub fn from_json(kind: EvidenceKind, user_id: Option<String>, json: Value) -> Option<Self> {
        kind.fits(&json).then_some(StateRecord { user_id, json })
    }
}

impl EvidenceKind {
    /// Whether the snapshot model reads `json` as this kind's record.
    pub fn fits(self, json: &Value) -> bool {
        use parapet_snapshot::model as m;
        fn reads<T: DeserializeOwned>(json: &Value) -> bool {
            T::deserialize(json).is_ok()
        }
        match self {
            Self::User => reads::<m::User>(json),
            Self::SubscribedSku => reads::<m::SubscribedSku>(json),
            Self::SignIn => reads::<m::SignIn>(json),
            Self::DirectoryAudit => reads::<m::DirectoryAudit>(json),
            Self::AuditRecord => reads::<m::AuditRecord>(json),
            Self::Mailbox => reads::<m::Mailbox>(json),
            Self::MessageRule => reads::<m::MessageRule>(json),
            Self::Message => reads::<m::Message>(json),
            Self::AuthenticationMethod => reads::<m::AuthenticationMethod>(json),
            Self::ServicePrincipal => reads::<m::ServicePrincipal>(json),
            Self::Application => reads::<m::Application>(json),
            Self::OAuth2PermissionGrant => reads::<m::OAuth2PermissionGrant>(json),
            Self::AppRoleAssignment => reads::<m::AppRoleAssignment>(json),
            Self::Device => reads::<m::Device>(json),
            Self::MailboxPermission => reads::<m::MailboxPermission>(json),
            Self::RecipientPermission => reads::<m::RecipientPermission>(json),
            Self::InboundConnector => reads::<m::InboundConnector>(json),
            Self::TransportRule => reads::<m::TransportRule>(json),
            Self::ConditionalAccessPolicy => reads::<m::ConditionalAccessPolicy>(json),
        }
    }
}

/// Watermarks and stored times use one fixed-width spelling so text order is time order.
fn stored_time(time: DateTime<Utc>) -> String {
    time.to_rfc3339_opts(SecondsFormat::Micros, true)
}

impl Store {
    /// Upserts log records by `(kind, user, id)` in one transaction; returns how many were new.
    /// A record already stored is rewritten only when Microsoft's JSON changed.
    pub fn put_evidence(
        &self,
        tenant_id: &str,
        kind: EvidenceKind,
        records: &[EvidenceRecord],
    ) -> Result<usize, StoreError> {
        let transaction = self.connection().unchecked_transaction()?;
        let mut inserted = 0;
        {
            let mut insert = transaction.prepare_cached(
                "INSERT INTO evidence_log (tenant_id, kind, user_id, record_id, event_time, json)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT DO NOTHING",
            )?;
            let mut update = transaction.prepare_cached(
                "UPDATE evidence_log SET event_time = ?5, json = ?6
                 WHERE tenant_id = ?1 AND kind = ?2 AND user_id = ?3 AND record_id = ?4
                   AND json <> ?6",
            )?;
            for record in records {
                let json = record.json.to_string();
                let params = rusqlite::params![
                    tenant_id,
                    kind.as_str(),
                    record.user_id.as_deref().unwrap_or(""),
                    record.id,
                    stored_time(record.time),
                    json,
                ];
                if insert.execute(params)? == 1 {
                    inserted += 1;
                } else {
                    update.execute(params)?;
                }
            }
        }
        transaction.commit()?;
        Ok(inserted)
    }

    /// Replaces every stored record of a current-state kind with `records`, atomically.
    pub fn replace_current_state(
        &self,
        tenant_id: &str,
        kind: EvidenceKind,
        records: &[StateRecord],
    ) -> Result<(), StoreError> {
        let transaction = self.connection().unchecked_transaction()?;
        transaction.execute(
            "DELETE FROM evidence_state WHERE tenant_id = ?1 AND kind = ?2",
            rusqlite::params![tenant_id, kind.as_str()],
        )?;
        {
            let mut insert = transaction.prepare_cached(
                "INSERT INTO evidence_state (tenant_id, kind, user_id, position, json)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )?;
            for (position, record) in records.iter().enumerate() {
                insert.execute(rusqlite::params![
                    tenant_id,
                    kind.as_str(),
                    record.user_id.as_deref().unwrap_or(""),
                    i64::try_from(position).unwrap_or(i64::MAX),
                    record.json.to_string(),
                ])?;
            }
        }
        transaction.commit()?;
        Ok(())
    }

    /// The newest event time fetched so far from `source` for the tenant.
    pub fn watermark(
        &self,
        tenant_id: &str,
        source: &str,
    ) -> Result<Option<DateTime<Utc>>, StoreError> {
        let mut statement = self.connection().prepare_cached(
            "SELECT newest FROM evidence_watermarks WHERE tenant_id = ?1 AND source = ?2",
        )?;
        let mut rows = statement.query(rusqlite::params![tenant_id, source])?;
        match rows.next()? {
            Some(row) => Ok(Some(crate::tenants::parse_time(row, 0)?)),
            None => Ok(None),
        }
    }

    /// Records that `source` has been fetched up to `newest`. A watermark never moves back.
    pub fn set_watermark(
        &self,
        tenant_id: &str,
        source: &str,
        newest: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.connection().execute(
            "INSERT INTO evidence_watermarks (tenant_id, source, newest) VALUES (?1, ?2, ?3)
             ON CONFLICT (tenant_id, source) DO UPDATE SET newest = MAX(newest, excluded.newest)",
            rusqlite::params![tenant_id, source, stored_time(newest)],
        )?;
        Ok(())
    }

    /// How many records of `kind` are stored for the tenant.
    pub fn evidence_count(&self, tenant_id: &str, kind: EvidenceKind) -> Result<usize, StoreError> {
        let table = if kind.is_log() {
            "evidence_log"
        } else {
            "evidence_state"
        };
        let count: i64 = self.connection().query_row(
            &format!("SELECT COUNT(*) FROM {table} WHERE tenant_id = ?1 AND kind = ?2"),
            rusqlite::params![tenant_id, kind.as_str()],
            |row| row.get(0),
        )?;
        Ok(usize::try_from(count).unwrap_or(0))
    }

    /// Rebuilds a snapshot of the tenant from its stored evidence, with `tenant` as
    /// `tenant.json`. Logs come newest first, as Microsoft lists them; current state in the
    /// order it was collected.
    pub fn evidence_snapshot(
        &self,
        tenant_id: &str,
        tenant: TenantInfo,
    ) -> Result<Snapshot, StoreError> {
        let mut snapshot = Snapshot::new(tenant);
        snapshot.users = self.flat(tenant_id, EvidenceKind::User)?;
        snapshot.subscribed_skus = self.flat(tenant_id, EvidenceKind::SubscribedSku)?;
        snapshot.sign_ins = self.flat(tenant_id, EvidenceKind::SignIn)?;
        snapshot.directory_audits = self.flat(tenant_id, EvidenceKind::DirectoryAudit)?;
        snapshot.audit_records = self.flat(tenant_id, EvidenceKind::AuditRecord)?;
        snapshot.mailboxes = self.flat(tenant_id, EvidenceKind::Mailbox)?;
        snapshot.message_rules = self.per_user(tenant_id, EvidenceKind::MessageRule)?;
        snapshot.messages = self.per_user(tenant_id, EvidenceKind::Message)?;
        snapshot.authentication_methods =
            self.per_user(tenant_id, EvidenceKind::AuthenticationMethod)?;
        snapshot.service_principals = self.flat(tenant_id, EvidenceKind::ServicePrincipal)?;
        snapshot.applications = self.flat(tenant_id, EvidenceKind::Application)?;
        snapshot.oauth2_permission_grants =
            self.flat(tenant_id, EvidenceKind::OAuth2PermissionGrant)?;
        snapshot.app_role_assignments = self.flat(tenant_id, EvidenceKind::AppRoleAssignment)?;
        snapshot.devices = self.flat(tenant_id, EvidenceKind::Device)?;
        snapshot.mailbox_permissions = self.flat(tenant_id, EvidenceKind::MailboxPermission)?;
        snapshot.recipient_permissions = self.flat(tenant_id, EvidenceKind::RecipientPermission)?;
        snapshot.inbound_connectors = self.flat(tenant_id, EvidenceKind::InboundConnector)?;
        snapshot.transport_rules = self.flat(tenant_id, EvidenceKind::TransportRule)?;
        snapshot.conditional_access_policies =
            self.flat(tenant_id, EvidenceKind::ConditionalAccessPolicy)?;
        Ok(snapshot)
    }

    fn flat<T: DeserializeOwned>(
        &self,
        tenant_id: &str,
        kind: EvidenceKind,
    ) -> Result<Vec<T>, StoreError> {
        Ok(self
            .rows(tenant_id, kind)?
            .into_iter()
            .map(|(_, record)| record)
            .collect())
    }

    fn per_user<T: DeserializeOwned>(
        &self,
        tenant_id: &str,
        kind: EvidenceKind,
    ) -> Result<PerUser<T>, StoreError> {
        let mut map = PerUser::new();
        for (user, record) in self.rows(tenant_id, kind)? {
            map.entry(user).or_insert_with(Vec::new).push(record);
        }
        Ok(map)
    }

    fn rows<T: DeserializeOwned>(
        &self,
        tenant_id: &str,
        kind: EvidenceKind,
    ) -> Result<Vec<(String, T)>, StoreError> {
        let sql = if kind.is_log() {
            "SELECT user_id, json FROM evidence_log WHERE tenant_id = ?1 AND kind = ?2
             ORDER BY user_id, event_time DESC, record_id"
        } else {
            "SELECT user_id, json FROM evidence_state WHERE tenant_id = ?1 AND kind = ?2
             ORDER BY position"
        };
        let mut statement = self.connection().prepare_cached(sql)?;
        let rows = statement.query_map(rusqlite::params![tenant_id, kind.as_str()], |row| {
            let user: String = row.get(0)?;
            let json: String = row.get(1)?;
            let record = serde_json::from_str(&json).map_err(|error| {
                rusqlite::Error::FromSqlConversionFailure(
                    1,
                    rusqlite::types::Type::Text,
                    format!("stored {} record: {error}", kind.as_str()).into(),
                )
            })?;
            Ok((user, record))
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{TenantFacts, TenantFlags, TenantRow};
    use serde_json::json;

    const TENANT: &str = "t1";

    fn store() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("db.sqlite")).unwrap();
        store
            .upsert_tenant(&TenantRow {
                id: TENANT.into(),
                display_name: "Contoso".into(),
                default_domain: "contoso.onmicrosoft.com".into(),
                onboarded_at: Utc::now(),
                flags: TenantFlags::default(),
                facts: TenantFacts::default(),
            })
            .unwrap();
        (dir, store)
    }

    fn sign_in(id: &str, time: &str, app: &str) -> EvidenceRecord {
        EvidenceRecord::from_json(
            EvidenceKind::SignIn,
            None,
            json!({ "id": id, "createdDateTime": time, "appDisplayName": app,
                    "userId": "u1", "userPrincipalName": "a@contoso.com",
                    "status": { "errorCode": 0 } }),
        )
        .unwrap()
    }

    fn tenant_info() -> TenantInfo {
        serde_json::from_value(json!({
            "id": TENANT, "displayName": "Contoso", "defaultDomainName": "contoso.onmicrosoft.com",
            "verifiedDomains": ["contoso.onmicrosoft.com"], "snapshotTime": "2026-11-20T00:00:00Z",
            "licenses": { "entraIdP1": true, "entraIdP2": false }
        }))
        .unwrap()
    }

    #[test]
    fn log_records_are_upserted_by_id() {
        let (_dir, store) = store();
        let first = [
            sign_in("a", "2026-11-01T10:00:00Z", "Outlook"),
            sign_in("b", "2026-11-02T10:00:00Z", "Teams"),
        ];
        assert_eq!(
            store
                .put_evidence(TENANT, EvidenceKind::SignIn, &first)
                .unwrap(),
            2
        );
        // An overlapping re-read: one known record (changed), one new.
        let second = [
            sign_in("b", "2026-11-02T10:00:00Z", "Teams (late detail)"),
            sign_in("c", "2026-11-03T10:00:00Z", "OWA"),
        ];
        assert_eq!(
            store
                .put_evidence(TENANT, EvidenceKind::SignIn, &second)
                .unwrap(),
            1
        );
        assert_eq!(
            store.evidence_count(TENANT, EvidenceKind::SignIn).unwrap(),
            3
        );

        let snapshot = store.evidence_snapshot(TENANT, tenant_info()).unwrap();
        let ids: Vec<&str> = snapshot.sign_ins.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids, ["c", "b", "a"], "newest first");
        assert_eq!(
            snapshot.sign_ins[1].app_display_name.as_deref(),
            Some("Teams (late detail)")
        );
    }

    #[test]
    fn records_without_an_id_or_time_are_refused() {
        for json in [
            json!({ "createdDateTime": "2026-11-01T10:00:00Z" }),
            json!({ "id": "a" }),
            json!({ "id": "a", "createdDateTime": "yesterday" }),
            json!({ "id": "a", "createdDateTime": "2026-11-01T10:00:00Z" }),
        ] {
            assert_eq!(
                EvidenceRecord::from_json(EvidenceKind::SignIn, None, json.clone()),
                None,
                "{json}"
            );
        }
        assert_eq!(
            EvidenceRecord::from_json(EvidenceKind::User, None, json!({ "id": "u1" })),
            None,
            "current state has no event time"
        );
    }

    #[test]
    fn current_state_is_replaced_wholesale() {
        let (_dir, store) = store();
        let rule = |user: &str, id: &str| StateRecord {
            user_id: Some(user.into()),
            json: json!({ "id": id, "displayName": id }),
        };
        store
            .replace_current_state(
                TENANT,
                EvidenceKind::MessageRule,
                &[rule("u1", "r1"), rule("u1", "r2"), rule("u2", "r3")],
            )
            .unwrap();
        store
            .replace_current_state(TENANT, EvidenceKind::MessageRule, &[rule("u1", "r2")])
            .unwrap();
        let snapshot = store.evidence_snapshot(TENANT, tenant_info()).unwrap();
        let rules: Vec<(&str, &str)> = snapshot
            .message_rules
            .iter()
            .flat_map(|(user, rules)| rules.iter().map(move |r| (user.as_str(), r.id.as_str())))
            .collect();
        assert_eq!(rules, [("u1", "r2")]);
    }

    #[test]
    fn watermarks_only_move_forward() {
        let (_dir, store) = store();
        assert_eq!(store.watermark(TENANT, "signIns").unwrap(), None);
        let later = parapet_snapshot::time::parse("2026-11-02T00:00:00Z").unwrap();
        let earlier = parapet_snapshot::time::parse("2026-11-01T00:00:00Z").unwrap();
        store.set_watermark(TENANT, "signIns", later).unwrap();
        store.set_watermark(TENANT, "signIns", earlier).unwrap();
        assert_eq!(store.watermark(TENANT, "signIns").unwrap(), Some(later));
        assert_eq!(store.watermark(TENANT, "directoryAudits").unwrap(), None);
    }

    #[test]
    fn removing_the_tenant_removes_its_evidence() {
        let (_dir, store) = store();
        store
            .put_evidence(
                TENANT,
                EvidenceKind::SignIn,
                &[sign_in("a", "2026-11-01T10:00:00Z", "x")],
            )
            .unwrap();
        store
            .replace_current_state(
                TENANT,
                EvidenceKind::User,
                &[StateRecord {
                    user_id: None,
                    json: json!({ "id": "u1", "userPrincipalName": "a@contoso.com" }),
                }],
            )
            .unwrap();
        store.set_watermark(TENANT, "signIns", Utc::now()).unwrap();
        store.remove_tenant(TENANT).unwrap();
        for (table, expected) in [
            ("evidence_log", 0),
            ("evidence_state", 0),
            ("evidence_watermarks", 0),
        ] {
            let rows: i64 = store
                .connection()
                .query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |row| {
                    row.get(0)
                })
                .unwrap();
            assert_eq!(rows, expected, "{table}");
        }
    }

    #[test]
    fn evidence_for_an_unknown_tenant_is_refused() {
        let (_dir, store) = store();
        let result = store.put_evidence(
            "other",
            EvidenceKind::SignIn,
            &[sign_in("a", "2026-11-01T10:00:00Z", "x")],
        );
        assert!(result.is_err(), "foreign key to tenants");
    }
}
