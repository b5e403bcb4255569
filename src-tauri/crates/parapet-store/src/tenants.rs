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
    /// What Parapet last learned about the tenant with its own credentials.
    pub facts: TenantFacts,
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

/// Facts read from the tenant at onboarding and refreshed by each verification.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TenantFacts {
    /// `none`, `p1` or `p2`.
    pub entra_licence: EntraLicence,
    /// Enabled and disabled member accounts.
    pub member_users: u32,
    /// Enabled members with a paid licence, excluding shared/room/equipment mailboxes.
    pub billable_users: u32,
    /// The last successful call with the tenant's credentials.
    pub last_verified_at: Option<DateTime<Utc>>,
}

/// The tenant's Entra ID premium licence, which decides which logs exist.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum EntraLicence {
    /// Free: 7 days of sign-ins, and no sign-in log API (the audit log stands in).
    #[default]
    None,
    /// Entra ID P1: 30 days of sign-ins and directory audits, Conditional Access.
    P1,
    /// Entra ID P2: P1 plus Identity Protection risk data.
    P2,
}

impl EntraLicence {
    /// The stored spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::P1 => "p1",
            Self::P2 => "p2",
        }
    }

    fn parse(text: &str) -> Option<Self> {
        match text {
            "none" => Some(Self::None),
            "p1" => Some(Self::P1),
            "p2" => Some(Self::P2),
            _ => None,
        }
    }
}

const COLUMNS: &str = "id, display_name, default_domain, onboarded_at, response_enabled, paused,
    scan_only, entra_licence, member_users, billable_users, last_verified_at";

impl Store {
    /// Every onboarded tenant, by display name.
    pub fn tenants(&self) -> Result<Vec<TenantRow>, StoreError> {
        let mut statement = self.connection().prepare(&format!(
            "SELECT {COLUMNS} FROM tenants ORDER BY display_name COLLATE NOCASE, id"
        ))?;
        let rows = statement.query_map([], read_tenant)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// One tenant.
    pub fn tenant(&self, id: &str) -> Result<TenantRow, StoreError> {
        self.connection()
            .query_row(
                &format!("SELECT {COLUMNS} FROM tenants WHERE id = ?1"),
                [id],
                read_tenant,
            )
            .map_err(|error| match error {
                rusqlite::Error::QueryReturnedNoRows => StoreError::NotFound {
                    what: "tenant",
                    id: id.to_string(),
                },
                other => other.into(),
            })
    }

    /// Adds a tenant, or refreshes its name, domain and facts when it is already onboarded;
    /// the technician's switches are kept on a refresh.
    pub fn upsert_tenant(&self, tenant: &TenantRow) -> Result<(), StoreError> {
        let facts = &tenant.facts;
        self.connection().execute(
            &format!(
                "INSERT INTO tenants ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
                 ON CONFLICT(id) DO UPDATE SET display_name = excluded.display_name,
                     default_domain = excluded.default_domain,
                     entra_licence = excluded.entra_licence,
                     member_users = excluded.member_users,
                     billable_users = excluded.billable_users,
                     last_verified_at = excluded.last_verified_at"
            ),
            rusqlite::params![
                tenant.id,
                tenant.display_name,
                tenant.default_domain,
                tenant.onboarded_at.to_rfc3339(),
                tenant.flags.response_enabled,
                tenant.flags.paused,
                tenant.flags.scan_only,
                facts.entra_licence.as_str(),
                facts.member_users,
                facts.billable_users,
                facts.last_verified_at.map(|t| t.to_rfc3339()),
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
    let licence: String = row.get(7)?;
    let entra_licence = EntraLicence::parse(&licence).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            7,
            rusqlite::types::Type::Text,
            format!("unknown licence {licence:?}").into(),
        )
    })?;
    let verified: Option<String> = row.get(10)?;
    Ok(TenantRow {
        id: row.get(0)?,
        display_name: row.get(1)?,
        default_domain: row.get(2)?,
        onboarded_at: parse_time(row, 3)?,
        flags: TenantFlags {
            response_enabled: row.get(4)?,
            paused: row.get(5)?,
            scan_only: row.get(6)?,
        },
        facts: TenantFacts {
            entra_licence,
            member_users: row.get(8)?,
            billable_users: row.get(9)?,
            last_verified_at: match verified {
                Some(_) => Some(parse_time(row, 10)?),
                None => None,
            },
        },
    })
}

pub(crate) fn parse_time(
    row: &rusqlite::Row<'_>,
    column: usize,
) -> rusqlite::Result<DateTime<Utc>> {
    let text: String = row.get(column)?;
    DateTime::parse_from_rfc3339(&text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(
                column,
                rusqlite::types::Type::Text,
                Box::new(e),
            )
        })
}
