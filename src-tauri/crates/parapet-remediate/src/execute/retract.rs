//! Step 2: the phishing mail is found in every mailbox (by Message-ID, or by sender and
//! subject) and moved to Deleted Items (§8.1, §8.2). Messages already in Deleted Items, and
//! the sender's own Sent Items copy, are left alone, so a re-run moves only what is left.

use parapet_graph::graph::MessageFilter;
use parapet_graph::model::mail::Message;
use parapet_graph::{GraphError, ODataQuery, TenantClient};
use serde_json::{json, Value};

use super::{get_object, seg, Executed};
use crate::model::PhishMessage;
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
            // Users without a mailbox (unlicensed, resource accounts) have nothing to move.
            Err(GraphError::NotFound { code, .. } | GraphError::BadRequest { code, .. })
                if code == "MailboxNotEnabledForRESTAPI" || code == "ResourceNotFound" => {}
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

type Moves = Vec<(Message, Result<(), GraphError>)>;

async fn retract_in(
    client: &TenantClient,
    user: &str,
    phish: &PhishMessage,
) -> Result<Moves, GraphError> {
    let filter = match (&phish.internet_message_id, &phish.sender) {
        (Some(id), _) => MessageFilter::InternetMessageId(id.clone()),
        (None, Some(sender)) => MessageFilter::FromAddress(sender.clone()),
        (None, None) => return Ok(Vec::new()),
    };
    let candidates = client.messages(user, &filter).collect_all().await?;
    let wanted: Vec<Message> = candidates
        .into_iter()
        .filter(|m| phish.matches(m))
        .collect();
    if wanted.is_empty() {
        return Ok(Vec::new());
    }
    let left_alone = folder_ids(client, user, &["deleteditems", "sentitems"]).await;
    let mut out = Vec::new();
    for message in wanted {
        let folder = message.parent_folder_id.clone().unwrap_or_default();
        if left_alone.iter().any(|f| f.eq_ignore_ascii_case(&folder)) {
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
    fn matches(&self, m: &Message) -> bool {
        let same = |want: &Option<String>, have: Option<&str>| {
            want.as_deref()
                .is_none_or(|w| have.is_some_and(|h| h.trim().eq_ignore_ascii_case(w.trim())))
        };
        let from = m.from.as_ref().and_then(|r| r.address());
        same(&self.internet_message_id, m.internet_message_id.as_deref())
            && same(&self.sender, from)
            && same(&self.subject, m.subject.as_deref())
    }
}
