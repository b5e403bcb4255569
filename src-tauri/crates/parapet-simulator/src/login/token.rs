//! `POST /{tenant}/oauth2/v2.0/token`: client credentials (per customer tenant, after consent),
//! authorization code + PKCE (the technician's desktop sign-in) and refresh with rotation.

use super::errors::aad_error;
use crate::http::SimResponse;
use crate::state::tenant::str_field;
use crate::state::tokens::{AccessToken, RefreshGrant, Resource};
use crate::state::SimState;
use base64::Engine;
use chrono::{DateTime, Duration, Utc};
use serde_json::{json, Map, Value};
use sha2::Digest;
use std::collections::HashMap;

pub const ACCESS_LIFETIME_SECS: i64 = 3599;
const REFRESH_LIFETIME_DAYS: i64 = 90;

pub struct Scope {
    pub resource: Resource,
    pub default: bool,
    pub offline: bool,
    pub openid: bool,
    pub raw: String,
}

/// Splits a v2 scope string; every non-OIDC scope must name the same, known resource.
pub fn parse_scope(raw: &str) -> Result<Scope, String> {
    let mut resource = None;
    let (mut default, mut offline, mut openid) = (false, false, false);
    for s in raw.split_whitespace() {
        match s.to_ascii_lowercase().as_str() {
            "offline_access" => offline = true,
            "openid" => openid = true,
            "profile" | "email" => {}
            _ => {
                let (res, perm) = match s.rfind('/') {
                    Some(i) if s.contains("://") || s[..i].len() == 36 => (&s[..i], &s[i + 1..]),
                    _ => ("https://graph.microsoft.com", s),
                };
                let r = Resource::from_scope_resource(res)
                    .ok_or_else(|| format!("The scope {s} is not valid."))?;
                if resource.is_some_and(|prev| prev != r) {
                    return Err(format!(
                        "The scope {raw} is not valid. All scopes must belong to one resource."
                    ));
                }
                resource = Some(r);
                default |= perm == ".default";
            }
        }
    }
    Ok(Scope {
        resource: resource.unwrap_or(Resource::Graph),
        default,
        offline,
        openid,
        raw: raw.to_string(),
    })
}

pub fn handle(
    st: &mut SimState,
    tenant: &str,
    form: &HashMap<String, String>,
    basic: Option<(String, String)>,
    now: DateTime<Utc>,
) -> SimResponse {
    let field = |k: &str| form.get(k).map(String::as_str).unwrap_or("");
    let Some(tenant_id) = resolve_login_tenant(st, tenant) else {
        return aad_error(
            400,
            "invalid_request",
            90002,
            &format!("Tenant '{tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud."),
            now,
        );
    };
    let (client_id, secret) = match (&basic, field("client_id")) {
        (Some((id, secret)), _) => (id.clone(), Some(secret.clone())),
        (None, id) => (id.to_string(), form.get("client_secret").cloned()),
    };
    if client_id.is_empty() {
        return aad_error(
            400,
            "invalid_request",
            900144,
            "The request body must contain the following parameter: 'client_id'.",
            now,
        );
    }
    match field("grant_type") {
        "client_credentials" => {
            client_credentials(st, &tenant_id, &client_id, secret, field("scope"), now)
        }
        "authorization_code" => authorization_code(st, &tenant_id, &client_id, form, now),
        "refresh_token" => refresh(st, &tenant_id, &client_id, form, now),
        "" => aad_error(
            400,
            "invalid_request",
            900144,
            "The request body must contain the following parameter: 'grant_type'.",
            now,
        ),
        other => aad_error(
            400,
            "unsupported_grant_type",
            70003,
            &format!(
                "The app requested an unsupported grant type '{}'.",
                other.chars().take(64).collect::<String>()
            ),
            now,
        ),
    }
}

/// `common` and `organizations` mean the signing-in user's home: the partner tenant.
fn resolve_login_tenant(st: &SimState, tenant: &str) -> Option<String> {
    match tenant.to_ascii_lowercase().as_str() {
        "common" | "organizations" => Some(st.partner.id.clone()),
        _ => st.resolve_tenant(tenant),
    }
}

fn not_in_tenant(
    st: &SimState,
    tenant_id: &str,
    client_id: &str,
    now: DateTime<Utc>,
) -> SimResponse {
    let name = st
        .data(tenant_id)
        .map(|d| d.display_name.clone())
        .unwrap_or_default();
    aad_error(
        400,
        "unauthorized_client",
        700016,
        &format!(
            "Application with identifier '{client_id}' was not found in the directory '{name}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant."
        ),
        now,
    )
}

