//! Finding a phish's copies in a tenant: every mailbox is searched (by Message-ID, and by
//! sender for the same sender and subject, §8.2), several mailboxes at a time, each message
//! once, with the well-known folder it sits in.

use std::sync::Arc;

use parapet_graph::graph::MessageFilter;
use parapet_graph::model::mail::Message;
use parapet_graph::{GraphError, ODataQuery, TenantClient};
use serde_json::Value;

use super::{get_object, seg};
use crate::model::{MatchedBy, MessageCopy, PhishMessage};

/// How near the phish a message with the same sender and subject must arrive to count as a
/// copy (the attacker resending it); older or later mail with that subject is ordinary mail.
pub const SAME_SENDER_AND_SUBJECT_WINDOW: chrono::Duration = chrono::Duration::days(3);

/// How many mailboxes are searched at once: well inside Graph's per-app limits, and the
/// client still holds each mailbox to Exchange's four concurrent requests.
const MAILBOXES_AT_ONCE: usize = 8;

/// What a search of one tenant found.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CopySearch {
    /// Copies outside Deleted Items and Sent Items, by mailbox UPN then received time.
    pub copies: Vec<MessageCopy>,
    /// Mailboxes that could not be searched.
    pub failures: Vec<MailboxFailure>,
}

/// A mailbox whose search failed, with Microsoft's error text.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct MailboxFailure {
    pub mailbox: String,
    pub mailbox_id: String,
    pub error: String,
}

/// Every copy of `phish` in the tenant's mailboxes outside Deleted Items and Sent Items:
/// what step 2 can move. Read-only; the Cross-Tenant Phish panel runs it in each tenant.
/// Fails only when the tenant's users cannot be listed; a mailbox that cannot be searched
/// is reported in [`CopySearch::failures`].
pub async fn find_copies(
    client: &TenantClient,
    phish: &PhishMessage,
) -> Result<CopySearch, GraphError> {
    let users = client
        .users(
            &ODataQuery::new()
                .select(&["id", "userPrincipalName", "mail"])
                .top(999),
        )
        .collect_all()
        .await?;
    let gate = Arc::new(tokio::sync::Semaphore::new(MAILBOXES_AT_ONCE));
    let mut searches = tokio::task::JoinSet::new();
    for user in users.into_iter().filter(|u| u.mail.is_some()) {
        let Some(id) = user.id.clone() else {
            continue;
        };
        let upn = user
            .user_principal_name
            .clone()
            .unwrap_or_else(|| id.clone());
        let (client, phish, gate) = (client.clone(), phish.clone(), gate.clone());
        searches.spawn(async move {
            let _slot = gate.acquire_owned().await;
            let found = matching_in(&client, &id, &phish).await;
            (id, upn, found)
        });
    }
    let mut search = CopySearch::default();
    while let Some(joined) = searches.join_next().await {
        let Ok((id, upn, found)) = joined else {
            search.failures.push(MailboxFailure {
                mailbox: "(unknown)".into(),
                mailbox_id: String::new(),
                error: "a mailbox search stopped unexpectedly".into(),
            });
            continue;
        };
        match found {
            Ok(found) => search.copies.extend(
                found
                    .into_iter()
                    .filter(|(_, folder)| {
                        !matches!(folder, Folder::DeletedItems | Folder::SentItems)
                    })
                    .map(|(message, folder)| copy_of(&id, &upn, phish, message, folder)),
            ),
            Err(e) if no_mailbox(&e) => {}
            Err(e) => search.failures.push(MailboxFailure {
                mailbox: upn,
                mailbox_id: id,
                error: e.to_string(),
            }),
        }
    }
    search.copies.sort_by(|a, b| {
        (a.mailbox.as_str(), a.received, a.message_id.as_str()).cmp(&(
            b.mailbox.as_str(),
            b.received,
            b.message_id.as_str(),
        ))
    });
    search.failures.sort();
    Ok(search)
}

