use crate::{Store, StoreError};
use chrono::{DateTime, Utc};
use rusqlite::OptionalExtension;

/// An incident as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IncidentRow {
    /// The detector's stable id.
    pub id: String,
    /// The tenant it belongs to.
    pub tenant_id: String,
    /// The compromised (or targeted) account.
    pub user_principal_name: String,
    /// `active_compromise`, `past_compromise` or `leftover_persistence`.
    pub kind: String,
    /// `low` to `critical`.
    pub severity: String,
    /// `low`, `medium` or `high`.
    pub confidence: String,
    /// `unpublished`, `active` or `remediated`.
    pub status: String,
    /// First attacker evidence.
    pub first_seen: DateTime<Utc>,
    /// Last attacker evidence.
    pub last_seen: DateTime<Utc>,
    /// Signals, persistence and reasons as JSON.
    pub detail: String,
    /// When Parapet first raised it.
    pub raised_at: DateTime<Utc>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
}

const COLUMNS: &str = "id, tenant_id, user_principal_name, kind, severity, confidence, status,
    first_seen, last_seen, detail, raised_at, updated_at";

impl Store {
    /// Records what a scan found. A known incident keeps its status and `raised_at` and takes
    /// the new evidence; a new one gets `status_for_new`. Returns the ids that were new.
    pub fn record_incidents(
        &self,
        incidents: &[IncidentRow],
        status_for_new: &str,
        now: DateTime<Utc>,
    ) -> Result<Vec<String>, StoreError> {
        let transaction = self.connection().unchecked_transaction()?;
        let mut new_ids = Vec::new();
        for incident in incidents {
            let existing: Option<String> = transaction
                .query_row(
                    "SELECT status FROM incidents WHERE id = ?1",
                    [&incident.id],
                    |r| r.get(0),
                )
                .optional()?;
            if existing.is_none() {
                new_ids.push(incident.id.clone());
            }
            transaction.execute(
                &format!(
                    "INSERT INTO incidents ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11)
                     ON CONFLICT(id) DO UPDATE SET kind = excluded.kind, severity = excluded.severity,
                         confidence = excluded.confidence, first_seen = excluded.first_seen,
                         last_seen = excluded.last_seen, detail = excluded.detail,
                         updated_at = excluded.updated_at"
                ),
                rusqlite::params![
                    incident.id,
                    incident.tenant_id,
                    incident.user_principal_name,
                    incident.kind,
                    incident.severity,
                    incident.confidence,
                    status_for_new,
                    incident.first_seen.to_rfc3339(),
                    incident.last_seen.to_rfc3339(),
                    incident.detail,
                    now.to_rfc3339(),
                ],
            )?;
        }
        transaction.commit()?;
        Ok(new_ids)
    }

    /// Incidents of one tenant, or of every tenant, newest evidence first.
    pub fn incidents(&self, tenant_id: Option<&str>) -> Result<Vec<IncidentRow>, StoreError> {
        let mut statement = self.connection().prepare(&format!(
            "SELECT {COLUMNS} FROM incidents WHERE ?1 IS NULL OR tenant_id = ?1
             ORDER BY last_seen DESC, id"
        ))?;
        let rows = statement.query_map([tenant_id], read_incident)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// One incident.
    pub fn incident(&self, id: &str) -> Result<IncidentRow, StoreError> {
        self.connection()
            .query_row(
                &format!("SELECT {COLUMNS} FROM incidents WHERE id = ?1"),
                [id],
                read_incident,
            )
            .optional()?
            .ok_or_else(|| StoreError::NotFound {
                what: "incident",
                id: id.to_string(),
            })
    }

    /// Moves an incident through its lifecycle.
    pub fn set_incident_status(
        &self,
        id: &str,
        status: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let changed = self.connection().execute(
            "UPDATE incidents SET status = ?2, updated_at = ?3 WHERE id = ?1",
            rusqlite::params![id, status, now.to_rfc3339()],
        )?;
        if changed == 0 {
            return Err(StoreError::NotFound {
                what: "incident",
                id: id.to_string(),
            });
        }
        Ok(())
    }

    /// Remembers the summary of a tenant's latest scan.
    pub fn record_scan(
        &self,
        tenant_id: &str,
        finished_at: DateTime<Utc>,
        summary: &str,
    ) -> Result<(), StoreError> {
        self.connection().execute(
            "INSERT INTO scans (tenant_id, finished_at, summary) VALUES (?1, ?2, ?3)
             ON CONFLICT(tenant_id) DO UPDATE SET finished_at = excluded.finished_at, summary = excluded.summary",
            rusqlite::params![tenant_id, finished_at.to_rfc3339(), summary],
        )?;
        Ok(())
    }

    /// The latest scan summary of a tenant, if it was ever scanned.
    pub fn last_scan(
        &self,
        tenant_id: &str,
    ) -> Result<Option<(DateTime<Utc>, String)>, StoreError> {
        self.connection()
            .query_row(
                "SELECT finished_at, summary FROM scans WHERE tenant_id = ?1",
                [tenant_id],
                |row| Ok((crate::tenants::parse_time(row, 0)?, row.get(1)?)),
            )
            .optional()
            .map_err(Into::into)
    }
}

fn read_incident(row: &rusqlite::Row<'_>) -> rusqlite::Result<IncidentRow> {
    use crate::tenants::parse_time;
    Ok(IncidentRow {
        id: row.get(0)?,
        tenant_id: row.get(1)?,
        user_principal_name: row.get(2)?,
        kind: row.get(3)?,
        severity: row.get(4)?,
        confidence: row.get(5)?,
        status: row.get(6)?,
        first_seen: parse_time(row, 7)?,
        last_seen: parse_time(row, 8)?,
        detail: row.get(9)?,
        raised_at: parse_time(row, 10)?,
        updated_at: parse_time(row, 11)?,
    })
}

impl Store {
    /// Records the technician's Mark as Phish for an incident (replacing an earlier tag).
    pub fn tag_phish(
        &self,
        incident_id: &str,
        message: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.connection().execute(
            "INSERT INTO phish_tags (incident_id, message, tagged_at) VALUES (?1, ?2, ?3)
             ON CONFLICT(incident_id) DO UPDATE SET message = excluded.message, tagged_at = excluded.tagged_at",
            rusqlite::params![incident_id, message, now.to_rfc3339()],
        )?;
        Ok(())
    }

    /// The technician's phish tag of an incident, if any.
    pub fn phish_tag(&self, incident_id: &str) -> Result<Option<String>, StoreError> {
        Ok(self
            .connection()
            .query_row(
                "SELECT message FROM phish_tags WHERE incident_id = ?1",
                [incident_id],
                |r| r.get(0),
            )
            .optional()?)
    }
}