fn client_credentials(
    st: &mut SimState,
    tenant_id: &str,
    client_id: &str,
    secret: Option<String>,
    scope: &str,
    now: DateTime<Utc>,
) -> SimResponse {
    let scope = match parse_scope(scope) {
        Ok(s) if s.default => s,
        Ok(_) if !scope.is_empty() => {
            return aad_error(400, "invalid_scope", 1002012, &format!("The provided value for scope {scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI)."), now)
        }
        Ok(_) => return aad_error(400, "invalid_request", 900144, "The request body must contain the following parameter: 'scope'.", now),
        Err(msg) => {
            return aad_error(400, "invalid_scope", 70011, &format!("The provided value for the input parameter 'scope' is not valid. {msg}"), now)
        }
    };
    let Some(app) = st.partner_app(client_id).cloned() else {
        return not_in_tenant(st, tenant_id, client_id, now);
    };
    let Some(secret) = secret.filter(|s| !s.is_empty()) else {
        return aad_error(401, "invalid_client", 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.", now);
    };
    if !st.partner.secret_matches(client_id, &secret) {
        return aad_error(401, "invalid_client", 7000215, &format!("Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '{client_id}'."), now);
    }
    if !st.is_partner(tenant_id) {
        let multi = str_field(&app, "signInAudience").is_some_and(|a| {
            a.starts_with("AzureADMultipleOrgs") || a == "AzureADandPersonalMicrosoftAccount"
        });
        let consented = st
            .data(tenant_id)
            .is_some_and(|d| d.is_consented(client_id));
        if !multi || !consented {
            return not_in_tenant(st, tenant_id, client_id, now);
        }
    }
    let token = issue_access(st, tenant_id, scope.resource, client_id, None, now);
    SimResponse::json(
        200,
        json!({"token_type": "Bearer", "expires_in": ACCESS_LIFETIME_SECS, "ext_expires_in": ACCESS_LIFETIME_SECS, "access_token": token}),
    )
}

fn authorization_code(
    st: &mut SimState,
    tenant_id: &str,
    client_id: &str,
    form: &HashMap<String, String>,
    now: DateTime<Utc>,
) -> SimResponse {
    let field = |k: &str| form.get(k).map(String::as_str).unwrap_or("");
    let Some(code) = st.tokens.codes.remove(field("code")) else {
        return aad_error(400, "invalid_grant", 70000, "The provided value for the 'code' parameter is not valid. The code has expired, was already used or was never issued.", now);
    };
    if code.expires_at <= now {
        return aad_error(400, "invalid_grant", 70008, "The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.", now);
    }
    if !code.client_id.eq_ignore_ascii_case(client_id) || code.tenant_id != tenant_id {
        return aad_error(400, "invalid_grant", 70000, "The provided value for the 'code' parameter is not valid. The code was issued to a different client or tenant.", now);
    }
    if code.redirect_uri != field("redirect_uri") {
        return aad_error(400, "invalid_grant", 50011, "The redirect URI in the request does not match the one used to obtain the authorization code.", now);
    }
    if let Some(challenge) = &code.code_challenge {
        let verifier = field("code_verifier");
        let method = code.code_challenge_method.as_deref().unwrap_or("plain");
        let computed = if method.eq_ignore_ascii_case("S256") {
            base64::engine::general_purpose::URL_SAFE_NO_PAD
                .encode(sha2::Sha256::digest(verifier.as_bytes()))
        } else {
            verifier.to_string()
        };
        if verifier.is_empty() || computed != *challenge {
            return aad_error(400, "invalid_grant", 501481, "The Code_Verifier does not match the code_challenge supplied in the authorization request.", now);
        }
    }
    let scope = match parse_scope(&code.scope) {
        Ok(s) => s,
        Err(msg) => return aad_error(400, "invalid_scope", 70011, &msg, now),
    };
    delegated_response(st, tenant_id, tenant_id, client_id, &code.user, &scope, now)
}

fn refresh(
    st: &mut SimState,
    tenant_id: &str,
    client_id: &str,
    form: &HashMap<String, String>,
    now: DateTime<Utc>,
) -> SimResponse {
    let field = |k: &str| form.get(k).map(String::as_str).unwrap_or("");
    let presented = field("refresh_token").to_string();
    let Some(grant) = st.tokens.refresh.get(&presented).cloned() else {
        return aad_error(400, "invalid_grant", 50173, "The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have changed or reset their password.", now);
    };
    if grant.expires_at <= now {
        st.tokens.refresh.remove(&presented);
        return aad_error(
            400,
            "invalid_grant",
            700082,
            "The refresh token has expired due to inactivity.",
            now,
        );
    }
    if !grant.client_id.eq_ignore_ascii_case(client_id) {
        return aad_error(
            400,
            "invalid_grant",
            70000,
            "The refresh token was issued to a different client.",
            now,
        );
    }
    // A partner user reaches a customer through GDAP; the app still needs consent there.
    if tenant_id != grant.home_tenant_id {
        let consented = st
            .data(tenant_id)
            .is_some_and(|d| d.is_consented(client_id));
        if !st.is_partner(&grant.home_tenant_id) || !consented {
            return aad_error(400, "invalid_grant", 65001, &format!("The user or administrator has not consented to use the application with ID '{client_id}'. Send an interactive authorization request for this user and resource."), now);
        }
    }
    let scope_text = match field("scope") {
        "" => "https://graph.microsoft.com/.default offline_access",
        s => s,
    };
    let mut scope = match parse_scope(scope_text) {
        Ok(s) => s,
        Err(msg) => {
            return aad_error(
                400,
                "invalid_scope",
                70011,
                &format!("The provided value for the input parameter 'scope' is not valid. {msg}"),
                now,
            )
        }
    };
    // Rotation: the presented refresh token is spent; a new one is always returned.
    st.tokens.refresh.remove(&presented);
    scope.offline = true;
    let home = grant.home_tenant_id.clone();
    delegated_response(st, tenant_id, &home, client_id, &grant.user, &scope, now)
}

fn delegated_response(
    st: &mut SimState,
    tenant_id: &str,
    home_tenant_id: &str,
    client_id: &str,
    user: &str,
    scope: &Scope,
    now: DateTime<Utc>,
) -> SimResponse {
    let access = issue_access(
        st,
        tenant_id,
        scope.resource,
        client_id,
        Some(user.to_string()),
        now,
    );
    let mut body = Map::new();
    body.insert("token_type".into(), json!("Bearer"));
    body.insert("scope".into(), json!(scope.raw));
    body.insert("expires_in".into(), json!(ACCESS_LIFETIME_SECS));
    body.insert("ext_expires_in".into(), json!(ACCESS_LIFETIME_SECS));
    body.insert("access_token".into(), json!(access));
    if scope.offline {
        let rt = st.new_opaque(48);
        st.tokens.refresh.insert(
            rt.clone(),
            RefreshGrant {
                home_tenant_id: home_tenant_id.to_string(),
                user: user.to_string(),
                client_id: client_id.to_string(),
                expires_at: now + Duration::days(REFRESH_LIFETIME_DAYS),
            },
        );
        body.insert("refresh_token".into(), json!(rt));
    }
    if scope.openid {
        body.insert(
            "id_token".into(),
            json!(id_token(st, tenant_id, client_id, user, now)),
        );
    }
    SimResponse::json(200, Value::Object(body))
}

pub fn issue_access(
    st: &mut SimState,
    tenant_id: &str,
    resource: Resource,
    app_id: &str,
    user: Option<String>,
    now: DateTime<Utc>,
) -> String {
    let token = st.new_opaque(32);
    st.tokens.access.insert(
        token.clone(),
        AccessToken {
            tenant_id: tenant_id.to_string(),
            resource,
            app_id: app_id.to_ascii_lowercase(),
            user,
            expires_at: now + Duration::seconds(ACCESS_LIFETIME_SECS),
        },
    );
    token
}

/// An unsigned JWT carrying the claims desktop clients read (tid, oid, preferred_username).
fn id_token(
    st: &SimState,
    tenant_id: &str,
    client_id: &str,
    upn: &str,
    now: DateTime<Utc>,
) -> String {
    let user = st.data(tenant_id).and_then(|d| d.user(upn));
    let oid = user.and_then(|u| str_field(u, "id")).unwrap_or_default();
    let name = user
        .and_then(|u| str_field(u, "displayName"))
        .unwrap_or(upn);
    let enc = |v: Value| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string());
    let header = enc(json!({"typ": "JWT", "alg": "none"}));
    let payload = enc(json!({
        "aud": client_id, "iss": format!("https://login.microsoftonline.com/{tenant_id}/v2.0"),
        "iat": now.timestamp(), "nbf": now.timestamp(), "exp": now.timestamp() + ACCESS_LIFETIME_SECS,
        "name": name, "oid": oid, "preferred_username": upn, "tid": tenant_id, "ver": "2.0",
    }));
    format!("{header}.{payload}.")
}
