//! Step 2: the phishing mail is moved to Deleted Items (§8.1, §8.2): every copy in the tenant,
//! or the copies the technician selected (also in their other tenants, each with that tenant's
//! own client). Messages already in Deleted Items, and the sender's own Sent Items copy, are
//! left alone, so a re-run moves only what is left.

use serde_json::{json, Value};

use super::copies::{find_copies, folder_ids, same_folder};
use super::{get_object, seg, Executed};
use crate::model::{MatchedBy, PhishMessage};
use crate::outcome::Outcome;
use parapet_graph::TenantClient;

/// Moves every copy in the tenant; a mailbox that fails is reported and left for a re-run.
/// When the Message-ID is known, only copies with it are moved unasked: a message that only
/// shares sender and subject is likely the phish sent again, but the technician confirms it
/// (it is listed for selection).
pub(super) async fn retract(client: &TenantClient, phish: &PhishMessage) -> Executed {
    let search = match find_copies(client, phish).await {
        Ok(search) => search,
        Err(e) => return Executed::failed(&e),
    };
    let mut failures: Vec<(String, String)> = search
        .failures
        .iter()
        .map(|f| (f.mailbox.clone(), f.error.clone()))
        .collect();
    let mut found = Vec::new();
    let mut moved = 0usize;
    let certain = |copy: &&crate::model::MessageCopy| {
        phish.internet_message_id.is_none() || copy.matched_by == MatchedBy::MessageId
    };
    for copy in search.copies.iter().filter(certain) {
        found.push(json!({
            "mailbox": copy.mailbox_id,
            "id": copy.message_id,
            "internetMessageId": copy.internet_message_id,
            "subject": copy.subject,
            "receivedDateTime": copy.received,
            "folder": copy.folder,
            "matchedBy": copy.matched_by,
        }));
        match client
            .move_message(&copy.mailbox_id, &copy.message_id, "deleteditems")
            .await
        {
            Ok(_) => moved += 1,
            Err(e) if super::is_not_found(&e) => {}
            Err(e) => failures.push((copy.mailbox.clone(), e.to_string())),
        }
    }
    let detail = json!({ "moved": moved, "failures": failures.len() });
    let evidence = Some(Value::Array(found));
    if let Some((mailbox, error)) = failures.first() {
        return Executed::new(Outcome::Failed {
            code: "PartialFailure".into(),
            message: format!(
                "{} mailbox(es) could not be cleaned, first {mailbox}: {error}; run the step again",
                failures.len(),
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
    if deleted.iter().any(|f| same_folder(f, folder)) {
        return Executed::already("the message is already in Deleted Items")
            .evidence(Some(evidence));
    }
    let result = client
        .move_message(mailbox, message, "deleteditems")
        .await
        .map(drop);
    Executed::from_write(result, Some(evidence))
}
