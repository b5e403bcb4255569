//! Benchmark: paging the log collections of a large generated tenant through the simulator
//! with the real client, one phase at a time, then two walks at once (throttling off).
//!
//! ```text
//! cargo run --release -p parapet-collect --example log_paging_bench -- [users] [days]
//! ```
//! Phases: the Purview audit query (create, poll, all records at `$top=1000` as collection
//! does), beta sign-ins (interactive, then non-interactive), directory audits, the Management
//! Activity feed's last 7 days (list + fetch every blob of four content types), and the audit
//! query walked concurrently with the sign-in walk. Each line gives records, requests, seconds
//! and the slowest page, so a cost that grows with the tenant rather than the page shows.

#[path = "bench_tenant/mod.rs"]
mod bench_tenant;

use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use parapet_graph::graph::query::{segment, ODataQuery};
use parapet_graph::graph::{AuditLogQueryRequest, SignInEventType};
use parapet_graph::management::ContentType;
use parapet_graph::model::logs::AuditLogRecord;
use parapet_graph::{
    ApiVersion, ClientConfig, Credentials, Endpoints, GraphClient, GraphError, Pager, TenantClient,
    TenantId,
};
use parapet_secrets::Sensitive;

/// Records, pages, total time and the slowest page of one walk.
#[derive(Default)]
struct Walk {
    records: usize,
    pages: usize,
    took: Duration,
    slowest: Duration,
}

impl Walk {
    fn add(&mut self, other: Walk) {
        self.records += other.records;
        self.pages += other.pages;
        self.took += other.took;
        self.slowest = self.slowest.max(other.slowest);
    }

    fn line(&self, what: &str) -> String {
        format!(
            "{what:<44} {:>8} records {:>6} requests {:>8.2} s  slowest {:>7.1} ms",
            self.records,
            self.pages,
            self.took.as_secs_f64(),
            self.slowest.as_secs_f64() * 1000.0
        )
    }
}

async fn walk<T: serde::de::DeserializeOwned>(mut pager: Pager<T>) -> Result<Walk, GraphError> {
    let started = Instant::now();
    let mut out = Walk::default();
    loop {
        let page_started = Instant::now();
        let Some(page) = pager.next_page().await? else {
            break;
        };
        out.slowest = out.slowest.max(page_started.elapsed());
        out.pages += 1;
        out.records += page.len();
    }
    out.took = started.elapsed();
    Ok(out)
}

async fn audit_query(
    client: &TenantClient,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Pager<AuditLogRecord>, GraphError> {
    let fmt = parapet_snapshot::time::format;
    let request = AuditLogQueryRequest {
        display_name: "bench".into(),
        filter_start_date_time: fmt(from),
        filter_end_date_time: fmt(to),
        ..AuditLogQueryRequest::default()
    };
    let query = client.create_audit_log_query(&request).await?;
    client
        .wait_for_audit_log_query(
            &query.id,
            Duration::from_millis(20),
            Duration::from_secs(60),
        )
        .await?;
    Ok(client.graph_collection(
        ApiVersion::V1,
        &format!("security/auditLog/queries/{}/records", segment(&query.id)),
        &ODataQuery::new().top(1000),
    ))
}

async fn management_week(client: &TenantClient, now: DateTime<Utc>) -> Result<Walk, GraphError> {
    let started = Instant::now();
    let mut out = Walk::default();
    let from = now - chrono::Duration::days(7) + chrono::Duration::minutes(5);
    for content_type in [
        ContentType::AzureActiveDirectory,
        ContentType::Exchange,
        ContentType::SharePoint,
        ContentType::General,
    ] {
        client.start_subscription(content_type).await?;
        let mut start = from;
        while start < now {
            let end = (start + chrono::Duration::hours(24)).min(now);
            let list_started = Instant::now();
            let blobs = client
                .list_content(content_type, start, end)
                .collect_all()
                .await?;
            out.slowest = out.slowest.max(list_started.elapsed());
            out.pages += 1;
            for blob in &blobs {
                let blob_started = Instant::now();
                out.records += client.fetch_content(blob).await?.len();
                out.slowest = out.slowest.max(blob_started.elapsed());
                out.pages += 1;
            }
            start = end;
        }
    }
    out.took = started.elapsed();
    Ok(out)
}

#[tokio::main]
async fn main() -> Result<(), GraphError> {
    let numbers: Vec<u64> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let users = numbers.first().map_or(1000, |n| *n as usize);
    let days = numbers.get(1).map_or(180, |n| *n as u32);
    let started = Instant::now();
    let snapshot = bench_tenant::generate(users, days);
    let counts = (
        snapshot.audit_records.len(),
        snapshot.sign_ins.len(),
        snapshot.directory_audits.len(),
    );
    println!(
        "generated {users} users x {days} days in {:.1} s: {} audit records, {} sign-ins, {} directory audits",
        started.elapsed().as_secs_f64(),
        counts.0,
        counts.1,
        counts.2
    );
    let tenant = snapshot.tenant.id.clone();
    let (sim, client_id, secret) = bench_tenant::serve(snapshot).await;
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
    let now = sim.control().now();
    let from = now - chrono::Duration::days(i64::from(days));
    let to = now + chrono::Duration::seconds(1);

    let records = walk(audit_query(&client, from, to).await?).await?;
    println!("{}", records.line("audit query records ($top=1000)"));
    let mut sign_ins = walk(client.sign_ins(from, to, None)).await?;
    sign_ins.add(walk(client.sign_ins(from, to, Some(SignInEventType::NonInteractiveUser))).await?);
    println!(
        "{}",
        sign_ins.line("sign-ins (interactive + non-interactive)")
    );
    let audits = walk(client.directory_audits(from, to, None)).await?;
    println!("{}", audits.line("directory audits"));
    let feed = management_week(&client, now).await?;
    println!("{}", feed.line("Management Activity, 7 days x 4 types"));

    let together = Instant::now();
    let pager = audit_query(&client, from, to).await?;
    let (records, sign_ins) = tokio::join!(walk(pager), walk(client.sign_ins(from, to, None)));
    let (records, sign_ins) = (records?, sign_ins?);
    println!(
        "{}\n{}\nboth walks together: {:.2} s",
        records.line("  concurrently: audit query records"),
        sign_ins.line("  concurrently: interactive sign-ins"),
        together.elapsed().as_secs_f64()
    );
    sim.shutdown().await;
    Ok(())
}
