//! Inbox rules that only Exchange shows (`Get-InboxRule -IncludeHidden`), turned into the
//! Graph `messageRule` shape the snapshot stores, with `isHidden: true`.

use serde_json::{json, Map, Value};

/// The Graph `messageRule` for an Exchange `Get-InboxRule` entry. Graph sends only the
/// properties that are set, so empty conditions and false actions are left out.
pub fn graph_rule_from_exchange(rule: &Value) -> Value {
    let text = |key: &str| rule.get(key).and_then(Value::as_str).map(str::to_string);
    let mut out = Map::new();
    let id = match rule.get("RuleIdentity") {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Null) | None => text("Identity").unwrap_or_default(),
        Some(other) => other.to_string(),
    };
    out.insert("id".into(), json!(id));
    if let Some(name) = text("Name") {
        out.insert("displayName".into(), json!(name));
    }
    if let Some(priority) = rule.get("Priority").filter(|v| !v.is_null()) {
        out.insert("sequence".into(), priority.clone());
    }
    out.insert(
        "isEnabled".into(),
        rule.get("Enabled").cloned().unwrap_or(json!(true)),
    );
    if rule.get("InError").and_then(Value::as_bool) == Some(true) {
        out.insert("hasError".into(), json!(true));
    }
    out.insert("isHidden".into(), json!(true));

    let mut conditions = Map::new();
    for (exchange, graph) in [
        ("SubjectContainsWords", "subjectContains"),
        ("BodyContainsWords", "bodyContains"),
        ("SubjectOrBodyContainsWords", "bodyOrSubjectContains"),
        ("FromAddressContainsWords", "senderContains"),
        ("HeaderContainsWords", "headerContains"),
    ] {
        if let Some(words) = words(rule.get(exchange)) {
            conditions.insert(graph.into(), words);
        }
    }
    if let Some(from) = recipients(rule.get("From")) {
        conditions.insert("fromAddresses".into(), from);
    }
    if !conditions.is_empty() {
        out.insert("conditions".into(), Value::Object(conditions));
    }
    if let Some(words) = words(rule.get("ExceptIfSubjectContainsWords")) {
        out.insert("exceptions".into(), json!({ "subjectContains": words }));
    }

    let mut actions = Map::new();
    for (exchange, graph) in [
        ("ForwardTo", "forwardTo"),
        ("ForwardAsAttachmentTo", "forwardAsAttachmentTo"),
        ("RedirectTo", "redirectTo"),
    ] {
        if let Some(list) = recipients(rule.get(exchange)) {
            actions.insert(graph.into(), list);
        }
    }
    let flag = |key: &str| rule.get(key).and_then(Value::as_bool) == Some(true);
    if flag("DeleteMessage") || flag("SoftDeleteMessage") {
        actions.insert("delete".into(), json!(true));
    }
    for (exchange, graph) in [
        ("PermanentDelete", "permanentDelete"),
        ("MarkAsRead", "markAsRead"),
        ("StopProcessingRules", "stopProcessingRules"),
    ] {
        if flag(exchange) {
            actions.insert(graph.into(), json!(true));
        }
    }
    for (exchange, graph) in [
        ("MoveToFolder", "moveToFolder"),
        ("CopyToFolder", "copyToFolder"),
        ("MarkImportance", "markImportance"),
    ] {
        if let Some(value) = text(exchange).filter(|v| !v.is_empty()) {
            actions.insert(graph.into(), json!(value));
        }
    }
    if !actions.is_empty() {
        out.insert("actions".into(), Value::Object(actions));
    }
    Value::Object(out)
}

/// Exchange multi-value properties arrive as an array, a single string or null.
fn list(value: Option<&Value>) -> Vec<String> {
    match value {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(Value::as_str)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect(),
        Some(Value::String(s)) if !s.is_empty() => vec![s.clone()],
        _ => Vec::new(),
    }
}

fn words(value: Option<&Value>) -> Option<Value> {
    let items = list(value);
    (!items.is_empty()).then(|| json!(items))
}

/// `"Name" [SMTP:addr]`, `SMTP:addr` or a bare address, as Graph recipients.
fn recipients(value: Option<&Value>) -> Option<Value> {
    let items: Vec<Value> = list(value)
        .iter()
        .filter_map(|entry| recipient(entry))
        .collect();
    (!items.is_empty()).then_some(Value::Array(items))
}

fn recipient(entry: &str) -> Option<Value> {
    let (name, address) = match (entry.find('['), entry.rfind(']')) {
        (Some(open), Some(close)) if open < close => {
            let name = entry[..open].trim().trim_matches('"').trim();
            (Some(name), &entry[open + 1..close])
        }
        _ => (None, entry),
    };
    let address = address
        .trim()
        .strip_prefix("SMTP:")
        .or_else(|| address.trim().strip_prefix("smtp:"))
        .unwrap_or(address.trim());
    if address.is_empty() {
        return None;
    }
    let name = name.filter(|n| !n.is_empty()).unwrap_or(address);
    Some(json!({ "emailAddress": { "name": name, "address": address } }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exchange_rules_become_graph_rules() {
        let cases = [
            (
                json!({"RuleIdentity": "r1", "Name": ".", "Enabled": true, "Priority": 1,
                       "ForwardTo": ["\"Eve\" [SMTP:eve@evil.example]"], "DeleteMessage": true,
                       "SubjectContainsWords": null, "MoveToFolder": null}),
                json!({"id": "r1", "displayName": ".", "isEnabled": true, "sequence": 1,
                       "isHidden": true,
                       "actions": {"forwardTo": [{"emailAddress": {"name": "Eve", "address": "eve@evil.example"}}],
                                   "delete": true}}),
            ),
            (
                json!({"Identity": "a@b\\7", "Name": "x", "Enabled": false,
                       "SubjectOrBodyContainsWords": "invoice", "MoveToFolder": "RSS Feeds",
                       "RedirectTo": "SMTP:x@y.example"}),
                json!({"id": "a@b\\7", "displayName": "x", "isEnabled": false, "isHidden": true,
                       "conditions": {"bodyOrSubjectContains": ["invoice"]},
                       "actions": {"redirectTo": [{"emailAddress": {"name": "x@y.example", "address": "x@y.example"}}],
                                   "moveToFolder": "RSS Feeds"}}),
            ),
        ];
        for (exchange, graph) in cases {
            assert_eq!(graph_rule_from_exchange(&exchange), graph, "{exchange}");
        }
    }
}
