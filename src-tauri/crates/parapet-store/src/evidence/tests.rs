//! Evidence storage against a real SQLite file.

use super::*;
use crate::{TenantFacts, TenantFlags, TenantRow};
use serde_json::json;

const TENANT: &str = "t1";

fn store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("db.sqlite")).unwrap();
    store
        .upsert_tenant(&TenantRow {
            id: TENANT.into(),
            display_name: "Contoso".into(),
            default_domain: "contoso.onmicrosoft.com".into(),
            onboarded_at: Utc::now(),
            flags: TenantFlags::default(),
            facts: TenantFacts::default(),
        })
        .unwrap();
    (dir, store)
}

fn sign_in(id: &str, time: &str, app: &str) -> EvidenceRecord {
    EvidenceRecord::from_json(
        EvidenceKind::SignIn,
        None,
        json!({ "id": id, "createdDateTime": time, "appDisplayName": app,
                "userId": "u1", "userPrincipalName": "a@contoso.com",
                "status": { "errorCode": 0 } }),
    )
    .unwrap()
}

fn tenant_info() -> TenantInfo {
    serde_json::from_value(json!({
        "id": TENANT, "displayName": "Contoso", "defaultDomainName": "contoso.onmicrosoft.com",
        "verifiedDomains": ["contoso.onmicrosoft.com"], "snapshotTime": "2026-11-20T00:00:00Z",
        "licenses": { "entraIdP1": true, "entraIdP2": false }
    }))
    .unwrap()
}

#[test]
fn log_records_are_upserted_by_id() {
    let (_dir, store) = store();
    let first = [
        sign_in("a", "2026-11-01T10:00:00Z", "Outlook"),
        sign_in("b", "2026-11-02T10:00:00Z", "Teams"),
    ];
    assert_eq!(
        store
            .put_evidence(TENANT, EvidenceKind::SignIn, &first)
            .unwrap(),
        2
    );
    // An overlapping re-read: one known record (changed), one new.
    let second = [
        sign_in("b", "2026-11-02T10:00:00Z", "Teams (late detail)"),
        sign_in("c", "2026-11-03T10:00:00Z", "OWA"),
    ];
    assert_eq!(
        store
            .put_evidence(TENANT, EvidenceKind::SignIn, &second)
            .unwrap(),
        1
    );
    assert_eq!(
        store.evidence_count(TENANT, EvidenceKind::SignIn).unwrap(),
        3
    );

    let snapshot = store.evidence_snapshot(TENANT, tenant_info()).unwrap();
    let ids: Vec<&str> = snapshot.sign_ins.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["c", "b", "a"], "newest first");
    assert_eq!(
        snapshot.sign_ins[1].app_display_name.as_deref(),
        Some("Teams (late detail)")
    );
}

#[test]
fn records_without_an_id_or_time_are_refused() {
    for json in [
        json!({ "createdDateTime": "2026-11-01T10:00:00Z" }),
        json!({ "id": "a" }),
        json!({ "id": "a", "createdDateTime": "yesterday" }),
        json!({ "id": "a", "createdDateTime": "2026-11-01T10:00:00Z" }),
    ] {
        assert_eq!(
            EvidenceRecord::from_json(EvidenceKind::SignIn, None, json.clone()),
            None,
            "{json}"
        );
    }
    assert_eq!(
        EvidenceRecord::from_json(EvidenceKind::User, None, json!({ "id": "u1" })),
        None,
        "current state has no event time"
    );
}

#[test]
fn current_state_is_replaced_wholesale() {
    let (_dir, store) = store();
    let rule = |user: &str, id: &str| StateRecord {
        user_id: Some(user.into()),
        json: json!({ "id": id, "displayName": id }),
    };
    store
        .replace_current_state(
            TENANT,
            EvidenceKind::MessageRule,
            &[rule("u1", "r1"), rule("u1", "r2"), rule("u2", "r3")],
        )
        .unwrap();
    store
        .replace_current_state(TENANT, EvidenceKind::MessageRule, &[rule("u1", "r2")])
        .unwrap();
    let snapshot = store.evidence_snapshot(TENANT, tenant_info()).unwrap();
    let rules: Vec<(&str, &str)> = snapshot
        .message_rules
        .iter()
        .flat_map(|(user, rules)| rules.iter().map(move |r| (user.as_str(), r.id.as_str())))
        .collect();
    assert_eq!(rules, [("u1", "r2")]);
}

#[test]
fn watermarks_only_move_forward() {
    let (_dir, store) = store();
    assert_eq!(store.watermark(TENANT, "signIns").unwrap(), None);
    let later = parapet_snapshot::time::parse("2026-11-02T00:00:00Z").unwrap();
    let earlier = parapet_snapshot::time::parse("2026-11-01T00:00:00Z").unwrap();
    store.set_watermark(TENANT, "signIns", later).unwrap();
    store.set_watermark(TENANT, "signIns", earlier).unwrap();
    assert_eq!(store.watermark(TENANT, "signIns").unwrap(), Some(later));
    assert_eq!(store.watermark(TENANT, "directoryAudits").unwrap(), None);
}

#[test]
fn removing_the_tenant_removes_its_evidence() {
    let (_dir, store) = store();
    store
        .put_evidence(
            TENANT,
            EvidenceKind::SignIn,
            &[sign_in("a", "2026-11-01T10:00:00Z", "x")],
        )
        .unwrap();
    store
        .replace_current_state(
            TENANT,
            EvidenceKind::User,
            &[StateRecord {
                user_id: None,
                json: json!({ "id": "u1", "userPrincipalName": "a@contoso.com" }),
            }],
        )
        .unwrap();
    store.set_watermark(TENANT, "signIns", Utc::now()).unwrap();
    store.remove_tenant(TENANT).unwrap();
    for (table, expected) in [
        ("evidence_log", 0),
        ("evidence_state", 0),
        ("evidence_watermarks", 0),
    ] {
        let rows: i64 = store
            .connection()
            .query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |row| {
                row.get(0)
            })
            .unwrap();
        assert_eq!(rows, expected, "{table}");
    }
}

#[test]
fn evidence_for_an_unknown_tenant_is_refused() {
    let (_dir, store) = store();
    let result = store.put_evidence(
        "other",
        EvidenceKind::SignIn,
        &[sign_in("a", "2026-11-01T10:00:00Z", "x")],
    );
    assert!(result.is_err(), "foreign key to tenants");
}
