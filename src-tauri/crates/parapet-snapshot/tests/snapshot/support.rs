//! Helpers shared by the test modules.

use std::path::{Path, PathBuf};

use serde_json::Value;

/// The shared reference directory, or `None` (after a loud note) when it is absent outside CI.
pub fn shared_dir() -> Option<PathBuf> {
    parapet_testkit::shared_dir("a test that needs the shared scenarios")
}

/// Every scenario directory (a directory holding a tenant.json) under `shared/scenarios`.
pub fn scenario_dirs(shared: &Path) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(shared.join("scenarios"))
        .expect("read scenarios dir")
        .map(|entry| entry.expect("dir entry").path())
        .filter(|path| path.join("tenant.json").is_file())
        .collect();
    dirs.sort();
    assert!(!dirs.is_empty(), "no scenarios under {}", shared.display());
    dirs
}

/// Copies a snapshot directory into a fresh temporary directory (made writable).
pub fn copy_snapshot(source: &Path) -> tempfile::TempDir {
    let temp = tempfile::tempdir().expect("tempdir");
    for entry in std::fs::read_dir(source).expect("read snapshot dir") {
        let entry = entry.expect("dir entry");
        let target = temp.path().join(entry.file_name());
        std::fs::copy(entry.path(), &target).expect("copy file");
        let mut permissions = std::fs::metadata(&target).expect("metadata").permissions();
        #[allow(clippy::permissions_set_readonly_false)]
        permissions.set_readonly(false);
        std::fs::set_permissions(&target, permissions).expect("make writable");
    }
    temp
}

/// Like [`copy_snapshot`], but keeps only the first `keep` records of the two big log files, so
/// that the many broken copies read quickly in debug builds.
pub fn copy_snapshot_trimmed(source: &Path, keep: usize) -> tempfile::TempDir {
    let temp = copy_snapshot(source);
    for file in ["signIns.json", "auditRecords.json"] {
        let path = temp.path().join(file);
        let mut value = read_json(&path);
        value.as_array_mut().expect("array file").truncate(keep);
        write_json(&path, &value);
    }
    temp
}

pub fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

pub fn write_json(path: &Path, value: &Value) {
    std::fs::write(path, serde_json::to_vec_pretty(value).expect("serialize")).expect("write");
}

/// Where `emitted` differs from `original` (key order is ignored): the JSON path of the first
/// difference, or `None`.
pub fn json_difference(original: &Value, emitted: &Value, path: &str) -> Option<String> {
    match (original, emitted) {
        (Value::Object(a), Value::Object(b)) => {
            for key in a.keys().chain(b.keys()) {
                match (a.get(key), b.get(key)) {
                    (Some(x), Some(y)) => {
                        if let Some(difference) = json_difference(x, y, &format!("{path}.{key}")) {
                            return Some(difference);
                        }
                    }
                    (Some(_), None) => return Some(format!("{path}.{key} was dropped")),
                    (None, Some(_)) => return Some(format!("{path}.{key} was added")),
                    (None, None) => unreachable!(),
                }
            }
            None
        }
        (Value::Array(a), Value::Array(b)) => {
            if a.len() != b.len() {
                return Some(format!(
                    "{path}: array length {} became {}",
                    a.len(),
                    b.len()
                ));
            }
            a.iter()
                .zip(b)
                .enumerate()
                .find_map(|(i, (x, y))| json_difference(x, y, &format!("{path}[{i}]")))
        }
        (a, b) if a == b => None,
        (a, b) => Some(format!("{path}: {a} became {b}")),
    }
}

/// The records of one collection file as plain JSON (per-user files flattened, in key order).
pub fn raw_records(file_value: &Value) -> Vec<&Value> {
    match file_value {
        Value::Array(items) => items.iter().collect(),
        Value::Object(per_user) => per_user
            .values()
            .flat_map(|records| records.as_array().expect("per-user value is an array"))
            .collect(),
        other => panic!("unexpected top-level value {other}"),
    }
}
