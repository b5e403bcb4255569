//! The shared HTTP client and the per-tenant client every typed call hangs off.

use std::sync::Arc;
use std::time::Duration;

use parapet_secrets::Sensitive;
use reqwest::Method;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::auth::cache::TokenCache;
use crate::auth::pkce::{authorize_url, AuthorizeRequest, Pkce};
use crate::auth::token::{parse_token_response, token_error, IssuedToken};
use crate::auth::{Authenticator, Credentials};
use crate::endpoints::{Endpoints, Resource, TenantId};
use crate::error::GraphError;
use crate::transport::limits::MailboxLimits;
use crate::transport::retry::{retry_after, RetryPolicy};
use crate::transport::stats::{StatsSnapshot, TransportStats};
use crate::transport::{status_error, with_retries, AttemptError, RawResponse};

/// Tunables; the defaults follow Microsoft's documented limits.
#[derive(Debug, Clone)]
pub struct ClientConfig {
    pub retry: RetryPolicy,
    pub request_timeout: Duration,
    pub connect_timeout: Duration,
    /// Tokens are replaced this long before they expire.
    pub token_refresh_margin: Duration,
    /// Outlook's per-mailbox concurrency limit.
    pub mailbox_concurrency: usize,
    pub user_agent: String,
    /// The partner tenant id sent as `PublisherIdentifier` to the Management Activity API, so
    /// its quota is the publisher's.
    pub publisher_identifier: Option<String>,
}

impl Default for ClientConfig {
    fn default() -> Self {
        ClientConfig {
            retry: RetryPolicy::default(),
            request_timeout: Duration::from_secs(100),
            connect_timeout: Duration::from_secs(20),
            token_refresh_margin: Duration::from_secs(300),
            mailbox_concurrency: 4,
            user_agent: format!(
                "Parapet/{} (MSP incident response)",
                env!("CARGO_PKG_VERSION")
            ),
            publisher_identifier: None,
        }
    }
}

/// Microsoft Graph API version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiVersion {
    V1,
    Beta,
}

impl ApiVersion {
    pub fn as_str(self) -> &'static str {
        match self {
            ApiVersion::V1 => "v1.0",
            ApiVersion::Beta => "beta",
        }
    }
}

pub(crate) struct Shared {
    pub(crate) http: reqwest::Client,
    pub(crate) endpoints: Endpoints,
    pub(crate) config: ClientConfig,
    pub(crate) mailboxes: MailboxLimits,
    pub(crate) stats: TransportStats,
}

impl Shared {
    /// POSTs a form to `{login}/{tenant}/oauth2/v2.0/token`. The form holds secrets, so it is
    /// never logged; errors carry only the path.
    pub(crate) async fn post_token_form(
        &self,
        tenant: &str,
        form: &[(&str, String)],
    ) -> Result<RawResponse, GraphError> {
        let url = format!("{}/{}/oauth2/v2.0/token", self.endpoints.login(), tenant);
        let what = format!("POST /{tenant}/oauth2/v2.0/token");
        let body = {
            let mut s = url::form_urlencoded::Serializer::new(String::new());
            for (k, v) in form {
                s.append_pair(k, v);
            }
            s.finish()
        };
        let timeout = self.config.request_timeout;
        with_retries(
            &self.stats,
            &self.config.retry,
            &what,
            true,
            timeout,
            || async {
                let response = self
                    .http
                    .post(&url)
                    .header(
                        reqwest::header::CONTENT_TYPE,
                        "application/x-www-form-urlencoded",
                    )
                    .body(body.clone())
                    .send()
                    .await
                    .map_err(AttemptError::Connection)?;
                read(response, None).await
            },
        )
        .await
    }
}

async fn read(
    response: reqwest::Response,
    token_used: Option<Sensitive<String>>,
) -> Result<RawResponse, AttemptError> {
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let body = response
        .bytes()
        .await
        .map_err(AttemptError::Connection)?
        .to_vec();
    Ok(RawResponse {
        status,
        headers,
        body,
        token_used,
    })
}

