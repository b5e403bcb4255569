//! Per-user and per-item reads with bounded concurrency: inbox rules (Graph and hidden
//! Exchange rules), mailbox permissions, authentication methods and recent messages.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::future::Future;
use std::sync::Arc;

use parapet_graph::graph::query::{odata_datetime, segment, ODataQuery};
use parapet_graph::{ApiVersion, GraphError, TenantClient};
use parapet_store::{EvidenceKind, StateRecord};
use serde_json::{json, Value};
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use crate::hidden::graph_rule_from_exchange;
use crate::logs::LogBatch;
use crate::state::{strip_odata, MailboxRef, UserRef};
use crate::{is_refusal, CollectError, Run};

/// The message properties the snapshot spec lists (bodies are never read).
const MESSAGE_SELECT: &[&str] = &[
    "id",
    "internetMessageId",
    "subject",
    "from",
    "sender",
    "toRecipients",
    "ccRecipients",
    "receivedDateTime",
    "sentDateTime",
    "createdDateTime",
    "parentFolderId",
    "isRead",
    "hasAttachments",
    "conversationId",
    "bodyPreview",
];

/// Runs `fetch` for every item, at most `concurrency` at once, and hands each success to
/// `on_result` with the item's index as it completes (on this task, so it may write the store
/// and report progress). Completion order varies; callers that keep state order by index.
/// A 403/404 for one item is recorded in the summary; any other failure stops the run.
pub(crate) async fn each<T, F, Fut>(
    run: &Run<'_>,
    step: usize,
    source: &'static str,
    items: &[String],
    fetch: F,
    mut on_result: impl FnMut(usize, &str, T) -> Result<(), CollectError>,
) -> Result<(), CollectError>
where
    F: Fn(TenantClient, String) -> Fut,
    Fut: Future<Output = Result<T, GraphError>> + Send + 'static,
    T: Send + 'static,
{
    let limit = Arc::new(Semaphore::new(run.options.concurrency.max(1)));
    let mut tasks = JoinSet::new();
    for (index, item) in items.iter().enumerate() {
        let limit = Arc::clone(&limit);
        let work = fetch(run.client.clone(), item.clone());
        tasks.spawn(async move {
            let _permit = limit.acquire_owned().await;
            (index, work.await)
        });
    }
    let mut done = 0;
    while let Some(joined) = tasks.join_next().await {
        let (index, result) = joined.map_err(|error| CollectError::Task {
            tenant: run.tenant_id.to_string(),
            what: source,
            message: error.to_string(),
        })?;
        done += 1;
        let item = items.get(index).map_or("", String::as_str);
        match result {
            Ok(value) => on_result(index, item, value)?,
            Err(error) if is_refusal(&error) => run.fail_item(source, item, &error),
            Err(error) => {
                tasks.abort_all();
                return Err(run.graph_error(source, error));
            }
        }
        run.phase(step, done, items.len());
    }
    Ok(())
}

