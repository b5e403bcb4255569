//! Microsoft Graph (`/graph/v1.0/...`, `/graph/beta/...`): authentication, throttling, routing.
//! Every request, top-level or inside `$batch`, goes through [`dispatch`].

mod apps;
mod audit_query;
mod audit_records;
mod auth_methods;
mod batch;
mod ca;
mod collection;
mod devices;
mod logs;
mod mail;
mod partner;
mod risk;
mod users;

use crate::http::{graph_error, GraphRequest, SimResponse};
use crate::server::App;
use crate::state::tokens::{AccessToken, Resource};
use crate::state::SimState;
use crate::throttle::{format_retry_after, LimitClass, Refusal};
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, Method};
use chrono::{DateTime, Utc};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::sync::Arc;

/// What a handler knows about the call besides the request.
pub struct Ctx {
    pub graph_base: String,
    pub tenant_id: String,
    /// True for a user's (delegated) token, false for app-only.
    pub delegated: bool,
    pub now: DateTime<Utc>,
}

impl Ctx {
    /// `@odata.context` on the simulator, e.g. `http://127.0.0.1:P/graph/v1.0/$metadata#users`.
    pub fn context(&self, req: &GraphRequest, fragment: &str) -> String {
        format!("{}/{}/$metadata#{fragment}", self.graph_base, req.version)
    }

    pub fn error(&self, status: u16, code: &str, message: &str) -> SimResponse {
        graph_error(status, code, message, self.now)
    }
}

pub async fn entry(
    State(app): State<Arc<App>>,
    Path((version, rest)): Path<(String, String)>,
    method: Method,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
    body: Bytes,
) -> SimResponse {
    let headers: BTreeMap<String, String> = headers
        .iter()
        .filter_map(|(k, v)| {
            v.to_str()
                .ok()
                .map(|v| (k.as_str().to_ascii_lowercase(), v.to_string()))
        })
        .collect();
    if version != "v1.0" && version != "beta" {
        return graph_error(
            400,
            "BadRequest",
            &format!("Invalid version: {version}"),
            app.now(),
        );
    }
    let body: Option<Value> = if body.is_empty() {
        None
    } else {
        match serde_json::from_slice(&body) {
            Ok(v) => Some(v),
            Err(_) => {
                return graph_error(400, "BadRequest", "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.", app.now())
            }
        }
    };
    let relative = match query {
        Some(q) if !q.is_empty() => format!("/{rest}?{q}"),
        _ => format!("/{rest}"),
    };
    let req = GraphRequest::from_relative(method.as_str(), &version, &relative, headers, body);
    if req.segments.first().map(String::as_str) == Some("$batch") {
        return batch::run(&app, req).await;
    }
    let bearer = req.header("authorization").map(String::from);
    dispatch(&app, req, bearer.as_deref()).await
}

