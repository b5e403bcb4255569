//! Errors of reading and writing snapshots. Every message names the file involved.

use std::path::PathBuf;

/// Why a snapshot could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum SnapshotError {
    /// The directory has no `tenant.json`, the one required file.
    #[error("{dir}: tenant.json is missing; it is the one file every snapshot must have")]
    MissingTenant { dir: PathBuf },

    /// The snapshot path is not a readable directory.
    #[error("{dir}: not a snapshot directory: {source}")]
    NotADirectory {
        dir: PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// A file could not be opened, read or written.
    #[error("{file}: {action} failed: {source}")]
    Io {
        file: String,
        action: &'static str,
        #[source]
        source: std::io::Error,
    },

    /// A file is larger than [`crate::ReadOptions::max_file_bytes`].
    #[error("{file}: {size} bytes is over the {limit}-byte limit for one snapshot file")]
    TooLarge { file: String, size: u64, limit: u64 },

    /// A file is not well-formed JSON (or not UTF-8).
    #[error("{file}: bad JSON at line {line} column {column}: {message}")]
    BadJson {
        file: String,
        line: usize,
        column: usize,
        message: String,
    },

    /// A file's top-level JSON value is not the type the format gives it.
    #[error("{file}: top-level value is {found}, expected {expected}")]
    WrongTopLevelType {
        file: String,
        expected: &'static str,
        found: &'static str,
    },

    /// A record lacks a required field or has a field of the wrong type.
    #[error("{file}: {message}")]
    InvalidRecord { file: String, message: String },

    /// A per-user collection is keyed by an id that is not in `users.json`.
    #[error("{file}: key {user_id} matches no user in users.json")]
    UnknownUserKey { file: String, user_id: String },

    /// A record refers to a user that is not in `users.json`.
    #[error("{file}: record {index} ({id}): {field} {user_id} matches no user in users.json")]
    UnknownUserReference {
        file: String,
        index: usize,
        id: String,
        field: &'static str,
        user_id: String,
    },

    /// Two records of one collection share an id.
    #[error("{file}: {scope}records {first} and {second} share the {field} {id}")]
    DuplicateId {
        file: String,
        /// Empty, or `user <id>: ` for a per-user collection.
        scope: String,
        field: &'static str,
        id: String,
        first: usize,
        second: usize,
    },

    /// Writing was refused because the target exists and is not empty.
    #[error("{dir}: refusing to write a snapshot over a directory that is not empty")]
    TargetNotEmpty { dir: PathBuf },

    /// A record could not be serialized.
    #[error("{file}: cannot serialize: {source}")]
    Serialize {
        file: String,
        #[source]
        source: serde_json::Error,
    },
}
