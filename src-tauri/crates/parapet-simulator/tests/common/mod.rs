//! Shared test setup: finding ../shared, starting a simulator on the scenario tenants, tokens.
#![allow(dead_code)]

pub mod aad;
pub mod shape;

use parapet_simulator::{start, RunningSimulator, SimConfig};
use serde_json::Value;
use std::path::{Path, PathBuf};

pub const HARBORVIEW: &str = "16f3dda5-1cb3-4cc7-8ea9-206f85ee4ae5";
pub const LONESTAR: &str = "9a1d2959-d6bc-4e6d-92d8-bc74d7b600e3";

/// `<repo>/../shared`, or `PARAPET_SHARED_DIR`; `None` (with a loud note) when absent, unless
/// `CI` is set, in which case the test fails.
pub fn shared_dir() -> Option<PathBuf> {
    parapet_testkit::shared_dir("a test that needs the shared scenarios")
}

pub fn scenario(shared: &Path, name: &str) -> PathBuf {
    shared.join("scenarios").join(name)
}

pub fn read_json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).expect("read file")).expect("valid JSON")
}

/// Both scenario tenants with the given tweaks.
pub async fn sim(shared: &Path, tweak: impl FnOnce(&mut SimConfig)) -> RunningSimulator {
    let mut config = SimConfig::from_dirs(&[
        scenario(shared, "harborview-dental"),
        scenario(shared, "lonestar-title"),
    ])
    .expect("scenarios load");
    // Most tests walk many pages quickly; throttling tests switch it back on.
    config.throttle = parapet_simulator::ThrottleMode::Off;
    tweak(&mut config);
    start(config).await.expect("simulator starts")
}

pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

/// An app-only token for `tenant` and `scope` via a partner app consented everywhere.
pub async fn app_token(sim: &RunningSimulator, tenant: &str, scope: &str) -> String {
    let (id, secret) = sim.control().register_partner_app("Parapet test");
    for t in [HARBORVIEW, LONESTAR] {
        sim.control().set_consent(t, true).expect("consent");
    }
    token_for(sim, tenant, &id, &secret, scope).await
}

pub async fn token_for(
    sim: &RunningSimulator,
    tenant: &str,
    id: &str,
    secret: &str,
    scope: &str,
) -> String {
    let url = format!("{}/{tenant}/oauth2/v2.0/token", sim.base_urls().login);
    let resp = client()
        .post(url)
        .form(&[
            ("client_id", id),
            ("client_secret", secret),
            ("scope", scope),
            ("grant_type", "client_credentials"),
        ])
        .send()
        .await
        .expect("token request");
    assert_eq!(resp.status(), 200, "token request failed");
    let body: Value = resp.json().await.expect("token json");
    body["access_token"]
        .as_str()
        .expect("access_token")
        .to_string()
}

pub const GRAPH: &str = "https://graph.microsoft.com/.default";
pub const EXCHANGE: &str = "https://outlook.office365.com/.default";
pub const MANAGEMENT: &str = "https://manage.office.com/.default";

pub async fn get(url: &str, token: &str) -> (u16, reqwest::header::HeaderMap, Value) {
    let resp = client()
        .get(url)
        .bearer_auth(token)
        .send()
        .await
        .expect("request");
    let status = resp.status().as_u16();
    let headers = resp.headers().clone();
    let text = resp.text().await.expect("body");
    (
        status,
        headers,
        serde_json::from_str(&text).unwrap_or(Value::Null),
    )
}

pub async fn send(
    method: &str,
    url: &str,
    token: &str,
    body: Option<Value>,
) -> (u16, reqwest::header::HeaderMap, Value) {
    let m = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
    let mut req = client().request(m, url).bearer_auth(token);
    if let Some(b) = body {
        req = req.json(&b);
    }
    let resp = req.send().await.expect("request");
    let status = resp.status().as_u16();
    let headers = resp.headers().clone();
    let text = resp.text().await.expect("body");
    (
        status,
        headers,
        serde_json::from_str(&text).unwrap_or(Value::Null),
    )
}

/// Follows `@odata.nextLink` to the end, returning every item and the number of pages.
pub async fn walk(first: &str, token: &str) -> (Vec<Value>, usize) {
    let mut items = Vec::new();
    let mut pages = 0;
    let mut next = Some(first.to_string());
    while let Some(url) = next {
        let (status, _, body) = get(&url, token).await;
        assert_eq!(status, 200, "page {url} failed: {body}");
        pages += 1;
        items.extend(
            body["value"]
                .as_array()
                .expect("value array")
                .iter()
                .cloned(),
        );
        next = body["@odata.nextLink"].as_str().map(String::from);
        assert!(pages < 10_000, "paging does not terminate");
    }
    (items, pages)
}
