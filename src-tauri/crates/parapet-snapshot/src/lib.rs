//! Tenant snapshots: reading, validating and writing the directory format of
//! `spec/tenant-snapshot.md` (version 1).
//!
//! A snapshot is a directory of UTF-8 JSON files describing one Microsoft 365 tenant at one
//! moment: `tenant.json` (required: id, domains, `snapshotTime`, licences) and optional
//! collections, each in the shape the named Microsoft API returns it: Graph lists
//! (`users.json`, beta `signIns.json`, `directoryAudits.json`, `servicePrincipals.json`, ...),
//! Management Activity API records (`auditRecords.json`, PascalCase) and Exchange cmdlet output
//! (`mailboxPermissions.json`, `inboundConnectors.json`, ...). `messageRules.json`,
//! `messages.json` and `authenticationMethods.json` are objects keyed by user object id. A
//! missing file means an empty collection. See [`SNAPSHOT_FILES`].
//!
//! Records are typed ([`model`]) for what Parapet reasons about, and keep every other field in
//! `extra`, so `serde_json::to_value(record)` re-emits all the fields Microsoft sent (including
//! explicit `null`s, and times in the spelling they were read in); only key order may differ.
//! Times typed or changed in code are written in Microsoft's .NET form (see [`time`]).
//! Unknown fields are never rejected.
//!
//! Invariants:
//! - **Never half-import.** [`read`] returns a whole, validated [`Snapshot`] or an error naming
//!   the file and the problem (bad JSON with line and column, wrong top-level type, a missing or
//!   ill-typed required field with record index and field path, a per-user key or reference that
//!   matches no user, duplicate ids, a file over the size limit). [`write()`] publishes a
//!   directory only once every file is complete.
//! - Each file is read once, streaming; none is read twice or held as raw text.
//! - `expected.json` (test ground truth) is never opened; other unknown files are ignored.
//! - `read(write(read(x))) == read(x)`.
//!
//! Reading and writing are blocking file I/O; async callers should use `spawn_blocking`. A read
//! parses `signIns.json` and `auditRecords.json` on two scoped threads of its own.
//!
//! ```no_run
//! use std::path::Path;
//!
//! let snapshot = parapet_snapshot::read(Path::new("scenarios/contoso"))?;
//! let failures = snapshot.sign_ins.iter().filter(|sign_in| !sign_in.succeeded()).count();
//! println!("{failures} failed sign-ins; {}", snapshot.record_count());
//! // The records exactly as Microsoft returned them, e.g. for a Graph `value` array:
//! let value = serde_json::to_value(&snapshot.sign_ins)?;
//! # let _ = value;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod error;
mod files;
pub mod model;
mod read;
mod record;
mod snapshot;
pub mod time;
mod validate;
mod write;

pub use error::SnapshotError;
pub use files::{EXPECTED_FILE, PER_USER_FILES, SNAPSHOT_FILES, TENANT_FILE};
pub use read::{read, read_with, ReadOptions};
pub use snapshot::{PerUser, RecordCount, Snapshot, UserIndex};
pub use validate::validate;
pub use write::{write, write_with, WriteOptions};
