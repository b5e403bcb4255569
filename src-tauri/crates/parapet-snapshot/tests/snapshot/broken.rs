//! Broken copies of a scenario: each breaks one thing, and reading must fail with an error that
//! names the file and the problem, or (for the tolerated changes) succeed.

use std::path::Path;

use parapet_snapshot::{read, read_with, ReadOptions, SnapshotError};
use serde_json::{json, Value};

use crate::support::{
    copy_snapshot, copy_snapshot_trimmed, read_json, scenario_dirs, shared_dir, write_json,
};

/// Replaces record `index` of the array in `file` by `edit(record)`.
fn edit_record(dir: &Path, file: &str, index: usize, edit: impl FnOnce(&mut Value)) {
    let path = dir.join(file);
    let mut value = read_json(&path);
    edit(&mut value.as_array_mut().expect("array file")[index]);
    write_json(&path, &value);
}

fn edit_file(dir: &Path, file: &str, edit: impl FnOnce(&mut Value)) {
    let path = dir.join(file);
    let mut value = read_json(&path);
    edit(&mut value);
    write_json(&path, &value);
}

const NOBODY: &str = "00000000-dead-beef-0000-000000000000";

struct Case {
    name: &'static str,
    breakage: fn(&Path),
    /// The file the error must name.
    file: &'static str,
    /// Fragments the error message must contain.
    says: &'static [&'static str],
    is_expected_error: fn(&SnapshotError) -> bool,
}

