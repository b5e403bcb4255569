//! Writing: round trips, atomicity and refusal to overwrite.

use parapet_snapshot::{
    read, write, write_with, SnapshotError, WriteOptions, PER_USER_FILES, SNAPSHOT_FILES,
};
use serde_json::json;

use crate::support::{json_difference, read_json, scenario_dirs, shared_dir};

#[test]
fn read_write_read_gives_back_the_same_snapshot() {
    let Some(shared) = shared_dir() else { return };
    for (n, dir) in scenario_dirs(&shared).into_iter().enumerate() {
        let original = read(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        // Compact output on the first scenario only: it differs in whitespace alone.
        let formats: &[bool] = if n == 0 { &[true, false] } else { &[true] };
        for &pretty in formats {
            let temp = tempfile::tempdir().expect("tempdir");
            let target = temp.path().join("copy");
            write_with(&original, &target, &WriteOptions { pretty }).expect("write");
            let again = read(&target).expect("read the written snapshot");
            assert_eq!(again, original, "{} (pretty: {pretty})", dir.display());
            // Every written file holds exactly the JSON of the original (up to key order and
            // whitespace); a file the original lacks is written empty.
            for file in SNAPSHOT_FILES {
                let written = read_json(&target.join(file));
                let original = if dir.join(file).exists() {
                    read_json(&dir.join(file))
                } else if PER_USER_FILES.contains(file) {
                    json!({})
                } else {
                    json!([])
                };
                if let Some(difference) = json_difference(&original, &written, "") {
                    panic!("{}: {file}: {difference}", dir.display());
                }
            }
            // Nothing but the snapshot is left next to it.
            let entries: Vec<_> = std::fs::read_dir(temp.path())
                .unwrap()
                .map(|e| e.unwrap().file_name())
                .collect();
            assert_eq!(entries, vec![std::ffi::OsString::from("copy")]);
        }
    }
}

#[test]
fn writing_into_an_empty_directory_works_and_into_a_full_one_is_refused() {
    let Some(shared) = shared_dir() else { return };
    let snapshot = read(&scenario_dirs(&shared)[0]).expect("read");
    let temp = tempfile::tempdir().expect("tempdir");
    let empty = temp.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    write(&snapshot, &empty).expect("an empty target is replaced");
    assert_eq!(read(&empty).expect("read"), snapshot);

    let error = write(&snapshot, &empty).expect_err("a non-empty target is refused");
    assert!(
        matches!(error, SnapshotError::TargetNotEmpty { .. }),
        "{error:?}"
    );
    assert!(error.to_string().contains("empty"), "{error}");
    assert_eq!(read(&empty).expect("still readable"), snapshot);
}

#[test]
fn a_failed_write_leaves_nothing_behind() {
    let Some(shared) = shared_dir() else { return };
    let snapshot = read(&scenario_dirs(&shared)[0]).expect("read");
    let temp = tempfile::tempdir().expect("tempdir");
    // The parent is a file, so neither the staging directory nor the target can be created.
    let blocker = temp.path().join("blocker");
    std::fs::write(&blocker, b"x").unwrap();
    let error = write(&snapshot, &blocker.join("snapshot")).expect_err("cannot write under a file");
    assert!(matches!(error, SnapshotError::Io { .. }), "{error:?}");
    let entries: Vec<_> = std::fs::read_dir(temp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(entries, vec![std::ffi::OsString::from("blocker")]);
}

/// The scenarios have no mailbox or recipient permissions; this covers those files' names and
/// shapes in both directions.
#[test]
fn collections_absent_from_the_scenarios_round_trip_too() {
    let Some(shared) = shared_dir() else { return };
    let mut snapshot = read(&scenario_dirs(&shared)[0]).expect("read");
    let owner = snapshot.users[0].user_principal_name.clone();
    snapshot.mailbox_permissions.push(
        serde_json::from_value(json!({
            "Identity": owner, "User": "attacker@example.com",
            "AccessRights": ["FullAccess"], "IsInherited": false, "Deny": false
        }))
        .expect("mailbox permission"),
    );
    snapshot.recipient_permissions.push(
        serde_json::from_value(json!({
            "Identity": owner, "Trustee": "attacker@example.com", "AccessRights": ["SendAs"]
        }))
        .expect("recipient permission"),
    );
    let temp = tempfile::tempdir().expect("tempdir");
    let target = temp.path().join("snapshot");
    write(&snapshot, &target).expect("write");
    let again = read(&target).expect("read back");
    assert_eq!(again, snapshot);
    let counts = again.record_count();
    assert_eq!(counts.get("mailboxPermissions.json"), Some(1));
    assert_eq!(counts.get("recipientPermissions.json"), Some(1));
    assert_eq!(
        again.mailbox_permissions[0].key(),
        format!("{owner}|attacker@example.com")
    );
}

#[test]
fn an_inconsistent_snapshot_is_not_written() {
    let Some(shared) = shared_dir() else { return };
    let mut snapshot = read(&scenario_dirs(&shared)[0]).expect("read");
    snapshot
        .message_rules
        .insert("no-such-user".to_owned(), Vec::new());
    let temp = tempfile::tempdir().expect("tempdir");
    let target = temp.path().join("snapshot");
    let error = write(&snapshot, &target).expect_err("dangling key");
    assert!(
        matches!(error, SnapshotError::UnknownUserKey { .. }),
        "{error:?}"
    );
    assert!(!target.exists());
}
