//! Benchmark: all sign-ins of a large tenant through the simulator with report throttling on.
//! Prints wall time against the minimum the throttle allows (target: within 1.2x).
//!
//! `cargo run --release -p parapet-graph --example signins_throttled -- [sign-ins] [per-window] [window-secs]`
//! (defaults 30000 sign-ins, 5 requests per 10 s: Microsoft's documented auditLogs limit). Needs the shared scenarios (`<repo>/../shared` or PARAPET_SHARED_DIR).

use std::path::PathBuf;
use std::time::Instant;

use chrono::Duration as Span;
use parapet_graph::{ClientConfig, Credentials, Endpoints, GraphClient, TenantId};
use parapet_secrets::Sensitive;
use parapet_simulator::{SimConfig, ThrottleLimits};
use serde_json::{json, Value};

const HARBORVIEW: &str = "16f3dda5-1cb3-4cc7-8ea9-206f85ee4ae5";

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let arg = |i: usize, default: f64| args.get(i).and_then(|a| a.parse().ok()).unwrap_or(default);
    let (total, per_window, window_secs) = (
        arg(0, 30_000.0) as usize,
        arg(1, 5.0) as usize,
        arg(2, 10.0),
    );

    let shared = std::env::var_os("PARAPET_SHARED_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../../shared"));
    // A large tenant: the Harborview scenario with `total` sign-ins cloned from its own
    // records (so they stay valid snapshot records), spread over 170 days.
    let source = shared.join("scenarios/harborview-dental");
    let dir = tempfile::tempdir()?;
    for entry in std::fs::read_dir(&source)? {
        let path = entry?.path();
        std::fs::copy(&path, dir.path().join(path.file_name().unwrap_or_default()))?;
    }
    let originals: Vec<Value> =
        serde_json::from_str(&std::fs::read_to_string(source.join("signIns.json"))?)?;
    let interactive: Vec<&Value> = originals
        .iter()
        .filter(|r| {
            r["signInEventTypes"]
                .as_array()
                .is_some_and(|t| t.iter().any(|x| x == "interactiveUser"))
        })
        .collect();
    let tenant: Value =
        serde_json::from_str(&std::fs::read_to_string(source.join("tenant.json"))?)?;
    let snapshot_time = tenant["snapshotTime"]
        .as_str()
        .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
        .map(|t| t.with_timezone(&chrono::Utc))
        .ok_or("tenant.json has no snapshotTime")?;
    let span_ms = Span::days(170).num_milliseconds();
    let generated: Vec<Value> = (0..total)
        .map(|i| {
            let mut r = interactive[i % interactive.len()].clone();
            let at = snapshot_time - Span::days(171)
                + Span::milliseconds(span_ms * i as i64 / total.max(1) as i64);
            r["id"] = json!(format!("00000000-0000-4000-8000-{i:012}"));
            r["createdDateTime"] = json!(at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true));
            r
        })
        .collect();
    std::fs::write(
        dir.path().join("signIns.json"),
        serde_json::to_vec(&generated)?,
    )?;
    let config = SimConfig::from_dirs(&[dir.path()])?;
    let sim = parapet_simulator::start(config).await?;
    let control = sim.control();
    let (client_id, secret) = control.register_partner_app("Parapet benchmark");
    control.set_consent(HARBORVIEW, true)?;
    let now = control.now();

    let b = sim.base_urls();
    let graph = GraphClient::new(
        Endpoints::new(&b.login, &b.graph, &b.exchange, &b.management)?,
        ClientConfig::default(),
    )?;
    let client = graph.for_tenant(
        TenantId::new(HARBORVIEW)?,
        Credentials::ClientSecret {
            client_id,
            secret: Sensitive::new(secret),
        },
    );

    // Baseline: the same walk with throttling off shows the simulator's own serving time.
    control.set_throttle(parapet_simulator::ThrottleMode::Off);
    let started = Instant::now();
    let unthrottled_count = client
        .sign_ins(now - Span::days(180), now + Span::seconds(1), None)
        .for_each_page(|_| Ok(()))
        .await?;
    let unthrottled = started.elapsed().as_secs_f64();
    control.set_throttle(parapet_simulator::ThrottleMode::Realistic);
    control.set_throttle_limits(ThrottleLimits {
        reports_requests: per_window,
        reports_window_secs: window_secs,
        ..ThrottleLimits::default()
    });
    let before = client.stats();
    let started = Instant::now();
    let mut pages = 0u64;
    let count = client
        .sign_ins(now - Span::days(180), now + Span::seconds(1), None)
        .for_each_page(|_page| {
            pages += 1;
            Ok(())
        })
        .await?;
    let wall = started.elapsed().as_secs_f64();
    let after = client.stats();

    // With at most N requests in any window of W seconds, request k (0-based) cannot start
    // before floor(k / N) * W: that is the least time P pages can take.
    let minimum = ((pages.saturating_sub(1)) / per_window as u64) as f64 * window_secs;
    println!("sign-ins fetched      {count} (expected {total})");
    println!(
        "pages                 {pages} ({} requests, {} answered 429)",
        after.attempts - before.attempts,
        after.throttled - before.throttled
    );
    println!("throttle              {per_window} requests per {window_secs} s");
    println!("wall time             {wall:.2} s");
    println!("throttle minimum      {minimum:.2} s");
    println!("unthrottled walk      {unthrottled:.2} s ({unthrottled_count} sign-ins; the simulator's serving time)");
    if minimum > 0.0 {
        println!(
            "ratio                 {:.3}x (target <= 1.2x)",
            wall / minimum
        );
    }
    sim.shutdown().await;
    if count as usize != total {
        return Err("sign-in count mismatch".into());
    }
    Ok(())
}
