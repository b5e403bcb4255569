//! The simulator's own admin surface under `/_sim` (never under a Microsoft prefix): state,
//! clock, event injection, faults, consent. Errors are plain `{"error": "..."}`.

use crate::config::ThrottleMode;
use crate::control::{SimControl, TenantEvents};
use crate::faults::FaultSettings;
use crate::http::SimResponse;
use crate::server::App;
use crate::throttle::ThrottleLimits;
use axum::extract::{Path, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Value};
use std::sync::Arc;

pub fn router() -> Router<Arc<App>> {
    Router::new()
        .route("/state", get(state))
        .route("/clock/advance", post(advance))
        .route("/tenants/{tenant}/events", post(events))
        .route("/tenants/{tenant}/consent", post(consent))
        .route("/faults", get(get_faults).post(set_faults))
        .route("/tokens/expire", post(expire))
        .route("/activity", post(activity))
}

fn control(app: &Arc<App>) -> SimControl {
    SimControl::new(app.clone())
}

fn bad(message: &str) -> SimResponse {
    SimResponse::json(400, json!({"error": message}))
}

async fn state(State(app): State<Arc<App>>) -> SimResponse {
    SimResponse::json(200, control(&app).state())
}

async fn advance(State(app): State<Arc<App>>, Json(body): Json<Value>) -> SimResponse {
    let Some(secs) = body
        .get("seconds")
        .and_then(Value::as_f64)
        .filter(|s| s.is_finite() && *s >= 0.0)
    else {
        return bad("body must be {\"seconds\": <non-negative number>}");
    };
    let c = control(&app);
    c.advance_clock(chrono::Duration::milliseconds((secs * 1000.0) as i64));
    SimResponse::json(200, json!({"clock": crate::clock::graph_time(c.now())}))
}

async fn events(
    State(app): State<Arc<App>>,
    Path(tenant): Path<String>,
    Json(body): Json<Value>,
) -> SimResponse {
    let events: TenantEvents = match serde_json::from_value(body) {
        Ok(e) => e,
        Err(e) => return bad(&format!("events body: {e}")),
    };
    match control(&app).inject(&tenant, events) {
        Ok(n) => SimResponse::json(200, json!({"injected": n})),
        Err(e) => SimResponse::json(404, json!({"error": e.to_string()})),
    }
}

async fn consent(
    State(app): State<Arc<App>>,
    Path(tenant): Path<String>,
    body: Option<Json<Value>>,
) -> SimResponse {
    let consented = body
        .as_ref()
        .and_then(|b| b.get("consented"))
        .and_then(Value::as_bool)
        .unwrap_or(true);
    match control(&app).set_consent(&tenant, consented) {
        Ok(()) => SimResponse::json(200, json!({"tenant": tenant, "consented": consented})),
        Err(e) => SimResponse::json(404, json!({"error": e.to_string()})),
    }
}

#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct FaultsBody {
    #[serde(flatten)]
    faults: FaultSettings,
    throttle: Option<ThrottleMode>,
    throttle_limits: Option<ThrottleLimits>,
}

async fn set_faults(State(app): State<Arc<App>>, Json(body): Json<Value>) -> SimResponse {
    let parsed: FaultsBody = match serde_json::from_value(body) {
        Ok(b) => b,
        Err(e) => return bad(&format!("faults body: {e}")),
    };
    let c = control(&app);
    c.set_faults(parsed.faults);
    if let Some(mode) = parsed.throttle {
        c.set_throttle(mode);
    }
    if let Some(limits) = parsed.throttle_limits {
        c.set_throttle_limits(limits);
    }
    get_faults(State(app)).await
}

async fn get_faults(State(app): State<Arc<App>>) -> SimResponse {
    let c = control(&app);
    SimResponse::json(
        200,
        json!({"faults": c.faults(), "throttle": app.throttle.mode(), "throttleLimits": c.throttle_limits()}),
    )
}

async fn expire(State(app): State<Arc<App>>) -> SimResponse {
    control(&app).expire_tokens();
    SimResponse::json(200, json!({"expired": true}))
}

async fn activity(State(app): State<Arc<App>>, Json(body): Json<Value>) -> SimResponse {
    let Some(enabled) = body.get("enabled").and_then(Value::as_bool) else {
        return bad("body must be {\"enabled\": true|false}");
    };
    control(&app).set_background_activity(enabled);
    SimResponse::json(200, json!({"backgroundActivity": enabled}))
}
