//! Throttling (429 + Retry-After per §12), injected faults, and the `/_sim` admin surface.

mod common;
use common::*;
use parapet_simulator::{FaultSettings, ThrottleLimits, ThrottleMode};
use serde_json::{json, Value};
use std::time::{Duration, Instant};

fn retry_after(h: &reqwest::header::HeaderMap) -> Option<f64> {
    h.get("retry-after").map(|v| {
        v.to_str()
            .expect("ascii")
            .parse::<f64>()
            .expect("seconds as f64")
    })
}

#[tokio::test]
async fn report_and_ca_limits_answer_429_as_documented() {
    let Some(shared) = shared_dir() else { return };
    let sim = sim(&shared, |c| c.throttle = ThrottleMode::Realistic).await;
    let token = app_token(&sim, HARBORVIEW, GRAPH).await;
    let g = sim.base_urls().graph;
    let url = format!("{g}/beta/auditLogs/signIns?$top=1");
    for _ in 0..5 {
        assert_eq!(get(&url, &token).await.0, 200);
    }
    let (status, headers, body) = get(&url, &token).await;
    assert_eq!(status, 429);
    assert_eq!(body["error"]["code"], "TooManyRequests");
    assert_eq!(body["error"]["innerError"]["status"], "429");
    let wait = retry_after(&headers).expect("Retry-After on report throttling");
    assert!(wait > 0.0 && wait <= 10.0, "{wait}");
    assert!(
        headers["retry-after"]
            .to_str()
            .expect("ascii")
            .contains('.'),
        "fractional seconds"
    );
    // The other tenant has its own window; users are not report-limited.
    assert_eq!(get(&format!("{g}/v1.0/users"), &token).await.0, 200);
    let other = token_for_other(&sim).await;
    assert_eq!(get(&url, &other).await.0, 200);

    // Conditional Access: 1 per second and no Retry-After (a longer window keeps a slow machine
    // from letting the second request through).
    sim.control().set_throttle_limits(ThrottleLimits {
        ca_window_secs: 30.0,
        ..ThrottleLimits::default()
    });
    let ca = format!("{g}/v1.0/identity/conditionalAccess/policies");
    assert_eq!(get(&ca, &token).await.0, 200);
    let (status, headers, _) = get(&ca, &token).await;
    assert_eq!(status, 429);
    assert!(retry_after(&headers).is_none());

    // A client that waits the given Retry-After is served.
    sim.control().set_throttle_limits(ThrottleLimits {
        reports_window_secs: 1.0,
        ..ThrottleLimits::default()
    });
    for _ in 0..5 {
        get(&url, &token).await;
    }
    let (status, headers, _) = get(&url, &token).await;
    assert_eq!(status, 429);
    tokio::time::sleep(Duration::from_secs_f64(
        retry_after(&headers).expect("Retry-After"),
    ))
    .await;
    assert_eq!(get(&url, &token).await.0, 200);

    sim.control().set_throttle(ThrottleMode::Off);
    for _ in 0..12 {
        assert_eq!(get(&url, &token).await.0, 200);
    }
    sim.shutdown().await;
}

async fn token_for_other(sim: &parapet_simulator::RunningSimulator) -> String {
    app_token(sim, LONESTAR, GRAPH).await
}

#[tokio::test]
async fn mailbox_concurrency_and_rate_limits() {
    let Some(shared) = shared_dir() else { return };
    let messages = read_json(&scenario(&shared, "harborview-dental").join("messages.json"));
    let mut users = messages.as_object().expect("messages").keys();
    let (u1, u2) = (
        users.next().expect("user").clone(),
        users.next().expect("user").clone(),
    );
    let sim = sim(&shared, |c| c.throttle = ThrottleMode::Realistic).await;
    let token = app_token(&sim, HARBORVIEW, GRAPH).await;
    let g = sim.base_urls().graph;
    sim.control().set_faults(FaultSettings {
        latency_ms: 1500,
        ..FaultSettings::default()
    });
    let url = format!("{g}/v1.0/users/{u1}/messages?$top=1");
    let calls = (0..8).map(|_| {
        let (url, token) = (url.clone(), token.clone());
        tokio::spawn(async move { get(&url, &token).await })
    });
    let calls: Vec<_> = calls.collect();
    let mut statuses = Vec::new();
    for c in calls {
        let (status, headers, body) = c.await.expect("task");
        if status == 429 {
            assert_eq!(body["error"]["code"], "ApplicationThrottled");
            assert!(retry_after(&headers).is_some());
        }
        statuses.push(status);
    }
    assert_eq!(
        statuses.iter().filter(|s| **s == 200).count(),
        4,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 429).count(),
        4,
        "{statuses:?}"
    );
    sim.control().set_faults(FaultSettings::default());

    sim.control().set_throttle_limits(ThrottleLimits {
        mail_requests: 3,
        mail_window_secs: 60.0,
        ..ThrottleLimits::default()
    });
    for _ in 0..3 {
        assert_eq!(get(&url, &token).await.0, 200);
    }
    let (status, headers, body) = get(&url, &token).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (429, Some("TooManyRequests"))
    );
    assert!(retry_after(&headers).is_some_and(|s| s > 50.0 && s <= 60.0));
    // The limit is per mailbox.
    assert_eq!(
        get(&format!("{g}/v1.0/users/{u2}/messages?$top=1"), &token)
            .await
            .0,
        200
    );
    sim.shutdown().await;
}

