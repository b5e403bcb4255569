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

use crate::{Store, StoreError};

mod kind;
#[cfg(test)]
mod tests;

pub use kind::{EvidenceKind, EvidenceRecord, StateRecord};

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
