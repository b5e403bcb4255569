//! Reading a snapshot directory: streaming parse of each file, then cross-file validation.

use std::fmt;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::marker::PhantomData;
use std::path::Path;

use serde::de::{DeserializeOwned, DeserializeSeed, Error as _, MapAccess, Visitor};

use crate::error::SnapshotError;
use crate::files::TENANT_FILE;
use crate::model::TenantInfo;
use crate::snapshot::{PerUser, Snapshot};

/// Limits applied while reading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadOptions {
    /// Largest accepted size of one file, in bytes. A file over it is rejected before parsing.
    pub max_file_bytes: u64,
}

impl ReadOptions {
    /// The default per-file limit: 512 MiB, far above six months of sign-ins of a small tenant
    /// but low enough that a runaway file cannot exhaust memory.
    pub const DEFAULT_MAX_FILE_BYTES: u64 = 512 * 1024 * 1024;
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            max_file_bytes: Self::DEFAULT_MAX_FILE_BYTES,
        }
    }
}

/// Reads and validates the snapshot in `dir` with default [`ReadOptions`].
///
/// Returns the whole snapshot or an error naming the file and the problem; never part of one.
/// Files the format does not define (such as `expected.json`) are not opened.
pub fn read(dir: &Path) -> Result<Snapshot, SnapshotError> {
    read_with(dir, &ReadOptions::default())
}

/// Reads and validates the snapshot in `dir`; see [`read`].
pub fn read_with(dir: &Path, options: &ReadOptions) -> Result<Snapshot, SnapshotError> {
    let metadata = std::fs::metadata(dir).map_err(|source| SnapshotError::NotADirectory {
        dir: dir.to_path_buf(),
        source,
    })?;
    if !metadata.is_dir() {
        return Err(SnapshotError::NotADirectory {
            dir: dir.to_path_buf(),
            source: std::io::Error::new(std::io::ErrorKind::InvalidInput, "not a directory"),
        });
    }
    let files = Files { dir, options };
    let tenant: TenantInfo = files
        .parse(TENANT_FILE, Shape::Single, PhantomData::<TenantInfo>)?
        .ok_or_else(|| SnapshotError::MissingTenant {
            dir: dir.to_path_buf(),
        })?;

    // The two big log files parse on their own threads while this one reads the rest. Results
    // are taken in file order, so the error reported is the one a sequential read would give.
    let snapshot = std::thread::scope(|scope| {
        let sign_ins = scope.spawn(|| files.list("signIns.json"));
        let audit_records = scope.spawn(|| files.list("auditRecords.json"));
        Ok::<_, SnapshotError>(Snapshot {
            tenant,
            users: files.list("users.json")?,
            subscribed_skus: files.list("subscribedSkus.json")?,
            sign_ins: joined(sign_ins)?,
            directory_audits: files.list("directoryAudits.json")?,
            audit_records: joined(audit_records)?,
            mailboxes: files.list("mailboxes.json")?,
            message_rules: files.per_user("messageRules.json")?,
            messages: files.per_user("messages.json")?,
            authentication_methods: files.per_user("authenticationMethods.json")?,
            service_principals: files.list("servicePrincipals.json")?,
            applications: files.list("applications.json")?,
            oauth2_permission_grants: files.list("oauth2PermissionGrants.json")?,
            app_role_assignments: files.list("appRoleAssignments.json")?,
            devices: files.list("devices.json")?,
            mailbox_permissions: files.list("mailboxPermissions.json")?,
            recipient_permissions: files.list("recipientPermissions.json")?,
            inbound_connectors: files.list("inboundConnectors.json")?,
            transport_rules: files.list("transportRules.json")?,
            conditional_access_policies: files.list("conditionalAccessPolicies.json")?,
        })
    })?;
    crate::validate::validate(&snapshot)?;
    Ok(snapshot)
}

/// The result of a reading thread; a panic there is re-raised here.
fn joined<T>(handle: std::thread::ScopedJoinHandle<'_, T>) -> T {
    handle
        .join()
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
}

