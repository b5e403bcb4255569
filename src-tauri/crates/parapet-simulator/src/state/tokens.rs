//! Issued access tokens, refresh tokens and authorization codes. Every token is an opaque random
//! string bound to ONE tenant and ONE resource, so cross-tenant or cross-resource use fails.

use chrono::{DateTime, Utc};
use std::collections::HashMap;

/// The resource a token was issued for, derived from the scope's resource part.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Resource {
    Graph,
    Exchange,
    Management,
}

impl Resource {
    /// Maps a scope's resource part to a resource; `None` for resources this simulator lacks.
    pub fn from_scope_resource(resource: &str) -> Option<Resource> {
        let r = resource.trim_end_matches('/').to_ascii_lowercase();
        match r.as_str() {
            "https://graph.microsoft.com" | "00000003-0000-0000-c000-000000000000" => {
                Some(Resource::Graph)
            }
            "https://outlook.office365.com"
            | "https://outlook.office.com"
            | "00000002-0000-0ff1-ce00-000000000000" => Some(Resource::Exchange),
            "https://manage.office.com" | "c5393580-f805-4401-95e8-94b7a6ef2fc2" => {
                Some(Resource::Management)
            }
            _ => None,
        }
    }
}

#[derive(Clone)]
pub struct AccessToken {
    pub tenant_id: String,
    pub resource: Resource,
    pub app_id: String,
    /// Set for delegated tokens (the signed-in user's UPN); `None` for app-only tokens.
    pub user: Option<String>,
    pub expires_at: DateTime<Utc>,
}

#[derive(Clone)]
pub struct RefreshGrant {
    /// The tenant the user signed in to (the partner tenant for the technician).
    pub home_tenant_id: String,
    pub user: String,
    pub client_id: String,
    pub expires_at: DateTime<Utc>,
}

#[derive(Clone)]
pub struct AuthCode {
    pub tenant_id: String,
    pub client_id: String,
    pub redirect_uri: String,
    pub code_challenge: Option<String>,
    pub code_challenge_method: Option<String>,
    pub scope: String,
    pub user: String,
    pub expires_at: DateTime<Utc>,
}

/// Secrets are map keys here, so this type deliberately has no `Debug`.
#[derive(Default)]
pub struct TokenStore {
    pub access: HashMap<String, AccessToken>,
    pub refresh: HashMap<String, RefreshGrant>,
    pub codes: HashMap<String, AuthCode>,
}

impl TokenStore {
    /// Revokes every refresh token of a user (revokeSignInSessions, disable).
    pub fn revoke_user(&mut self, upn: &str) {
        self.refresh
            .retain(|_, g| !g.user.eq_ignore_ascii_case(upn));
    }

    /// Expires every access token now-ish (admin surface, for 401-refresh tests).
    pub fn expire_all_access(&mut self, now: DateTime<Utc>) {
        for t in self.access.values_mut() {
            t.expires_at = now;
        }
    }
}
