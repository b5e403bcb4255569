//! The incident's Exchange log and its phish: the mail the compromised account sent, and
//! which message is the phishing mail to retract (tagged automatically when the evidence shows
//! it, or by the technician with Mark as Phish).

use crate::dto::{MailEntry, PhishView};
use parapet_snapshot::Snapshot;
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// How many of the account's messages an incident keeps for its Exchange log.
const MAIL_LOG_LIMIT: usize = 100;

/// Adds `mail` (the account's sent messages, newest first, one entry per internetMessageId)
/// and, where a phishing signal names messages, `phish` to an incident's detail JSON.
pub(crate) fn annotate(detail: &mut Value, snapshot: &Snapshot) {
    let upn = detail["userPrincipalName"]
        .as_str()
        .unwrap_or_default()
        .to_ascii_lowercase();
    let mut sent: BTreeMap<String, (MailEntry, u32)> = BTreeMap::new();
    let mut by_id: BTreeMap<&str, &parapet_snapshot::model::Message> = BTreeMap::new();
    for message in snapshot.messages.values().flatten() {
        by_id.insert(message.id.as_str(), message);
        let from = message
            .from
            .as_ref()
            .and_then(|f| f.address())
            .unwrap_or_default();
        if !from.eq_ignore_ascii_case(&upn) {
            continue;
        }
        let key = message
            .internet_message_id
            .clone()
            .unwrap_or_else(|| message.id.clone());
        let entry = sent.entry(key).or_insert_with(|| (entry(message), 0));
        entry.1 += 1;
    }
    let mut mail: Vec<MailEntry> = sent
        .into_values()
        .map(|(mut entry, copies)| {
            entry.mailboxes = copies;
            entry
        })
        .collect();
    mail.sort_by(|a, b| b.time.cmp(&a.time).then_with(|| a.id.cmp(&b.id)));
    mail.truncate(MAIL_LOG_LIMIT);
    let phish = detail["signals"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|s| {
            s["kind"]
                .as_str()
                .is_some_and(|k| k.contains("phishing") && k != "aitm_phishing")
        })
        .flat_map(|s| s["evidence"].as_array().cloned().unwrap_or_default())
        .find_map(|id| id.as_str().and_then(|id| by_id.get(id)).copied())
        .map(|message| phish_json(&entry(message), "evidence"));
    detail["mail"] = serde_json::to_value(&mail).unwrap_or(Value::Null);
    if let Some(phish) = phish {
        detail["phish"] = phish;
    }
}

fn entry(message: &parapet_snapshot::model::Message) -> MailEntry {
    MailEntry {
        id: message.id.clone(),
        internet_message_id: message.internet_message_id.clone(),
        sender: message
            .from
            .as_ref()
            .and_then(|f| f.address())
            .unwrap_or_default()
            .to_string(),
        subject: message.subject.clone().unwrap_or_default(),
        time: message
            .sent_date_time
            .or(message.received_date_time)
            .map(|t| t.to_rfc3339())
            .unwrap_or_default(),
        mailboxes: 1,
    }
}

pub(crate) fn phish_json(mail: &MailEntry, tagged_by: &str) -> Value {
    json!({
        "internetMessageId": mail.internet_message_id,
        "sender": mail.sender,
        "subject": mail.subject,
        "time": mail.time,
        "taggedBy": tagged_by,
    })
}

/// The phish to show and retract: the technician's tag, else the evidence's.
pub(crate) fn phish_view(detail: &Value, tag: Option<&str>) -> Option<PhishView> {
    let tagged: Option<Value> = tag.and_then(|t| serde_json::from_str(t).ok());
    let value = tagged.as_ref().unwrap_or(&detail["phish"]);
    if value.is_null() {
        return None;
    }
    Some(PhishView {
        internet_message_id: value["internetMessageId"].as_str().map(str::to_string),
        sender: value["sender"].as_str().unwrap_or_default().to_string(),
        subject: value["subject"].as_str().unwrap_or_default().to_string(),
        sent: value["time"]
            .as_str()
            .filter(|t| !t.is_empty())
            .map(str::to_string),
        tagged_by: value["taggedBy"].as_str().unwrap_or("evidence").to_string(),
    })
}

/// The incident's Exchange log from its stored detail.
pub(crate) fn mail_log(detail: &Value) -> Vec<MailEntry> {
    detail["mail"]
        .as_array()
        .map(|items| {
            items
                .iter()
                .map(|m| MailEntry {
                    id: m["id"].as_str().unwrap_or_default().to_string(),
                    internet_message_id: m["internetMessageId"].as_str().map(str::to_string),
                    sender: m["sender"].as_str().unwrap_or_default().to_string(),
                    subject: m["subject"].as_str().unwrap_or_default().to_string(),
                    time: m["time"].as_str().unwrap_or_default().to_string(),
                    mailboxes: m["mailboxes"]
                        .as_u64()
                        .and_then(|n| u32::try_from(n).ok())
                        .unwrap_or(1),
                })
                .collect()
        })
        .unwrap_or_default()
}
