//! Entra ID Protection: refused without P2; confirmCompromised/dismiss change risky users and
//! add a detection; shapes match the documented examples.

mod common;
use common::shape::{compare, Mode};
use common::*;
use parapet_simulator::SimConfig;
use serde_json::{json, Value};

fn p2_copy(shared: &std::path::Path) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    for entry in std::fs::read_dir(scenario(shared, "harborview-dental")).expect("dir") {
        let path = entry.expect("entry").path();
        std::fs::copy(&path, dir.path().join(path.file_name().expect("name"))).expect("copy");
    }
    let tenant_path = dir.path().join("tenant.json");
    let mut tenant = read_json(&tenant_path);
    tenant["licenses"] = json!({"entraIdP1": true, "entraIdP2": true});
    std::fs::write(&tenant_path, tenant.to_string()).expect("write");
    dir
}

#[tokio::test]
async fn identity_protection_needs_p2_and_tracks_admin_actions() {
    let Some(shared) = shared_dir() else { return };
    // The scenario tenants have P1 only.
    let sim = sim(&shared, |_| {}).await;
    let token = app_token(&sim, HARBORVIEW, GRAPH).await;
    let (status, _, body) = get(
        &format!(
            "{}/v1.0/identityProtection/riskyUsers",
            sim.base_urls().graph
        ),
        &token,
    )
    .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (
            403,
            Some("Authentication_RequestFromNonPremiumTenantOrB2CTenant")
        )
    );
    sim.shutdown().await;

    let copy = p2_copy(&shared);
    let mut config = SimConfig::from_dirs(&[copy.path()]).expect("load");
    config.consented = true;
    config.throttle = parapet_simulator::ThrottleMode::Off;
    let sim = parapet_simulator::start(config).await.expect("start");
    let (id, secret) = sim.control().register_partner_app("Parapet");
    let token = token_for(&sim, HARBORVIEW, &id, &secret, GRAPH).await;
    let g = sim.base_urls().graph;
    let users = read_json(&copy.path().join("users.json"));
    let (a, b) = (
        users[0]["id"].as_str().expect("id"),
        users[1]["id"].as_str().expect("id"),
    );
    let (_, _, empty) = get(&format!("{g}/v1.0/identityProtection/riskyUsers"), &token).await;
    assert_eq!(empty["value"], json!([]));
    let action = |name: &str, ids: Vec<&str>| {
        let url = format!("{g}/v1.0/identityProtection/riskyUsers/{name}");
        let token = token.clone();
        let body = json!({"userIds": ids});
        async move { send("POST", &url, &token, Some(body)).await.0 }
    };
    assert_eq!(action("confirmCompromised", vec![a, b]).await, 204);
    assert_eq!(action("dismiss", vec![b]).await, 204);
    assert_eq!(action("dismiss", vec![]).await, 400);
    let (_, _, risky) = get(&format!("{g}/v1.0/identityProtection/riskyUsers"), &token).await;
    let by_id = |id: &str| {
        risky["value"]
            .as_array()
            .expect("v")
            .iter()
            .find(|r| r["id"] == json!(id))
            .cloned()
            .expect("risky user")
    };
    assert_eq!(by_id(a)["riskState"], "confirmedCompromised");
    assert_eq!(by_id(a)["riskLevel"], "high");
    assert_eq!(by_id(b)["riskState"], "dismissed");
    assert_eq!(by_id(b)["riskDetail"], "adminDismissedAllRiskForUser");
    let (_, _, detections) = get(
        &format!("{g}/v1.0/identityProtection/riskDetections"),
        &token,
    )
    .await;
    assert_eq!(detections["value"].as_array().expect("v").len(), 2);

    let examples = shared.join("reference/graph-examples");
    let doc = |f: &str| read_json(&examples.join(f));
    compare(
        "beta__riskyuser-list.json",
        Mode::Full,
        &doc("beta__riskyuser-list.json")["responseBody"],
        &risky,
    );
    compare(
        "v1.0__riskyuser-list.json",
        Mode::KeysOnly,
        &doc("v1.0__riskyuser-list.json")["responseBody"],
        &risky,
    );
    compare(
        "v1.0__riskdetection-list.json",
        Mode::Envelope,
        &doc("v1.0__riskdetection-list.json")["responseBody"],
        &detections,
    );
    let item: Value = detections["value"][0].clone();
    compare(
        "v1.0__riskdetection-list.json item",
        Mode::Full,
        &doc("v1.0__riskdetection-list.json")["responseBody"]["value"][0],
        &item,
    );
    sim.shutdown().await;
}
