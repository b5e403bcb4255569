//! The SQLite store: one database file per workspace, in the workspace's data directory.
//!
//! Opening a store applies the numbered migrations in `migrations/` that the file has not seen
//! yet, inside one transaction each, and records the schema version in `PRAGMA user_version`.
//! The database runs in WAL mode with foreign keys enforced. Secrets are never written here.

mod action_log;
mod error;
mod evidence;
mod incidents;
mod migrations;
mod settings;
mod tenants;

pub use error::StoreError;
pub use evidence::{EvidenceKind, EvidenceRecord, StateRecord};
pub use incidents::IncidentRow;
pub use settings::SettingKey;
pub use tenants::{EntraLicence, TenantFacts, TenantFlags, TenantRow};

use std::path::{Path, PathBuf};

/// An open workspace database.
#[derive(Debug)]
pub struct Store {
    connection: rusqlite::Connection,
    path: PathBuf,
}

impl Store {
    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        let mut connection =
            rusqlite::Connection::open(path).map_err(|source| StoreError::Open {
                path: path.to_path_buf(),
                source,
            })?;
        configure(&connection)?;
        migrations::apply(&mut connection)?;
        Ok(Self {
            connection,
            path: path.to_path_buf(),
        })
    }

    /// The database file this store writes to.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The schema version after migrations (the number of the last applied migration).
    pub fn schema_version(&self) -> Result<u32, StoreError> {
        migrations::current_version(&self.connection)
    }

    pub(crate) fn connection(&self) -> &rusqlite::Connection {
        &self.connection
    }
}

fn configure(connection: &rusqlite::Connection) -> Result<(), StoreError> {
    // WAL lets the UI read while a scan writes; busy_timeout covers the short write overlaps.
    connection.pragma_update(None, "journal_mode", "WAL")?;
    connection.pragma_update(None, "foreign_keys", "ON")?;
    connection.pragma_update(None, "synchronous", "NORMAL")?;
    connection.busy_timeout(std::time::Duration::from_secs(5))?;
    Ok(())
}
