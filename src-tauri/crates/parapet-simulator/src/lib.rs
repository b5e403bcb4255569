//! A faithful local stand-in for Microsoft's cloud APIs, served from tenant snapshots:
//! Entra login (client credentials, auth code + PKCE, refresh rotation, admin consent),
//! Microsoft Graph v1.0 and beta, Exchange Online `adminapi` InvokeCommand and the Office 365
//! Management Activity API. Every Parapet test and the demo workspace talk to it over HTTP.
//!
//! One server on 127.0.0.1 (never another interface); path prefixes stand for the hosts:
//! `/login` = login.microsoftonline.com, `/graph` = graph.microsoft.com, `/exchange` =
//! outlook.office365.com, `/management` = manage.office.com, `/_sim` = the admin surface.
//!
//! Invariants:
//! - Paths, JSON shapes, status codes, paging, errors and throttling follow the project's API
//!   reference (`shared/reference/microsoft-apis.md`), not guesses; snapshot records are served
//!   verbatim, unknown fields included.
//! - Tokens are opaque, bound to one tenant and one resource, and expire on the sim clock.
//! - `@odata.nextLink` and `NextPageUri` are absolute simulator URLs; log paging is by cursor,
//!   so records arriving mid-walk never cause duplicates or gaps.
//! - Data time (retention, token expiry, content arrival) runs on the sim clock; throttle
//!   windows use the wall clock, because a client's real waiting is what is under test.
//! - A synthesised partner tenant is the technician's home; its customers are the loaded tenants.
//! - Secrets never appear in logs, `Debug` output or errors.

mod activity;
mod admin;
mod clock;
mod config;
mod control;
mod error;
mod events;
mod exchange;
mod faults;
mod graph;
mod http;
mod login;
mod management;
mod odata;
mod paging;
mod server;
mod state;
mod throttle;

pub use config::{RetentionMode, SimConfig, ThrottleMode};
pub use control::{SimControl, TenantEvents};
pub use error::SimError;
pub use faults::FaultSettings;
pub use server::{start, BaseUrls, PartnerSignIn, RunningSimulator};
pub use throttle::ThrottleLimits;

/// The desktop client id the technician signs in with (registered in the partner tenant).
pub const PUBLIC_CLIENT_ID: &str = state::partner::PUBLIC_CLIENT_ID;
