//! What remediation acts on: the incident's user, tenant and persistence artifacts.

use serde::{Deserialize, Serialize};

/// The remediation stepper's steps, numbered as the UI shows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    /// 1: revoke sessions and lock the account (plus a CA block for synced users).
    Contain,
    /// 2: move the phishing mail out of every mailbox into Deleted Items.
    RetractPhish,
    /// 3: disable or delete every persistence artifact.
    RemovePersistence,
    /// 4: set a new password.
    ResetPassword,
    /// 5: enable the account again and drop the step-1 CA block.
    Reenable,
    /// 6: record that the incident is remediated.
    MarkRemediated,
}

impl Step {
    pub fn number(self) -> u8 {
        match self {
            Step::Contain => 1,
            Step::RetractPhish => 2,
            Step::RemovePersistence => 3,
            Step::ResetPassword => 4,
            Step::Reenable => 5,
            Step::MarkRemediated => 6,
        }
    }

    pub fn from_number(n: u8) -> Option<Step> {
        Some(match n {
            1 => Step::Contain,
            2 => Step::RetractPhish,
            3 => Step::RemovePersistence,
            4 => Step::ResetPassword,
            5 => Step::Reenable,
            6 => Step::MarkRemediated,
            _ => return None,
        })
    }
}

/// Persistence artifact types, spelled as in `expected.json` and the detector's incidents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ArtifactKind {
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

impl ArtifactKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ArtifactKind::InboxRule => "inbox_rule",
            ArtifactKind::MailboxForwarding => "mailbox_forwarding",
            ArtifactKind::OauthGrant => "oauth_grant",
            ArtifactKind::ServicePrincipal => "service_principal",
            ArtifactKind::Application => "application",
            ArtifactKind::Device => "device",
            ArtifactKind::AuthMethod => "auth_method",
            ArtifactKind::InboundConnector => "inbound_connector",
            ArtifactKind::TransportRule => "transport_rule",
            ArtifactKind::MailboxPermission => "mailbox_permission",
        }
    }

    /// What step 3 may do to an artifact of this kind: two entries when the technician
    /// chooses between disabling and deleting, else the one thing Parapet does (a consent
    /// grant can only be deleted, a service principal is only disabled, forwarding is cleared,
    /// credentials, methods and permissions are removed: all counted as [`Removal::Delete`]).
    pub fn removals(self) -> &'static [Removal] {
        match self {
            ArtifactKind::InboxRule
            | ArtifactKind::Device
            | ArtifactKind::InboundConnector
            | ArtifactKind::TransportRule => &[Removal::Disable, Removal::Delete],
            ArtifactKind::ServicePrincipal => &[Removal::Disable],
            ArtifactKind::MailboxForwarding
            | ArtifactKind::OauthGrant
            | ArtifactKind::Application
            | ArtifactKind::AuthMethod
            | ArtifactKind::MailboxPermission => &[Removal::Delete],
        }
    }
}

impl std::str::FromStr for ArtifactKind {
    type Err = crate::RemediateError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        serde_json::from_value(serde_json::Value::from(s)).map_err(|_| {
            crate::RemediateError::UnknownArtifactKind {
                kind: s.chars().take(60).collect(),
            }
        })
    }
}

/// One persistence artifact. `id` follows the ground-truth convention: the object's id, for
/// Exchange objects the `Identity`, for forwarding the mailbox owner's user id, for a mailbox
/// permission `Identity|User`; for an application optionally `objectId|keyId` to name the one
/// attacker credential (without it every password credential of the app is removed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Artifact {
    #[serde(rename = "type")]
    pub kind: ArtifactKind,
    pub id: String,
    /// What the detector said about it (attacker-controlled text: data, never markup).
    #[serde(default)]
    pub summary: String,
}

/// The incident being remediated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IncidentTarget {
    pub tenant_id: String,
    pub incident_id: String,
    pub user_id: String,
    pub upn: String,
    /// Mastered on-premises (Entra Connect): `onPremisesSyncEnabled`.
    pub on_premises_synced: bool,
    /// The tenant has Entra ID P1 (Conditional Access).
    pub entra_p1: bool,
    /// User object ids never to be locked out by a block policy.
    pub break_glass: Vec<String>,
    pub artifacts: Vec<Artifact>,
    /// The phishing mail to retract in step 2, when the incident has one.
    #[serde(default)]
    pub phish: Option<PhishMessage>,
}

