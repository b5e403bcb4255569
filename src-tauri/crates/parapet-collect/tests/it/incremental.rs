//! A second collection reads only from the watermarks (minus the overlap), stores only what is
//! new, duplicates nothing, and drops current state that was deleted in the tenant.

use chrono::Duration;
use parapet_simulator::{RetentionMode, TenantEvents, ThrottleMode};
use parapet_store::EvidenceKind;
use serde_json::{json, Map, Value};

use crate::support::{generated, rebuilt, store_for, Sim};

fn records(values: &[Value]) -> Vec<Map<String, Value>> {
    values
        .iter()
        .map(|v| v.as_object().cloned().unwrap())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_collection_fetches_only_new_records() {
    let snapshot = generated(11, 20, 21, true);
    let tenant = snapshot.tenant.id.clone();
    let sim = Sim::start(
        vec![snapshot.clone()],
        RetentionMode::All,
        ThrottleMode::Off,
        0.0,
    )
    .await;
    let dir = tempfile::tempdir().unwrap();
    let store = store_for(dir.path(), &snapshot);
    let mut options = sim.options(&snapshot);
    options.overlap = Duration::minutes(30);
    let (first, _) = sim.collect(&store, &tenant, &options).await;
    let count = |kind| store.lock().unwrap().evidence_count(&tenant, kind).unwrap();
    let before: Vec<usize> = [
        EvidenceKind::SignIn,
        EvidenceKind::DirectoryAudit,
        EvidenceKind::AuditRecord,
    ]
    .into_iter()
    .map(count)
    .collect();
    assert_eq!(before[0], snapshot.sign_ins.len());
    assert_eq!(
        first.source("signIns").unwrap().new,
        snapshot.sign_ins.len()
    );

    // Two hours later: three sign-ins, one directory audit and two audit records arrive, and an
    // inbox rule is deleted.
    sim.sim.control().advance_clock(Duration::hours(2));
    let user = &snapshot.users[0];
    let sign_in = json!({ "userId": user.id, "appDisplayName": "Office 365 Exchange Online",
        "ipAddress": "198.51.100.7", "clientAppUsed": "Browser" });
    let audit = json!({ "Operation": "MailItemsAccessed", "RecordType": 50,
        "UserId": user.user_principal_name, "Workload": "Exchange", "ClientIP": "198.51.100.7" });
    let injected = sim
        .sim
        .control()
        .inject(
            &tenant,
            TenantEvents {
                sign_ins: records(&[sign_in.clone(), sign_in.clone(), sign_in]),
                directory_audits: records(&[json!({ "activityDisplayName": "Update user",
                    "category": "UserManagement", "result": "success" })]),
                audit_records: records(&[audit.clone(), audit]),
            },
        )
        .unwrap();
    assert_eq!(injected, 6);
    let (owner, rule) = snapshot
        .message_rules
        .iter()
        .find_map(|(user, rules)| Some((user.clone(), rules.first()?.id.clone())))
        .expect("a generated tenant has inbox rules");
    sim.client(&tenant)
        .delete_inbox_rule(&owner, &rule)
        .await
        .unwrap();

    options.now = sim.now();
    let (second, _) = sim.collect(&store, &tenant, &options).await;

    // Only the records newer than the watermark minus the overlap were read ...
    let newest_sign_in = snapshot
        .sign_ins
        .iter()
        .map(|s| s.created_date_time)
        .max()
        .unwrap();
    let overlap_sign_ins = snapshot
        .sign_ins
        .iter()
        .filter(|s| s.created_date_time >= newest_sign_in - options.overlap)
        .count();
    let sign_ins = second.source("signIns").unwrap();
    assert_eq!(sign_ins.fetched, 3 + overlap_sign_ins, "{sign_ins:?}");
    assert_eq!(sign_ins.new, 3);
    assert_eq!(second.source("directoryAudits").unwrap().new, 1);
    let newest_audit = snapshot
        .audit_records
        .iter()
        .map(|r| r.creation_time)
        .max()
        .unwrap();
    let overlap_audit = snapshot
        .audit_records
        .iter()
        .filter(|r| r.creation_time >= newest_audit - options.overlap)
        .count();
    let query = second.source("auditLogQuery").unwrap();
    assert_eq!(query.fetched, 2 + overlap_audit, "{query:?}");
    let new_audit = query.new + second.source("managementActivity").map_or(0, |s| s.new);
    assert_eq!(new_audit, 2);
    assert_eq!(second.source("messages").unwrap().new, 0);
    assert!(
        second.fetched() < first.fetched() / 2,
        "{} vs {}",
        second.fetched(),
        first.fetched()
    );

    // ... and nothing was stored twice.
    let after: Vec<usize> = [
        EvidenceKind::SignIn,
        EvidenceKind::DirectoryAudit,
        EvidenceKind::AuditRecord,
    ]
    .into_iter()
    .map(count)
    .collect();
    assert_eq!(after, vec![before[0] + 3, before[1] + 1, before[2] + 2]);

    // The deleted rule is gone; the rest of the current state is as before.
    let collected = rebuilt(&store, &snapshot);
    assert!(collected
        .message_rules_of(&owner)
        .iter()
        .all(|r| r.id != rule));
    let rules =
        |s: &parapet_snapshot::Snapshot| s.message_rules.values().map(Vec::len).sum::<usize>();
    assert_eq!(rules(&collected), rules(&snapshot) - 1);
    assert_eq!(collected.users.len(), snapshot.users.len());

    // A third run with nothing new stores nothing.
    let (third, _) = sim.collect(&store, &tenant, &options).await;
    assert!(
        third
            .sources
            .iter()
            .filter(|s| s.window.is_some())
            .all(|s| s.new == 0),
        "{:?}",
        third.sources
    );
}
