//! Step 2: every copy of the phishing mail outside Deleted Items is moved there, by
//! Message-ID or by sender and subject; a re-run moves nothing.

use std::collections::BTreeMap;

use parapet_graph::{ApiVersion, ODataQuery, TenantClient};
use parapet_remediate::{ActionSink, MemorySink, PhishMessage, PlanOptions, Step};
use parapet_tenantgen::AttackFamily;
use serde_json::Value;

use crate::support::{app_only, kinds, run_step, world, World};

/// Mailbox → folder of each copy of messages matching `keep`.
async fn copies(
    w: &World,
    c: &TenantClient,
    keep: &dyn Fn(&Value) -> bool,
) -> BTreeMap<String, Vec<String>> {
    let mut out = BTreeMap::new();
    for user in &w.generated.snapshot.users {
        let Ok(messages) = c
            .graph_collection::<Value>(
                ApiVersion::V1,
                &format!("users/{}/messages", user.id),
                &ODataQuery::new().top(999),
            )
            .collect_all()
            .await
        else {
            continue;
        };
        let folders: Vec<String> = messages
            .iter()
            .filter(|m| keep(m))
            .map(|m| m["parentFolderId"].as_str().unwrap_or_default().to_string())
            .collect();
        if !folders.is_empty() {
            out.insert(user.id.clone(), folders);
        }
    }
    out
}

/// The most widely received message (the internal phish reaches many colleagues).
fn widest(w: &World) -> (String, String, String) {
    let mut by_id: BTreeMap<String, (usize, String, String)> = BTreeMap::new();
    for messages in w.generated.snapshot.messages.values() {
        for m in messages {
            let (Some(id), Some(subject), Some(from)) = (
                m.internet_message_id.clone(),
                m.subject.clone(),
                m.from
                    .as_ref()
                    .and_then(|f| f.address())
                    .map(str::to_string),
            ) else {
                continue;
            };
            by_id.entry(id).or_insert((0, subject, from)).0 += 1;
        }
    }
    let (id, (n, subject, from)) = by_id.into_iter().max_by_key(|(_, (n, ..))| *n).unwrap();
    assert!(n >= 2, "no message reached two mailboxes");
    (id, subject, from)
}

#[tokio::test]
async fn the_phish_leaves_every_inbox_by_message_id_and_by_sender_and_subject() {
    for by_id in [true, false] {
        let w = world(71, &[AttackFamily::AitmInboxRulePhish]).await;
        let (id, subject, from) = widest(&w);
        let matching = |m: &Value| {
            if by_id {
                m["internetMessageId"] == id.as_str()
            } else {
                m["subject"] == subject.as_str()
                    && m["from"]["emailAddress"]["address"] == from.as_str()
            }
        };
        let before = copies(&w, &w.app, &matching).await;
        let outside = |c: &BTreeMap<String, Vec<String>>| {
            c.values()
                .flatten()
                .filter(|f| !matches!(f.as_str(), "deleteditems" | "sentitems"))
                .count()
        };
        assert!(outside(&before) >= 2, "{before:?}");
        let mut target = w.target_of(&w.plain_user(false, &[]).user_principal_name.clone());
        target.phish = Some(if by_id {
            PhishMessage {
                internet_message_id: Some(id.clone()),
                ..PhishMessage::default()
            }
        } else {
            PhishMessage {
                sender: Some(from.clone()),
                subject: Some(subject.clone()),
                ..PhishMessage::default()
            }
        });
        let mut sink = MemorySink::new();
        let outcome = run_step(
            app_only(&w),
            &target,
            Step::RetractPhish,
            &PlanOptions::default(),
            &mut sink,
        )
        .await;
        assert_eq!(kinds(&outcome)[0].1, "succeeded", "{outcome}");
        let after = copies(&w, &w.app, &matching).await;
        assert_eq!(outside(&after), 0, "{after:?}");
        // Every copy is still there, in Deleted Items (or the sender's Sent Items).
        let count = |c: &BTreeMap<String, Vec<String>>| c.values().map(Vec::len).sum::<usize>();
        assert_eq!(count(&after), count(&before));
        let records = sink.records(&target.incident_id).unwrap();
        let moved = records.last().unwrap().detail.as_ref().unwrap()["moved"]
            .as_u64()
            .unwrap();
        assert_eq!(moved as usize, outside(&before));
        // A planned re-run with a fresh log finds nothing left to move.
        let mut fresh = MemorySink::new();
        let again = run_step(
            app_only(&w),
            &target,
            Step::RetractPhish,
            &PlanOptions::default(),
            &mut fresh,
        )
        .await;
        assert_eq!(kinds(&again)[0].1, "already_done", "{again}");
    }
}
