//! The normalized evidence model: every fact detection reasons about, each keeping the id of the
//! record it came from so a finding can cite it. Built from a snapshot by `from_snapshot`, or by
//! hand in tests.

mod activities;
mod artifacts;
mod directory;
mod from_snapshot;
pub(crate) mod json;
pub mod phones;
mod records;
mod signins;
mod users;

pub use users::UserIndex;

use std::net::IpAddr;

use chrono::{DateTime, Utc};

use crate::network::Network;

pub use from_snapshot::{evidence_from_snapshot, raw_from_snapshot, RawSnapshot};

/// Everything known about one tenant, sorted by time (sign-ins, activities) so rules can walk it
/// in order.
#[derive(Debug, Clone, Default)]
pub struct Evidence {
    pub tenant: TenantFacts,
    pub users: Vec<UserFacts>,
    pub sign_ins: Vec<SignInEvent>,
    pub activities: Vec<Activity>,
    pub messages: Vec<MailMessage>,
    pub artifacts: Vec<Artifact>,
    pub sources: Vec<String>,
}

#[derive(Debug, Clone, Default)]
pub struct TenantFacts {
    pub id: String,
    pub display_name: String,
    pub verified_domains: Vec<String>,
    pub snapshot_time: Option<DateTime<Utc>>,
}