fn cases() -> Vec<Case> {
    vec![
        Case {
            name: "truncated JSON",
            breakage: |dir| {
                std::fs::write(
                    dir.join("signIns.json"),
                    b"[\n {\"id\": \"a\",\n  \"createdDateTime\": ",
                )
                .unwrap()
            },
            file: "signIns.json",
            says: &["bad JSON at line 3 column"],
            is_expected_error: |e| matches!(e, SnapshotError::BadJson { line: 3, .. }),
        },
        Case {
            name: "syntax error mid-file",
            breakage: |dir| {
                std::fs::write(
                    dir.join("devices.json"),
                    b"[\n {\"id\": \"a\"}\n {\"id\": \"b\"}\n]",
                )
                .unwrap()
            },
            file: "devices.json",
            says: &["bad JSON at line 3 column 2", "expected `,` or `]`"],
            is_expected_error: |e| {
                matches!(
                    e,
                    SnapshotError::BadJson {
                        line: 3,
                        column: 2,
                        ..
                    }
                )
            },
        },
        Case {
            name: "trailing garbage",
            breakage: |dir| std::fs::write(dir.join("applications.json"), b"[] []").unwrap(),
            file: "applications.json",
            says: &["bad JSON", "trailing characters"],
            is_expected_error: |e| matches!(e, SnapshotError::BadJson { .. }),
        },
        Case {
            name: "invalid UTF-8",
            breakage: |dir| {
                std::fs::write(dir.join("users.json"), b"[{\"id\": \"\xff\xfe\"}]").unwrap()
            },
            file: "users.json",
            says: &["bad JSON at line 1"],
            is_expected_error: |e| matches!(e, SnapshotError::BadJson { .. }),
        },
        Case {
            name: "empty file",
            breakage: |dir| std::fs::write(dir.join("transportRules.json"), b"  \n").unwrap(),
            file: "transportRules.json",
            says: &["bad JSON", "EOF"],
            is_expected_error: |e| matches!(e, SnapshotError::BadJson { .. }),
        },
        Case {
            name: "array file holds an object",
            breakage: |dir| std::fs::write(dir.join("users.json"), b"{\"value\": []}").unwrap(),
            file: "users.json",
            says: &["top-level value is an object, expected an array"],
            is_expected_error: |e| matches!(e, SnapshotError::WrongTopLevelType { .. }),
        },
        Case {
            name: "per-user file holds an array",
            breakage: |dir| std::fs::write(dir.join("messageRules.json"), b"[]").unwrap(),
            file: "messageRules.json",
            says: &["top-level value is an array, expected an object"],
            is_expected_error: |e| matches!(e, SnapshotError::WrongTopLevelType { .. }),
        },
        Case {
            name: "tenant.json holds a string",
            breakage: |dir| std::fs::write(dir.join("tenant.json"), b"\"contoso\"").unwrap(),
            file: "tenant.json",
            says: &["top-level value is a string, expected an object"],
            is_expected_error: |e| matches!(e, SnapshotError::WrongTopLevelType { .. }),
        },
        Case {
            name: "nested field of the wrong type",
            breakage: |dir| {
                edit_record(dir, "signIns.json", 5, |r| {
                    r["status"]["errorCode"] = json!("zero")
                })
            },
            file: "signIns.json",
            says: &[
                "record 5",
                "record 5, field status.errorCode",
                "expected i64",
                "at line",
            ],
            is_expected_error: |e| matches!(e, SnapshotError::InvalidRecord { .. }),
        },
        Case {
            name: "optional field of the wrong type",
            breakage: |dir| {
                edit_record(dir, "users.json", 3, |r| r["accountEnabled"] = json!("yes"))
            },
            file: "users.json",
            says: &["record 3", "field accountEnabled", "expected a boolean"],
            is_expected_error: |e| matches!(e, SnapshotError::InvalidRecord { .. }),
        },
        Case {
            name: "array element of the wrong type",
            breakage: |dir| {
                edit_record(dir, "devices.json", 0, |r| {
                    r["registeredOwners"] = json!([42])
                })
            },
            file: "devices.json",
            says: &["record 0", "field registeredOwners[0]", "expected a string"],
            is_expected_error: |e| matches!(e, SnapshotError::InvalidRecord { .. }),
        },
        Case {
            name: "missing required field",
            breakage: |dir| {
                edit_record(dir, "users.json", 2, |r| {
                    drop(r.as_object_mut().unwrap().remove("id"))
                })
            },
            file: "users.json",
            says: &["record 2", "missing field `id`"],
            is_expected_error: |e| matches!(e, SnapshotError::InvalidRecord { .. }),
        },
        Case {
            name: "required field is null",
            breakage: |dir| {
                edit_record(dir, "auditRecords.json", 7, |r| {
                    r["Operation"] = Value::Null
                })
            },
            file: "auditRecords.json",
            says: &["record 7", "field Operation", "null"],
            is_expected_error: |e| matches!(e, SnapshotError::InvalidRecord { .. }),
        },
        Case {
            name: "unparseable time",
            breakage: |dir| {
                edit_record(dir, "directoryAudits.json", 1, |r| {
                    r["activityDateTime"] = json!("yesterday")
                })
            },
            file: "directoryAudits.json",
            says: &[
                "record 1",
                "field activityDateTime",
                "invalid time \"yesterday\"",
            ],
            is_expected_error: |e| matches!(e, SnapshotError::InvalidRecord { .. }),
        },
        Case {
            name: "record is not an object",
            breakage: |dir| edit_record(dir, "servicePrincipals.json", 4, |r| *r = json!("sp")),
            file: "servicePrincipals.json",
            says: &["record 4", "expected a JSON object (ServicePrincipal)"],
            is_expected_error: |e| matches!(e, SnapshotError::InvalidRecord { .. }),
        },
        Case {
            name: "tenant licences of the wrong type",
            breakage: |dir| {
                edit_file(dir, "tenant.json", |t| {
                    t["licenses"]["entraIdP1"] = json!(1)
                })
            },
            file: "tenant.json",
            says: &["field licenses.entraIdP1", "expected a boolean"],
            is_expected_error: |e| matches!(e, SnapshotError::InvalidRecord { .. }),
        },
        Case {
            name: "per-user record of the wrong type",
            breakage: |dir| {
                edit_file(dir, "messageRules.json", |rules| {
                    let first = rules.as_object_mut().unwrap().values_mut().next().unwrap();
                    first[0]["sequence"] = json!("first");
                })
            },
            file: "messageRules.json",
            says: &["user ", "record 0", "field sequence"],
            is_expected_error: |e| matches!(e, SnapshotError::InvalidRecord { .. }),
        },
        Case {
            name: "per-user value is not an array",
            breakage: |dir| {
                edit_file(dir, "messages.json", |messages| {
                    *messages
                        .as_object_mut()
                        .unwrap()
                        .values_mut()
                        .next()
                        .unwrap() = json!({});
                })
            },
            file: "messages.json",
            says: &["user ", "expected a sequence"],
            is_expected_error: |e| matches!(e, SnapshotError::InvalidRecord { .. }),
        },
        Case {
            name: "per-user key appears twice",
            breakage: |dir| {
                let text = std::fs::read_to_string(dir.join("users.json")).unwrap();
                let users: Value = serde_json::from_str(&text).unwrap();
                let id = users[0]["id"].as_str().unwrap();
                let doubled = format!("{{\"{id}\": [], \"{id}\": []}}");
                std::fs::write(dir.join("authenticationMethods.json"), doubled).unwrap();
            },
            file: "authenticationMethods.json",
            says: &["appears twice"],
            is_expected_error: |e| matches!(e, SnapshotError::InvalidRecord { .. }),
        },
        Case {
            name: "dangling per-user key",
            breakage: |dir| {
                edit_file(dir, "messageRules.json", |r| {
                    drop(r.as_object_mut().unwrap().insert(NOBODY.into(), json!([])))
                })
            },
            file: "messageRules.json",
            says: &["key 00000000-dead-beef-0000-000000000000 matches no user"],
            is_expected_error: |e| matches!(e, SnapshotError::UnknownUserKey { .. }),
        },
        Case {
            name: "dangling device owner",
            breakage: |dir| {
                edit_record(dir, "devices.json", 2, |d| {
                    d["registeredOwners"] = json!([NOBODY])
                })
            },
            file: "devices.json",
            says: &[
                "record 2",
                "registeredOwners 00000000-dead-beef-0000-000000000000 matches no user",
            ],
            is_expected_error: |e| {
                matches!(e, SnapshotError::UnknownUserReference { index: 2, .. })
            },
        },
        Case {
            name: "dangling mailbox user",
            breakage: |dir| edit_record(dir, "mailboxes.json", 1, |m| m["userId"] = json!(NOBODY)),
            file: "mailboxes.json",
            says: &[
                "record 1",
                "userId 00000000-dead-beef-0000-000000000000 matches no user",
            ],
            is_expected_error: |e| {
                matches!(e, SnapshotError::UnknownUserReference { index: 1, .. })
            },
        },
        Case {
            name: "duplicate sign-in id",
            breakage: |dir| {
                let first_id = read_json(&dir.join("signIns.json"))[0]["id"].clone();
                edit_record(dir, "signIns.json", 9, |s| s["id"] = first_id);
            },
            file: "signIns.json",
            says: &["records 0 and 9 share the id"],
            is_expected_error: |e| {
                matches!(
                    e,
                    SnapshotError::DuplicateId {
                        first: 0,
                        second: 9,
                        ..
                    }
                )
            },
        },
        Case {
            name: "duplicate user principal name differing in case",
            breakage: |dir| {
                let upn = read_json(&dir.join("users.json"))[0]["userPrincipalName"]
                    .as_str()
                    .unwrap()
                    .to_uppercase();
                edit_record(dir, "users.json", 1, |u| {
                    u["userPrincipalName"] = json!(upn)
                });
            },
            file: "users.json",
            says: &["records 0 and 1 share the userPrincipalName"],
            is_expected_error: |e| matches!(e, SnapshotError::DuplicateId { .. }),
        },
        Case {
            name: "missing tenant.json",
            breakage: |dir| std::fs::remove_file(dir.join("tenant.json")).unwrap(),
            file: "tenant.json",
            says: &["tenant.json is missing"],
            is_expected_error: |e| matches!(e, SnapshotError::MissingTenant { .. }),
        },
    ]
}

