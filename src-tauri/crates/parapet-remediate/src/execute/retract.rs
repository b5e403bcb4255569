//! Step 2: the phishing mail is moved to Deleted Items (§8.1, §8.2): every copy in the tenant,
//! or the copies the technician selected (also in their other tenants, each with that tenant's
//! own client). Messages already in Deleted Items, and the sender's own Sent Items copy, are
//! left alone, so a re-run moves only what is left.

use serde_json::{json, Value};

use super::copies::{find_copies, folder_ids};
use super::{get_object, seg, Executed};
use crate::model::PhishMessage;
use crate::outcome::Outcome;
use parapet_graph::TenantClient;

/// Moves every copy in the tenant; a mailbox that fails is reported and left for a re-run.
pub(super) async fn retract(client: &TenantClient, phish: &PhishMessage) -> Executed {
    let search = match find_copies(client, phish).await {
        Ok(search) => search,
        Err(e) => return Executed::failed(&e),
    };
    let mut failures: Vec<(String, String)> = search.failures.clone();
    let mut found = Vec::new();
    let mut moved = 0usize;
    for copy in &search.copies {
        found.push(json!({
            "mailbox": copy.mailbox_id,
            "id": copy.message_id,
            "internetMessageId": copy.internet_message_id,
            "subject": copy.subject,
            "receivedDateTime": copy.received,
            "folder": copy.folder,
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
