//! Detection families. Each produces [`Signal`]s: one observation, in plain English, citing the
//! records it rests on. Signals are not incidents: `correlate` decides what they add up to.

pub mod access_signals;
pub mod consent;
pub mod context;
pub mod data_access;
pub mod factors;
pub mod forwarding;
pub mod inbox_rules;
pub mod mail_volume;
pub mod mailflow;
pub mod promotion;
pub mod registration;
pub mod signin;
pub mod spray;
pub mod spray_source;

use chrono::{DateTime, Utc};

use crate::evidence::ArtifactType;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SignalKind {
    SignInFromNewInfrastructure,
    AitmPhishing,
    TokenReplay,
    DeviceCodePhishing,
    LegacyAuthSuccess,
    PasswordSpraySuccess,
    MfaFatigue,
    SuspiciousInboxRule,
    ExternalForwarding,
    IllicitConsent,
    MaliciousAppActivity,
    MfaMethodRegistered,
    DeviceRegistered,
    MailboxPermissionAdded,
    InboundConnectorCreated,
    TransportRuleCreated,
    AppCredentialAdded,
    InternalPhishing,
    OutboundMassMail,
    MassDownload,
    MailboxAccessedFromAttacker,
    AuditLoggingDisabled,
    Remediation,
}

impl SignalKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SignalKind::SignInFromNewInfrastructure => "sign_in_new_infrastructure",
            SignalKind::AitmPhishing => "aitm_phishing",
            SignalKind::TokenReplay => "token_replay",
            SignalKind::DeviceCodePhishing => "device_code_phishing",
            SignalKind::LegacyAuthSuccess => "legacy_auth_success",
            SignalKind::PasswordSpraySuccess => "password_spray_success",
            SignalKind::MfaFatigue => "mfa_fatigue",
            SignalKind::SuspiciousInboxRule => "suspicious_inbox_rule",
            SignalKind::ExternalForwarding => "external_forwarding",
            SignalKind::IllicitConsent => "illicit_consent",
            SignalKind::MaliciousAppActivity => "malicious_app_activity",
            SignalKind::MfaMethodRegistered => "mfa_method_registered",
            SignalKind::DeviceRegistered => "device_registered",
            SignalKind::MailboxPermissionAdded => "mailbox_permission_added",
            SignalKind::InboundConnectorCreated => "inbound_connector_created",
            SignalKind::TransportRuleCreated => "transport_rule_created",
            SignalKind::AppCredentialAdded => "app_credential_added",
            SignalKind::InternalPhishing => "internal_phishing",
            SignalKind::OutboundMassMail => "outbound_mass_mail",
            SignalKind::MassDownload => "mass_download",
            SignalKind::MailboxAccessedFromAttacker => "mailbox_accessed_from_attacker",
            SignalKind::AuditLoggingDisabled => "audit_logging_disabled",
            SignalKind::Remediation => "remediation",
        }
    }

    /// Signals that show access (a way in), as opposed to what was done with it.
    pub fn is_access(self) -> bool {
        matches!(
            self,
            SignalKind::SignInFromNewInfrastructure
                | SignalKind::AitmPhishing
                | SignalKind::TokenReplay
                | SignalKind::DeviceCodePhishing
                | SignalKind::LegacyAuthSuccess
                | SignalKind::PasswordSpraySuccess
                | SignalKind::MfaFatigue
        )
    }
}

/// How much a signal says on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Strength {
    /// Unusual, but honest users do it too.
    Weak,
    /// Suspicious; needs corroboration.
    Medium,
    /// An attacker technique with few honest explanations.
    Strong,
}

/// A persistence object a signal created or touched, in the spec's vocabulary.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ArtifactRef {
    pub kind: ArtifactType,
    pub id: String,
}

#[derive(Debug, Clone)]
pub struct Signal {
    pub kind: SignalKind,
    pub time: DateTime<Utc>,
    pub user_id: String,
    pub summary: String,
    pub evidence: Vec<String>,
    pub strength: Strength,
    /// Tied to the attacker's network, session or app (not just the same user).
    pub attacker_context: bool,
    pub artifacts: Vec<ArtifactRef>,
    /// Last time covered when the signal summarises a run of events.
    pub until: Option<DateTime<Utc>>,
}

impl Signal {
    pub fn last_time(&self) -> DateTime<Utc> {
        self.until.unwrap_or(self.time).max(self.time)
    }
}