/// Identifies a phishing mail: by its RFC 5322 Message-ID (angle brackets included), or by
/// sender address and subject. Attacker-controlled text: data, never markup.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct PhishMessage {
    pub internet_message_id: Option<String>,
    pub sender: Option<String>,
    pub subject: Option<String>,
    /// When it was sent: a copy matched only by sender and subject must have arrived within
    /// [`crate::SAME_SENDER_AND_SUBJECT_WINDOW`] of it, so the account's older ordinary mail
    /// with a common subject ("Invoice") is not taken for the phish.
    #[serde(default)]
    pub sent: Option<chrono::DateTime<chrono::Utc>>,
}

/// One copy of a phishing mail in one mailbox, as [`crate::find_copies`] found it. Step 2
/// moves exactly the copies the technician selected when the plan is given some.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageCopy {
    /// The mailbox owner's user object id.
    pub mailbox_id: String,
    /// The mailbox owner's UPN, for people.
    pub mailbox: String,
    /// The message's Graph id in that mailbox.
    pub message_id: String,
    pub internet_message_id: Option<String>,
    pub sender: Option<String>,
    pub subject: Option<String>,
    pub received: Option<chrono::DateTime<chrono::Utc>>,
    /// `Inbox`, `Junk Email`, `Deleted Items`, or `another folder`.
    pub folder: String,
    /// Why it counts as a copy.
    pub matched_by: MatchedBy,
}

/// Why a message counts as a copy of the phish.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchedBy {
    /// The same RFC 5322 Message-ID: the same message, delivered.
    MessageId,
    /// The same sender and subject, arriving near the phish (e.g. the attacker sent it
    /// again): likely, not certain, so the technician confirms it.
    SenderAndSubject,
}

/// Disable (reversible) or delete (gone for good).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Removal {
    #[default]
    Disable,
    Delete,
}

impl Removal {
    pub fn as_str(self) -> &'static str {
        match self {
            Removal::Disable => "disable",
            Removal::Delete => "delete",
        }
    }
}

/// The technician's choices for a step.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct PlanOptions {
    /// Step 2: move only these copies (each its own action) instead of every copy in the
    /// tenant; they must belong to the plan's tenant.
    pub phish_copies: Vec<MessageCopy>,
    pub inbox_rules: Removal,
    pub devices: Removal,
    pub inbound_connectors: Removal,
    pub transport_rules: Removal,
    /// Per artifact id, a removal that overrides the per-kind default above. Every artifact
    /// with that id must allow it ([`ArtifactKind::removals`]), or [`crate::plan()`] refuses
    /// the step: a choice Parapet cannot honour is an error, never silently dropped.
    pub artifact_removals: std::collections::BTreeMap<String, Removal>,
    /// The technician confirmed deleting an MFA method even when it is the user's only one.
    pub confirm_remove_only_method: bool,
    /// Reset the password again although a reset already succeeded or may have happened.
    pub fresh_password_reset: bool,
}

impl PlanOptions {
    /// The removal step 3 applies to `artifact`: the technician's choice for it, else the
    /// default of its kind, else the one thing its kind allows.
    pub fn removal_for(&self, artifact: &Artifact) -> Removal {
        let offered = artifact.kind.removals();
        let kind_default = match artifact.kind {
            ArtifactKind::InboxRule => self.inbox_rules,
            ArtifactKind::Device => self.devices,
            ArtifactKind::InboundConnector => self.inbound_connectors,
            ArtifactKind::TransportRule => self.transport_rules,
            _ => offered.first().copied().unwrap_or_default(),
        };
        match self.artifact_removals.get(&artifact.id) {
            Some(chosen) if offered.contains(chosen) => *chosen,
            _ => kind_default,
        }
    }
}

/// Who performed an action.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Actor {
    /// A technician's UPN.
    Technician(String),
    AutomaticResponse,
}

impl std::fmt::Display for Actor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Actor::Technician(upn) => f.write_str(upn),
            Actor::AutomaticResponse => f.write_str("Automatic Response"),
        }
    }
}
