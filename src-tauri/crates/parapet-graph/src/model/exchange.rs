//! Exchange Online cmdlet output through InvokeCommand (PascalCase, loosely typed: multi-value
//! properties may arrive as arrays, strings or null, so those stay JSON values).

use super::record;

record! {
    /// `Get-Mailbox`
    #[serde(rename_all = "PascalCase")]
    pub struct Mailbox {
        opt identity: String,
        opt name: String,
        opt display_name: String,
        opt user_principal_name: String,
        opt primary_smtp_address: String,
        opt /// `UserMailbox`, `SharedMailbox`, `RoomMailbox`, …
            recipient_type_details: String,
        opt /// e.g. `smtp:attacker@evil.example`
            forwarding_smtp_address: String,
        opt forwarding_address: String,
        opt deliver_to_mailbox_and_forward: bool,
        opt external_directory_object_id: String,
        opt guid: String,
    }
}

record! {
    /// `Get-InboxRule -IncludeHidden`
    #[serde(rename_all = "PascalCase")]
    pub struct InboxRule {
        opt identity: String,
        opt name: String,
        opt enabled: bool,
        opt priority: i64,
        opt rule_identity: serde_json::Value,
        opt mailbox_owner_id: String,
        opt description: String,
        opt forward_to: serde_json::Value,
        opt forward_as_attachment_to: serde_json::Value,
        opt redirect_to: serde_json::Value,
        opt delete_message: bool,
        opt move_to_folder: String,
        opt mark_as_read: bool,
        opt stop_processing_rules: bool,
    }
}

record! {
    /// `Get-InboundConnector`
    #[serde(rename_all = "PascalCase")]
    pub struct InboundConnector {
        opt identity: String,
        opt name: String,
        opt enabled: bool,
        opt connector_type: String,
        opt sender_ip_addresses: serde_json::Value,
        opt sender_domains: serde_json::Value,
        opt restrict_domains_to_ip_addresses: bool,
        opt comment: String,
        opt when_created: String,
        opt when_changed: String,
    }
}

record! {
    /// `Get-TransportRule`
    #[serde(rename_all = "PascalCase")]
    pub struct TransportRule {
        opt identity: String,
        opt name: String,
        opt /// `Enabled` / `Disabled`
            state: String,
        opt mode: String,
        opt priority: i64,
        opt description: String,
        opt blind_copy_to: serde_json::Value,
        opt redirect_message_to: serde_json::Value,
        opt copy_to: serde_json::Value,
        opt delete_message: bool,
        opt when_changed: String,
    }
}

record! {
    /// `Get-MailboxPermission`
    #[serde(rename_all = "PascalCase")]
    pub struct MailboxPermission {
        opt identity: String,
        opt user: String,
        opt access_rights: serde_json::Value,
        opt is_inherited: bool,
        opt deny: bool,
    }
}