fn copy_of(
    mailbox_id: &str,
    upn: &str,
    phish: &PhishMessage,
    message: Message,
    folder: Folder,
) -> MessageCopy {
    let matched_by = if phish.same_message_id(&message) {
        MatchedBy::MessageId
    } else {
        MatchedBy::SenderAndSubject
    };
    MessageCopy {
        matched_by,
        mailbox_id: mailbox_id.to_string(),
        mailbox: upn.to_string(),
        sender: message
            .from
            .as_ref()
            .and_then(|r| r.address())
            .map(str::to_string),
        message_id: message.id,
        internet_message_id: message.internet_message_id,
        subject: message.subject,
        received: message.received_date_time,
        folder: folder.name().to_string(),
    }
}

/// Users without a mailbox (unlicensed, resource accounts) have nothing to search.
fn no_mailbox(error: &GraphError) -> bool {
    matches!(error, GraphError::NotFound { code, .. } | GraphError::BadRequest { code, .. }
        if code == "MailboxNotEnabledForRESTAPI" || code == "ResourceNotFound")
}

/// The well-known folders step 2 tells apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Folder {
    Inbox,
    JunkEmail,
    DeletedItems,
    SentItems,
    Other,
}

impl Folder {
    const WELL_KNOWN: [(&'static str, Folder); 4] = [
        ("inbox", Folder::Inbox),
        ("junkemail", Folder::JunkEmail),
        ("deleteditems", Folder::DeletedItems),
        ("sentitems", Folder::SentItems),
    ];

    fn name(self) -> &'static str {
        match self {
            Folder::Inbox => "Inbox",
            Folder::JunkEmail => "Junk Email",
            Folder::DeletedItems => "Deleted Items",
            Folder::SentItems => "Sent Items",
            Folder::Other => "another folder",
        }
    }
}

/// Folder ids of `names` in `user`'s mailbox (real Graph uses opaque ids in
/// `parentFolderId`); the well-known names are kept too.
pub(super) async fn folder_ids(client: &TenantClient, user: &str, names: &[&str]) -> Vec<String> {
    let mut ids: Vec<String> = names.iter().map(|n| n.to_string()).collect();
    for name in names {
        let path = format!("/users/{}/mailFolders/{name}?$select=id", seg(user));
        if let Ok(Some(folder)) = get_object(client, path).await {
            if let Some(id) = folder.get("id").and_then(Value::as_str) {
                ids.push(id.to_string());
            }
        }
    }
    ids
}

/// The copies of `phish` in `user`'s mailbox with their folders, each message once.
async fn matching_in(
    client: &TenantClient,
    user: &str,
    phish: &PhishMessage,
) -> Result<Vec<(Message, Folder)>, GraphError> {
    let mut filters = Vec::new();
    if let Some(id) = phish
        .internet_message_id
        .as_deref()
        .filter(|i| !i.trim().is_empty())
    {
        filters.push(MessageFilter::InternetMessageId(id.trim().to_string()));
    }
    let sender = phish
        .sender
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    let subject = phish
        .subject
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    if let (Some(address), Some(subject)) = (sender, subject) {
        filters.push(MessageFilter::FromAddressAndSubject {
            address: address.to_string(),
            subject: subject.to_string(),
        });
    }
    let mut wanted: Vec<Message> = Vec::new();
    for filter in &filters {
        for message in client.messages(user, filter).collect_all().await? {
            if phish.matches(&message) && !wanted.iter().any(|w| w.id == message.id) {
                wanted.push(message);
            }
        }
    }
    if wanted.is_empty() {
        return Ok(Vec::new());
    }
    let mut folders = Vec::new();
    for (name, folder) in Folder::WELL_KNOWN {
        for id in folder_ids(client, user, &[name]).await {
            folders.push((id, folder));
        }
    }
    Ok(wanted
        .into_iter()
        .map(|message| {
            let parent = message.parent_folder_id.clone().unwrap_or_default();
            let folder = folders
                .iter()
                .find(|(id, _)| same_folder(id, &parent))
                .map_or(Folder::Other, |(_, f)| *f);
            (message, folder)
        })
        .collect())
}

/// Whether folder id `known` is `parent`: well-known names are case-insensitive, Graph's
/// opaque ids (base64) are not.
pub(super) fn same_folder(known: &str, parent: &str) -> bool {
    let well_known = Folder::WELL_KNOWN
        .iter()
        .any(|(name, _)| name.eq_ignore_ascii_case(known));
    if well_known {
        known.eq_ignore_ascii_case(parent)
    } else {
        known == parent
    }
}