async fn statuses_under_faults(seed: u64) -> Vec<u16> {
    let Some(shared) = shared_dir() else {
        return Vec::new();
    };
    let sim = sim(&shared, |c| c.seed = seed).await;
    let token = app_token(&sim, HARBORVIEW, GRAPH).await;
    sim.control().set_faults(FaultSettings {
        error_rate: 0.5,
        ..FaultSettings::default()
    });
    let mut out = Vec::new();
    for _ in 0..40 {
        let (status, headers, body) = get(
            &format!("{}/v1.0/users?$top=1", sim.base_urls().graph),
            &token,
        )
        .await;
        if status == 503 {
            assert!(retry_after(&headers).is_some());
            assert!(body["error"]["code"].is_string());
        }
        out.push(status);
    }
    sim.shutdown().await;
    out
}

#[tokio::test]
async fn injected_faults_are_deterministic_by_seed() {
    if shared_dir().is_none() {
        return;
    }
    let a = statuses_under_faults(7).await;
    let b = statuses_under_faults(7).await;
    assert_eq!(a, b);
    let failures = a.iter().filter(|s| **s == 503).count();
    assert!((8..=32).contains(&failures), "{failures} of 40 at rate 0.5");
    assert!(a.iter().all(|s| *s == 200 || *s == 503));
}

#[tokio::test]
async fn drops_slow_answers_and_path_scoping() {
    let Some(shared) = shared_dir() else { return };
    let sim = sim(&shared, |_| {}).await;
    let token = app_token(&sim, HARBORVIEW, GRAPH).await;
    let g = sim.base_urls().graph;
    sim.control().set_faults(FaultSettings {
        drop_rate: 1.0,
        path_prefix: Some("/graph/v1.0/users".into()),
        ..FaultSettings::default()
    });
    let dropped = async {
        let resp = client()
            .get(format!("{g}/v1.0/users"))
            .bearer_auth(&token)
            .send()
            .await?;
        resp.text().await
    }
    .await;
    assert!(dropped.is_err(), "the connection must be cut");
    assert_eq!(
        get(&format!("{g}/v1.0/devices"), &token).await.0,
        200,
        "other paths unaffected"
    );
    sim.control().set_faults(FaultSettings {
        slow_rate: 1.0,
        slow_ms: 300,
        ..FaultSettings::default()
    });
    let started = Instant::now();
    assert_eq!(get(&format!("{g}/v1.0/devices"), &token).await.0, 200);
    assert!(started.elapsed() >= Duration::from_millis(300));
    sim.shutdown().await;
}

