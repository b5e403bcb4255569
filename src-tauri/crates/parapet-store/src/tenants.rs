use crate::{Store, StoreError};
use chrono::{DateTime, Utc};

/// An onboarded tenant as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TenantRow {
    /// Entra tenant id.
    pub id: String,
    /// Organisation name.
    pub display_name: String,
    /// The tenant's default domain (e.g. `contoso.onmicrosoft.com`).
    pub default_domain: String,
    /// When the technician onboarded it.
    pub onboarded_at: DateTime<Utc>,
    /// The technician's switches for this tenant.
    pub flags: TenantFlags,
}

/// Per-tenant switches.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TenantFlags {
    /// Automatic Response: steps 1–3 run by themselves on high-confidence active compromises.
    pub response_enabled: bool,
    /// Data kept, nothing polled.
    pub paused: bool,
    /// Scan plus 14 days of monitoring, then an automatic pause.
    pub scan_only: bool,
}

impl Store {
    /// Every onboarded tenant, by display name.
    pub fn tenants(&self) -> Result<Vec<TenantRow>, StoreError> {
        let mut statement = self.connection().prepare(
            "SELECT id, display_name, default_domain, onboarded_at,
                    response_enabled, paused, scan_only
             FROM tenants ORDER BY display_name COLLATE NOCASE, id",
        )?;
        let rows = statement.query_map([], read_tenant)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Adds a tenant, or refreshes its name and domain when it is already onboarded.
    pub fn upsert_tenant(&self, tenant: &TenantRow) -> Result<(), StoreError> {
        self.connection().execute(
            "INSERT INTO tenants (id, display_name, default_domain, onboarded_at,
                                  response_enabled, paused, scan_only)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
             ON CONFLICT(id) DO UPDATE SET display_name = excluded.display_name,
                                           default_domain = excluded.default_domain",
            rusqlite::params![
                tenant.id,
                tenant.display_name,
                tenant.default_domain,
                tenant.onboarded_at.to_rfc3339(),
                tenant.flags.response_enabled,
                tenant.flags.paused,
                tenant.flags.scan_only,
            ],
        )?;
        Ok(())
    }

    /// Replaces a tenant's switches.
    pub fn set_tenant_flags(&self, id: &str, flags: TenantFlags) -> Result<(), StoreError> {
        let changed = self.connection().execute(
            "UPDATE tenants SET response_enabled = ?2, paused = ?3, scan_only = ?4 WHERE id = ?1",
            rusqlite::params![id, flags.response_enabled, flags.paused, flags.scan_only],
        )?;
        if changed == 0 {
            return Err(StoreError::NotFound {
                what: "tenant",
                id: id.to_string(),
            });
        }
        Ok(())
    }

    /// Deletes a tenant and, through foreign keys, everything recorded for it.
    pub fn remove_tenant(&self, id: &str) -> Result<(), StoreError> {
        let changed = self
            .connection()
            .execute("DELETE FROM tenants WHERE id = ?1", [id])?;
        if changed == 0 {
            return Err(StoreError::NotFound {
                what: "tenant",
                id: id.to_string(),
            });
        }
        Ok(())
    }
}

fn read_tenant(row: &rusqlite::Row<'_>) -> rusqlite::Result<TenantRow> {
    let onboarded: String = row.get(3)?;
    let onboarded_at = DateTime::parse_from_rfc3339(&onboarded)
        .map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(3, rusqlite::types::Type::Text, Box::new(e))
        })?
        .with_timezone(&Utc);
    Ok(TenantRow {
        id: row.get(0)?,
        display_name: row.get(1)?,
        default_domain: row.get(2)?,
        onboarded_at,
        flags: TenantFlags {
            response_enabled: row.get(4)?,
            paused: row.get(5)?,
            scan_only: row.get(6)?,
        },
    })
}
