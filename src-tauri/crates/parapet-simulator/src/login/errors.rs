//! Entra's token-endpoint error JSON (API reference §2.2) and the HTML error page it shows in
//! the browser for interactive endpoints.

use crate::clock::entra_timestamp;
use crate::http::SimResponse;
use chrono::{DateTime, Utc};
use serde_json::json;

/// `{"error","error_description":"AADSTSn: ...\r\nTrace ID..","error_codes",...}`.
pub fn aad_error(
    status: u16,
    error: &str,
    code: u32,
    message: &str,
    now: DateTime<Utc>,
) -> SimResponse {
    let trace = uuid::Uuid::new_v4().to_string();
    let correlation = uuid::Uuid::new_v4().to_string();
    let ts = entra_timestamp(now);
    let description = format!(
        "AADSTS{code}: {message}\r\nTrace ID: {trace}\r\nCorrelation ID: {correlation}\r\nTimestamp: {ts}"
    );
    SimResponse::json(
        status,
        json!({
            "error": error,
            "error_description": description,
            "error_codes": [code],
            "timestamp": ts,
            "trace_id": trace,
            "correlation_id": correlation,
            "error_uri": format!("https://login.microsoftonline.com/error?code={code}"),
        }),
    )
}

/// The browser page Entra shows when it cannot redirect back (bad client or redirect URI).
pub fn aad_error_page(status: u16, code: u32, message: &str, now: DateTime<Utc>) -> SimResponse {
    let html = format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>Sign in to your account</title></head>\
         <body><h1>Sorry, but we're having trouble signing you in.</h1>\
         <p id=\"error\">AADSTS{code}: {}</p><p>Timestamp: {}</p></body></html>",
        escape_html(message),
        entra_timestamp(now)
    );
    SimResponse::html(status, html)
}

/// Escapes text for HTML bodies and attribute values: every string shown on a simulator page
/// (app names, tenant names, URLs) is data, never markup.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}
