//! The shared HTTP client and the per-tenant client every typed call hangs off.

use std::sync::Arc;
use std::time::Duration;

use parapet_secrets::Sensitive;

use crate::auth::cache::TokenCache;
use crate::auth::pkce::{authorize_url, AuthorizeRequest, Pkce};
use crate::auth::token::{parse_token_response, token_error, IssuedToken};
use crate::auth::{Authenticator, Credentials};
use crate::endpoints::{Endpoints, TenantId};
use crate::error::GraphError;
use crate::transport::limits::MailboxLimits;
use crate::transport::retry::RetryPolicy;
use crate::transport::stats::{StatsSnapshot, TransportStats};
use crate::transport::{with_retries, AttemptError, RawResponse};

pub use crate::tenant::TenantClient;
pub(crate) use crate::tenant::{decode, path_of, ApiRequest};

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

pub(crate) async fn read(
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
        TenantClient::new(
            self.shared.clone(),
            Arc::new(Authenticator::new(tenant, credentials, cache)),
        )
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