#[tokio::test]
async fn admin_surface_drives_the_simulator() {
    let Some(shared) = shared_dir() else { return };
    let sim = sim(&shared, |_| {}).await;
    let admin = sim.base_urls().admin;
    let state: Value = client()
        .get(format!("{admin}/state"))
        .send()
        .await
        .expect("state")
        .json()
        .await
        .expect("json");
    let tenants = state["tenants"].as_array().expect("tenants");
    assert_eq!(tenants.len(), 2);
    assert!(tenants.iter().all(|t| t["consented"] == json!(false)));
    assert_eq!(state["partner"]["id"], sim.partner().tenant_id.as_str());
    let resp = client()
        .post(format!("{admin}/tenants/{HARBORVIEW}/consent"))
        .json(&json!({"consented": true}))
        .send()
        .await
        .expect("consent");
    assert_eq!(resp.status(), 200);
    let (id, secret) = sim.control().register_partner_app("Parapet");

    let before = sim.control().now();
    let resp: Value = client()
        .post(format!("{admin}/clock/advance"))
        .json(&json!({"seconds": 7200}))
        .send()
        .await
        .expect("advance")
        .json()
        .await
        .expect("json");
    assert!(resp["clock"].is_string());
    assert!(sim.control().now() - before >= chrono::Duration::seconds(7200));
    let token = token_for(&sim, HARBORVIEW, &id, &secret, GRAPH).await;

    let at = (sim.control().now() - chrono::Duration::minutes(1)).to_rfc3339();
    let events = json!({"signIns": [{"userPrincipalName": "debra.nichols@harborviewdental.com", "createdDateTime": at, "ipAddress": "203.0.113.9"}],
                        "directoryAudits": [{"activityDisplayName": "Add service principal credentials"}]});
    let resp: Value = client()
        .post(format!("{admin}/tenants/{HARBORVIEW}/events"))
        .json(&events)
        .send()
        .await
        .expect("events")
        .json()
        .await
        .expect("json");
    assert_eq!(resp["injected"], 2);
    let g = sim.base_urls().graph;
    let (_, _, newest) = get(&format!("{g}/beta/auditLogs/signIns?$top=1"), &token).await;
    assert_eq!(newest["value"][0]["ipAddress"], "203.0.113.9");
    assert!(
        newest["value"][0]["userId"].is_string(),
        "user fields are filled from the directory"
    );
    let (_, _, audits) = get(
        &format!("{g}/v1.0/auditLogs/directoryAudits?$top=1"),
        &token,
    )
    .await;
    assert_eq!(
        audits["value"][0]["activityDisplayName"],
        "Add service principal credentials"
    );

    let resp: Value = client()
        .post(format!("{admin}/faults"))
        .json(&json!({"errorRate": 1.0, "pathPrefix": "/graph/v1.0/devices", "throttle": "off"}))
        .send()
        .await
        .expect("faults")
        .json()
        .await
        .expect("json");
    assert_eq!(resp["faults"]["errorRate"], 1.0);
    assert_eq!(get(&format!("{g}/v1.0/devices"), &token).await.0, 503);
    let state: Value = client()
        .get(format!("{admin}/state"))
        .send()
        .await
        .expect("state")
        .json()
        .await
        .expect("json");
    assert_eq!(
        state["tenants"][0]["consented"],
        json!(true),
        "admin calls are never faulted"
    );
    // The admin surface is not reachable under Microsoft prefixes.
    assert_ne!(get(&format!("{g}/v1.0/_sim/state"), &token).await.0, 200);
    assert_eq!(
        client()
            .post(format!("{admin}/tenants/nope/events"))
            .json(&json!({}))
            .send()
            .await
            .expect("x")
            .status(),
        404
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn directory_requests_spend_a_resource_unit_budget() {
    let Some(shared) = shared_dir() else { return };
    let sim = sim(&shared, |c| c.throttle = ThrottleMode::Realistic).await;
    let token = app_token(&sim, HARBORVIEW, GRAPH).await;
    let g = sim.base_urls().graph;
    // Harborview has fewer than 50 users: the small-tenant budget applies. GET users costs 2.
    sim.control().set_throttle_limits(ThrottleLimits {
        directory_units_small: 6,
        directory_window_secs: 30.0,
        ..ThrottleLimits::default()
    });
    let url = format!("{g}/v1.0/users");
    let mut last = None;
    for _ in 0..3 {
        let (status, headers, _) = get(&url, &token).await;
        assert_eq!(status, 200);
        last = Some(headers);
    }
    assert_eq!(
        last.expect("headers")["x-ms-throttle-limit-percentage"],
        "1.0"
    );
    let (status, headers, body) = get(&url, &token).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (429, Some("TooManyRequests"))
    );
    assert_eq!(
        headers["x-ms-throttle-information"],
        "ResourceUnitLimitExceeded"
    );
    assert!(headers["x-ms-throttle-scope"]
        .to_str()
        .expect("ascii")
        .starts_with("Tenant_Application/Read/"));
    assert!(retry_after(&headers).is_some_and(|s| s > 0.0 && s <= 30.0));
    sim.shutdown().await;
}
