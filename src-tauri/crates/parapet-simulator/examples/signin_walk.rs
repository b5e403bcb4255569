//! Benchmark: how fast a client can walk the sign-in log through the simulator.
//!
//! `cargo run --release -p parapet-simulator --example signin_walk -- [SECONDS] [TOP] [WORKERS]`
//! Each worker walks `beta/auditLogs/signIns?$top=TOP` of both scenario tenants to the end, over
//! and over, for SECONDS (default 5, TOP 100, WORKERS 4), with throttling off. Reports pages/s,
//! records/s and mean page latency. Needs the shared scenarios (`PARAPET_SHARED_DIR` or
//! `<repo>/../shared`).

use parapet_simulator::{start, SimConfig, ThrottleMode};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<u64> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let (seconds, top, workers) = (
        args.first().copied().unwrap_or(5),
        args.get(1).copied().unwrap_or(100),
        args.get(2).copied().unwrap_or(4),
    );
    let shared = std::env::var_os("PARAPET_SHARED_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../../shared"));
    let dirs = [
        shared.join("scenarios/harborview-dental"),
        shared.join("scenarios/lonestar-title"),
    ];
    let mut config = SimConfig::from_dirs(&dirs)?;
    config.throttle = ThrottleMode::Off;
    config.consented = true;
    let sim = start(config).await?;
    let (id, secret) = sim.control().register_partner_app("bench");
    let login = sim.base_urls().login;
    let http = reqwest::Client::new();
    let mut tokens = Vec::new();
    for tenant in [
        "16f3dda5-1cb3-4cc7-8ea9-206f85ee4ae5",
        "9a1d2959-d6bc-4e6d-92d8-bc74d7b600e3",
    ] {
        let body: Value = http
            .post(format!("{login}/{tenant}/oauth2/v2.0/token"))
            .form(&[
                ("client_id", id.as_str()),
                ("client_secret", &secret),
                ("scope", "https://graph.microsoft.com/.default"),
                ("grant_type", "client_credentials"),
            ])
            .send()
            .await?
            .json()
            .await?;
        tokens.push(
            body["access_token"]
                .as_str()
                .unwrap_or_default()
                .to_string(),
        );
    }
    let first = format!(
        "{}/beta/auditLogs/signIns?$top={top}",
        sim.base_urls().graph
    );
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    let mut tasks = Vec::new();
    for w in 0..workers {
        let (http, token, first) = (
            http.clone(),
            tokens[(w as usize) % tokens.len()].clone(),
            first.clone(),
        );
        tasks.push(tokio::spawn(async move {
            let (mut pages, mut records, mut busy) = (0u64, 0u64, Duration::ZERO);
            while Instant::now() < deadline {
                let mut next = Some(first.clone());
                while let Some(url) = next {
                    let t = Instant::now();
                    let page: Value = http
                        .get(&url)
                        .bearer_auth(&token)
                        .send()
                        .await?
                        .json()
                        .await?;
                    busy += t.elapsed();
                    pages += 1;
                    records += page["value"].as_array().map_or(0, |v| v.len() as u64);
                    next = page["@odata.nextLink"].as_str().map(String::from);
                }
            }
            Ok::<_, reqwest::Error>((pages, records, busy))
        }));
    }
    let (mut pages, mut records, mut busy) = (0u64, 0u64, Duration::ZERO);
    for t in tasks {
        let (p, r, b) = t.await??;
        pages += p;
        records += r;
        busy += b;
    }
    let secs = started.elapsed().as_secs_f64();
    println!(
        "{workers} workers, $top={top}, {secs:.1} s: {:.0} pages/s, {:.0} records/s, mean page latency {:.2} ms",
        pages as f64 / secs,
        records as f64 / secs,
        busy.as_secs_f64() * 1000.0 / pages.max(1) as f64
    );
    sim.shutdown().await;
    Ok(())
}
