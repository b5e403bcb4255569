//! Exchange Online `adminapi` InvokeCommand (API reference §8.4): a handful of cmdlets over the
//! snapshot's Exchange data, answered `{"@odata.context","value":[...]}` with `@odata.nextLink`
//! paging (the client POSTs the same body to the link).

mod cmdlets;
mod objects;

use crate::graph::authenticate;
use crate::http::{graph_error, SimResponse};
use crate::paging::{decode_cursor, encode_cursor, Cursor};
use crate::server::App;
use crate::state::tokens::Resource;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::HeaderMap;
use serde_json::{json, Map, Value};
use std::sync::Arc;

pub async fn entry(
    State(app): State<Arc<App>>,
    Path(tenant): Path<String>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
    body: Bytes,
) -> SimResponse {
    let now = app.now();
    let auth = headers.get("authorization").and_then(|v| v.to_str().ok());
    let token = match authenticate(&app, auth, Resource::Exchange, now) {
        Ok(t) => t,
        Err(resp) => return resp,
    };
    let tenant_id = app.lock().resolve_tenant(&tenant);
    if tenant_id.as_deref() != Some(token.tenant_id.as_str()) {
        return graph_error(
            401,
            "InvalidAuthenticationToken",
            "The access token was issued for a different tenant than the one in the request URL.",
            now,
        )
        .with_header("WWW-Authenticate", "Bearer error=\"invalid_token\"");
    }
    let Ok(Value::Object(body)) = serde_json::from_slice::<Value>(&body) else {
        return cmdlet_error(
            400,
            "BadRequest",
            "The request body is not valid JSON.",
            None,
        );
    };
    let Some(input) = body.get("CmdletInput").and_then(Value::as_object) else {
        return cmdlet_error(
            400,
            "BadRequest",
            "The request body must contain CmdletInput.",
            None,
        );
    };
    let name = input
        .get("CmdletName")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    let params = input
        .get("Parameters")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let rows = {
        let mut st = app.lock();
        let Some(data) = st.data_mut(&token.tenant_id) else {
            return cmdlet_error(400, "BadRequest", "Unknown tenant.", None);
        };
        match cmdlets::run(data, &name, &Params(params)) {
            Ok(rows) => rows,
            Err(e) => return e,
        }
    };
    let query = crate::http::parse_query(query.as_deref().unwrap_or_default());
    let start = query
        .iter()
        .find(|(k, _)| k.trim_start_matches('$').eq_ignore_ascii_case("skiptoken"))
        .and_then(|(_, v)| decode_cursor(v))
        .map_or(0, |c| match c {
            Cursor::Offset(n) => n,
            Cursor::After(..) => 0,
        });
    let page = headers
        .get("prefer")
        .and_then(|v| v.to_str().ok())
        .and_then(|p| {
            p.split(',')
                .find_map(|part| part.trim().strip_prefix("odata.maxpagesize="))
        })
        .and_then(|n| n.trim().parse::<usize>().ok())
        .filter(|n| *n > 0)
        .unwrap_or(1000);
    let base = format!("{}/adminapi/beta/{}", app.exchange_base(), token.tenant_id);
    let start = start.min(rows.len());
    let end = (start + page).min(rows.len());
    let mut out = Map::new();
    out.insert(
        "@odata.context".into(),
        json!(format!(
            "{base}/$metadata#Collection(Exchange.GenericHashTable)"
        )),
    );
    out.insert(
        "adminapi.warnings@odata.type".into(),
        json!("#Collection(String)"),
    );
    out.insert("@adminapi.warnings".into(), json!([]));
    out.insert("value".into(), Value::Array(rows[start..end].to_vec()));
    if end < rows.len() {
        let link = format!(
            "{base}/InvokeCommand?$skiptoken={}",
            encode_cursor(&Cursor::Offset(end))
        );
        out.insert("@odata.nextLink".into(), json!(link));
    }
    SimResponse::json(200, Value::Object(out))
}

/// Cmdlet parameters, looked up case-insensitively as PowerShell does.
pub struct Params(pub Map<String, Value>);

impl Params {
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.0
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v)
    }

    pub fn text(&self, name: &str) -> Option<String> {
        match self.get(name)? {
            Value::String(s) => Some(s.clone()),
            Value::Null => None,
            other => Some(other.to_string()),
        }
    }

    pub fn flag(&self, name: &str) -> bool {
        match self.get(name) {
            Some(Value::Bool(b)) => *b,
            Some(Value::String(s)) => s.eq_ignore_ascii_case("true"),
            _ => false,
        }
    }

    pub fn has(&self, name: &str) -> bool {
        self.get(name).is_some()
    }
}

/// Exchange's error: CIPP reads `error.details[].message`, then
/// `error.innererror.internalException.message`, then `error.message`; all three are filled.
pub fn cmdlet_error(
    status: u16,
    code: &str,
    message: &str,
    exception: Option<&str>,
) -> SimResponse {
    let exception = exception.unwrap_or("Microsoft.Exchange.Management.Tasks.TaskException");
    let detailed = format!("|{exception}|{message}");
    SimResponse::json(
        status,
        json!({"error": {
            "code": code,
            "message": detailed,
            "details": [{"code": "Context", "target": "", "message": message}],
            "innererror": {
                "message": detailed,
                "type": exception,
                "internalException": {"message": message, "type": exception},
            },
        }}),
    )
}