/// The app-wide client: one connection pool, configuration and mailbox limits for all tenants.
#[derive(Clone)]
pub struct GraphClient {
    shared: Arc<Shared>,
}

impl GraphClient {
    pub fn new(endpoints: Endpoints, config: ClientConfig) -> Result<Self, GraphError> {
        let http = reqwest::Client::builder()
            .user_agent(config.user_agent.clone())
            .timeout(config.request_timeout)
            .connect_timeout(config.connect_timeout)
            // A redirect could carry the bearer token to another host; Microsoft's APIs used
            // here do not redirect, so none are followed.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| GraphError::Config {
                what: format!("HTTP client: {e}"),
            })?;
        Ok(GraphClient {
            shared: Arc::new(Shared {
                http,
                mailboxes: MailboxLimits::new(config.mailbox_concurrency),
                stats: TransportStats::default(),
                endpoints,
                config,
            }),
        })
    }

    pub fn endpoints(&self) -> &Endpoints {
        &self.shared.endpoints
    }

    /// What the transport has done so far (shared by every tenant client made from this one).
    pub fn stats(&self) -> StatsSnapshot {
        self.shared.stats.snapshot()
    }

    /// A client bound to one customer tenant. Everything it sends goes to that tenant only.
    pub fn for_tenant(&self, tenant: TenantId, credentials: Credentials) -> TenantClient {
        let cache = TokenCache::new(self.shared.config.token_refresh_margin);
        TenantClient {
            shared: self.shared.clone(),
            auth: Arc::new(Authenticator::new(tenant, credentials, cache)),
        }
    }

    /// The desktop sign-in URL (authorization code + PKCE S256).
    pub fn authorize_url(&self, request: &AuthorizeRequest<'_>) -> Result<url::Url, GraphError> {
        authorize_url(&self.shared.endpoints, request)
    }

    /// Redeems the authorization code from the loopback redirect (public client: no secret).
    pub async fn exchange_code(
        &self,
        tenant: &str,
        client_id: &str,
        redirect_uri: &str,
        code: &Sensitive<String>,
        pkce: &Pkce,
        scopes: &[&str],
    ) -> Result<IssuedToken, GraphError> {
        let tenant = TenantId::new(tenant)?;
        let form = vec![
            ("client_id", client_id.to_string()),
            ("scope", scopes.join(" ")),
            ("code", code.expose().clone()),
            ("redirect_uri", redirect_uri.to_string()),
            ("grant_type", "authorization_code".to_string()),
            ("code_verifier", pkce.verifier.expose().clone()),
        ];
        let response = self.shared.post_token_form(tenant.as_str(), &form).await?;
        if !response.is_success() {
            return Err(token_error(
                tenant.as_str(),
                response.status,
                &response.body,
                &[code.expose(), pkce.verifier.expose()],
            ));
        }
        parse_token_response(&response.body)
    }

    /// Redeems a refresh token for a delegated token (the technician's own tenant), returning
    /// the rotated refresh token for the caller to store.
    pub async fn refresh_delegated(
        &self,
        tenant: &str,
        client_id: &str,
        refresh_token: &Sensitive<String>,
        scopes: &[&str],
    ) -> Result<IssuedToken, GraphError> {
        let tenant = TenantId::new(tenant)?;
        let form = vec![
            ("client_id", client_id.to_string()),
            ("scope", scopes.join(" ")),
            ("refresh_token", refresh_token.expose().clone()),
            ("grant_type", "refresh_token".to_string()),
        ];
        let response = self.shared.post_token_form(tenant.as_str(), &form).await?;
        if !response.is_success() {
            return Err(token_error(
                tenant.as_str(),
                response.status,
                &response.body,
                &[refresh_token.expose()],
            ));
        }
        parse_token_response(&response.body)
    }
}

