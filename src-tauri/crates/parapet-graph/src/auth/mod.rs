//! Access tokens for one customer tenant: client credentials or a delegated partner refresh
//! token, cached per (tenant, resource) and refreshed before they expire.

pub mod cache;
pub mod pkce;
pub mod token;

use std::fmt;
use std::sync::Arc;

use parapet_secrets::Sensitive;

use crate::client::Shared;
use crate::endpoints::{Resource, TenantId};
use crate::error::GraphError;
use crate::transport::RawResponse;
use cache::TokenCache;
use token::{parse_token_response, token_error, IssuedToken};

/// Called with every refresh token Entra hands back, so the caller can replace the stored one.
pub type RotationCallback = Arc<dyn Fn(&TenantId, Sensitive<String>) + Send + Sync>;

/// The partner technician's refresh token, shared by every client that redeems it (the partner
/// tenant's and each customer's through GDAP). Entra spends a refresh token when it hands out
/// the next one, so two clients redeeming copies of one token at the same moment would see the
/// second refused; redemptions through one `PartnerToken` take turns and always present the
/// newest token. Clones share the token.
#[derive(Clone)]
pub struct PartnerToken {
    current: Arc<tokio::sync::Mutex<Sensitive<String>>>,
    on_rotated: Option<RotationCallback>,
}

impl PartnerToken {
    /// `on_rotated` hears every new refresh token (to keep the stored one current).
    pub fn new(refresh_token: Sensitive<String>, on_rotated: Option<RotationCallback>) -> Self {
        PartnerToken {
            current: Arc::new(tokio::sync::Mutex::new(refresh_token)),
            on_rotated,
        }
    }
}

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
        token: PartnerToken,
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
}

impl Authenticator {
    pub(crate) fn new(tenant: TenantId, credentials: Credentials, cache: TokenCache) -> Self {
        Authenticator {
            tenant,
            credentials,
            cache,
            fetching: tokio::sync::Mutex::new(()),
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
                self.redeem(shared, &form, &secrets).await
            }
            Credentials::PartnerRefreshToken {
                client_id,
                client_secret,
                token,
            } => {
                // Held across the request: the next redeemer must present what this one gets.
                let mut current = token.current.lock().await;
                form.push(("client_id", client_id.clone()));
                if let Some(secret) = client_secret {
                    form.push(("client_secret", secret.expose().clone()));
                    secrets.push(secret.expose().clone());
                }
                form.push(("grant_type", "refresh_token".into()));
                form.push(("refresh_token", current.expose().clone()));
                secrets.push(current.expose().clone());
                let issued = self.redeem(shared, &form, &secrets).await?;
                if let Some(rotated) = &issued.refresh_token {
                    *current = rotated.clone();
                    if let Some(callback) = &token.on_rotated {
                        callback(&self.tenant, rotated.clone());
                    }
                }
                Ok(issued)
            }
        }
    }

    async fn redeem(
        &self,
        shared: &Shared,
        form: &[(&str, String)],
        secrets: &[String],
    ) -> Result<IssuedToken, GraphError> {
        let response: RawResponse = shared.post_token_form(self.tenant.as_str(), form).await?;
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
