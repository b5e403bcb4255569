//! Benchmark: SQLite ingest rate, and a full collect + rebuild + scan of a large generated
//! tenant through the simulator (throttling off).
//!
//! ```text
//! cargo run --release -p parapet-collect --example collect_bench -- [users] [days]
//! /usr/bin/time -v target/release/examples/collect_bench 1000 180
//! ```
//! With `--sim-process` the simulator runs in a child process (this binary in `serve` mode),
//! so the reported peak memory (`VmHWM`) is the collector's alone; otherwise it includes the
//! simulator's copy of the tenant.

#[path = "bench_tenant/mod.rs"]
mod bench_tenant;

use std::sync::Mutex;
use std::time::Instant;

use chrono::Utc;
use parapet_collect::{collect, CollectOptions};
use parapet_graph::{ClientConfig, Credentials, Endpoints, GraphClient, TenantId};
use parapet_secrets::Sensitive;
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

/// Peak resident memory of this process (`VmHWM` from /proc/self/status).
fn peak_memory() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|line| line.starts_with("VmHWM:"))
                .map(|line| line.trim_start_matches("VmHWM:").trim().to_string())
        })
        .unwrap_or_else(|| "unknown".into())
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let numbers: Vec<u64> = args.iter().filter_map(|a| a.parse().ok()).collect();
    let users = numbers.first().map_or(1000, |n| *n as usize);
    let days = numbers.get(1).map_or(180, |n| *n as u32);
    if args.first().map(String::as_str) == Some("serve") {
        // Child mode: serve the tenant, describe it on stdout, run until killed.
        let snapshot = bench_tenant::generate(users, days);
        let direct = parapet_detect::scan(
            &snapshot,
            parapet_ipintel::IpIntel::embedded(),
            snapshot.tenant.snapshot_time,
        );
        let tenant = serde_json::to_string(&snapshot.tenant).expect("tenant json");
        let (sim, client_id, secret) = bench_tenant::serve(snapshot).await;
        let b = sim.base_urls();
        println!("{}\n{}\n{}\n{}", b.login, b.graph, b.exchange, b.management);
        println!(
            "{client_id}\n{secret}\n{}\n{}",
            sim.control().now().to_rfc3339(),
            direct.incidents.len()
        );
        println!("{tenant}");
        std::future::pending::<()>().await;
        return;
    }
    if args.iter().any(|a| a == "--sim-process") {
        collect_from_child(users, days).await;
        return;
    }
    let started = Instant::now();
    let snapshot = bench_tenant::generate(users, days);
    println!(
        "generated {users} users x {days} days: {} records in {:.1} s",
        snapshot.record_count().total(),
        started.elapsed().as_secs_f64()
    );

    ingest(&snapshot);

    let tenant = snapshot.tenant.id.clone();
    let (sim, client_id, secret) = bench_tenant::serve(snapshot.clone()).await;
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
    println!("peak memory (VmHWM, simulator included): {}", peak_memory());
}

/// The simulator in a child process; this process only collects, rebuilds and scans.
async fn collect_from_child(users: usize, days: u32) {
    use std::io::BufRead;
    let mut child = std::process::Command::new(std::env::current_exe().expect("own path"))
        .args(["serve", &users.to_string(), &days.to_string()])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("simulator process starts");
    let stdout = child.stdout.take().expect("child stdout");
    let mut lines = std::io::BufReader::new(stdout).lines();
    let mut line = || {
        lines
            .next()
            .expect("simulator line")
            .expect("readable line")
    };
    let (login, graph_url, exchange, management) = (line(), line(), line(), line());
    let (client_id, secret, now, direct) = (line(), line(), line(), line());
    let tenant: parapet_snapshot::model::TenantInfo =
        serde_json::from_str(&line()).expect("tenant json");
    let graph = GraphClient::new(
        Endpoints::new(&login, &graph_url, &exchange, &management).expect("endpoints"),
        ClientConfig::default(),
    )
    .expect("client");
    let client = graph.for_tenant(
        TenantId::new(&tenant.id).expect("tenant id"),
        Credentials::ClientSecret {
            client_id,
            secret: Sensitive::new(secret),
        },
    );
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::open(&dir.path().join("bench.sqlite")).expect("store opens");
    store
        .upsert_tenant(&TenantRow {
            id: tenant.id.clone(),
            display_name: tenant.display_name.clone(),
            default_domain: tenant.default_domain_name.clone(),
            onboarded_at: tenant.snapshot_time,
            flags: TenantFlags::default(),
            facts: TenantFacts::default(),
        })
        .expect("tenant row");
    let store = Mutex::new(store);
    let now = chrono::DateTime::parse_from_rfc3339(&now)
        .expect("simulator time")
        .with_timezone(&Utc);
    let mut options = CollectOptions::new(now, EntraLicence::P1);
    options.audit_query_poll = std::time::Duration::from_millis(20);
    let started = Instant::now();
    let summary = collect(&client, &store, &tenant.id, &options, &|_| {})
        .await
        .expect("collection");
    let collected = started.elapsed();
    let after_collect = peak_memory();
    let started = Instant::now();
    let rebuilt = store
        .lock()
        .expect("store")
        .evidence_snapshot(&tenant.id, tenant.clone())
        .expect("rebuild");
    let rebuild = started.elapsed();
    let started = Instant::now();
    let report = parapet_detect::scan(
        &rebuilt,
        parapet_ipintel::IpIntel::embedded(),
        tenant.snapshot_time,
    );
    let scanned = started.elapsed();
    let _ = child.kill();
    let _ = child.wait();
    println!(
        "collect (simulator in a child process): {} records, {} requests, {:.1} s; rebuild {:.2} s; scan {:.2} s; {} incidents (direct scan: {direct})",
        summary.fetched(),
        client.stats().attempts,
        collected.as_secs_f64(),
        rebuild.as_secs_f64(),
        scanned.as_secs_f64(),
        report.incidents.len()
    );
    println!(
        "peak memory of the collecting process (VmHWM): {after_collect} after collection, {} after rebuild + scan",
        peak_memory()
    );
}