/// One request as the typed calls describe it.
#[derive(Clone)]
pub(crate) struct ApiRequest {
    pub method: Method,
    pub url: String,
    pub resource: Resource,
    pub body: Option<Value>,
    pub headers: Vec<(&'static str, String)>,
    /// The mailbox this request touches, for the per-mailbox concurrency limit.
    pub mailbox: Option<String>,
    pub idempotent: bool,
}

// Bodies can hold passwords (passwordProfile, resetPassword): never printed.
impl std::fmt::Debug for ApiRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ApiRequest")
            .field("method", &self.method)
            .field("url", &path_of(&self.url))
            .field("resource", &self.resource)
            .field("has_body", &self.body.is_some())
            .finish_non_exhaustive()
    }
}

impl ApiRequest {
    pub fn new(method: Method, resource: Resource, url: String) -> Self {
        let idempotent = matches!(
            method,
            Method::GET | Method::PUT | Method::DELETE | Method::HEAD
        );
        ApiRequest {
            method,
            url,
            resource,
            body: None,
            headers: Vec::new(),
            mailbox: None,
            idempotent,
        }
    }

    pub fn json(mut self, body: Value) -> Self {
        self.body = Some(body);
        self
    }

    pub fn header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }

    pub fn mailbox(mut self, mailbox: &str) -> Self {
        self.mailbox = Some(mailbox.to_string());
        self
    }

    /// PATCH of a property to a fixed value can be repeated safely.
    pub fn idempotent(mut self, yes: bool) -> Self {
        self.idempotent = yes;
        self
    }
}

/// A client bound to one customer tenant. Cheap to clone (shares the token cache).
///
/// Tenant isolation: the only place a bearer token is attached is [`TenantClient::send`],
/// which takes the token from this tenant's [`Authenticator`] and refuses any URL that is not
/// under the configured base of the token's resource (and, for Exchange and the Management
/// Activity API, under this tenant's path). Server-supplied links (nextLink, NextPageUri,
/// contentUri, Location) pass through the same check.
#[derive(Clone)]
pub struct TenantClient {
    pub(crate) shared: Arc<Shared>,
    auth: Arc<Authenticator>,
}

impl std::fmt::Debug for TenantClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TenantClient")
            .field("tenant", self.tenant())
            .finish_non_exhaustive()
    }
}

impl TenantClient {
    pub fn tenant(&self) -> &TenantId {
        self.auth.tenant()
    }

    /// Transport counters of the app-wide client this one was made from.
    pub fn stats(&self) -> StatsSnapshot {
        self.shared.stats.snapshot()
    }

    pub(crate) fn graph_url(&self, version: ApiVersion, path: &str) -> String {
        format!(
            "{}/{}/{}",
            self.shared.endpoints.graph(),
            version.as_str(),
            path.trim_start_matches('/')
        )
    }

    pub(crate) fn exchange_url(&self, path: &str) -> String {
        format!(
            "{}/adminapi/beta/{}/{}",
            self.shared.endpoints.exchange(),
            self.tenant(),
            path.trim_start_matches('/')
        )
    }

    pub(crate) fn management_url(&self, path: &str) -> String {
        format!(
            "{}/api/v1.0/{}/activity/feed/{}",
            self.shared.endpoints.management(),
            self.tenant(),
            path.trim_start_matches('/')
        )
    }

    /// Checks that `raw` may receive this tenant's `resource` token; returns it parsed (which
    /// also resolves `..` segments before the prefix comparison).
    pub(crate) fn guard(&self, resource: Resource, raw: &str) -> Result<url::Url, GraphError> {
        let mismatch = || GraphError::TenantMismatch {
            tenant: self.tenant().to_string(),
            resource: resource.name(),
            url: raw.chars().take(200).collect(),
        };
        let url = url::Url::parse(raw).map_err(|_| mismatch())?;
        let endpoints = &self.shared.endpoints;
        let tenant = self.tenant().as_str();
        let allowed: Vec<String> = match resource {
            Resource::Graph => vec![
                format!("{}/v1.0/", endpoints.graph()),
                format!("{}/beta/", endpoints.graph()),
            ],
            Resource::Exchange => vec![
                format!("{}/adminapi/beta/{tenant}/", endpoints.exchange()),
                format!("{}/adminapi/v2.0/{tenant}/", endpoints.exchange()),
            ],
            // Microsoft's NextPageUri sample uses /api/v1/ without ".0".
            Resource::Management => vec![
                format!("{}/api/v1.0/{tenant}/", endpoints.management()),
                format!("{}/api/v1/{tenant}/", endpoints.management()),
            ],
        };
        let text = url.as_str().to_ascii_lowercase();
        if allowed
            .iter()
            .any(|prefix| text.starts_with(&prefix.to_ascii_lowercase()))
        {
            Ok(url)
        } else {
            Err(mismatch())
        }
    }

