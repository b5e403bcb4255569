//! The transport-neutral request and response used by the Graph dispatcher, so that `$batch`
//! can run inner requests through exactly the same code as top-level ones.

use axum::body::Body;
use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};
use std::collections::BTreeMap;

pub const GRAPH_JSON: &str =
    "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8";

#[derive(Debug, Clone)]
pub struct SimResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Option<Value>,
    /// Non-JSON bodies (the consent page); takes precedence over `body`.
    pub text: Option<(String, String)>,
}

impl SimResponse {
    pub fn json(status: u16, body: Value) -> SimResponse {
        SimResponse {
            status,
            headers: Vec::new(),
            body: Some(body),
            text: None,
        }
    }

    pub fn empty(status: u16) -> SimResponse {
        SimResponse {
            status,
            headers: Vec::new(),
            body: None,
            text: None,
        }
    }

    pub fn html(status: u16, html: String) -> SimResponse {
        SimResponse {
            status,
            headers: Vec::new(),
            body: None,
            text: Some(("text/html; charset=utf-8".into(), html)),
        }
    }

    pub fn redirect(location: String) -> SimResponse {
        SimResponse::empty(302).with_header("Location", &location)
    }

    pub fn with_header(mut self, name: &str, value: &str) -> SimResponse {
        self.headers.push((name.to_string(), value.to_string()));
        self
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

impl IntoResponse for SimResponse {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut resp = match (self.text, self.body) {
            (Some((ctype, text)), _) => {
                let mut r = Response::new(Body::from(text));
                if let Ok(v) = HeaderValue::from_str(&ctype) {
                    r.headers_mut().insert(axum::http::header::CONTENT_TYPE, v);
                }
                r
            }
            (None, Some(body)) => {
                let mut r = Response::new(Body::from(body.to_string()));
                r.headers_mut().insert(
                    axum::http::header::CONTENT_TYPE,
                    HeaderValue::from_static(GRAPH_JSON),
                );
                r
            }
            (None, None) => Response::new(Body::empty()),
        };
        *resp.status_mut() = status;
        for (k, v) in self.headers {
            if let (Ok(k), Ok(v)) = (HeaderName::try_from(k), HeaderValue::from_str(&v)) {
                resp.headers_mut().append(k, v);
            }
        }
        resp
    }
}

/// A Graph request after routing: version, decoded path segments, query options.
#[derive(Debug, Clone)]
pub struct GraphRequest {
    pub method: String,
    pub version: String,
    pub segments: Vec<String>,
    pub query: Vec<(String, String)>,
    /// Header names lower-cased.
    pub headers: BTreeMap<String, String>,
    pub body: Option<Value>,
}

impl GraphRequest {
    /// Builds a request from a path relative to the version root (`/users/x?$top=1`).
    pub fn from_relative(
        method: &str,
        version: &str,
        relative: &str,
        headers: BTreeMap<String, String>,
        body: Option<Value>,
    ) -> GraphRequest {
        let (path, query) = relative.split_once('?').unwrap_or((relative, ""));
        GraphRequest {
            method: method.to_ascii_uppercase(),
            version: version.to_string(),
            segments: split_segments(path),
            query: parse_query(query),
            headers,
            body,
        }
    }

    /// A query option, accepting both `$top` and `top` as Graph v1.0 does.
    pub fn option(&self, name: &str) -> Option<&str> {
        let bare = name.trim_start_matches('$');
        self.query
            .iter()
            .find(|(k, _)| k.trim_start_matches('$').eq_ignore_ascii_case(bare))
            .map(|(_, v)| v.as_str())
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .get(&name.to_ascii_lowercase())
            .map(String::as_str)
    }
}

pub fn split_segments(path: &str) -> Vec<String> {
    path.split('/')
        .filter(|s| !s.is_empty())
        .map(percent_decode)
        .collect()
}

pub fn parse_query(query: &str) -> Vec<(String, String)> {
    // '+' is a space, as in the form encoding most HTTP clients use for query strings.
    url::form_urlencoded::parse(query.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
            if let Some(b) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

pub fn encode_query(pairs: &[(String, String)]) -> String {
    let mut ser = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        ser.append_pair(k, v);
    }
    // Graph writes `$top`, not `%24top`; clients follow links verbatim either way.
    ser.finish().replace("%24", "$")
}

/// Graph's error envelope with `innerError.date` and `request-id`.
pub fn graph_error(
    status: u16,
    code: &str,
    message: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> SimResponse {
    let request_id = uuid::Uuid::new_v4().to_string();
    SimResponse::json(
        status,
        json!({"error": {"code": code, "message": message, "innerError": {
            "date": crate::clock::graph_error_date(now),
            "request-id": request_id,
            "client-request-id": request_id,
        }}}),
    )
    .with_header("request-id", &request_id)
}
