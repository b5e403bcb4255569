//! The kinds of stored evidence and the records of each, checked against the snapshot model
//! before they are stored.

use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;
use serde_json::Value;

/// What a stored record is; one per snapshot collection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EvidenceKind {
    User,
    SubscribedSku,
    SignIn,
    DirectoryAudit,
    AuditRecord,
    Mailbox,
    MessageRule,
    Message,
    AuthenticationMethod,
    ServicePrincipal,
    Application,
    OAuth2PermissionGrant,
    AppRoleAssignment,
    Device,
    MailboxPermission,
    RecipientPermission,
    InboundConnector,
    TransportRule,
    ConditionalAccessPolicy,
}

impl EvidenceKind {
    /// Every kind, in snapshot file order.
    pub const ALL: [EvidenceKind; 19] = [
        Self::User,
        Self::SubscribedSku,
        Self::SignIn,
        Self::DirectoryAudit,
        Self::AuditRecord,
        Self::Mailbox,
        Self::MessageRule,
        Self::Message,
        Self::AuthenticationMethod,
        Self::ServicePrincipal,
        Self::Application,
        Self::OAuth2PermissionGrant,
        Self::AppRoleAssignment,
        Self::Device,
        Self::MailboxPermission,
        Self::RecipientPermission,
        Self::InboundConnector,
        Self::TransportRule,
        Self::ConditionalAccessPolicy,
    ];

    /// The stored spelling (the snapshot file name without `.json`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::User => "users",
            Self::SubscribedSku => "subscribedSkus",
            Self::SignIn => "signIns",
            Self::DirectoryAudit => "directoryAudits",
            Self::AuditRecord => "auditRecords",
            Self::Mailbox => "mailboxes",
            Self::MessageRule => "messageRules",
            Self::Message => "messages",
            Self::AuthenticationMethod => "authenticationMethods",
            Self::ServicePrincipal => "servicePrincipals",
            Self::Application => "applications",
            Self::OAuth2PermissionGrant => "oauth2PermissionGrants",
            Self::AppRoleAssignment => "appRoleAssignments",
            Self::Device => "devices",
            Self::MailboxPermission => "mailboxPermissions",
            Self::RecipientPermission => "recipientPermissions",
            Self::InboundConnector => "inboundConnectors",
            Self::TransportRule => "transportRules",
            Self::ConditionalAccessPolicy => "conditionalAccessPolicies",
        }
    }

    /// Log kinds accumulate by id with an event time; the rest are current state.
    pub fn is_log(self) -> bool {
        matches!(
            self,
            Self::SignIn | Self::DirectoryAudit | Self::AuditRecord | Self::Message
        )
    }

    /// Kinds stored per user (the snapshot's `{userId: [record]}` files).
    pub fn is_per_user(self) -> bool {
        matches!(
            self,
            Self::MessageRule | Self::Message | Self::AuthenticationMethod
        )
    }

    /// The `(id, event time)` properties of a log kind's records.
    fn log_keys(self) -> Option<(&'static str, &'static str)> {
        match self {
            Self::SignIn => Some(("id", "createdDateTime")),
            Self::DirectoryAudit => Some(("id", "activityDateTime")),
            Self::AuditRecord => Some(("Id", "CreationTime")),
            Self::Message => Some(("id", "receivedDateTime")),
            _ => None,
        }
    }
}

/// One log record to store: Microsoft's JSON plus the keys the store indexes it by.
#[derive(Debug, Clone, PartialEq)]
pub struct EvidenceRecord {
    /// The owning user's object id for per-user kinds, `None` for tenant-wide kinds.
    pub user_id: Option<String>,
    pub id: String,
    pub time: DateTime<Utc>,
    pub json: Value,
}

impl EvidenceRecord {
    /// Reads the id and event time of a log kind's record from its own properties (`Id` and
    /// `CreationTime` for audit records, `id` and `createdDateTime` for sign-ins, ...).
    /// `None` for a current-state kind, a record without a usable id or time, or one the
    /// snapshot model cannot read (so a stored row never breaks [`Store::evidence_snapshot`]).
    pub fn from_json(kind: EvidenceKind, user_id: Option<String>, json: Value) -> Option<Self> {
        let (id_key, time_key) = kind.log_keys()?;
        if !kind.fits(&json) {
            return None;
        }
        let id = json.get(id_key)?.as_str()?.to_string();
        let time = parapet_snapshot::time::parse(json.get(time_key)?.as_str()?)?;
        Some(EvidenceRecord {
            user_id,
            id,
            time,
            json,
        })
    }
}

/// One current-state record: Microsoft's JSON and, for per-user kinds, its user.
#[derive(Debug, Clone, PartialEq)]
pub struct StateRecord {
    pub user_id: Option<String>,
    pub json: Value,
}

impl StateRecord {
    /// A current-state record, or `None` when the snapshot model cannot read it.
    pub fn from_json(kind: EvidenceKind, user_id: Option<String>, json: Value) -> Option<Self> {
        kind.fits(&json).then_some(StateRecord { user_id, json })
    }
}

impl EvidenceKind {
    /// Whether the snapshot model reads `json` as this kind's record.
    pub fn fits(self, json: &Value) -> bool {
        use parapet_snapshot::model as m;
        fn reads<T: DeserializeOwned>(json: &Value) -> bool {
            T::deserialize(json).is_ok()
        }
        match self {
            Self::User => reads::<m::User>(json),
            Self::SubscribedSku => reads::<m::SubscribedSku>(json),
            Self::SignIn => reads::<m::SignIn>(json),
            Self::DirectoryAudit => reads::<m::DirectoryAudit>(json),
            Self::AuditRecord => reads::<m::AuditRecord>(json),
            Self::Mailbox => reads::<m::Mailbox>(json),
            Self::MessageRule => reads::<m::MessageRule>(json),
            Self::Message => reads::<m::Message>(json),
            Self::AuthenticationMethod => reads::<m::AuthenticationMethod>(json),
            Self::ServicePrincipal => reads::<m::ServicePrincipal>(json),
            Self::Application => reads::<m::Application>(json),
            Self::OAuth2PermissionGrant => reads::<m::OAuth2PermissionGrant>(json),
            Self::AppRoleAssignment => reads::<m::AppRoleAssignment>(json),
            Self::Device => reads::<m::Device>(json),
            Self::MailboxPermission => reads::<m::MailboxPermission>(json),
            Self::RecipientPermission => reads::<m::RecipientPermission>(json),
            Self::InboundConnector => reads::<m::InboundConnector>(json),
            Self::TransportRule => reads::<m::TransportRule>(json),
            Self::ConditionalAccessPolicy => reads::<m::ConditionalAccessPolicy>(json),
        }
    }
}
