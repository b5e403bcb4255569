//! Finding a phish's copies in a tenant: every mailbox is searched (by Message-ID, and by
//! sender for the same sender and subject, §8.2), several mailboxes at a time, each message
//! once, with the well-known folder it sits in.

use std::sync::Arc;

use parapet_graph::graph::MessageFilter;
use parapet_graph::model::mail::Message;
use parapet_graph::{GraphError, ODataQuery, TenantClient};
use serde_json::Value;

use super::{get_object, seg};
use crate::model::{MessageCopy, PhishMessage};

/// How many mailboxes are searched at once: well inside Graph's per-app limits, and the
/// client still holds each mailbox to Exchange's four concurrent requests.
const MAILBOXES_AT_ONCE: usize = 8;

/// What a search of one tenant found.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CopySearch {
    /// Copies outside Deleted Items and Sent Items, by mailbox UPN then received time.
    pub copies: Vec<MessageCopy>,
    /// Mailboxes that could not be searched: their UPN and Microsoft's error text.
    pub failures: Vec<(String, String)>,
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
            search.failures.push((
                String::new(),
                "a mailbox search stopped unexpectedly".into(),
            ));
            continue;
        };
        match found {
            Ok(found) => search.copies.extend(
                found
                    .into_iter()
                    .filter(|(_, folder)| {
                        !matches!(folder, Folder::DeletedItems | Folder::SentItems)
                    })
                    .map(|(message, folder)| copy_of(&id, &upn, message, folder)),
            ),
            Err(e) if no_mailbox(&e) => {}
            Err(e) => search.failures.push((upn, e.to_string())),
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

fn copy_of(mailbox_id: &str, upn: &str, message: Message, folder: Folder) -> MessageCopy {
    MessageCopy {
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
    if let Some(sender) = phish.sender.as_deref().filter(|s| !s.trim().is_empty()) {
        if phish.subject.is_some() {
            filters.push(MessageFilter::FromAddress(sender.trim().to_string()));
        }
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
                .find(|(id, _)| id.eq_ignore_ascii_case(&parent))
                .map_or(Folder::Other, |(_, f)| *f);
            (message, folder)
        })
        .collect())
}

impl PhishMessage {
    /// The same Message-ID, or (when both are known) the same sender and subject.
    fn matches(&self, m: &Message) -> bool {
        let same = |want: Option<&str>, have: Option<&str>| {
            want.is_some_and(|w| {
                !w.trim().is_empty()
                    && have.is_some_and(|h| h.trim().eq_ignore_ascii_case(w.trim()))
            })
        };
        let from = m.from.as_ref().and_then(|r| r.address());
        same(
            self.internet_message_id.as_deref(),
            m.internet_message_id.as_deref(),
        ) || (same(self.sender.as_deref(), from)
            && same(self.subject.as_deref(), m.subject.as_deref()))
    }
}
