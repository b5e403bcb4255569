//! The per-tenant client every typed call hangs off, and the request it sends.

use std::sync::Arc;

use reqwest::Method;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::auth::Authenticator;
use crate::client::{read, ApiVersion, Shared};
use crate::endpoints::{Resource, TenantId};
use crate::error::GraphError;
use crate::transport::retry::retry_after;
use crate::transport::stats::StatsSnapshot;
use crate::transport::{status_error, with_retries, AttemptError, RawResponse};

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
/// Tenant isolation: the only place a bearer token is attached is `TenantClient::send`,
/// which takes the token from this tenant's `Authenticator` and refuses any URL that is not
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
    pub(crate) fn new(shared: Arc<Shared>, auth: Arc<Authenticator>) -> Self {
        TenantClient { shared, auth }
    }

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