#[test]
fn each_breakage_is_rejected_with_an_error_naming_the_file() {
    let Some(shared) = shared_dir() else { return };
    // One scenario is enough: the cases do not depend on its content beyond its shape.
    let scenario = &scenario_dirs(&shared)[0];
    let trimmed = copy_snapshot_trimmed(scenario, 20);
    read(trimmed.path()).expect("the unbroken trimmed copy reads");
    for case in cases() {
        let copy = copy_snapshot(trimmed.path());
        (case.breakage)(copy.path());
        let error = match read(copy.path()) {
            Ok(_) => panic!("{}: {}: read succeeded", scenario.display(), case.name),
            Err(error) => error,
        };
        let message = error.to_string();
        if std::env::var_os("PARAPET_SHOW_ERRORS").is_some() {
            eprintln!("{:48} {message}", case.name);
        }
        assert!(
            (case.is_expected_error)(&error),
            "{}: unexpected error {error:?}",
            case.name
        );
        assert!(
            message.contains(case.file),
            "{}: {message:?} does not name {}",
            case.name,
            case.file
        );
        for fragment in case.says {
            assert!(
                message.contains(fragment),
                "{}: {message:?} lacks {fragment:?}",
                case.name
            );
        }
    }
}

#[test]
fn a_file_over_the_size_limit_is_rejected_before_parsing() {
    let Some(shared) = shared_dir() else { return };
    let scenario = &scenario_dirs(&shared)[0];
    let sign_ins_size = std::fs::metadata(scenario.join("signIns.json"))
        .unwrap()
        .len();
    let largest_other = parapet_snapshot::SNAPSHOT_FILES
        .iter()
        .filter(|file| **file != "signIns.json" && **file != "auditRecords.json")
        .filter_map(|file| std::fs::metadata(scenario.join(file)).ok())
        .map(|metadata| metadata.len())
        .max()
        .unwrap();
    let audit_size = std::fs::metadata(scenario.join("auditRecords.json"))
        .unwrap()
        .len();
    assert!(
        sign_ins_size > audit_size.max(largest_other),
        "signIns.json must be the largest file"
    );
    let options = ReadOptions {
        max_file_bytes: sign_ins_size - 1,
    };
    let error = read_with(scenario, &options).expect_err("over the limit");
    assert!(
        matches!(error, SnapshotError::TooLarge { size, .. } if size == sign_ins_size),
        "{error:?}"
    );
    assert!(error.to_string().starts_with("signIns.json: "), "{error}");

    let options = ReadOptions {
        max_file_bytes: sign_ins_size,
    };
    read_with(scenario, &options).expect("a file exactly at the limit is accepted");
}