/// How a file holds its records.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// One object (`tenant.json`).
    Single,
    /// An array of records.
    Records,
    /// `{userId: [record]}`.
    PerUser,
}

impl Shape {
    fn top_level(self) -> TopLevel {
        match self {
            Shape::Records => TopLevel::Array,
            Shape::Single | Shape::PerUser => TopLevel::Object,
        }
    }
}

/// The JSON type a file's top-level value must have.
#[derive(Clone, Copy)]
enum TopLevel {
    Object,
    Array,
}

impl TopLevel {
    fn name(self) -> &'static str {
        match self {
            TopLevel::Object => "an object",
            TopLevel::Array => "an array",
        }
    }

    fn opening_byte(self) -> u8 {
        match self {
            TopLevel::Object => b'{',
            TopLevel::Array => b'[',
        }
    }
}

struct Files<'a> {
    dir: &'a Path,
    options: &'a ReadOptions,
}

impl Files<'_> {
    fn list<T: DeserializeOwned>(&self, file: &str) -> Result<Vec<T>, SnapshotError> {
        Ok(self
            .parse(file, Shape::Records, PhantomData::<Vec<T>>)?
            .unwrap_or_default())
    }

    fn per_user<T: DeserializeOwned>(&self, file: &str) -> Result<PerUser<T>, SnapshotError> {
        Ok(self
            .parse(file, Shape::PerUser, PerUserRecords(PhantomData))?
            .unwrap_or_default())
    }

    /// Parses `file` with `seed` in one streaming pass; `Ok(None)` when the file does not exist.
    fn parse<S, V>(&self, file: &str, shape: Shape, seed: S) -> Result<Option<V>, SnapshotError>
    where
        S: for<'de> DeserializeSeed<'de, Value = V>,
    {
        let top_level = shape.top_level();
        let path = self.dir.join(file);
        let io_error = |action, source| SnapshotError::Io {
            file: file.to_owned(),
            action,
            source,
        };
        let handle = match File::open(&path) {
            Ok(handle) => handle,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(error) => return Err(io_error("opening", error)),
        };
        let size = handle
            .metadata()
            .map_err(|e| io_error("reading metadata", e))?
            .len();
        let limit = self.options.max_file_bytes;
        if size > limit {
            return Err(SnapshotError::TooLarge {
                file: file.to_owned(),
                size,
                limit,
            });
        }
        // `take` also bounds a file that grows after the size check.
        let mut reader = BufReader::with_capacity(256 * 1024, handle.take(limit.saturating_add(1)));
        let first = skip_bom_and_whitespace(&mut reader).map_err(|e| io_error("reading", e))?;
        if let Some(found) = first.and_then(|byte| wrong_top_level(byte, top_level)) {
            return Err(SnapshotError::WrongTopLevelType {
                file: file.to_owned(),
                expected: top_level.name(),
                found,
            });
        }
        let mut deserializer = serde_json::Deserializer::from_reader(reader);
        let mut track = serde_path_to_error::Track::new();
        let value = seed
            .deserialize(serde_path_to_error::Deserializer::new(
                &mut deserializer,
                &mut track,
            ))
            .map_err(|error| json_error(file, shape, Some(&track.path()), error))?;
        deserializer
            .end()
            .map_err(|error| json_error(file, Shape::Single, None, error))?;
        Ok(Some(value))
    }
}

/// Consumes a UTF-8 byte order mark (PowerShell writes one) and leading JSON whitespace, and
/// returns the first byte of the value without consuming it.
fn skip_bom_and_whitespace(reader: &mut impl BufRead) -> std::io::Result<Option<u8>> {
    let buffer = reader.fill_buf()?;
    if buffer.starts_with(&[0xEF, 0xBB, 0xBF]) {
        reader.consume(3);
    }
    loop {
        let buffer = reader.fill_buf()?;
        let Some(&byte) = buffer.first() else {
            return Ok(None);
        };
        if matches!(byte, b' ' | b'\t' | b'\n' | b'\r') {
            reader.consume(1);
        } else {
            return Ok(Some(byte));
        }
    }
}