/// Authenticates, throttles and serves one Graph request.
pub async fn dispatch(
    app: &App,
    mut req: GraphRequest,
    authorization: Option<&str>,
) -> SimResponse {
    let now = app.now();
    let token = match authenticate(app, authorization, Resource::Graph, now) {
        Ok(t) => t,
        Err(resp) => return resp,
    };
    if req.segments.first().map(String::as_str) == Some("me") {
        match &token.user {
            Some(upn) => {
                req.segments[0] = "users".into();
                req.segments.insert(1, upn.clone());
            }
            None => {
                return graph_error(
                    400,
                    "BadRequest",
                    "/me request is only valid with delegated authentication flow.",
                    now,
                )
            }
        }
    }
    let mut class = classify(&req);
    let units = resource_units(&req, &class);
    if let (LimitClass::Unlimited, Some(units)) = (&class, units) {
        let tenant_users = app
            .lock()
            .data(&token.tenant_id)
            .map_or(0, |d| d.users.len());
        class = LimitClass::Directory {
            units,
            write: req.method != "GET",
            tenant_users,
        };
    }
    let slot = match app.throttle.admit(&class, &token.app_id, &token.tenant_id) {
        Ok(slot) => slot,
        Err(refusal) => return throttled(refusal, &class, now, &token.app_id, &token.tenant_id),
    };
    let delay = app.faults().settings.latency_ms;
    if delay > 0 {
        // Holding the slot over a delay is what makes concurrency limits observable.
        tokio::time::sleep(std::time::Duration::from_millis(delay)).await;
    }
    let client_request_id = req.header("client-request-id").map(String::from);
    let ctx = Ctx {
        graph_base: app.graph_base(),
        tenant_id: token.tenant_id.clone(),
        delegated: token.user.is_some(),
        now,
    };
    let mut resp = {
        let mut st = app.lock();
        if let Some(d) = st.data_mut(&ctx.tenant_id) {
            d.apply_due_reverts(now);
        }
        route(&mut st, &ctx, &req)
    };
    let usage = slot.usage;
    drop(slot);
    if let Some(units) = units {
        resp = resp.with_header("x-ms-resource-unit", &units.to_string());
    }
    // Sent once usage is above 80% of the budget (API reference §12.2).
    if usage > 0.8 {
        resp = resp.with_header(
            "x-ms-throttle-limit-percentage",
            &format!("{:.1}", usage.min(1.8)),
        );
    }
    if resp.header("request-id").is_none() {
        resp = resp.with_header("request-id", &uuid::Uuid::new_v4().to_string());
    }
    if let Some(id) = client_request_id {
        resp = resp.with_header("client-request-id", &id);
    }
    resp.with_header(
        "x-ms-ags-diagnostic",
        "{\"ServerInfo\":{\"DataCenter\":\"Simulator\"}}",
    )
}

/// Resolves a bearer token for `resource`, answering 401 as Graph does when it is unusable.
pub fn authenticate(
    app: &App,
    authorization: Option<&str>,
    resource: Resource,
    now: DateTime<Utc>,
) -> Result<AccessToken, SimResponse> {
    let unauthorized = |msg: &str| {
        graph_error(401, "InvalidAuthenticationToken", msg, now)
            .with_header("WWW-Authenticate", "Bearer realm=\"\", authorization_uri=\"https://login.microsoftonline.com/common/oauth2/authorize\"")
    };
    let Some(raw) = authorization.and_then(|h| {
        h.strip_prefix("Bearer ")
            .or_else(|| h.strip_prefix("bearer "))
    }) else {
        return Err(unauthorized("Access token is empty."));
    };
    let st = app.lock();
    let Some(token) = st.tokens.access.get(raw.trim()).cloned() else {
        return Err(unauthorized("IDX14100: JWT is not well formed, there are no dots (.).\nThe token needs to be in JWS or JWE Compact Serialization Format."));
    };
    if token.expires_at <= now {
        return Err(unauthorized(
            "Lifetime validation failed, the token is expired.",
        ));
    }
    if token.resource != resource {
        return Err(unauthorized("Invalid audience."));
    }
    if st.data(&token.tenant_id).is_none() {
        return Err(unauthorized("The tenant of this token no longer exists."));
    }
    Ok(token)
}

fn classify(req: &GraphRequest) -> LimitClass {
    let s: Vec<&str> = req.segments.iter().map(String::as_str).collect();
    match s.as_slice() {
        ["users", user, "messages" | "mailFolders", ..] => LimitClass::Mail {
            mailbox: user.to_ascii_lowercase(),
        },
        ["auditLogs", ..] => LimitClass::Reports,
        ["identity", "conditionalAccess", ..] | ["identityProtection", ..] => {
            LimitClass::ConditionalAccess
        }
        _ => LimitClass::Unlimited,
    }
}

