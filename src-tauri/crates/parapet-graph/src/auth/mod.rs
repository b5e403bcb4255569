//! Access tokens for one customer tenant: client credentials or a delegated partner refresh
//! token, cached per (tenant, resource) and refreshed before they expire.

pub mod cache;
pub mod pkce;
pub mod token;

use std::fmt;
use std::sync::{Arc, Mutex};

use parapet_secrets::Sensitive;

use crate::client::Shared;
use crate::endpoints::{Resource, TenantId};
use crate::error::GraphError;
use crate::transport::RawResponse;
use cache::TokenCache;
use token::{parse_token_response, token_error, IssuedToken};

/// Called with every refresh token Entra hands back, so the caller can replace the stored one.
pub type RotationCallback = Arc<dyn Fn(&TenantId, Sensitive<String>) + Send + Sync>;

/// How Parapet proves itself to a customer tenant.
#[derive(Clone)]
pub enum Credentials {
    /// App-only: the multi-tenant app's client id and secret (consented in the customer).
    ClientSecret {
        client_id: String,
        secret: Sensitive<String>,
    },
    /// Delegated (GDAP): the partner technician's refresh token redeemed against the customer.
    PartnerRefreshToken {
        client_id: String,
        client_secret: Option<Sensitive<String>>,
        refresh_token: Sensitive<String>,
        on_rotated: Option<RotationCallback>,
    },
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Credentials::ClientSecret { client_id, .. } => f
                .debug_struct("ClientSecret")
                .field("client_id", client_id)
                .field("secret", &"<redacted>")
                .finish(),
            Credentials::PartnerRefreshToken { client_id, .. } => f
                .debug_struct("PartnerRefreshToken")
                .field("client_id", client_id)
                .field("refresh_token", &"<redacted>")
                .finish(),
        }
    }
}

/// Token source bound to exactly one tenant: the tenant is fixed at construction and is both
/// the cache key and the token-endpoint path, so it cannot hand out another tenant's token.
#[derive(Debug)]
pub(crate) struct Authenticator {
    tenant: TenantId,
    credentials: Credentials,
    cache: TokenCache,
    fetching: tokio::sync::Mutex<()>,
    /// The newest refresh token (after rotation), replacing the one in `credentials`.
    current_refresh: Mutex<Option<Sensitive<String>>>,
}

impl Authenticator {
    pub(crate) fn new(tenant: TenantId, credentials: Credentials, cache: TokenCache) -> Self {
        Authenticator {
            tenant,
            credentials,
            cache,
            fetching: tokio::sync::Mutex::new(()),
            current_refresh: Mutex::new(None),
        }
    }

    pub(crate) fn tenant(&self) -> &TenantId {
        &self.tenant
    }

    pub(crate) async fn token(
        &self,
        shared: &Shared,
        resource: Resource,
    ) -> Result<Sensitive<String>, GraphError> {
        if let Some(token) = self.cache.fresh(&self.tenant, resource) {
            return Ok(token);
        }
        // One fetch at a time per tenant; the others wait and then find it cached.
        let _guard = self.fetching.lock().await;
        if let Some(token) = self.cache.fresh(&self.tenant, resource) {
            return Ok(token);
        }
        let issued = self.fetch(shared, resource).await?;
        if let Some(rotated) = issued.refresh_token {
            if let Credentials::PartnerRefreshToken {
                on_rotated: Some(callback),
                ..
            } = &self.credentials
            {
                callback(&self.tenant, rotated.clone());
            }
            *self
                .current_refresh
                .lock()
                .unwrap_or_else(|p| p.into_inner()) = Some(rotated);
        }
        self.cache.store(
            &self.tenant,
            resource,
            issued.access_token.clone(),
            issued.expires_in,
        );
        Ok(issued.access_token)
    }

    pub(crate) fn invalidate(&self, resource: Resource, rejected: &Sensitive<String>) {
        self.cache
            .invalidate(&self.tenant, resource, rejected.expose());
    }

    async fn fetch(&self, shared: &Shared, resource: Resource) -> Result<IssuedToken, GraphError> {
        let scope = resource.default_scope();
        let mut form: Vec<(&str, String)> = vec![("scope", scope.to_string())];
        let mut secrets: Vec<String> = Vec::new();
        match &self.credentials {
            Credentials::ClientSecret { client_id, secret } => {
                form.push(("client_id", client_id.clone()));
                form.push(("client_secret", secret.expose().clone()));
                form.push(("grant_type", "client_credentials".into()));
                secrets.push(secret.expose().clone());
            }
            Credentials::PartnerRefreshToken {
                client_id,
                client_secret,
                refresh_token,
                ..
            } => {
                let refresh = self
                    .current_refresh
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .clone()
                    .unwrap_or_else(|| refresh_token.clone());
                form.push(("client_id", client_id.clone()));
                if let Some(secret) = client_secret {
                    form.push(("client_secret", secret.expose().clone()));
                    secrets.push(secret.expose().clone());
                }
                form.push(("grant_type", "refresh_token".into()));
                form.push(("refresh_token", refresh.expose().clone()));
                secrets.push(refresh.expose().clone());
            }
        }
        let response: RawResponse = shared.post_token_form(self.tenant.as_str(), &form).await?;
        let secret_refs: Vec<&str> = secrets.iter().map(String::as_str).collect();
        if !response.is_success() {
            return Err(token_error(
                self.tenant.as_str(),
                response.status,
                &response.body,
                &secret_refs,
            ));
        }
        parse_token_response(&response.body)
    }
}
