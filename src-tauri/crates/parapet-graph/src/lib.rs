//! Typed, Tauri-free client for the Microsoft services Parapet uses: Entra login (client
//! credentials, partner refresh tokens, authorization code + PKCE), Microsoft Graph v1.0 and
//! beta, Exchange Online `adminapi` InvokeCommand and the Office 365 Management Activity API.
//!
//! Invariants:
//! - Base URLs come from [`Endpoints`] only; production uses [`Endpoints::microsoft`], tests
//!   the local simulator. No test contacts a real Microsoft host.
//! - A [`TenantClient`] is bound to one tenant. Its tokens are cached under that tenant and
//!   are attached only to URLs under the configured base of the token's resource (and, where
//!   the URL names a tenant, under that tenant's path); server-supplied links are checked the
//!   same way. A token for tenant A therefore cannot reach a URL for tenant B.
//! - Tokens, secrets and passwords live in [`parapet_secrets::Sensitive`] and never appear in
//!   logs, `Debug` output or errors; Microsoft's echoed error text is scrubbed of them.
//! - Throttling is obeyed: `Retry-After` (fractional seconds, also inside `$batch`), otherwise
//!   exponential backoff with jitter, inside a bounded retry budget; at most 4 concurrent
//!   requests per mailbox.
//! - Unknown JSON fields are kept (in each record's `extra` map), never rejected.
//!
//! ```no_run
//! use parapet_graph::{ClientConfig, Credentials, Endpoints, GraphClient, TenantId};
//! use parapet_secrets::Sensitive;
//!
//! # async fn scan() -> Result<(), parapet_graph::GraphError> {
//! let graph = GraphClient::new(Endpoints::microsoft(), ClientConfig::default())?;
//! let tenant = graph.for_tenant(
//!     TenantId::new("contoso.onmicrosoft.com")?,
//!     Credentials::ClientSecret { client_id: "app-id".into(), secret: Sensitive::new("…".into()) },
//! );
//! let to = chrono::Utc::now();
//! let mut failures = 0;
//! tenant
//!     .sign_ins(to - chrono::Duration::days(180), to, None)
//!     .for_each_page(|page| {
//!         failures += page.iter().filter(|s| !s.succeeded()).count();
//!         Ok(())
//!     })
//!     .await?;
//! # Ok(())
//! # }
//! ```

pub mod auth;
mod client;
pub mod endpoints;
pub mod error;
pub mod exchange;
pub mod graph;
pub mod management;
pub mod model;
mod tenant;
pub mod transport;

pub use auth::pkce::{AuthorizeRequest, Pkce};
pub use auth::token::IssuedToken;
pub use auth::{Credentials, PartnerToken, RotationCallback};
pub use client::{ApiVersion, ClientConfig, GraphClient, TenantClient};
pub use endpoints::{Endpoints, Resource, TenantId};
pub use error::GraphError;
pub use graph::query::ODataQuery;
pub use transport::batch::{BatchItemResponse, BatchRequest, BatchResponse};
pub use transport::paging::Pager;
pub use transport::retry::RetryPolicy;
pub use transport::stats::StatsSnapshot;
