//! Exchange Online objects: inbox rules (Graph, with Exchange for rules Graph hides),
//! forwarding, inbound connectors, transport rules and mailbox permissions.

use parapet_graph::TenantClient;
use serde_json::{json, Value};

use super::{get_object, is_not_found, seg, Executed};
use crate::model::Removal;

fn text<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str)
}

fn named(items: Vec<Value>, identity: &str, keys: &[&str]) -> Option<Value> {
    items.into_iter().find(|item| {
        keys.iter()
            .any(|k| text(item, k).is_some_and(|v| v.eq_ignore_ascii_case(identity)))
    })
}

pub(super) async fn inbox_rule(
    client: &TenantClient,
    user: &str,
    rule: &str,
    removal: Removal,
) -> Executed {
    let path = format!(
        "/users/{}/mailFolders/inbox/messageRules/{}",
        seg(user),
        seg(rule)
    );
    match get_object(client, path).await {
        Ok(Some(evidence)) => match removal {
            Removal::Disable => {
                if evidence.get("isEnabled").and_then(Value::as_bool) == Some(false) {
                    return Executed::already("the rule is already disabled")
                        .evidence(Some(evidence));
                }
                let result = client
                    .update_inbox_rule(user, rule, json!({ "isEnabled": false }))
                    .await
                    .map(drop);
                Executed::from_write(result, Some(evidence))
            }
            Removal::Delete => {
                Executed::from_write(client.delete_inbox_rule(user, rule).await, Some(evidence))
            }
        },
        // Graph does not show rules hidden with MAPI tricks; Exchange does (-IncludeHidden).
        Ok(None) => hidden_inbox_rule(client, user, rule, removal).await,
        Err(e) => Executed::failed(&e),
    }
}

async fn hidden_inbox_rule(
    client: &TenantClient,
    user: &str,
    rule: &str,
    removal: Removal,
) -> Executed {
    let rules = match client
        .invoke(
            "Get-InboxRule",
            json!({ "Mailbox": user, "IncludeHidden": true }),
        )
        .await
    {
        Ok(r) => r,
        Err(e) if is_not_found(&e) => return Executed::already("the mailbox no longer exists"),
        Err(e) => return Executed::failed(&e),
    };
    let Some(evidence) = named(rules, rule, &["RuleIdentity", "Identity", "Name"]) else {
        return Executed::already("the rule no longer exists");
    };
    let identity = text(&evidence, "Identity").unwrap_or(rule).to_string();
    let result = match removal {
        Removal::Disable => {
            if evidence.get("Enabled").and_then(Value::as_bool) == Some(false) {
                return Executed::already("the rule is already disabled").evidence(Some(evidence));
            }
            client
                .invoke(
                    "Disable-InboxRule",
                    json!({ "Identity": identity, "Mailbox": user, "Confirm": false }),
                )
                .await
                .map(drop)
        }
        Removal::Delete => client.remove_exchange_inbox_rule(&identity).await,
    };
    Executed::from_write(result, Some(evidence))
}

fn is_set(v: Option<&Value>) -> bool {
    match v {
        None | Some(Value::Null) => false,
        Some(Value::String(s)) => !s.trim().is_empty(),
        Some(_) => true,
    }
}

pub(super) async fn clear_forwarding(client: &TenantClient, mailbox: &str) -> Executed {
    let found = match client
        .invoke("Get-Mailbox", json!({ "Identity": mailbox }))
        .await
    {
        Ok(mut all) if !all.is_empty() => all.remove(0),
        Ok(_) => return Executed::already("the mailbox no longer exists"),
        Err(e) if is_not_found(&e) => return Executed::already("the mailbox no longer exists"),
        Err(e) => return Executed::failed(&e),
    };
    if !is_set(found.get("ForwardingSmtpAddress")) && !is_set(found.get("ForwardingAddress")) {
        return Executed::already("the mailbox does not forward").evidence(Some(found));
    }
    Executed::from_write(
        client.set_mailbox_forwarding(mailbox, None, false).await,
        Some(found),
    )
}

pub(super) async fn inbound_connector(
    client: &TenantClient,
    identity: &str,
    removal: Removal,
) -> Executed {
    let all = match client.invoke("Get-InboundConnector", json!({})).await {
        Ok(a) => a,
        Err(e) => return Executed::failed(&e),
    };
    let Some(evidence) = named(all, identity, &["Identity", "Name", "Guid"]) else {
        return Executed::already("the connector no longer exists");
    };
    let result = match removal {
        Removal::Disable => {
            if evidence.get("Enabled").and_then(Value::as_bool) == Some(false) {
                return Executed::already("the connector is already disabled")
                    .evidence(Some(evidence));
            }
            client.set_inbound_connector_enabled(identity, false).await
        }
        Removal::Delete => client.remove_inbound_connector(identity).await,
    };
    Executed::from_write(result, Some(evidence))
}

pub(super) async fn transport_rule(
    client: &TenantClient,
    identity: &str,
    removal: Removal,
) -> Executed {
    let all = match client.invoke("Get-TransportRule", json!({})).await {
        Ok(a) => a,
        Err(e) => return Executed::failed(&e),
    };
    let Some(evidence) = named(all, identity, &["Identity", "Name", "Guid"]) else {
        return Executed::already("the transport rule no longer exists");
    };
    let result = match removal {
        Removal::Disable => {
            if text(&evidence, "State").is_some_and(|s| s.eq_ignore_ascii_case("Disabled")) {
                return Executed::already("the transport rule is already disabled")
                    .evidence(Some(evidence));
            }
            client.disable_transport_rule(identity).await
        }
        Removal::Delete => client.remove_transport_rule(identity).await,
    };
    Executed::from_write(result, Some(evidence))
}

fn rights(entry: &Value) -> Vec<String> {
    match entry.get("AccessRights") {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect(),
        Some(Value::String(s)) => s.split(',').map(|r| r.trim().to_string()).collect(),
        _ => vec!["FullAccess".into()],
    }
}

/// Every grant of `trustee` on the mailbox: FullAccess (`Get-MailboxPermission`, `User`) and
/// SendAs (`Get-RecipientPermission`, `Trustee`); the artifact id does not say which.
pub(super) async fn remove_permission(
    client: &TenantClient,
    identity: &str,
    trustee: &str,
) -> Executed {
    let mut evidence = Vec::new();
    for (get, remove, who) in [
        ("Get-MailboxPermission", "Remove-MailboxPermission", "User"),
        (
            "Get-RecipientPermission",
            "Remove-RecipientPermission",
            "Trustee",
        ),
    ] {
        let entries = match client.invoke(get, json!({ "Identity": identity })).await {
            Ok(e) => e,
            Err(e) if is_not_found(&e) => return Executed::already("the mailbox no longer exists"),
            Err(e) => return Executed::failed(&e).evidence(Some(Value::Array(evidence))),
        };
        let Some(entry) = named(entries, trustee, &[who]) else {
            continue;
        };
        let access = rights(&entry);
        evidence.push(entry);
        let result = client
            .invoke(
                remove,
                json!({ "Identity": identity, who: trustee, "AccessRights": access, "Confirm": false }),
            )
            .await;
        if let Err(e) = result {
            if !is_not_found(&e) {
                return Executed::failed(&e).evidence(Some(Value::Array(evidence)));
            }
        }
    }
    if evidence.is_empty() {
        Executed::already("the permission no longer exists")
    } else {
        Executed::succeeded().evidence(Some(Value::Array(evidence)))
    }
}
