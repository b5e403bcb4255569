//! JSON batching (`POST /$batch`, API reference §12.5): up to 20 requests, each authenticated
//! and throttled on its own, `dependsOn` failures answered 424; the outer status is 200.

use super::{authenticate, dispatch};
use crate::http::{graph_error, GraphRequest, SimResponse, GRAPH_JSON};
use crate::server::App;
use crate::state::tokens::Resource;
use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, HashMap, HashSet};

const MAX_REQUESTS: usize = 20;

pub async fn run(app: &App, outer: GraphRequest) -> SimResponse {
    let now = app.now();
    let authorization = outer.header("authorization").map(String::from);
    if let Err(resp) = authenticate(app, authorization.as_deref(), Resource::Graph, now) {
        return resp;
    }
    if outer.method != "POST" {
        return graph_error(
            405,
            "Request_BadRequest",
            "Specified HTTP method is not allowed for the request target.",
            now,
        );
    }
    let Some(requests) = outer
        .body
        .as_ref()
        .and_then(|b| b.get("requests"))
        .and_then(Value::as_array)
        .cloned()
    else {
        return graph_error(400, "BadRequest", "Invalid batch payload format.", now);
    };
    if requests.len() > MAX_REQUESTS {
        return graph_error(
            400,
            "BadRequest",
            "Number of batch requests exceeds the limit of 20.",
            now,
        );
    }
    let mut seen = HashSet::new();
    for r in &requests {
        let id = r.get("id").and_then(id_text);
        match id {
            Some(id) if seen.insert(id.clone()) => {}
            Some(id) => {
                return graph_error(
                    400,
                    "BadRequest",
                    &format!("Batch request id '{id}' is duplicated."),
                    now,
                )
            }
            None => return graph_error(400, "BadRequest", "Every batch request needs an id.", now),
        }
    }
    let mut outcome: HashMap<String, bool> = HashMap::new();
    let mut responses = Vec::new();
    for r in &requests {
        let id = r.get("id").and_then(id_text).unwrap_or_default();
        let resp = run_one(app, &outer, r, authorization.as_deref(), &outcome).await;
        outcome.insert(id.clone(), resp.is_success());
        responses.push(item(&id, resp));
    }
    SimResponse::json(200, json!({"responses": responses}))
}

fn id_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

async fn run_one(
    app: &App,
    outer: &GraphRequest,
    r: &Value,
    authorization: Option<&str>,
    outcome: &HashMap<String, bool>,
) -> SimResponse {
    let now = app.now();
    let depends: Vec<String> = r
        .get("dependsOn")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(id_text).collect())
        .unwrap_or_default();
    if depends.iter().any(|d| outcome.get(d) != Some(&true)) {
        return graph_error(
            424,
            "FailedDependency",
            "The request failed because a request it depends on failed.",
            now,
        );
    }
    let method = r.get("method").and_then(Value::as_str).unwrap_or("GET");
    let Some(url) = r.get("url").and_then(Value::as_str) else {
        return graph_error(400, "BadRequest", "The batch request has no url.", now);
    };
    let mut headers: BTreeMap<String, String> = r
        .get("headers")
        .and_then(Value::as_object)
        .map(|h| {
            h.iter()
                .filter_map(|(k, v)| v.as_str().map(|v| (k.to_ascii_lowercase(), v.to_string())))
                .collect()
        })
        .unwrap_or_default();
    let body = r.get("body").cloned();
    if body.is_some() && !headers.contains_key("content-type") {
        return graph_error(
            400,
            "BadRequest",
            "Content-Type header must be specified for a request with a body.",
            now,
        );
    }
    // Inner URLs are relative to the version root; tolerate a missing leading slash.
    let relative = if url.starts_with('/') {
        url.to_string()
    } else {
        format!("/{url}")
    };
    if let Some(a) = authorization {
        headers.insert("authorization".into(), a.to_string());
    }
    let req = GraphRequest::from_relative(method, &outer.version, &relative, headers, body);
    Box::pin(dispatch(app, req, authorization)).await
}

fn item(id: &str, resp: SimResponse) -> Value {
    let mut headers = Map::new();
    for (k, v) in &resp.headers {
        if !k.eq_ignore_ascii_case("request-id") && !k.eq_ignore_ascii_case("x-ms-ags-diagnostic") {
            headers.insert(k.clone(), json!(v));
        }
    }
    if resp.body.is_some() {
        headers.insert("Content-Type".into(), json!(GRAPH_JSON));
    }
    let mut out = Map::new();
    out.insert("id".into(), json!(id));
    out.insert("status".into(), json!(resp.status));
    out.insert("headers".into(), Value::Object(headers));
    if let Some(b) = resp.body {
        out.insert("body".into(), b);
    }
    Value::Object(out)
}
