//! The store against a real SQLite file.

use chrono::{TimeZone, Utc};
use parapet_store::{
    EntraLicence, SettingKey, Store, StoreError, TenantFacts, TenantFlags, TenantRow,
};

fn tenant(id: &str, name: &str) -> TenantRow {
    TenantRow {
        id: id.into(),
        display_name: name.into(),
        default_domain: format!("{}.onmicrosoft.com", name.to_lowercase()),
        onboarded_at: Utc.with_ymd_and_hms(2026, 11, 1, 9, 30, 0).unwrap(),
        flags: TenantFlags::default(),
        facts: TenantFacts::default(),
    }
}

#[test]
fn migrates_an_empty_file_to_the_latest_schema() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("parapet.db");
    let store = Store::open(&path).unwrap();
    assert!(store.schema_version().unwrap() >= 1);
    assert!(store.tenants().unwrap().is_empty());
    drop(store);
    // Reopening applies nothing twice and keeps the version.
    let reopened = Store::open(&path).unwrap();
    assert!(reopened.schema_version().unwrap() >= 1);
}

#[test]
fn uses_wal_and_foreign_keys() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("parapet.db");
    drop(Store::open(&path).unwrap());
    let raw = rusqlite::Connection::open(&path).unwrap();
    let mode: String = raw
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
}

#[test]
fn refuses_a_database_from_a_newer_parapet() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("parapet.db");
    let raw = rusqlite::Connection::open(&path).unwrap();
    raw.pragma_update(None, "user_version", 9999).unwrap();
    drop(raw);
    let error = Store::open(&path).unwrap_err();
    assert!(
        matches!(error, StoreError::TooNew { found: 9999, .. }),
        "{error}"
    );
}

#[test]
fn a_file_that_is_not_a_database_gives_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("parapet.db");
    std::fs::write(
        &path,
        b"this is not sqlite, just some text that is long enough",
    )
    .unwrap();
    let error = Store::open(&path).unwrap_err();
    assert!(error.to_string().contains("database"), "{error}");
    assert_eq!(
        std::fs::read(&path).unwrap(),
        b"this is not sqlite, just some text that is long enough",
        "a bad file is left as it was"
    );
}

#[test]
fn tenants_round_trip_with_their_flags() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("parapet.db")).unwrap();
    store.upsert_tenant(&tenant("t-2", "Zephyr")).unwrap();
    store.upsert_tenant(&tenant("t-1", "acme")).unwrap();
    let flags = TenantFlags {
        response_enabled: true,
        paused: true,
        scan_only: false,
    };
    store.set_tenant_flags("t-1", flags).unwrap();
    let tenants = store.tenants().unwrap();
    assert_eq!(
        tenants.iter().map(|t| t.id.as_str()).collect::<Vec<_>>(),
        ["t-1", "t-2"]
    );
    assert_eq!(tenants[0].flags, flags);
    assert_eq!(tenants[0].onboarded_at, tenant("t-1", "acme").onboarded_at);
    // Re-onboarding keeps the technician's switches and refreshes the facts.
    let mut refreshed = tenant("t-1", "Acme Ltd");
    refreshed.facts = TenantFacts {
        entra_licence: EntraLicence::P1,
        member_users: 40,
        billable_users: 31,
        last_verified_at: Some(Utc.with_ymd_and_hms(2026, 11, 2, 0, 0, 0).unwrap()),
    };
    store.upsert_tenant(&refreshed).unwrap();
    let again = store.tenant("t-1").unwrap();
    assert_eq!(again.display_name, "Acme Ltd");
    assert_eq!(again.flags, flags);
    assert_eq!(again.facts, refreshed.facts);
    store.remove_tenant("t-1").unwrap();
    assert_eq!(store.tenants().unwrap().len(), 1);
    assert!(matches!(
        store.tenant("t-1"),
        Err(StoreError::NotFound { .. })
    ));
    assert!(matches!(
        store.remove_tenant("t-1"),
        Err(StoreError::NotFound { .. })
    ));
    assert!(store.set_tenant_flags("nope", flags).is_err());
}

#[test]
fn settings_are_set_and_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("parapet.db")).unwrap();
    assert_eq!(store.setting(SettingKey::MspDisplayName).unwrap(), None);
    store
        .set_setting(SettingKey::MspDisplayName, "Bastion IT <b>")
        .unwrap();
    store
        .set_setting(SettingKey::MspDisplayName, "Bastion IT")
        .unwrap();
    assert_eq!(
        store
            .setting(SettingKey::MspDisplayName)
            .unwrap()
            .as_deref(),
        Some("Bastion IT")
    );
}

fn incident(id: &str, tenant_id: &str) -> parapet_store::IncidentRow {
    let at = Utc.with_ymd_and_hms(2026, 11, 3, 10, 0, 0).unwrap();
    parapet_store::IncidentRow {
        id: id.into(),
        tenant_id: tenant_id.into(),
        user_principal_name: "jane@acme.example".into(),
        kind: "active_compromise".into(),
        severity: "critical".into(),
        confidence: "high".into(),
        status: String::new(),
        first_seen: at,
        last_seen: at,
        detail: "{}".into(),
        raised_at: at,
        updated_at: at,
    }
}

#[test]
fn incidents_keep_their_status_across_rescans_and_go_with_their_tenant() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("parapet.db")).unwrap();
    store.upsert_tenant(&tenant("t-1", "acme")).unwrap();
    let now = Utc.with_ymd_and_hms(2026, 11, 4, 0, 0, 0).unwrap();
    let new = store
        .record_incidents(&[incident("inc_a", "t-1")], "unpublished", now)
        .unwrap();
    assert_eq!(new, ["inc_a"]);
    store.set_incident_status("inc_a", "active", now).unwrap();
    let mut rescanned = incident("inc_a", "t-1");
    rescanned.severity = "high".into();
    let new = store
        .record_incidents(&[rescanned], "unpublished", now)
        .unwrap();
    assert!(new.is_empty(), "a re-scan does not raise it again");
    let stored = store.incident("inc_a").unwrap();
    assert_eq!(
        (stored.status.as_str(), stored.severity.as_str()),
        ("active", "high")
    );

    store
        .append_action("inc_a", 1, r#"{"sequence":1}"#)
        .unwrap();
    assert!(matches!(
        store.append_action("inc_a", 3, r#"{"sequence":3}"#),
        Err(StoreError::OutOfSequence { expected: 2, .. })
    ));
    assert_eq!(store.actions("inc_a").unwrap().len(), 1);

    store.remove_tenant("t-1").unwrap();
    assert!(store.incidents(None).unwrap().is_empty());
    assert!(store.actions("inc_a").unwrap().is_empty());
}

#[test]
fn the_action_log_cannot_be_rewritten() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("parapet.db");
    let store = Store::open(&path).unwrap();
    store.upsert_tenant(&tenant("t-1", "acme")).unwrap();
    let now = Utc.with_ymd_and_hms(2026, 11, 4, 0, 0, 0).unwrap();
    store
        .record_incidents(&[incident("inc_a", "t-1")], "active", now)
        .unwrap();
    store
        .append_action("inc_a", 1, r#"{"result":"failed"}"#)
        .unwrap();
    drop(store);
    let raw = rusqlite::Connection::open(&path).unwrap();
    let error = raw
        .execute(
            "UPDATE action_log SET record = '{\"result\":\"succeeded\"}'",
            [],
        )
        .unwrap_err();
    assert!(error.to_string().contains("append-only"), "{error}");
}
