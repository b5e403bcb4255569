use serde_json::{json, Value};

use crate::model::{AuditRecord, PasswordCredential, SignInStatus, TransportRule};

/// Reading then writing gives back exactly the input: absent stays absent, `null` stays `null`,
/// unknown fields survive.
#[test]
fn records_re_emit_exactly_what_they_read() {
    let inputs = [
        json!({"errorCode": 0}),
        json!({"errorCode": 0, "failureReason": null, "additionalDetails": null}),
        json!({"errorCode": 50126, "failureReason": "Invalid password", "extra": {"a": [1, null]}}),
        json!({"errorCode": -1, "additionalDetails": "x", "unknown": null}),
    ];
    for input in inputs {
        let status: SignInStatus = serde_json::from_value(input.clone()).expect("parse");
        assert_eq!(serde_json::to_value(&status).expect("emit"), input);
    }
}

/// The mailbox items and folders of audit records (nested, some boxed) re-emit exactly too, and
/// read into their typed fields.
#[test]
fn audit_records_re_emit_their_mailbox_items_exactly() {
    let base = json!({"CreationTime": "2026-08-24T15:11:55", "Id": "a1", "Operation": "MailItemsAccessed",
        "RecordType": 50, "UserId": "ann@contoso.com"});
    let with = |fields: Value| {
        let mut record = base.clone();
        record
            .as_object_mut()
            .unwrap()
            .extend(fields.as_object().unwrap().clone());
        record
    };
    let inputs = [
        base.clone(),
        with(
            json!({"Folders": [{"Id": "f1", "Path": "\\Inbox", "FolderItems": [
            {"InternetMessageId": "<m1@x>", "SizeInBytes": 1793021},
            {"InternetMessageId": "<m2@x>", "SizeInBytes": 1.5, "Unknown": [1, null]}]}]}),
        ),
        with(
            json!({"Item": {"Id": "i1", "Subject": null, "ParentFolder": {"Id": "p", "Path": "\\Sent Items"}}}),
        ),
        with(json!({"Item": null, "Folder": {"Id": "f"}, "DestFolder": {}, "AffectedItems": []})),
        with(
            json!({"Actor": [{"ID": "u1", "Type": 5}, {"ID": "x"}], "Target": null,
            "DeviceProperties": [{"Name": "Id", "Value": "d1"}]}),
        ),
    ];
    for input in inputs {
        let record: AuditRecord = serde_json::from_value(input.clone()).expect("parse");
        assert_eq!(serde_json::to_value(&record).expect("emit"), input);
    }
    let record: AuditRecord = serde_json::from_value(with(json!({"Folders": [{"FolderItems": [
        {"InternetMessageId": "<m1@x>"}]}], "Item": {"ParentFolder": {"Path": "\\Inbox"}}})))
    .unwrap();
    let folders = record.folders.as_deref().unwrap();
    let items = folders[0].folder_items.as_deref().unwrap();
    assert_eq!(items[0].internet_message_id.as_deref(), Some("<m1@x>"));
    let parent = record
        .item
        .as_ref()
        .and_then(|item| item.parent_folder.as_ref());
    assert_eq!(
        parent.and_then(|folder| folder.path.as_deref()),
        Some("\\Inbox")
    );
    assert!(record.extra.is_empty(), "{:?}", record.extra);
}

#[test]
fn null_and_absent_optional_fields_both_read_as_none() {
    let absent: SignInStatus = serde_json::from_value(json!({"errorCode": 0})).unwrap();
    let null: SignInStatus =
        serde_json::from_value(json!({"errorCode": 0, "failureReason": null})).unwrap();
    assert_eq!(absent.failure_reason, None);
    assert_eq!(null.failure_reason, None);
    assert_eq!(null.extra.get("failureReason"), Some(&Value::Null));
}

#[test]
fn a_typed_value_set_in_code_replaces_a_remembered_null() {
    let mut status: SignInStatus =
        serde_json::from_value(json!({"errorCode": 0, "failureReason": null})).unwrap();
    status.failure_reason = Some("Blocked by Parapet".to_owned());
    let emitted = serde_json::to_string(&status).unwrap();
    assert_eq!(emitted.matches("failureReason").count(), 1, "{emitted}");
    assert_eq!(
        serde_json::from_str::<Value>(&emitted).unwrap()["failureReason"],
        json!("Blocked by Parapet")
    );
}

