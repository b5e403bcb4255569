//! Benchmark: SQLite ingest rate, and a full collect + rebuild + scan of a large generated
//! tenant through the simulator (throttling off).
//!
//! ```text
//! cargo run --release -p parapet-collect --example collect_bench -- [users] [days]
//! /usr/bin/time -v target/release/examples/collect_bench 1000 180
//! ```
//! The simulator runs in this process, so peak memory includes its copy of the tenant.

use std::sync::Mutex;
use std::time::Instant;

use chrono::{TimeZone, Utc};
use parapet_collect::{collect, CollectOptions};
use parapet_graph::{ClientConfig, Credentials, Endpoints, GraphClient, TenantId};
use parapet_secrets::Sensitive;
use parapet_simulator::{RetentionMode, SimConfig, ThrottleMode};
use parapet_snapshot::Snapshot;
use parapet_store::{
    EntraLicence, EvidenceKind, EvidenceRecord, StateRecord, Store, TenantFacts, TenantFlags,
    TenantRow,
};

fn open(dir: &std::path::Path, snapshot: &Snapshot) -> Store {
    let store = Store::open(&dir.join("bench.sqlite")).expect("store opens");
    store
        .upsert_tenant(&TenantRow {
            id: snapshot.tenant.id.clone(),
            display_name: snapshot.tenant.display_name.clone(),
            default_domain: snapshot.tenant.default_domain_name.clone(),
            onboarded_at: snapshot.tenant.snapshot_time,
            flags: TenantFlags::default(),
            facts: TenantFacts::default(),
        })
        .expect("tenant row");
    store
}

fn logs<T: serde::Serialize>(kind: EvidenceKind, records: &[T]) -> Vec<EvidenceRecord> {
    records
        .iter()
        .filter_map(|r| EvidenceRecord::from_json(kind, None, serde_json::to_value(r).ok()?))
        .collect()
}