/// Inbox rules from Graph, plus the rules only `Get-InboxRule -IncludeHidden` shows (marked
/// `isHidden`, as the snapshot spec does), and each mailbox's permissions.
pub(crate) async fn mail(
    run: &Run<'_>,
    users: &[UserRef],
    mailboxes: &[MailboxRef],
) -> Result<(), CollectError> {
    const SOURCE: &str = "messageRules";
    run.phase(9, 0, mailboxes.len());
    let ids: Vec<String> = users.iter().map(|u| u.id.clone()).collect();
    let mut rules: Vec<StateRecord> = Vec::new();
    let mut graph_ids: HashMap<String, HashSet<String>> = HashMap::new();
    let per_user = run
        .client
        .inbox_rules_of_users(&ids)
        .await
        .map_err(|error| run.graph_error(SOURCE, error))?;
    for (user, result) in per_user {
        match result {
            Ok(found) => {
                for rule in found {
                    let json = serde_json::to_value(&rule).unwrap_or(Value::Null);
                    if let Some(id) = json.get("id").and_then(Value::as_str) {
                        graph_ids
                            .entry(user.clone())
                            .or_default()
                            .insert(id.to_string());
                    }
                    rules.push(StateRecord {
                        user_id: Some(user.clone()),
                        json: strip_odata(json),
                    });
                }
            }
            Err(error) if is_refusal(&error) => run.fail_item(SOURCE, &user, &error),
            Err(error) => return Err(run.graph_error(SOURCE, error)),
        }
    }
    let owner_of: HashMap<String, String> = mailboxes
        .iter()
        .map(|m| (m.identity.clone(), m.user_id.clone()))
        .collect();
    let identities: Vec<String> = mailboxes.iter().map(|m| m.identity.clone()).collect();
    let mut hidden_rules: BTreeMap<usize, Vec<StateRecord>> = BTreeMap::new();
    each(
        run,
        9,
        "exchangeInboxRules",
        &identities,
        |client, mailbox| async move {
            client
                .invoke(
                    "Get-InboxRule",
                    json!({ "Mailbox": mailbox, "IncludeHidden": true }),
                )
                .await
        },
        |index, mailbox, found| {
            let Some(user) = owner_of.get(mailbox) else {
                return Ok(());
            };
            let known = graph_ids.get(user);
            for rule in found {
                let id = rule.get("RuleIdentity").map(|v| match v {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                });
                if id
                    .as_ref()
                    .is_some_and(|id| known.is_some_and(|k| k.contains(id)))
                {
                    continue;
                }
                hidden_rules.entry(index).or_default().push(StateRecord {
                    user_id: Some(user.clone()),
                    json: graph_rule_from_exchange(&rule),
                });
            }
            Ok(())
        },
    )
    .await?;
    let hidden = hidden_rules.values().map(Vec::len).sum::<usize>();
    rules.extend(hidden_rules.into_values().flatten());
    if hidden > 0 {
        run.note(format!(
            "messageRules: {hidden} inbox rule(s) hidden from Graph found through Exchange"
        ));
    }
    rules.sort_by(|a, b| a.user_id.cmp(&b.user_id));
    run.replace_state(SOURCE, EvidenceKind::MessageRule, rules)?;

    let mut permissions: BTreeMap<usize, Vec<StateRecord>> = BTreeMap::new();
    each(
        run,
        9,
        "mailboxPermissions",
        &identities,
        |client, mailbox| async move {
            client
                .invoke("Get-MailboxPermission", json!({ "Identity": mailbox }))
                .await
        },
        |index, _, found| {
            permissions.insert(
                index,
                found
                    .into_iter()
                    .map(|json| StateRecord {
                        user_id: None,
                        json: strip_odata(json),
                    })
                    .collect(),
            );
            Ok(())
        },
    )
    .await?;
    let permissions = permissions.into_values().flatten().collect();
    run.replace_state(
        "mailboxPermissions",
        EvidenceKind::MailboxPermission,
        permissions,
    )
}

pub(crate) async fn authentication_methods(
    run: &Run<'_>,
    users: &[UserRef],
) -> Result<(), CollectError> {
    const SOURCE: &str = "authenticationMethods";
    run.phase(10, 0, users.len());
    let ids: Vec<String> = users.iter().map(|u| u.id.clone()).collect();
    let per_user = run
        .client
        .authentication_methods_of_users(&ids)
        .await
        .map_err(|error| run.graph_error(SOURCE, error))?;
    let mut methods = Vec::new();
    for (user, result) in per_user {
        match result {
            Ok(found) => methods.extend(found.into_iter().map(|method| StateRecord {
                user_id: Some(user.clone()),
                json: strip_odata(serde_json::to_value(&method).unwrap_or(Value::Null)),
            })),
            Err(error) if is_refusal(&error) => run.fail_item(SOURCE, &user, &error),
            Err(error) => return Err(run.graph_error(SOURCE, error)),
        }
    }
    run.replace_state(SOURCE, EvidenceKind::AuthenticationMethod, methods)
}

/// Recent messages (metadata only) for phishing evidence, from the messages watermark.
pub(crate) async fn messages(run: &Run<'_>, users: &[UserRef]) -> Result<(), CollectError> {
    const SOURCE: &str = "messages";
    run.phase(11, 0, users.len());
    let (from, to) = run.window(SOURCE, i64::from(run.options.message_days))?;
    let mut batch = LogBatch::new(SOURCE, EvidenceKind::Message, (from, to));
    let ids: Vec<String> = users.iter().map(|u| u.id.clone()).collect();
    let filter = format!(
        "receivedDateTime ge {} and receivedDateTime lt {}",
        odata_datetime(from),
        odata_datetime(to)
    );
    each(
        run,
        11,
        SOURCE,
        &ids,
        |client, user| {
            let query = ODataQuery::new()
                .select(MESSAGE_SELECT)
                .filter(filter.clone())
                .top(100);
            async move {
                client
                    .graph_collection::<Value>(
                        ApiVersion::V1,
                        &format!("users/{}/messages", segment(&user)),
                        &query,
                    )
                    .collect_all()
                    .await
            }
        },
        |_, user, found| {
            let found = found.into_iter().map(strip_odata).collect();
            batch.store_for(run, Some(user), found)
        },
    )
    .await?;
    batch.finish(run)
}
