//! Mail: mailboxes (Exchange `Get-Mailbox`), inbox rules and messages (Graph).

use chrono::{DateTime, Utc};

use crate::record::record;

record! {
    /// `mailboxes.json`: a mailbox's forwarding settings, from Exchange `Get-Mailbox`.
    pub struct Mailbox {
        required {
            /// Object id of the mailbox's user; unique in the file.
            user_id: String = "userId",
        }
        optional {
            user_principal_name: String = "userPrincipalName",
            identity: String = "identity",
            primary_smtp_address: String = "primarySmtpAddress",
            /// `UserMailbox`, `SharedMailbox`, `RoomMailbox`, ...
            recipient_type_details: String = "recipientTypeDetails",
            /// External forwarding target, e.g. `smtp:someone@example.com`.
            forwarding_smtp_address: String = "forwardingSmtpAddress",
            /// Internal forwarding recipient.
            forwarding_address: String = "forwardingAddress",
            deliver_to_mailbox_and_forward: bool = "deliverToMailboxAndForward",
        }
    }
}

impl Mailbox {
    /// Whether mail is forwarded at mailbox level (either forwarding field set and non-empty).
    pub fn forwards(&self) -> bool {
        let set = |value: &Option<String>| value.as_deref().is_some_and(|v| !v.trim().is_empty());
        set(&self.forwarding_smtp_address) || set(&self.forwarding_address)
    }
}

record! {
    /// `messageRules.json`: one inbox rule of `GET /users/{id}/mailFolders/inbox/messageRules`.
    /// Graph sends only the properties that are set.
    pub struct MessageRule {
        required {
            /// e.g. `AQAAAJ5dZqA=`; unique per mailbox only.
            id: String = "id",
        }
        optional {
            display_name: String = "displayName",
            sequence: i64 = "sequence",
            is_enabled: bool = "isEnabled",
            has_error: bool = "hasError",
            is_read_only: bool = "isReadOnly",
            conditions: MessageRulePredicates = "conditions",
            exceptions: MessageRulePredicates = "exceptions",
            actions: MessageRuleActions = "actions",
        }
    }
}

record! {
    /// A rule's `conditions` or `exceptions` (the commonly used predicates are typed).
    pub struct MessageRulePredicates {
        required {}
        optional {
            body_contains: Vec<String> = "bodyContains",
            body_or_subject_contains: Vec<String> = "bodyOrSubjectContains",
            subject_contains: Vec<String> = "subjectContains",
            sender_contains: Vec<String> = "senderContains",
            recipient_contains: Vec<String> = "recipientContains",
            header_contains: Vec<String> = "headerContains",
            categories: Vec<String> = "categories",
            from_addresses: Vec<Recipient> = "fromAddresses",
            sent_to_addresses: Vec<Recipient> = "sentToAddresses",
            has_attachments: bool = "hasAttachments",
            importance: String = "importance",
        }
    }
}

record! {
    /// A rule's `actions`.
    pub struct MessageRuleActions {
        required {}
        optional {
            assign_categories: Vec<String> = "assignCategories",
            copy_to_folder: String = "copyToFolder",
            /// Move to Deleted Items.
            delete: bool = "delete",
            forward_as_attachment_to: Vec<Recipient> = "forwardAsAttachmentTo",
            forward_to: Vec<Recipient> = "forwardTo",
            mark_as_read: bool = "markAsRead",
            mark_importance: String = "markImportance",
            /// A folder id or a well-known folder name (`archive`, `rssfeeds`, ...).
            move_to_folder: String = "moveToFolder",
            permanent_delete: bool = "permanentDelete",
            redirect_to: Vec<Recipient> = "redirectTo",
            stop_processing_rules: bool = "stopProcessingRules",
        }
    }
}

impl MessageRuleActions {
    /// Every address the rule sends mail to (`forwardTo`, `forwardAsAttachmentTo`, `redirectTo`).
    pub fn forwarding_addresses(&self) -> impl Iterator<Item = &str> {
        [
            &self.forward_to,
            &self.forward_as_attachment_to,
            &self.redirect_to,
        ]
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(Recipient::address)
    }
}

record! {
    /// A Graph recipient: `{"emailAddress": {"name", "address"}}`.
    pub struct Recipient {
        required {}
        optional {
            email_address: EmailAddress = "emailAddress",
        }
    }
}

impl Recipient {
    /// The recipient's SMTP address, if any.
    pub fn address(&self) -> Option<&str> {
        self.email_address.as_ref()?.address.as_deref()
    }
}

record! {
    /// A recipient's `emailAddress`.
    pub struct EmailAddress {
        required {}
        optional {
            name: String = "name",
            address: String = "address",
        }
    }
}

record! {
    /// `messages.json`: one item of `GET /users/{id}/messages`.
    pub struct Message {
        required {
            id: String = "id",
        }
        optional {
            internet_message_id: String = "internetMessageId",
            subject: String = "subject",
            from: Recipient = "from",
            sender: Recipient = "sender",
            to_recipients: Vec<Recipient> = "toRecipients",
            cc_recipients: Vec<Recipient> = "ccRecipients",
            received_date_time: DateTime<Utc> = "receivedDateTime",
            sent_date_time: DateTime<Utc> = "sentDateTime",
            created_date_time: DateTime<Utc> = "createdDateTime",
            /// A folder id or a well-known name: `inbox`, `sentitems`, `deleteditems`,
            /// `junkemail`, `archive`.
            parent_folder_id: String = "parentFolderId",
            is_read: bool = "isRead",
            has_attachments: bool = "hasAttachments",
            conversation_id: String = "conversationId",
            body_preview: String = "bodyPreview",
        }
    }
}