fn ingest(snapshot: &Snapshot) {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = open(dir.path(), snapshot);
    let mut batches = vec![
        (
            EvidenceKind::SignIn,
            logs(EvidenceKind::SignIn, &snapshot.sign_ins),
        ),
        (
            EvidenceKind::DirectoryAudit,
            logs(EvidenceKind::DirectoryAudit, &snapshot.directory_audits),
        ),
        (
            EvidenceKind::AuditRecord,
            logs(EvidenceKind::AuditRecord, &snapshot.audit_records),
        ),
    ];
    let messages: Vec<EvidenceRecord> = snapshot
        .messages
        .iter()
        .flat_map(|(user, messages)| {
            messages.iter().filter_map(move |m| {
                EvidenceRecord::from_json(
                    EvidenceKind::Message,
                    Some(user.clone()),
                    serde_json::to_value(m).ok()?,
                )
            })
        })
        .collect();
    batches.push((EvidenceKind::Message, messages));
    let total: usize = batches.iter().map(|(_, b)| b.len()).sum();
    let started = Instant::now();
    for (kind, records) in &batches {
        for chunk in records.chunks(1000) {
            store
                .put_evidence(&snapshot.tenant.id, *kind, chunk)
                .expect("put");
        }
    }
    let elapsed = started.elapsed();
    println!(
        "ingest (log kinds, 1,000-record transactions): {total} records in {:.2} s = {:.0} records/s",
        elapsed.as_secs_f64(),
        total as f64 / elapsed.as_secs_f64()
    );
    let started = Instant::now();
    for (kind, records) in &batches {
        for chunk in records.chunks(1000) {
            store
                .put_evidence(&snapshot.tenant.id, *kind, chunk)
                .expect("put");
        }
    }
    let elapsed = started.elapsed();
    println!(
        "re-ingest of the same records (all duplicates): {:.0} records/s",
        total as f64 / elapsed.as_secs_f64()
    );
    let users: Vec<StateRecord> = snapshot
        .users
        .iter()
        .map(|u| StateRecord {
            user_id: None,
            json: serde_json::to_value(u).expect("user json"),
        })
        .collect();
    let started = Instant::now();
    store
        .replace_current_state(&snapshot.tenant.id, EvidenceKind::User, &users)
        .expect("replace");
    println!(
        "replace_current_state users: {} records in {:.3} s",
        users.len(),
        started.elapsed().as_secs_f64()
    );
    let started = Instant::now();
    let rebuilt = store
        .evidence_snapshot(&snapshot.tenant.id, snapshot.tenant.clone())
        .expect("rebuild");
    println!(
        "evidence_snapshot: {} records in {:.2} s",
        rebuilt.record_count().total(),
        started.elapsed().as_secs_f64()
    );
}

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let users: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(1000);
    let days: u32 = args.next().and_then(|a| a.parse().ok()).unwrap_or(180);
    let end = Utc.with_ymd_and_hms(2026, 11, 20, 17, 0, 0).unwrap();
    let started = Instant::now();
    let spec = parapet_tenantgen::TenantSpec::new(
        42,
        "Northwind Traders",
        "northwindtraders.com",
        users,
        days,
        end,
    )
    .with_everything();
    let snapshot = parapet_tenantgen::generate(&spec)
        .expect("tenant generates")
        .snapshot;
    println!(
        "generated {users} users x {days} days: {} records in {:.1} s",
        snapshot.record_count().total(),
        started.elapsed().as_secs_f64()
    );

    ingest(&snapshot);

    let tenant = snapshot.tenant.id.clone();
    let sim = parapet_simulator::start(SimConfig {
        snapshots: vec![snapshot.clone()],
        consented: true,
        throttle: ThrottleMode::Off,
        retention: RetentionMode::All,
        ..SimConfig::default()
    })
    .await
    .expect("simulator starts");
    sim.control().set_background_activity(false);
    let (client_id, secret) = sim.control().register_partner_app("Parapet bench");
    sim.control().set_consent(&tenant, true).expect("consent");
    let b = sim.base_urls();
    let graph = GraphClient::new(
        Endpoints::new(&b.login, &b.graph, &b.exchange, &b.management).expect("endpoints"),
        ClientConfig::default(),
    )
    .expect("client");
    let client = graph.for_tenant(
        TenantId::new(&tenant).expect("tenant id"),
        Credentials::ClientSecret {
            client_id,
            secret: Sensitive::new(secret),
        },
    );
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Mutex::new(open(dir.path(), &snapshot));
    let mut options = CollectOptions::new(sim.control().now(), EntraLicence::P1);
    options.audit_query_poll = std::time::Duration::from_millis(20);
    let started = Instant::now();
    // One line per phase, with the time it started, so slow phases show.
    let last_step = Mutex::new(0);
    let summary = collect(&client, &store, &tenant, &options, &|p| {
        let mut last = last_step.lock().expect("progress");
        if *last != p.step {
            *last = p.step;
            eprintln!(
                "  {:6.1} s  {}/{} {} ({} records so far)",
                started.elapsed().as_secs_f64(),
                p.step,
                p.steps,
                p.phase,
                p.records
            );
        }
    })
    .await
    .expect("collection");
    let collected = started.elapsed();
    let started = Instant::now();
    let rebuilt = store
        .lock()
        .expect("store")
        .evidence_snapshot(&tenant, snapshot.tenant.clone())
        .expect("rebuild");
    let rebuild = started.elapsed();
    let started = Instant::now();
    let report = parapet_detect::scan(
        &rebuilt,
        parapet_ipintel::IpIntel::embedded(),
        snapshot.tenant.snapshot_time,
    );
    let scanned = started.elapsed();
    let direct = parapet_detect::scan(
        &snapshot,
        parapet_ipintel::IpIntel::embedded(),
        snapshot.tenant.snapshot_time,
    );
    println!(
        "collect through the simulator: {} records, {} requests, {:.1} s ({:.0} records/s)",
        summary.fetched(),
        client.stats().attempts,
        collected.as_secs_f64(),
        summary.fetched() as f64 / collected.as_secs_f64()
    );
    println!("rebuild from SQLite: {:.2} s", rebuild.as_secs_f64());
    println!(
        "scan: {:.2} s; {} incidents (direct scan of the snapshot: {})",
        scanned.as_secs_f64(),
        report.incidents.len(),
        direct.incidents.len()
    );
    println!(
        "total collect + rebuild + scan: {:.1} s",
        (collected + rebuild + scanned).as_secs_f64()
    );
}