impl TenantFacts {
    /// Whether an address (or bare domain) belongs to the tenant. Exchange aliases without a
    /// domain ("debra.nichols") are internal by construction.
    pub fn is_internal_address(&self, address: &str) -> bool {
        let a = address
            .trim()
            .trim_start_matches("smtp:")
            .trim_start_matches("SMTP:");
        match a.rsplit_once('@') {
            None => true,
            Some((_, domain)) => {
                let d = domain.to_ascii_lowercase();
                self.verified_domains.iter().any(|v| {
                    let v = v.to_ascii_lowercase();
                    d == v || d.ends_with(&format!(".{v}"))
                })
            }
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct UserFacts {
    pub id: String,
    pub upn: String,
    pub display_name: String,
    pub mail: Option<String>,
    pub account_enabled: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum SignInSource {
    EntraSignIns,
    UnifiedAuditLog,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignInOutcome {
    Success,
    /// The password was right but a further step (MFA, CA) was pending or refused.
    PasswordValid,
    PasswordWrong,
    MfaDenied,
    Locked,
    TokenRevoked,
    OtherFailure,
}

#[derive(Debug, Clone)]
pub struct SignInEvent {
    pub record_id: String,
    pub source: SignInSource,
    pub time: DateTime<Utc>,
    pub user_id: String,
    pub upn: String,
    pub outcome: SignInOutcome,
    pub error_code: i64,
    pub app_id: String,
    pub app_name: String,
    pub ip: Option<IpAddr>,
    pub ip_text: String,
    pub network: Network,
    pub user_agent: String,
    pub protocol: String,
    pub client_app: String,
    pub interactive: bool,
    pub device_id: Option<String>,
    pub session_id: Option<String>,
    pub mfa_completed: bool,
    pub single_factor: bool,
    pub risk_high_or_medium: bool,
    /// The app is not Microsoft's own (its service principal is owned by another organisation).
    pub third_party_app: bool,
}

impl SignInEvent {
    pub fn succeeded(&self) -> bool {
        self.outcome == SignInOutcome::Success
    }
}

#[derive(Debug, Clone)]
pub struct Activity {
    pub record_id: String,
    pub time: DateTime<Utc>,
    /// Lower-case UPN (or object id when no UPN is known) of whoever performed it.
    pub actor: String,
    /// User id of the user whose account or mailbox it concerns, when known.
    pub subject_user_id: Option<String>,
    pub ip: Option<IpAddr>,
    pub network: Network,
    pub kind: ActivityKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuleChange {
    Create,
    Modify,
    Enable,
    Disable,
    Remove,
}

/// What an inbox rule does, from either an audit record or a current messageRule.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RuleSpec {
    pub name: String,
    pub move_to_folder: Option<String>,
    pub delete: bool,
    pub mark_read: bool,
    pub forward_to: Vec<String>,
    pub keywords: Vec<String>,
    pub has_sender_condition: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ActivityKind {
    InboxRule {
        change: RuleChange,
        mailbox: String,
        spec: RuleSpec,
    },
    MailboxForwarding {
        mailbox: String,
        target: Option<String>,
        keep_copy: bool,
    },
    MailboxPermission {
        mailbox: String,
        trustee: String,
        rights: Vec<String>,
    },
    MailSent {
        count: u32,
    },
    MailDeleted {
        count: u32,
    },
    MailItemsAccessed {
        count: u32,
        /// The app that read the mail (`AppId`, else `ClientAppId`), lower-case.
        app_id: Option<String>,
    },
    FileDownloaded {
        object: String,
    },
    Consent {
        sp_id: String,
        app_name: String,
        scopes: Vec<String>,
        admin: bool,
        grant_id: Option<String>,
    },
    ServicePrincipalAdded {
        sp_id: String,
        app_id: Option<String>,
        app_name: String,
    },
    ApplicationAdded {
        object_id: String,
        app_name: String,
    },
    CredentialAdded {
        object_id: String,
        app_name: String,
    },
    DeviceRegistered {
        object_id: String,
        device_id: Option<String>,
        name: String,
    },
    MfaRegistered {
        method: String,
    },
    /// A security-info change on the user object ("Update user" of
    /// `StrongAuthenticationUserDetails`) that added these phone numbers.
    MfaPhonesAdded {
        numbers: Vec<String>,
    },
    PasswordReset {
        by_admin: bool,
    },
    SessionsRevoked,
    AccountDisabled,
    InboundConnector {
        name: String,
        sender_ips: Vec<String>,
        sender_domains: Vec<String>,
    },
    TransportRule {
        name: String,
        copies_or_redirects: Vec<String>,
    },
    AuditLoggingDisabled,
}

#[derive(Debug, Clone)]
pub struct MailMessage {
    pub record_id: String,
    pub time: DateTime<Utc>,
    pub sender: String,
    pub subject: String,
    pub recipients: Vec<String>,
}

/// Persistence type vocabulary of the snapshot spec.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ArtifactType {
    InboxRule,
    MailboxForwarding,
    OauthGrant,
    ServicePrincipal,
    Application,
    Device,
    AuthMethod,
    InboundConnector,
    TransportRule,
    MailboxPermission,
}

/// An object that exists at snapshot time and could let an attacker back in or keep reading mail.
#[derive(Debug, Clone)]
pub struct Artifact {
    pub kind: ArtifactType,
    /// Id in the spec's terms (Exchange Identity, messageRule id, userId for forwarding, ...).
    pub id: String,
    pub owner_user_id: Option<String>,
    pub created: Option<DateTime<Utc>>,
    pub detail: ArtifactDetail,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ArtifactDetail {
    InboxRule {
        spec: RuleSpec,
        enabled: bool,
    },
    MailboxForwarding {
        target: String,
    },
    OauthGrant {
        client_sp_id: String,
        scopes: Vec<String>,
        all_principals: bool,
    },
    ServicePrincipal {
        app_id: String,
        name: String,
        first_party: bool,
    },
    Application {
        app_id: String,
        name: String,
        has_credentials: bool,
    },
    Device {
        device_id: String,
        name: String,
    },
    AuthMethod {
        method: String,
        /// `phoneNumber` of a phone method (possibly masked).
        phone_number: Option<String>,
        /// `phoneType` of a phone method: `mobile`, `alternateMobile` or `office`, one number each.
        phone_type: Option<String>,
    },
    InboundConnector {
        name: String,
        sender_ips: Vec<String>,
        sender_domains: Vec<String>,
    },
    TransportRule {
        name: String,
        copies_or_redirects: Vec<String>,
    },
    MailboxPermission {
        trustee: String,
        rights: Vec<String>,
    },
}
