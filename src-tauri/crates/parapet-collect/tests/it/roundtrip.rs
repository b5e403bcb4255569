//! Collect a tenant from the simulator, rebuild its snapshot from the store, scan it: the
//! incidents equal those of scanning the served snapshot directly.

use parapet_collect::{SourceStatus, PHASES};
use parapet_simulator::{RetentionMode, ThrottleMode};
use parapet_snapshot::Snapshot;

use crate::support::{generated, incidents, rebuilt, scenarios, shared_dir, store_for, Sim};

async fn round_trip(label: &str, snapshot: Snapshot) {
    let sim = Sim::start(
        vec![snapshot.clone()],
        RetentionMode::All,
        ThrottleMode::Off,
        0.0,
    )
    .await;
    let dir = tempfile::tempdir().unwrap();
    let store = store_for(dir.path(), &snapshot);
    let options = sim.options(&snapshot);
    let (summary, ticks) = sim.collect(&store, &snapshot.tenant.id, &options).await;

    eprintln!(
        "{label}: {} records; {:?}",
        summary.fetched(),
        summary
            .sources
            .iter()
            .map(|s| (s.source, s.fetched))
            .collect::<Vec<_>>()
    );
    eprintln!(
        "{label}: notes {:?}; failures {}",
        summary.notes,
        summary.failures.len()
    );
    let collected = rebuilt(&store, &snapshot);
    let expected = incidents(&snapshot);
    assert!(
        !expected.is_empty(),
        "{label}: the served snapshot has incidents to find"
    );
    eprintln!("{label}: {} incidents", expected.len());
    assert_eq!(
        incidents(&collected),
        expected,
        "{label}: incidents after collection"
    );

    // Current state arrives whole; logs arrive whole within the window.
    assert_eq!(
        collected.users.len(),
        snapshot.users.len(),
        "{label}: users"
    );
    assert_eq!(
        collected.sign_ins.len(),
        snapshot.sign_ins.len(),
        "{label}: sign-ins"
    );
    assert_eq!(
        collected.audit_records.len(),
        snapshot.audit_records.len(),
        "{label}: audit records"
    );
    let rules = |s: &Snapshot| s.message_rules.values().map(Vec::len).sum::<usize>();
    assert_eq!(
        rules(&collected),
        rules(&snapshot),
        "{label}: inbox rules incl. hidden"
    );
    assert_eq!(
        collected.service_principals.len(),
        snapshot.service_principals.len(),
        "{label}: service principals"
    );
    assert_eq!(
        collected.oauth2_permission_grants.len(),
        snapshot.oauth2_permission_grants.len(),
        "{label}: grants"
    );
    assert_eq!(
        collected.transport_rules.len(),
        snapshot.transport_rules.len(),
        "{label}: transport rules"
    );
    assert_eq!(
        collected.inbound_connectors.len(),
        snapshot.inbound_connectors.len(),
        "{label}: connectors"
    );

    let p1 = snapshot.tenant.licenses.entra_id_p1;
    let sign_ins = summary.source("signIns").unwrap();
    assert_eq!(
        sign_ins.status == SourceStatus::Used,
        p1,
        "{label}: {sign_ins:?}"
    );
    assert_eq!(summary.sign_ins_from_audit_log(), !p1, "{label}");
    assert_eq!(summary.malformed, 0, "{label}");

    // The progress bar walks every phase in order, and its record count only grows.
    let steps: Vec<usize> = ticks.iter().map(|t| t.step).collect();
    assert!(steps.windows(2).all(|w| w[0] <= w[1]), "{label}: {steps:?}");
    assert_eq!(steps.last(), Some(&PHASES.len()));
    assert!(ticks.windows(2).all(|w| w[0].records <= w[1].records));
    assert_eq!(
        ticks.last().unwrap().records as usize,
        summary.fetched(),
        "{label}: the last tick counts every fetched record"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_scenario_collects_to_the_same_incidents() {
    let Some(shared) = shared_dir() else { return };
    for (name, snapshot) in scenarios(&shared) {
        round_trip(&name, snapshot).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_generated_tenant_collects_to_the_same_incidents() {
    round_trip("generated", generated(7, 25, 30, true)).await;
}

/// A rule hidden from Graph (the snapshot's `isHidden` convention) is found through
/// `Get-InboxRule -IncludeHidden` and stored marked hidden.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hidden_inbox_rules_come_from_exchange() {
    let mut snapshot = generated(9, 20, 21, true);
    let (user, rule) = snapshot
        .message_rules
        .iter_mut()
        .find_map(|(user, rules)| Some((user.clone(), rules.first_mut()?)))
        .expect("a generated tenant has inbox rules");
    rule.extra
        .insert("isHidden".into(), serde_json::json!(true));
    let hidden_id = rule.id.clone();
    round_trip("generated with a hidden rule", snapshot.clone()).await;

    let sim = Sim::start(
        vec![snapshot.clone()],
        RetentionMode::All,
        ThrottleMode::Off,
        0.0,
    )
    .await;
    let dir = tempfile::tempdir().unwrap();
    let store = store_for(dir.path(), &snapshot);
    let (summary, _) = sim
        .collect(&store, &snapshot.tenant.id, &sim.options(&snapshot))
        .await;
    assert!(
        summary
            .notes
            .iter()
            .any(|n| n.contains("hidden from Graph")),
        "{:?}",
        summary.notes
    );
    let collected = rebuilt(&store, &snapshot);
    let found = collected
        .message_rules_of(&user)
        .iter()
        .find(|r| r.id == hidden_id)
        .expect("the hidden rule is collected");
    assert_eq!(found.extra.get("isHidden"), Some(&serde_json::json!(true)));
}

/// The api layer runs a collection on a Tauri async command, which needs a `Send` future.
#[test]
fn the_collection_future_is_send() {
    fn send<T: Send>(_: T) {}
    fn check(
        client: &parapet_graph::TenantClient,
        store: &std::sync::Mutex<parapet_store::Store>,
        options: &parapet_collect::CollectOptions,
    ) {
        send(parapet_collect::collect(
            client,
            store,
            "t",
            options,
            &|_| {},
        ));
    }
    let _ = check;
}
