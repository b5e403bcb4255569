//! Step 2: the phishing mail is found in every mailbox (by Message-ID, or by sender and
//! subject) and moved to Deleted Items (§8.1, §8.2), all of it or the copies the technician
//! selected (also in their other tenants, each with its own client). Messages already in Deleted Items, and
//! the sender's own Sent Items copy, are left alone, so a re-run moves only what is left.

use parapet_graph::graph::MessageFilter;
use parapet_graph::model::mail::Message;
use parapet_graph::{GraphError, ODataQuery, TenantClient};
use serde_json::{json, Value};

use super::{get_object, seg, Executed};
use crate::model::{MessageCopy, PhishMessage};
use crate::outcome::Outcome;

pub(super) async fn retract(client: &TenantClient, phish: &PhishMessage) -> Executed {
    let users = match client
        .users(
            &ODataQuery::new()
                .select(&["id", "userPrincipalName", "mail"])
                .top(999),
        )
        .collect_all()
        .await
    {
        Ok(u) => u,
        Err(e) => return Executed::failed(&e),
    };
    let mut found = Vec::new();
    let mut failures = Vec::new();
    let mut moved = 0usize;
    for user in users.iter().filter(|u| u.mail.is_some()) {
        let Some(id) = user.id.as_deref() else {
            continue;
        };
        match retract_in(client, id, phish).await {
            Ok(messages) => {
                for (message, result) in messages {
                    let line = json!({
                        "mailbox": id,
                        "id": message.id,
                        "internetMessageId": message.internet_message_id,
                        "subject": message.subject,
                        "receivedDateTime": message.received_date_time,
                    });
                    found.push(line);
                    match result {
                        Ok(()) => moved += 1,
                        Err(e) if super::is_not_found(&e) => {}
                        Err(e) => failures.push(json!({ "mailbox": id, "error": e.to_string() })),
                    }
                }
            }
            Err(e) if no_mailbox(&e) => {}
            Err(e) => failures.push(json!({ "mailbox": id, "error": e.to_string() })),
        }
    }
    let detail = json!({ "moved": moved, "failures": failures.len() });
    let evidence = Some(Value::Array(found));
    if let Some(first) = failures.first() {
        return Executed::new(Outcome::Failed {
            code: "PartialFailure".into(),
            message: format!(
                "{} mailbox(es) could not be cleaned, first: {}; run the step again",
                failures.len(),
                first["error"].as_str().unwrap_or_default()
            ),
        })
        .evidence(evidence)
        .detail(detail);
    }
    if moved == 0 {
        return Executed::already("no copy of the message is left outside Deleted Items")
            .evidence(evidence)
            .detail(detail);
    }
    Executed::succeeded().evidence(evidence).detail(detail)
}

/// Every copy of `phish` in the tenant's mailboxes outside Deleted Items and Sent Items:
/// what step 2 can move. Read-only; the Cross-Tenant Phish panel runs it in each tenant.
pub async fn find_copies(
    client: &TenantClient,
    phish: &PhishMessage,
) -> Result<Vec<MessageCopy>, GraphError> {
    let users = client
        .users(
            &ODataQuery::new()
                .select(&["id", "userPrincipalName", "mail"])
                .top(999),
        )
        .collect_all()
        .await?;
    let mut copies = Vec::new();
    for user in users.iter().filter(|u| u.mail.is_some()) {
        let Some(id) = user.id.as_deref() else {
            continue;
        };
        let upn = user
            .user_principal_name
            .clone()
            .unwrap_or_else(|| id.to_string());
        match matching_in(client, id, phish).await {
            Ok(found) => {
                for (message, folder) in found {
                    if matches!(folder, Folder::DeletedItems | Folder::SentItems) {
                        continue;
                    }
                    copies.push(MessageCopy {
                        mailbox_id: id.to_string(),
                        mailbox: upn.clone(),
                        message_id: message.id,
                        internet_message_id: message.internet_message_id,
                        sender: message
                            .from
                            .as_ref()
                            .and_then(|r| r.address())
                            .map(str::to_string),
                        subject: message.subject,
                        received: message.received_date_time,
                        folder: folder.name().to_string(),
                    });
                }
            }
            Err(e) if no_mailbox(&e) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(copies)
}

/// Moves one selected copy to Deleted Items; a copy already there, or gone, is AlreadyDone.
pub(super) async fn move_copy(client: &TenantClient, mailbox: &str, message: &str) -> Executed {
    let path = format!(
        "/users/{}/messages/{}?$select=id,internetMessageId,subject,from,receivedDateTime,parentFolderId",
        seg(mailbox),
        seg(message)
    );
    let evidence = match get_object(client, path).await {
        Ok(Some(found)) => found,
        Ok(None) => return Executed::already("the message no longer exists"),
        Err(e) => return Executed::failed(&e),
    };
    let folder = evidence["parentFolderId"].as_str().unwrap_or_default();
    let deleted = folder_ids(client, mailbox, &["deleteditems"]).await;
    if deleted.iter().any(|f| f.eq_ignore_ascii_case(folder)) {
        return Executed::already("the message is already in Deleted Items")
            .evidence(Some(evidence));
    }
    let result = client
        .move_message(mailbox, message, "deleteditems")
        .await
        .map(drop);
    Executed::from_write(result, Some(evidence))
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
async fn folder_ids(client: &TenantClient, user: &str, names: &[&str]) -> Vec<String> {
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

/// Resolves which well-known folder each id is, one lookup per folder and mailbox.
async fn folder_of(client: &TenantClient, user: &str) -> Vec<(String, Folder)> {
    let mut known = Vec::new();
    for (name, folder) in Folder::WELL_KNOWN {
        for id in folder_ids(client, user, &[name]).await {
            known.push((id, folder));
        }
    }
    known
}

type Moves = Vec<(Message, Result<(), GraphError>)>;

/// The copies of `phish` in `user`'s mailbox with their folders: the same Message-ID, or
/// the same sender and subject (§8.2), each message once.
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
    let folders = folder_of(client, user).await;
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

async fn retract_in(
    client: &TenantClient,
    user: &str,
    phish: &PhishMessage,
) -> Result<Moves, GraphError> {
    let mut out = Vec::new();
    for (message, folder) in matching_in(client, user, phish).await? {
        if matches!(folder, Folder::DeletedItems | Folder::SentItems) {
            continue;
        }
        let result = client
            .move_message(user, &message.id, "deleteditems")
            .await
            .map(drop);
        out.push((message, result));
    }
    Ok(out)
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
