//! What to generate: the tenant's size, time window, licences, attacks and look-alikes.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A tenant to generate. The same spec always gives the same snapshot, byte for byte.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TenantSpec {
    /// Seeds every random choice.
    pub seed: u64,
    /// Company name, e.g. "Northwind Traders".
    pub display_name: String,
    /// Primary mail domain, e.g. `northwindtraders.com`; the tenant also gets
    /// `<label>.onmicrosoft.com`.
    pub domain: String,
    /// Staff accounts (shared and room mailboxes and the MSP admin account come on top).
    pub users: usize,
    /// Days of logs before `end`.
    pub days: u32,
    /// `snapshotTime`: the moment the snapshot describes.
    pub end: DateTime<Utc>,
    pub licences: Licences,
    /// Metro area the staff live in: an index into the built-in list (Boston, Dallas, Phoenix,
    /// Charlotte), wrapping.
    pub metro: usize,
    pub attacks: Vec<AttackFamily>,
    pub benign_lookalikes: Vec<LookalikeFamily>,
    /// Sampled background sign-ins per user and week (the example scenarios use about 1.5;
    /// real tenants log hundreds).
    pub sign_ins_per_user_week: f64,
}

impl TenantSpec {
    /// A spec with defaults: Entra ID P1, Boston, 1.5 sign-ins per user-week, no attacks.
    pub fn new(
        seed: u64,
        display_name: &str,
        domain: &str,
        users: usize,
        days: u32,
        end: DateTime<Utc>,
    ) -> Self {
        TenantSpec {
            seed,
            display_name: display_name.to_owned(),
            domain: domain.to_owned(),
            users,
            days,
            end,
            licences: Licences {
                entra_id_p1: true,
                entra_id_p2: false,
            },
            metro: 0,
            attacks: Vec::new(),
            benign_lookalikes: Vec::new(),
            sign_ins_per_user_week: 1.5,
        }
    }

    /// Every attack family and look-alike once: the benchmark and coverage tenant.
    pub fn with_everything(mut self) -> Self {
        self.attacks = AttackFamily::ALL.to_vec();
        self.benign_lookalikes = LookalikeFamily::ALL.to_vec();
        self
    }
}

/// Entra ID premium licences. Without P1 Microsoft keeps no sign-in log the API can read, so a
/// free tenant's snapshot has no `signIns.json` records (sign-ins show only as `UserLoggedIn`
/// audit records).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Licences {
    pub entra_id_p1: bool,
    pub entra_id_p2: bool,
}

/// Attacks the generator can stage, each leaving the log trail the real attack leaves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum AttackFamily {
    /// Phishing mail, AiTM proxy sign-in (OfficeHome, token replay by an `axios` client, MFA
    /// satisfied by claim), a hiding inbox rule and internal phishing from the mailbox. Active.
    AitmInboxRulePhish,
    /// Failed `50126` sign-ins across many users from a few hosting addresses, one success
    /// without MFA, then external mailbox forwarding (`Set-Mailbox`). Active.
    PasswordSprayForwarding,
    /// The user consents to a rogue mail-reading app, which then reads mail from hosting
    /// addresses. Active; persistence is the grant and the app's service principal.
    IllicitConsent,
    /// A compromise months ago that an admin remediated (password reset, sessions revoked) but
    /// whose inbox rule was never removed. Remediated with leftover persistence.
    RemediatedWithLeftoverRule,
    /// An executive hammered by failed sign-ins from attacker infrastructure that never
    /// succeed. Targeted, not compromised.
    TargetedFailedSignIns,
    /// Device-code phishing: the victim enters the attacker's code, the attacker redeems tokens
    /// from hosting and registers a device. Active; persistence is the device.
    DeviceCodePhish,
    /// AiTM sign-in followed by the attacker registering their own authenticator phone number.
    /// Active; persistence is the authentication method.
    MfaMethodRegistration,
}

impl AttackFamily {
    pub const ALL: &'static [AttackFamily] = &[
        AttackFamily::AitmInboxRulePhish,
        AttackFamily::PasswordSprayForwarding,
        AttackFamily::IllicitConsent,
        AttackFamily::RemediatedWithLeftoverRule,
        AttackFamily::TargetedFailedSignIns,
        AttackFamily::DeviceCodePhish,
        AttackFamily::MfaMethodRegistration,
    ];
}

/// Unusual but legitimate activity a correct scan must not call an incident.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum LookalikeFamily {
    /// A week abroad, signing in from foreign consumer ISPs with the usual devices.
    Traveller,
    /// Someone who always connects through a commercial VPN.
    DailyVpnUser,
    /// An inbox rule forwarding invoices to a colleague.
    InternalForwarding,
    /// An admin adding an inbound connector for the company's mail-security gateway.
    MailGatewayConnector,
    /// A developer registering their own app and scripting against Graph from home.
    DeveloperGraphScript,
    /// A user consenting to a verified business app with harmless scopes.
    LegitimateConsent,
    /// A manager mailing all staff at once.
    AllStaffMail,
    /// A user moving their authenticator to a new phone.
    NewPhone,
    /// A leaver's account disabled and their mail forwarded to their manager.
    LeaverForwardToManager,
}

impl LookalikeFamily {
    pub const ALL: &'static [LookalikeFamily] = &[
        LookalikeFamily::Traveller,
        LookalikeFamily::DailyVpnUser,
        LookalikeFamily::InternalForwarding,
        LookalikeFamily::MailGatewayConnector,
        LookalikeFamily::DeveloperGraphScript,
        LookalikeFamily::LegitimateConsent,
        LookalikeFamily::AllStaffMail,
        LookalikeFamily::NewPhone,
        LookalikeFamily::LeaverForwardToManager,
    ];
}
