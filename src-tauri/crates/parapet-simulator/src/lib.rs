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
//! - Logs are kept sorted newest first (inserts go through `TenantData::insert_*`), and log
//!   pages are found by binary search in them, so a page costs O(page), a walk O(records).
//! - Data time (retention, token expiry, content arrival) runs on the sim clock; throttle
//!   windows use the wall clock, because a client's real waiting is what is under test.
//! - A synthesised partner tenant is the technician's home; its customers are the loaded tenants.
//! - Secrets never appear in logs, `Debug` output or errors.
//!
//! # Served
//!
//! - Login: `/{tenant}/oauth2/v2.0/token` (client_credentials with secret or HTTP Basic,
//!   authorization_code + PKCE, refresh_token with rotation; a partner refresh token reaches a
//!   customer tenant like GDAP once the client is consented there), `/{tenant}/oauth2/v2.0/authorize`
//!   (the technician is always signed in: 302 back with `code` and `state`),
//!   `/{tenant}/adminconsent` and `/{tenant}/v2.0/adminconsent` (GET page, POST
//!   `decision=accept|cancel`; a tenant that already consents to the app redirects straight
//!   back on GET). `{tenant}` is an id, a verified domain, `common` or `organizations`.
//! - Graph (both versions): `users` (+ `/{id|upn}`, PATCH, `revokeSignInSessions`,
//!   `authentication/methods|phoneMethods|...` list/get/DELETE, `resetPassword`, `operations`,
//!   `registeredDevices`, `messages` (+ `/move`, DELETE), `mailFolders/{f}/messages`,
//!   `mailFolders/inbox/messageRules` CRUD), `me/...` for delegated tokens, `subscribedSkus`,
//!   `organization`, `contracts`, `tenantRelationships/delegatedAdminRelationships`,
//!   `auditLogs/signIns|directoryAudits`, `security/auditLog/queries` (+ `/records`),
//!   `servicePrincipals` (+ PATCH/DELETE, `appRoleAssignments`, `appRoleAssignedTo`),
//!   `applications` (+ POST, `addPassword`, `removePassword`), `oauth2PermissionGrants`,
//!   `devices` (+ `devices(deviceId='..')`), `identity/conditionalAccess/policies`,
//!   `identityProtection/riskyUsers` (+ `confirmCompromised`, `dismiss`) and `riskDetections`
//!   (P2 tenants), `users/{id}/mailboxSettings` (+ `/userPurpose`), `$batch`.
//! - Exchange: `POST /adminapi/beta/{tenant}/InvokeCommand` with Get-/Set-Mailbox,
//!   Get-/Remove-/Enable-/Disable-InboxRule, Get-/Set-/Remove-InboundConnector,
//!   Get-/Enable-/Disable-/Remove-TransportRule, Get-/Remove-MailboxPermission,
//!   Get-/Remove-RecipientPermission. `Prefer: odata.maxpagesize=N` pages; POST the same body
//!   to `@odata.nextLink`.
//! - Management: `/api/v1.0/{tenant}/activity/feed/subscriptions/{start,stop,list,content}`
//!   and `/audit/{contentId}` (hourly blobs per content type, 30 min after the hour ends).
//!
//! # Admin surface (`/_sim`, no auth, never faulted)
//!
//! `GET /state`; `POST /clock/advance {"seconds"}`; `POST /tenants/{id}/events
//! {"signIns":[..],"directoryAudits":[..],"auditRecords":[..]}` (ids and times filled, user
//! containment applied); `POST /tenants/{id}/consent {"consented"}`; `GET|POST /faults`
//! ([`FaultSettings`] fields plus `"throttle"` and `"throttleLimits"`); `POST /tokens/expire`;
//! `POST /activity {"enabled"}`. [`SimControl`] offers the same in process.
//!
//! # Snapshot conventions the simulator honours
//!
//! - A `messageRules.json` rule with `"isHidden": true` is a rule hidden from Graph (MAPI
//!   tricks): Graph and `Get-InboxRule` omit it, `Get-InboxRule -IncludeHidden` shows it.
//! - `devices.json` `registeredOwners` drives `users/{id}/registeredDevices` and is not served.
//! - A missing `mailboxes.json` means every user has a mailbox.
//!
//! # Behaviour switches beyond [`SimConfig`]
//!
//! [`SimControl`]: throttle mode and [`ThrottleLimits`], [`FaultSettings`], consent per tenant,
//! [`SyncedAccountPolicy`] (accept, silently revert after N seconds, or refuse a disable of a
//! directory-synced user), background sign-in activity on clock advances, token expiry.

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
pub use state::SyncedAccountPolicy;
pub use throttle::ThrottleLimits;

/// The desktop client id the technician signs in with (registered in the partner tenant).
pub const PUBLIC_CLIENT_ID: &str = state::partner::PUBLIC_CLIENT_ID;