/// The JSON type that `first_byte` starts, when it is a valid start but not `expected`. Invalid
/// starts are left to the parser, which reports them as bad JSON with a position.
fn wrong_top_level(first_byte: u8, expected: TopLevel) -> Option<&'static str> {
    if first_byte == expected.opening_byte() {
        return None;
    }
    match first_byte {
        b'{' => Some("an object"),
        b'[' => Some("an array"),
        b'"' => Some("a string"),
        b't' | b'f' => Some("a boolean"),
        b'n' => Some("null"),
        b'-' | b'0'..=b'9' => Some("a number"),
        _ => None,
    }
}

fn json_error(
    file: &str,
    shape: Shape,
    path: Option<&serde_path_to_error::Path>,
    error: serde_json::Error,
) -> SnapshotError {
    use serde_json::error::Category;
    let place = path
        .map(|path| describe_path(path, shape))
        .unwrap_or_default();
    match error.classify() {
        Category::Syntax | Category::Eof => {
            let mut message = strip_position(&error.to_string());
            if !place.is_empty() {
                message = format!("{message} (in {place})");
            }
            SnapshotError::BadJson {
                file: file.to_owned(),
                line: error.line(),
                column: error.column(),
                message,
            }
        }
        Category::Io => SnapshotError::Io {
            file: file.to_owned(),
            action: "reading",
            source: std::io::Error::other(error.to_string()),
        },
        Category::Data => {
            let message = if place.is_empty() {
                error.to_string()
            } else {
                format!("{place}: {error}")
            };
            SnapshotError::InvalidRecord {
                file: file.to_owned(),
                message,
            }
        }
    }
}

/// Turns a path such as `[5].status.errorCode` (arrays) or `<user id>[0].sequence` (per-user
/// files) into `record 5, field status.errorCode` / `user <id>, record 0, field sequence`.
fn describe_path(path: &serde_path_to_error::Path, shape: Shape) -> String {
    use serde_path_to_error::Segment;
    let mut segments = path
        .iter()
        .filter(|segment| !matches!(segment, Segment::Unknown))
        .peekable();
    let mut parts = Vec::new();
    if shape == Shape::PerUser {
        if let Some(Segment::Map { key }) = segments.peek() {
            parts.push(format!("user {key}"));
            segments.next();
        }
    }
    if shape != Shape::Single {
        if let Some(Segment::Seq { index }) = segments.peek() {
            parts.push(format!("record {index}"));
            segments.next();
        }
    }
    let mut field = String::new();
    for segment in segments {
        match segment {
            Segment::Seq { index } => field.push_str(&format!("[{index}]")),
            Segment::Map { key } | Segment::Enum { variant: key } => {
                if !field.is_empty() {
                    field.push('.');
                }
                field.push_str(key);
            }
            Segment::Unknown => {}
        }
    }
    if !field.is_empty() {
        parts.push(format!("field {field}"));
    }
    parts.join(", ")
}

fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(at) => message[..at].to_owned(),
        None => message.to_owned(),
    }
}

/// Deserializes `{userId: [record]}`, rejecting a user key that appears twice (a plain map would
/// silently keep only the last).
struct PerUserRecords<T>(PhantomData<T>);

impl<'de, T: DeserializeOwned> DeserializeSeed<'de> for PerUserRecords<T> {
    type Value = PerUser<T>;
    fn deserialize<D: serde::Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<PerUser<T>, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de, T: DeserializeOwned> Visitor<'de> for PerUserRecords<T> {
    type Value = PerUser<T>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object of user id to array of records")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<PerUser<T>, A::Error> {
        let mut per_user = PerUser::new();
        while let Some(user_id) = map.next_key::<String>()? {
            let records: Vec<T> = map.next_value()?;
            if per_user.contains_key(&user_id) {
                return Err(A::Error::custom(format!("user {user_id} appears twice")));
            }
            per_user.insert(user_id, records);
        }
        Ok(per_user)
    }
}