#[test]
fn unknown_fields_bom_and_explicit_nulls_are_accepted_and_preserved() {
    let Some(shared) = shared_dir() else { return };
    let scenario = &scenario_dirs(&shared)[0];
    let copy = copy_snapshot(scenario);
    let dir = copy.path();
    let unknown = json!({"nested": [1, 2.5, null, {"deep": true}], "text": "x"});
    edit_record(dir, "signIns.json", 0, |s| {
        s["parapetUnknownField"] = unknown.clone();
        s["status"]["unknownStatusField"] = json!(7);
        s["userAgent"] = Value::Null;
    });
    edit_file(dir, "tenant.json", |t| t["tenantExtra"] = json!("kept"));
    let users = std::fs::read(dir.join("users.json")).unwrap();
    std::fs::write(
        dir.join("users.json"),
        [b"\xEF\xBB\xBF".as_slice(), &users].concat(),
    )
    .unwrap();

    let snapshot = read(dir).expect("unknown fields and a BOM are accepted");
    let sign_in = &snapshot.sign_ins[0];
    assert_eq!(sign_in.extra.get("parapetUnknownField"), Some(&unknown));
    assert_eq!(
        sign_in.status.extra.get("unknownStatusField"),
        Some(&json!(7))
    );
    assert_eq!(sign_in.user_agent, None);
    assert_eq!(
        snapshot.tenant.extra.get("tenantExtra"),
        Some(&json!("kept"))
    );

    let emitted = serde_json::to_value(sign_in).unwrap();
    assert_eq!(emitted["parapetUnknownField"], unknown);
    assert_eq!(emitted["status"]["unknownStatusField"], json!(7));
    assert_eq!(
        emitted.get("userAgent"),
        Some(&Value::Null),
        "explicit null is re-emitted"
    );
    let original = &read_json(&dir.join("signIns.json"))[0];
    assert_eq!(
        crate::support::json_difference(original, &emitted, ""),
        None
    );
}

/// With several broken files the error names the first in file order, whichever thread read it.
#[test]
fn the_first_broken_file_in_file_order_is_reported() {
    let Some(shared) = shared_dir() else { return };
    let trimmed = copy_snapshot_trimmed(&scenario_dirs(&shared)[0], 20);
    let cases: &[(&[&str], &str)] = &[
        (&["users.json", "signIns.json"], "users.json"),
        (&["signIns.json", "directoryAudits.json"], "signIns.json"),
        (&["auditRecords.json", "devices.json"], "auditRecords.json"),
        (
            &["directoryAudits.json", "auditRecords.json"],
            "directoryAudits.json",
        ),
    ];
    for (broken, reported) in cases {
        let copy = copy_snapshot(trimmed.path());
        for file in *broken {
            std::fs::write(copy.path().join(file), b"[{").unwrap();
        }
        let error = read(copy.path()).expect_err("broken");
        assert!(
            error.to_string().starts_with(&format!("{reported}: ")),
            "{broken:?}: {error}"
        );
    }
}