/// The identity-and-access cost of a request (API reference §12.2), sent as
/// `x-ms-resource-unit`; `None` for mail and report endpoints, which are limited differently.
fn resource_units(req: &GraphRequest, class: &LimitClass) -> Option<u32> {
    if *class != LimitClass::Unlimited || req.segments.first().is_some_and(|s| s == "security") {
        return None;
    }
    let s: Vec<&str> = req.segments.iter().map(String::as_str).collect();
    let base: i32 = match (req.method.as_str(), s.as_slice()) {
        ("GET", ["users"] | ["applications"] | ["oauth2PermissionGrants"]) => 2,
        ("GET", ["servicePrincipals", _, "appRoleAssignments"]) => 2,
        ("GET", ["contracts"] | ["subscribedSkus"]) => 3,
        ("GET", ["groups", _, "members"]) => 3,
        _ => 1,
    };
    if req.method != "GET" {
        return Some(1);
    }
    let mut cost = base;
    if req.option("select").is_some() {
        cost -= 1;
    }
    if req.option("expand").is_some() {
        cost += 1;
    }
    if req
        .option("top")
        .and_then(|t| t.parse::<u32>().ok())
        .is_some_and(|t| t < 20)
    {
        cost -= 1;
    }
    Some(cost.max(1) as u32)
}

fn throttled(
    refusal: Refusal,
    class: &LimitClass,
    now: DateTime<Utc>,
    app_id: &str,
    tenant_id: &str,
) -> SimResponse {
    let request_id = uuid::Uuid::new_v4().to_string();
    let (code, message, retry) = match (&refusal, class) {
        (Refusal::Concurrency, _) => (
            "ApplicationThrottled",
            "Application is over its MailboxConcurrency limit.",
            Some(1.0 + f64::from(now.timestamp_subsec_millis() % 1000) / 1000.0),
        ),
        (Refusal::Rate { retry_after }, _) => {
            ("TooManyRequests", "Please retry again later.", *retry_after)
        }
        (Refusal::Units { retry_after, .. }, _) => (
            "TooManyRequests",
            "Please retry again later.",
            Some(*retry_after),
        ),
    };
    let body = json!({"error": {"code": code, "message": message, "innerError": {
        "code": "429", "date": crate::clock::graph_error_date(now), "message": "Please retry after",
        "request-id": request_id, "status": "429",
    }}});
    let mut resp = SimResponse::json(429, body).with_header("request-id", &request_id);
    if let Some(secs) = retry {
        resp = resp.with_header("Retry-After", &format_retry_after(secs));
    }
    if let (Refusal::Units { information, .. }, LimitClass::Directory { write, .. }) =
        (&refusal, class)
    {
        let rw = if *write { "ReadWrite" } else { "Read" };
        resp = resp
            .with_header(
                "x-ms-throttle-scope",
                &format!("Tenant_Application/{rw}/{app_id}/{tenant_id}"),
            )
            .with_header("x-ms-throttle-information", information);
    }
    resp
}

fn route(st: &mut SimState, ctx: &Ctx, req: &GraphRequest) -> SimResponse {
    let segs: Vec<&str> = req.segments.iter().map(String::as_str).collect();
    let m = req.method.as_str();
    let resp = match segs.as_slice() {
        ["contracts", ..] | ["tenantRelationships", ..] | ["organization", ..] => {
            partner::route(st, ctx, req, &segs)
        }
        ["users", ..] => users::route(st, ctx, req, &segs),
        ["subscribedSkus"] if m == "GET" => users::subscribed_skus(st, ctx, req),
        ["auditLogs", ..] => logs::route(st, ctx, req, &segs),
        ["security", "auditLog", "queries", ..] => audit_query::route(st, ctx, req, &segs),
        ["servicePrincipals", ..] | ["applications", ..] | ["oauth2PermissionGrants", ..] => {
            apps::route(st, ctx, req, &segs)
        }
        ["devices", ..] => devices::route(st, ctx, req, &segs),
        [d, ..] if d.starts_with("devices(") => devices::route(st, ctx, req, &segs),
        ["identity", "conditionalAccess", "policies", ..] => ca::route(st, ctx, req, &segs),
        ["identityProtection", ..] => risk::route(st, ctx, req, &segs),
        _ => None,
    };
    resp.unwrap_or_else(|| {
        let known = !segs.is_empty();
        if known && m != "GET" && m != "POST" && m != "PATCH" && m != "DELETE" {
            return ctx.error(
                405,
                "Request_BadRequest",
                "Specified HTTP method is not allowed for the request target.",
            );
        }
        ctx.error(
            400,
            "BadRequest",
            &format!(
                "Resource not found for the segment '{}'.",
                segs.last().copied().unwrap_or("")
            ),
        )
    })
}