    /// Sends with auth, retries, the mailbox limit, and one token refresh on 401.
    pub(crate) async fn send(&self, request: &ApiRequest) -> Result<RawResponse, GraphError> {
        let url = self.guard(request.resource, &request.url)?;
        let what = format!("{} {}", request.method, url.path());
        for round in 0..2 {
            let response = with_retries(
                &self.shared.stats,
                &self.shared.config.retry,
                &what,
                request.idempotent,
                self.shared.config.request_timeout,
                || self.attempt(request, &url),
            )
            .await?;
            if response.status == 401 && round == 0 {
                if let Some(token) = &response.token_used {
                    tracing::debug!(what, "401: fetching a new token and retrying once");
                    self.auth.invalidate(request.resource, token);
                    continue;
                }
            }
            return Ok(response);
        }
        Err(GraphError::Unauthorized {
            what,
            code: String::new(),
            message: "token refresh loop".into(),
        })
    }

    async fn attempt(
        &self,
        request: &ApiRequest,
        url: &url::Url,
    ) -> Result<RawResponse, AttemptError> {
        let _permit = match &request.mailbox {
            Some(mailbox) => Some(self.shared.mailboxes.acquire(self.tenant(), mailbox).await),
            None => None,
        };
        let token = self
            .auth
            .token(&self.shared, request.resource)
            .await
            .map_err(AttemptError::Fatal)?;
        let mut builder = self
            .shared
            .http
            .request(request.method.clone(), url.clone())
            .bearer_auth(token.expose())
            .header("client-request-id", uuid::Uuid::new_v4().to_string());
        for (name, value) in &request.headers {
            builder = builder.header(*name, value);
        }
        if let Some(body) = &request.body {
            builder = builder.json(body);
        } else if request.method == Method::POST {
            builder = builder.header(reqwest::header::CONTENT_LENGTH, "0");
        }
        let response = builder.send().await.map_err(AttemptError::Connection)?;
        read(response, Some(token)).await
    }

    /// Sends and requires a 2xx, mapping anything else to the typed error.
    pub(crate) async fn send_ok(&self, request: &ApiRequest) -> Result<RawResponse, GraphError> {
        let response = self.send(request).await?;
        if response.is_success() {
            Ok(response)
        } else {
            let what = format!("{} {}", request.method, path_of(&request.url));
            Err(status_error(
                &what,
                response.status,
                &response.body,
                retry_after(&response.headers),
            ))
        }
    }

    pub(crate) async fn send_json<T: DeserializeOwned>(
        &self,
        request: &ApiRequest,
    ) -> Result<T, GraphError> {
        let response = self.send_ok(request).await?;
        decode(&request.method, &request.url, &response.body)
    }
}

pub(crate) fn path_of(url: &str) -> String {
    url::Url::parse(url)
        .map(|u| u.path().to_string())
        .unwrap_or_else(|_| url.chars().take(120).collect())
}

pub(crate) fn decode<T: DeserializeOwned>(
    method: &Method,
    url: &str,
    body: &[u8],
) -> Result<T, GraphError> {
    serde_json::from_slice(body).map_err(|e| GraphError::Decode {
        what: format!("{method} {}", path_of(url)),
        message: e.to_string(),
    })
}
