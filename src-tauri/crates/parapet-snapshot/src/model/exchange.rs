//! Exchange Online objects returned by cmdlets (PascalCase): permissions, connectors, rules.

use chrono::{DateTime, Utc};

use crate::record::record;

record! {
    /// `mailboxPermissions.json`: one entry of Exchange `Get-MailboxPermission`.
    pub struct MailboxPermission {
        required {
            /// The mailbox's UPN.
            identity: String = "Identity",
            /// Who holds the permission.
            user: String = "User",
        }
        optional {
            /// e.g. `FullAccess`, `ReadPermission`.
            access_rights: Vec<String> = "AccessRights",
            is_inherited: bool = "IsInherited",
            deny: bool = "Deny",
        }
    }
}

impl MailboxPermission {
    /// The id `expected.json` uses for this permission: `Identity|User`.
    pub fn key(&self) -> String {
        format!("{}|{}", self.identity, self.user)
    }
}

record! {
    /// `recipientPermissions.json`: one entry of Exchange `Get-RecipientPermission` (SendAs).
    pub struct RecipientPermission {
        required {
            /// The mailbox's UPN.
            identity: String = "Identity",
            trustee: String = "Trustee",
        }
        optional {
            access_rights: Vec<String> = "AccessRights",
            access_control_type: String = "AccessControlType",
            is_inherited: bool = "IsInherited",
        }
    }
}

impl RecipientPermission {
    /// The id `expected.json` uses for this permission: `Identity|Trustee`.
    pub fn key(&self) -> String {
        format!("{}|{}", self.identity, self.trustee)
    }
}

record! {
    /// `inboundConnectors.json`: one entry of Exchange `Get-InboundConnector`.
    pub struct InboundConnector {
        required {
            identity: String = "Identity",
        }
        optional {
            name: String = "Name",
            enabled: bool = "Enabled",
            sender_domains: Vec<String> = "SenderDomains",
            sender_ip_addresses: Vec<String> = "SenderIPAddresses",
            /// `Partner` or `OnPremises`.
            connector_type: String = "ConnectorType",
            when_created: DateTime<Utc> = "WhenCreated",
            when_changed: DateTime<Utc> = "WhenChanged",
            require_tls: bool = "RequireTls",
            restrict_domains_to_ip_addresses: bool = "RestrictDomainsToIPAddresses",
            tls_sender_certificate_name: String = "TlsSenderCertificateName",
            comment: String = "Comment",
        }
    }
}

record! {
    /// `transportRules.json`: one entry of Exchange `Get-TransportRule`.
    pub struct TransportRule {
        required {
            identity: String = "Identity",
        }
        optional {
            name: String = "Name",
            /// `Enabled` or `Disabled`.
            state: String = "State",
            /// `Enforce`, `Audit`, `AuditAndNotify`.
            mode: String = "Mode",
            priority: i64 = "Priority",
            blind_copy_to: Vec<String> = "BlindCopyTo",
            redirect_message_to: Vec<String> = "RedirectMessageTo",
            copy_to: Vec<String> = "CopyTo",
            add_to_recipients: Vec<String> = "AddToRecipients",
            sender_ip_ranges: Vec<String> = "SenderIpRanges",
            /// Spam confidence level to set; -1 bypasses spam filtering.
            set_scl: i64 = "SetSCL",
            delete_message: bool = "DeleteMessage",
            when_changed: DateTime<Utc> = "WhenChanged",
            when_created: DateTime<Utc> = "WhenCreated",
        }
    }
}
