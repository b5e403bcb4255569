//! Onboarding in the real webview against the simulator: sign in as the MSP, onboard a tenant
//! from the partner's customer listing through admin consent, toggle Response, pause it.

use crate::e2e::App;
use crate::support::parapet;
use std::collections::HashMap;
use std::path::Path;
use std::time::{Duration, Instant};

/// Waits for the app to "open" the next URL (it writes them to a file instead of a browser).
pub async fn next_opened_url(file: &Path, already_seen: usize) -> String {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let text = std::fs::read_to_string(file).unwrap_or_default();
        if let Some(line) = text.lines().nth(already_seen) {
            return line.to_string();
        }
        assert!(Instant::now() < deadline, "the app opened no URL");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Plays the technician's browser: follows the sign-in redirect back to the app's loopback.
pub async fn follow(url: &str) {
    let response = reqwest::get(url).await.expect("the sign-in URL answers");
    assert!(response.status().is_success(), "{}", response.status());
}

/// Plays the Global Admin: opens the consent page and accepts it.
async fn accept_consent(url: &str, tenant_id: &str) {
    let page = reqwest::get(url).await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("Permissions requested"), "{html}");
    let parsed = url::Url::parse(url).unwrap();
    let mut form: HashMap<String, String> = parsed.query_pairs().into_owned().collect();
    form.insert("tenant".into(), tenant_id.into());
    form.insert("decision".into(), "accept".into());
    let mut action = parsed.clone();
    action.set_query(None);
    let answer = reqwest::Client::new()
        .post(action)
        .form(&form)
        .send()
        .await
        .unwrap();
    assert!(
        answer.status().is_success(),
        "consent redirect: {}",
        answer.status()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn onboard_from_partner_listing_then_toggle_response_and_pause() {
    let end = chrono::Utc::now();
    let tenants = [
        ("Bayside Test Dental", "baysidetest.example"),
        ("Cactus Test Co", "cactustest.example"),
    ]
    .iter()
    .enumerate()
    .map(|(i, (name, domain))| {
        parapet_tenantgen::generate(&parapet_tenantgen::TenantSpec::new(
            i as u64 + 7,
            name,
            domain,
            8,
            14,
            end,
        ))
        .unwrap()
        .snapshot
    })
    .collect::<Vec<_>>();
    let target = tenants[0].tenant.id.clone();
    let simulator = parapet_simulator::start(parapet_simulator::SimConfig {
        snapshots: tenants,
        ..parapet_simulator::SimConfig::default()
    })
    .await
    .unwrap();
    let origin = simulator.origin().to_string();
    let urls = tempfile::NamedTempFile::new().unwrap();
    let Some(app) = App::start_with(&[
        ("PARAPET_MICROSOFT_BASE", origin),
        ("PARAPET_OPEN_URLS_TO", urls.path().display().to_string()),
    ])
    .await
    else {
        return;
    };

    app.click("#add-tenant").await;
    app.click("#sign-in").await;
    follow(&next_opened_url(urls.path(), 0).await).await;
    let signed_in = app.wait_for_text("#signed-in-as", |t| !t.is_empty()).await;
    assert!(signed_in.contains("technician@"), "{signed_in}");

    app.wait_for(&format!("tr[data-customer-id=\"{target}\"]"))
        .await;
    app.click(&format!(
        "tr[data-customer-id=\"{target}\"] .onboard-customer"
    ))
    .await;
    accept_consent(&next_opened_url(urls.path(), 1).await, &target).await;
    let notice = app
        .wait_for_text("#add-tenant-notice", |t| !t.is_empty())
        .await;
    assert_eq!(notice, "Onboarded Bayside Test Dental.");
    app.click("#close-add-tenant").await;

    let row = format!("tr[data-tenant-id=\"{target}\"]");
    app.wait_for_text(&format!("{row} .tenant-name"), |t| {
        t == "Bayside Test Dental"
    })
    .await;
    app.click(&format!("{row} .response-toggle")).await;
    app.wait_for_text(&format!("{row} .switch span"), |t| t == "On")
        .await;
    app.click(&format!("{row} .pause-toggle")).await;
    app.wait_for_text(&format!("{row} .status"), |t| t == "Paused")
        .await;

    // The switches are in the workspace's database, as the headless CLI sees it.
    let output = parapet(app.data_dir())
        .args(["tenants", "--format", "json"])
        .output()
        .unwrap();
    let listed: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(listed[0]["id"], target);
    assert_eq!(listed[0]["flags"]["responseEnabled"], true);
    assert_eq!(listed[0]["flags"]["paused"], true);
    assert!(listed[0]["memberUsers"].as_u64().unwrap() >= 8, "{listed}");
    app.close().await;
    simulator.shutdown().await;
}