/// Trimmed, compared without regard to ASCII case; an empty side never matches.
fn same_text(want: Option<&str>, have: Option<&str>) -> bool {
    match (want.map(str::trim), have.map(str::trim)) {
        (Some(w), Some(h)) => !w.is_empty() && w.eq_ignore_ascii_case(h),
        _ => false,
    }
}

impl PhishMessage {
    /// The same Message-ID; or the same sender and subject, arriving within
    /// [`SAME_SENDER_AND_SUBJECT_WINDOW`] of the phish (when its time is unknown, only if no
    /// Message-ID is known either).
    pub(crate) fn matches(&self, m: &Message) -> bool {
        if self.same_message_id(m) {
            return true;
        }
        let from = m.from.as_ref().and_then(|r| r.address());
        let same = same_text(self.sender.as_deref(), from)
            && same_text(self.subject.as_deref(), m.subject.as_deref());
        let near = match (self.sent, m.received_date_time.or(m.sent_date_time)) {
            (Some(sent), Some(arrived)) => (arrived - sent).abs() <= SAME_SENDER_AND_SUBJECT_WINDOW,
            (Some(_), None) => false,
            (None, _) => self.internet_message_id.is_none(),
        };
        same && near
    }

    fn same_message_id(&self, m: &Message) -> bool {
        same_text(
            self.internet_message_id.as_deref(),
            m.internet_message_id.as_deref(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{DateTime, Duration, Utc};

    fn message(id: Option<&str>, from: &str, subject: &str, at: DateTime<Utc>) -> Message {
        serde_json::from_value(serde_json::json!({
            "id": "m",
            "internetMessageId": id,
            "subject": subject,
            "from": {"emailAddress": {"address": from}},
            "receivedDateTime": at.to_rfc3339(),
        }))
        .unwrap()
    }

    #[test]
    fn a_copy_is_the_same_message_id_or_the_same_sender_and_subject_near_the_phish() {
        let sent: DateTime<Utc> = "2026-11-02T09:00:00Z".parse().unwrap();
        let phish = PhishMessage {
            internet_message_id: Some(" <P1@evil.example> ".into()),
            sender: Some("jane@contoso.com".into()),
            subject: Some("Invoice".into()),
            sent: Some(sent),
        };
        let near = sent + Duration::hours(5);
        let cases = [
            (
                Some("<p1@evil.example>"),
                "bob@x.example",
                "Other",
                near,
                true,
            ),
            (
                Some("<p2@evil.example>"),
                "JANE@contoso.com",
                " invoice ",
                near,
                true,
            ),
            (
                Some("<p2@evil.example>"),
                "jane@contoso.com",
                "Invoice",
                sent - Duration::days(21),
                false,
            ),
            (
                Some("<p2@evil.example>"),
                "jane@contoso.com",
                "Invoice 2",
                near,
                false,
            ),
            (
                Some("<p2@evil.example>"),
                "amy@contoso.com",
                "Invoice",
                near,
                false,
            ),
            (None, "", "", near, false),
        ];
        for (id, from, subject, at, expected) in cases {
            let m = message(id, from, subject, at);
            assert_eq!(phish.matches(&m), expected, "{id:?} {from} {subject} {at}");
        }
        // An empty Message-ID or sender never matches anything.
        let empty = PhishMessage {
            internet_message_id: Some("  ".into()),
            sender: Some(String::new()),
            subject: Some(String::new()),
            sent: None,
        };
        assert!(!empty.matches(&message(Some(""), "", "", near)));
        // Without the phish's time, sender and subject count only when no Message-ID is known.
        let undated = PhishMessage {
            sent: None,
            ..phish.clone()
        };
        let resent = message(
            Some("<p3@evil.example>"),
            "jane@contoso.com",
            "Invoice",
            near,
        );
        assert!(!undated.matches(&resent));
        let by_sender = PhishMessage {
            internet_message_id: None,
            ..undated
        };
        assert!(by_sender.matches(&resent));
    }

    #[test]
    fn well_known_folder_names_ignore_case_but_opaque_ids_do_not() {
        assert!(same_folder("deleteditems", "DeletedItems"));
        assert!(same_folder("AAMkAGI2TAAA=", "AAMkAGI2TAAA="));
        assert!(!same_folder("AAMkAGI2TAAA=", "aamkagi2taaa="));
    }
}
