//! The Entra login host (`/login/...` stands in for `https://login.microsoftonline.com`).

pub mod authorize;
pub mod consent;
pub mod errors;
pub mod token;

use crate::http::SimResponse;
use crate::server::App;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::HeaderMap;
use base64::Engine;
use std::collections::HashMap;
use std::sync::Arc;

pub async fn token_endpoint(
    State(app): State<Arc<App>>,
    Path(tenant): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> SimResponse {
    let form = parse_form(&body);
    let now = app.now();
    let mut st = app.lock();
    token::handle(&mut st, &tenant, &form, basic_auth(&headers), now)
}

pub async fn authorize_endpoint(
    State(app): State<Arc<App>>,
    Path(tenant): Path<String>,
    RawQuery(query): RawQuery,
) -> SimResponse {
    let q = parse_form(query.unwrap_or_default().as_bytes());
    let now = app.now();
    let mut st = app.lock();
    authorize::handle(&mut st, &tenant, &q, now)
}

pub async fn consent_page(
    State(app): State<Arc<App>>,
    Path(tenant): Path<String>,
    RawQuery(query): RawQuery,
) -> SimResponse {
    let q = parse_form(query.unwrap_or_default().as_bytes());
    let now = app.now();
    let mut st = app.lock();
    consent::page(&mut st, &tenant, &q, now)
}

pub async fn consent_submit(
    State(app): State<Arc<App>>,
    Path(tenant): Path<String>,
    RawQuery(query): RawQuery,
    body: Bytes,
) -> SimResponse {
    // The form posts to the page URL, so fields may come from the query as well as the body.
    let mut form = parse_form(query.unwrap_or_default().as_bytes());
    form.extend(parse_form(&body));
    let now = app.now();
    let mut st = app.lock();
    consent::submit(&mut st, &tenant, &form, now)
}

/// OpenID discovery for libraries that look endpoints up (absolute simulator URLs).
pub async fn openid_configuration(
    State(app): State<Arc<App>>,
    Path(tenant): Path<String>,
) -> SimResponse {
    let st = app.lock();
    let Some(tenant_id) = (match tenant.to_ascii_lowercase().as_str() {
        "common" | "organizations" => Some("{tenantid}".to_string()),
        _ => st.resolve_tenant(&tenant),
    }) else {
        return errors::aad_error(
            400,
            "invalid_tenant",
            90002,
            &format!("Tenant '{tenant}' not found."),
            st.clock.now(),
        );
    };
    let base = format!("{}/login/{tenant}", app.origin);
    SimResponse::json(
        200,
        serde_json::json!({
            "issuer": format!("https://login.microsoftonline.com/{tenant_id}/v2.0"),
            "authorization_endpoint": format!("{base}/oauth2/v2.0/authorize"),
            "token_endpoint": format!("{base}/oauth2/v2.0/token"),
            "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"],
            "response_types_supported": ["code"],
            "response_modes_supported": ["query"],
            "grant_types_supported": ["authorization_code", "refresh_token", "client_credentials"],
            "code_challenge_methods_supported": ["S256", "plain"],
            "scopes_supported": ["openid", "profile", "email", "offline_access"],
            "subject_types_supported": ["pairwise"],
            "id_token_signing_alg_values_supported": ["none"],
            "tenant_region_scope": "NA",
        }),
    )
}

fn parse_form(bytes: &[u8]) -> HashMap<String, String> {
    url::form_urlencoded::parse(bytes).into_owned().collect()
}

fn basic_auth(headers: &HeaderMap) -> Option<(String, String)> {
    let value = headers.get("authorization")?.to_str().ok()?;
    let encoded = value
        .strip_prefix("Basic ")
        .or_else(|| value.strip_prefix("basic "))?;
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let (id, secret) = text.split_once(':')?;
    let dec = |s: &str| {
        url::form_urlencoded::parse(format!("x={s}").as_bytes())
            .next()
            .map(|(_, v)| v.into_owned())
    };
    Some((dec(id)?, dec(secret)?))
}
