//! A compromised account's phish reaching another tenant: MSP clients trade with each other,
//! so an attacker mails the victim's outside contacts too, and the Cross-Tenant Phish panel
//! has to find those copies.

use base64::Engine as _;
use chrono::Duration;
use parapet_snapshot::model::Message;
use parapet_snapshot::Snapshot;
use serde_json::json;

use crate::error::TenantGenError;

/// The phish as delivered into the other tenant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveredPhish {
    pub internet_message_id: String,
    pub sender: String,
    pub subject: String,
    /// UPNs of the receiving mailboxes in the other tenant.
    pub recipients: Vec<String>,
}

/// Copies the message `sender` sent to the most mailboxes of `source` (the internal phish of
/// a compromised account) into the inboxes of the first `count` mail users of `target`.
/// Deterministic; `None` when `sender` sent nothing.
pub fn deliver_phish(
    source: &Snapshot,
    sender: &str,
    target: &mut Snapshot,
    count: usize,
) -> Result<Option<DeliveredPhish>, TenantGenError> {
    let sent_by = |m: &&Message| {
        m.from
            .as_ref()
            .and_then(|f| f.address())
            .is_some_and(|a| a.eq_ignore_ascii_case(sender))
    };
    let mut copies: std::collections::BTreeMap<&str, (usize, &Message)> = Default::default();
    for message in source.messages.values().flatten().filter(sent_by) {
        if let Some(id) = message.internet_message_id.as_deref() {
            copies.entry(id).or_insert((0, message)).0 += 1;
        }
    }
    let Some((_, original)) = copies
        .into_values()
        .max_by(|a, b| a.0.cmp(&b.0).then_with(|| b.1.id.cmp(&a.1.id)))
    else {
        return Ok(None);
    };
    let internet_message_id = original.internet_message_id.clone().unwrap_or_default();
    let subject = original.subject.clone().unwrap_or_default();
    let received = original
        .received_date_time
        .or(original.sent_date_time)
        .unwrap_or(source.tenant.snapshot_time)
        + Duration::seconds(41);
    let recipients: Vec<(String, String, String)> = target
        .users
        .iter()
        .filter_map(|u| Some((u.id.clone(), u.mail.clone()?, u.user_principal_name.clone())))
        .take(count)
        .collect();
    for (index, (user_id, mail, _)) in recipients.iter().enumerate() {
        let id = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(format!("{user_id}|{internet_message_id}|{index}"));
        let record = json!({
            "id": format!("AAMkAD{id}"),
            "createdDateTime": received.to_rfc3339(),
            "receivedDateTime": received.to_rfc3339(),
            "sentDateTime": (received - Duration::seconds(8)).to_rfc3339(),
            "hasAttachments": false,
            "internetMessageId": internet_message_id,
            "subject": subject,
            "importance": "normal",
            "parentFolderId": "inbox",
            "isRead": false,
            "from": {"emailAddress": {"address": sender}},
            "toRecipients": [{"emailAddress": {"address": mail}}],
        });
        let message: Message =
            serde_json::from_value(record).map_err(|source| TenantGenError::Record {
                file: "messages.json",
                source,
            })?;
        // Mailboxes list newest first.
        let mailbox = target.messages.entry(user_id.clone()).or_default();
        let at = mailbox
            .iter()
            .position(|m| m.received_date_time.is_some_and(|t| t < received))
            .unwrap_or(mailbox.len());
        mailbox.insert(at, message);
    }
    Ok(Some(DeliveredPhish {
        internet_message_id,
        sender: sender.to_string(),
        subject,
        recipients: recipients.into_iter().map(|(_, _, upn)| upn).collect(),
    }))
}
