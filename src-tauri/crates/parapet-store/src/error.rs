use std::path::PathBuf;

/// Why a store operation failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database file could not be opened or created.
    #[error("cannot open the database {}: {source}", path.display())]
    Open {
        /// The file that was opened.
        path: PathBuf,
        /// SQLite's reason.
        source: rusqlite::Error,
    },
    /// A migration failed; the database stays at the previous version.
    #[error("migration {number} ({name}) failed: {source}")]
    Migration {
        /// Migration number.
        number: u32,
        /// Migration file name.
        name: &'static str,
        /// SQLite's reason.
        source: rusqlite::Error,
    },
    /// The file was written by a newer Parapet whose schema this build does not know.
    #[error("the database is at schema version {found}, newer than this Parapet supports ({supported}); update Parapet")]
    TooNew {
        /// Version in the file.
        found: u32,
        /// Newest version this build knows.
        supported: u32,
    },
    /// No row with this id.
    #[error("{what} {id} not found")]
    NotFound {
        /// Kind of object.
        what: &'static str,
        /// Its id.
        id: String,
    },
    /// An action record that does not continue its incident's log.
    #[error("action {found} of incident {incident_id} is out of sequence (expected {expected})")]
    OutOfSequence {
        /// The incident.
        incident_id: String,
        /// The next sequence number the log expects.
        expected: u64,
        /// The one offered.
        found: u64,
    },
    /// Any other SQLite failure.
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
}
