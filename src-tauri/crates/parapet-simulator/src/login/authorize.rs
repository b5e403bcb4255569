//! `GET /{tenant}/oauth2/v2.0/authorize`: the technician is always "already signed in" in the
//! simulator, so a valid request redirects straight back to the loopback URI with a code.

use super::errors::aad_error_page;
use crate::http::SimResponse;
use crate::state::partner::PUBLIC_CLIENT_ID;
use crate::state::tenant::Record;
use crate::state::tokens::AuthCode;
use crate::state::SimState;
use chrono::{DateTime, Duration, Utc};
use serde_json::Value;
use std::collections::HashMap;

const CODE_LIFETIME_MINUTES: i64 = 10;

pub fn handle(
    st: &mut SimState,
    tenant: &str,
    q: &HashMap<String, String>,
    now: DateTime<Utc>,
) -> SimResponse {
    let field = |k: &str| q.get(k).map(String::as_str).unwrap_or("");
    let tenant_id = match tenant.to_ascii_lowercase().as_str() {
        "common" | "organizations" => Some(st.partner.id.clone()),
        _ => st.resolve_tenant(tenant),
    };
    let Some(tenant_id) = tenant_id else {
        return aad_error_page(400, 90002, &format!("Tenant '{tenant}' not found."), now);
    };
    let client_id = field("client_id");
    let Some(app) = st.partner_app(client_id).cloned() else {
        return aad_error_page(
            400,
            700016,
            &format!("Application with identifier '{client_id}' was not found in the directory."),
            now,
        );
    };
    let redirect_uri = field("redirect_uri");
    if !redirect_allowed(&app, redirect_uri) {
        return aad_error_page(
            400,
            50011,
            &format!("The redirect URI '{redirect_uri}' specified in the request does not match the redirect URIs configured for the application '{client_id}'."),
            now,
        );
    }
    let state = field("state");
    let back = |pairs: &[(&str, &str)]| {
        let mut all: Vec<(&str, &str)> = pairs.to_vec();
        if !state.is_empty() {
            all.push(("state", state));
        }
        SimResponse::redirect(with_query(redirect_uri, &all))
    };
    if field("response_type") != "code" {
        return back(&[
            ("error", "unsupported_response_type"),
            (
                "error_description",
                "AADSTS700054: response_type 'id_token' is not enabled for the application.",
            ),
        ]);
    }
    let method = q.get("code_challenge_method").cloned();
    if method
        .as_deref()
        .is_some_and(|m| m != "S256" && m != "plain")
    {
        return back(&[
            ("error", "invalid_request"),
            (
                "error_description",
                "AADSTS501491: Invalid code_challenge_method.",
            ),
        ]);
    }
    let code = st.new_opaque(48);
    st.tokens.codes.insert(
        code.clone(),
        AuthCode {
            tenant_id,
            client_id: client_id.to_string(),
            redirect_uri: redirect_uri.to_string(),
            code_challenge: q.get("code_challenge").cloned().filter(|c| !c.is_empty()),
            code_challenge_method: method,
            scope: field("scope").to_string(),
            user: st.partner.technician_upn.clone(),
            expires_at: now + Duration::minutes(CODE_LIFETIME_MINUTES),
        },
    );
    back(&[("code", &code)])
}

/// Loopback redirect URIs: Entra ignores the port for native clients (API reference §2.4).
pub fn is_loopback(uri: &str) -> bool {
    url::Url::parse(uri).is_ok_and(|u| {
        matches!(u.scheme(), "http" | "https")
            && matches!(u.host_str(), Some("localhost" | "127.0.0.1" | "[::1]"))
    })
}

fn redirect_allowed(app: &Record, uri: &str) -> bool {
    if !is_loopback(uri) {
        return false;
    }
    let is_public_default = app.get("appId").and_then(Value::as_str) == Some(PUBLIC_CLIENT_ID);
    if is_public_default {
        return true;
    }
    let Ok(wanted) = url::Url::parse(uri) else {
        return false;
    };
    let registered = ["publicClient", "web", "spa"].iter().flat_map(|k| {
        app.get(*k)
            .and_then(|v| v.get("redirectUris"))
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    });
    registered
        .filter_map(|v| v.as_str().and_then(|s| url::Url::parse(s).ok()))
        .any(|r| {
            r.scheme() == wanted.scheme()
                && r.host_str() == wanted.host_str()
                && r.path().trim_end_matches('/') == wanted.path().trim_end_matches('/')
        })
}

/// Appends query parameters to a redirect URI that may already carry some.
pub fn with_query(uri: &str, pairs: &[(&str, &str)]) -> String {
    match url::Url::parse(uri) {
        Ok(mut u) => {
            {
                let mut q = u.query_pairs_mut();
                for (k, v) in pairs {
                    q.append_pair(k, v);
                }
            }
            u.to_string()
        }
        Err(_) => uri.to_string(),
    }
}