#[test]
fn a_repeated_key_keeps_its_last_value() {
    let status: SignInStatus = serde_json::from_str(
        r#"{"errorCode": 1, "failureReason": null, "failureReason": "late", "errorCode": 2}"#,
    )
    .unwrap();
    assert_eq!(status.error_code, 2);
    assert_eq!(status.failure_reason.as_deref(), Some("late"));
    assert!(status.extra.is_empty(), "{:?}", status.extra);
}

#[test]
fn times_and_lists_are_typed() {
    let rule: TransportRule = serde_json::from_value(json!({
        "Identity": "BCC finance",
        "BlindCopyTo": ["x@example.com"],
        "WhenChanged": "2026-10-20T23:22:34.1200000Z",
        "SetSCL": -1
    }))
    .unwrap();
    assert_eq!(
        rule.blind_copy_to.as_deref(),
        Some(&["x@example.com".to_owned()][..])
    );
    assert_eq!(rule.set_scl, Some(-1));
    let emitted = serde_json::to_value(&rule).unwrap();
    assert_eq!(
        emitted["WhenChanged"],
        json!("2026-10-20T23:22:34.1200000Z")
    );
}

#[test]
fn debug_output_redacts_secrets_kept_in_extra() {
    let credential: PasswordCredential = serde_json::from_value(json!({
        "keyId": "k1",
        "secretText": "hunter2-very-secret",
        "hint": "hun",
        "nested": [{"password": "hunter2-nested"}]
    }))
    .unwrap();
    let debug = format!("{credential:?}");
    assert!(!debug.contains("hunter2"), "{debug}");
    assert!(
        debug.contains("<redacted>") && debug.contains("k1"),
        "{debug}"
    );
    // The secret is still data: serializing keeps it, so a simulator can serve what it was given.
    assert_eq!(
        serde_json::to_value(&credential).unwrap()["secretText"],
        json!("hunter2-very-secret")
    );
}

#[test]
fn times_keep_their_spelling_until_changed() {
    use crate::model::AuditRecord;
    let input = json!({
        "CreationTime": "2015-06-29T20:03:19",
        "Id": "80c76bd2",
        "Operation": "UserLoggedIn",
        "RecordType": 15,
        "UserId": "admin@contoso.com"
    });
    let mut record: AuditRecord = serde_json::from_value(input.clone()).unwrap();
    assert_eq!(
        crate::time::format(record.creation_time),
        "2015-06-29T20:03:19Z"
    );
    assert_eq!(
        serde_json::to_value(&record).unwrap(),
        input,
        "original spelling re-emitted"
    );

    record.creation_time += chrono::Duration::seconds(1);
    let emitted = serde_json::to_value(&record).unwrap();
    assert_eq!(
        emitted["CreationTime"],
        json!("2015-06-29T20:03:20Z"),
        "a changed time is written in standard form"
    );

    let standard = json!({"errorCode": 0});
    let status: SignInStatus = serde_json::from_value(standard).unwrap();
    assert_eq!(
        status.spellings,
        crate::model::Spellings::default(),
        "nothing remembered for standard input"
    );
}

#[test]
fn powershell_dates_read_as_times_and_re_emit_verbatim() {
    use crate::model::InboundConnector;
    let input =
        json!({"Identity": "Relay", "WhenCreated": "/Date(1603234354000)/", "Enabled": true});
    let connector: InboundConnector = serde_json::from_value(input.clone()).unwrap();
    assert_eq!(
        connector.when_created.map(crate::time::format).as_deref(),
        Some("2020-10-20T22:52:34Z")
    );
    assert_eq!(serde_json::to_value(&connector).unwrap(), input);
}

/// Nested audit detail Microsoft sends in a shape the types do not know is kept as sent, and
/// the record is still read: an unexpected shape never costs the evidence.
#[test]
fn audit_detail_of_an_unexpected_shape_is_kept_not_refused() {
    let input = json!({"CreationTime": "2026-08-24T15:11:55", "Id": "a2", "Operation": "MailItemsAccessed",
        "RecordType": 50, "UserId": "ann@contoso.com",
        "Folders": "not a list", "Actor": [{"ID": 5, "Type": "User"}],
        "Item": {"SizeInBytes": "large"}, "DeviceProperties": [{"Name": "Id", "Value": "d1"}]});
    let record: AuditRecord = serde_json::from_value(input.clone()).expect("still read");
    assert!(record.folders.is_none() && record.actor.is_none() && record.item.is_none());
    assert_eq!(record.extra["Folders"], "not a list");
    assert_eq!(record.extra["Actor"][0]["Type"], "User");
    assert!(
        record.device_properties.is_some(),
        "what fits is still typed"
    );
    assert_eq!(serde_json::to_value(&record).expect("emit"), input);
}
