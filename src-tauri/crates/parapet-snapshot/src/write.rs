//! Writing a snapshot directory atomically: everything goes to a hidden sibling directory that
//! is renamed into place only once every file is complete and synced.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::error::SnapshotError;
use crate::snapshot::Snapshot;

/// How to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WriteOptions {
    /// Indent JSON (one space, as the example scenarios are) rather than writing it compact.
    pub pretty: bool,
}

impl Default for WriteOptions {
    fn default() -> Self {
        WriteOptions { pretty: true }
    }
}

/// Writes `snapshot` to `dir` (which must not exist, or be empty) as pretty JSON; every file of
/// the format is written, empty collections as `[]` / `{}`.
///
/// The snapshot is first checked with [`crate::validate`], so that nothing unreadable is
/// written. A failed write leaves `dir` as it was: files are written into a temporary sibling
/// directory, which is renamed to `dir` at the end. `read(dir)` then gives back an equal snapshot.
pub fn write(snapshot: &Snapshot, dir: &Path) -> Result<(), SnapshotError> {
    write_with(snapshot, dir, &WriteOptions::default())
}

/// Writes `snapshot` to `dir`; see [`write()`].
pub fn write_with(
    snapshot: &Snapshot,
    dir: &Path,
    options: &WriteOptions,
) -> Result<(), SnapshotError> {
    crate::validate::validate(snapshot)?;
    let target_state = target_state(dir)?;
    let staging = staging_dir(dir);
    std::fs::create_dir_all(&staging)
        .map_err(|source| io(&staging, "creating the staging directory", source))?;
    let result = write_files(snapshot, &staging, options).and_then(|()| {
        if target_state == TargetState::Empty {
            std::fs::remove_dir(dir)
                .map_err(|source| io(dir, "replacing the empty directory", source))?;
        }
        std::fs::rename(&staging, dir)
            .map_err(|source| io(dir, "renaming the staging directory", source))
    });
    if result.is_err() {
        // Best effort: the staging directory is hidden and uniquely named, so a leftover one
        // cannot be mistaken for a snapshot.
        let _ = std::fs::remove_dir_all(&staging);
    }
    result
}

#[derive(PartialEq)]
enum TargetState {
    Absent,
    Empty,
}

fn target_state(dir: &Path) -> Result<TargetState, SnapshotError> {
    match std::fs::read_dir(dir) {
        Ok(mut entries) => {
            if entries.next().is_some() {
                Err(SnapshotError::TargetNotEmpty {
                    dir: dir.to_path_buf(),
                })
            } else {
                Ok(TargetState::Empty)
            }
        }
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(TargetState::Absent),
        Err(source) => Err(io(dir, "inspecting the target directory", source)),
    }
}

fn staging_dir(dir: &Path) -> PathBuf {
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or_default();
    dir.with_file_name(format!(".{name}.partial-{}-{nanos}", std::process::id()))
}

fn write_files(
    snapshot: &Snapshot,
    dir: &Path,
    options: &WriteOptions,
) -> Result<(), SnapshotError> {
    let out = Out { dir, options };
    out.file("tenant.json", &snapshot.tenant)?;
    out.file("users.json", &snapshot.users)?;
    out.file("subscribedSkus.json", &snapshot.subscribed_skus)?;
    out.file("signIns.json", &snapshot.sign_ins)?;
    out.file("directoryAudits.json", &snapshot.directory_audits)?;
    out.file("auditRecords.json", &snapshot.audit_records)?;
    out.file("mailboxes.json", &snapshot.mailboxes)?;
    out.file("messageRules.json", &snapshot.message_rules)?;
    out.file("messages.json", &snapshot.messages)?;
    out.file(
        "authenticationMethods.json",
        &snapshot.authentication_methods,
    )?;
    out.file("servicePrincipals.json", &snapshot.service_principals)?;
    out.file("applications.json", &snapshot.applications)?;
    out.file(
        "oauth2PermissionGrants.json",
        &snapshot.oauth2_permission_grants,
    )?;
    out.file("appRoleAssignments.json", &snapshot.app_role_assignments)?;
    out.file("devices.json", &snapshot.devices)?;
    out.file("mailboxPermissions.json", &snapshot.mailbox_permissions)?;
    out.file("recipientPermissions.json", &snapshot.recipient_permissions)?;
    out.file("inboundConnectors.json", &snapshot.inbound_connectors)?;
    out.file("transportRules.json", &snapshot.transport_rules)?;
    out.file(
        "conditionalAccessPolicies.json",
        &snapshot.conditional_access_policies,
    )?;
    // Make the directory entries durable before the rename publishes them.
    if let Ok(handle) = File::open(dir) {
        let _ = handle.sync_all();
    }
    Ok(())
}

struct Out<'a> {
    dir: &'a Path,
    options: &'a WriteOptions,
}

impl Out<'_> {
    fn file<T: Serialize + ?Sized>(&self, name: &str, value: &T) -> Result<(), SnapshotError> {
        let path = self.dir.join(name);
        let io_error = |action, source| SnapshotError::Io {
            file: name.to_owned(),
            action,
            source,
        };
        let handle = File::create(&path).map_err(|e| io_error("creating", e))?;
        let mut writer = BufWriter::with_capacity(256 * 1024, handle);
        let serialized = if self.options.pretty {
            let formatter = serde_json::ser::PrettyFormatter::with_indent(b" ");
            let mut serializer = serde_json::Serializer::with_formatter(&mut writer, formatter);
            value.serialize(&mut serializer)
        } else {
            serde_json::to_writer(&mut writer, value)
        };
        serialized.map_err(|source| {
            if source.is_io() {
                io_error("writing", std::io::Error::other(source.to_string()))
            } else {
                SnapshotError::Serialize {
                    file: name.to_owned(),
                    source,
                }
            }
        })?;
        writer
            .write_all(b"\n")
            .map_err(|e| io_error("writing", e))?;
        let handle = writer
            .into_inner()
            .map_err(|e| io_error("writing", e.into_error()))?;
        handle.sync_all().map_err(|e| io_error("syncing", e))
    }
}

fn io(path: &Path, action: &'static str, source: std::io::Error) -> SnapshotError {
    SnapshotError::Io {
        file: path.display().to_string(),
        action,
        source,
    }
}
