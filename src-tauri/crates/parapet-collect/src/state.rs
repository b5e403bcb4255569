//! Tenant-wide current state: directory, apps and consents, devices, Exchange configuration.

use std::collections::BTreeMap;

use parapet_graph::graph::query::{segment, ODataQuery};
use parapet_graph::{ApiVersion, Pager};
use parapet_store::{EvidenceKind, StateRecord};
use serde_json::{json, Map, Value};

use crate::per_user::each;
use crate::{is_refusal, CollectError, Run};

/// The user properties the snapshot model reads (Graph's default projection lacks most).
pub const USER_SELECT: &[&str] = &[
    "id",
    "userPrincipalName",
    "displayName",
    "givenName",
    "surname",
    "mail",
    "accountEnabled",
    "userType",
    "onPremisesSyncEnabled",
    "usageLocation",
    "createdDateTime",
    "assignedLicenses",
    "jobTitle",
    "department",
];

/// A user as the per-user phases need it.
#[derive(Debug, Clone)]
pub(crate) struct UserRef {
    pub id: String,
    pub upn: String,
}

/// A mailbox as the per-mailbox phases need it.
#[derive(Debug, Clone)]
pub(crate) struct MailboxRef {
    pub user_id: String,
    /// What Exchange cmdlets take as `-Identity`/`-Mailbox`.
    pub identity: String,
}

/// Every page of a Graph or Exchange list; `None` (and the source marked unavailable) when
/// the tenant refuses it.
async fn list(
    run: &Run<'_>,
    source: &'static str,
    pager: Pager<Value>,
) -> Result<Option<Vec<Value>>, CollectError> {
    match pager.collect_all().await {
        Ok(values) => Ok(Some(values)),
        Err(error) if is_refusal(&error) => {
            run.unavailable(source, format!("{source} unavailable: {error}"));
            Ok(None)
        }
        Err(error) => Err(run.graph_error(source, error)),
    }
}

fn tenant_wide(values: Vec<Value>) -> Vec<StateRecord> {
    values
        .into_iter()
        .map(|json| StateRecord {
            user_id: None,
            json: strip_odata(json),
        })
        .collect()
}

/// `@odata.*` annotations describe the response, not the record.
pub(crate) fn strip_odata(mut json: Value) -> Value {
    if let Value::Object(map) = &mut json {
        map.retain(|key, _| !key.starts_with("@odata.") || key == "@odata.type");
    }
    json
}

fn graph(run: &Run<'_>, path: &str, query: &ODataQuery) -> Pager<Value> {
    run.client.graph_collection(ApiVersion::V1, path, query)
}

async fn graph_state(
    run: &Run<'_>,
    source: &'static str,
    kind: EvidenceKind,
    path: &str,
    query: &ODataQuery,
) -> Result<Option<Vec<Value>>, CollectError> {
    let Some(values) = list(run, source, graph(run, path, query)).await? else {
        return Ok(None);
    };
    run.replace_state(source, kind, tenant_wide(values.clone()))?;
    Ok(Some(values))
}

pub(crate) async fn directory(run: &Run<'_>) -> Result<Vec<UserRef>, CollectError> {
    run.phase(1, 0, 0);
    let query = ODataQuery::new().select(USER_SELECT).top(999);
    let users = graph_state(run, "users", EvidenceKind::User, "users", &query)
        .await?
        .unwrap_or_default();
    graph_state(
        run,
        "subscribedSkus",
        EvidenceKind::SubscribedSku,
        "subscribedSkus",
        &ODataQuery::new(),
    )
    .await?;
    Ok(users
        .iter()
        .filter_map(|user| {
            Some(UserRef {
                id: user.get("id")?.as_str()?.to_string(),
                upn: user.get("userPrincipalName")?.as_str()?.to_string(),
            })
        })
        .collect())
}

pub(crate) async fn apps(run: &Run<'_>) -> Result<(), CollectError> {
    run.phase(6, 0, 0);
    let all = ODataQuery::new();
    let principals = graph_state(
        run,
        "servicePrincipals",
        EvidenceKind::ServicePrincipal,
        "servicePrincipals",
        &all,
    )
    .await?
    .unwrap_or_default();
    graph_state(
        run,
        "applications",
        EvidenceKind::Application,
        "applications",
        &all,
    )
    .await?;
    graph_state(
        run,
        "oauth2PermissionGrants",
        EvidenceKind::OAuth2PermissionGrant,
        "oauth2PermissionGrants",
        &all,
    )
    .await?;
    // Application permissions hang off each client service principal.
    let ids: Vec<String> = principals
        .iter()
        .filter_map(|sp| Some(sp.get("id")?.as_str()?.to_string()))
        .collect();
    let mut assignments: BTreeMap<usize, Vec<StateRecord>> = BTreeMap::new();
    each(
        run,
        6,
        "appRoleAssignments",
        &ids,
        |client, id| async move {
            client
                .graph_collection::<Value>(
                    ApiVersion::V1,
                    &format!("servicePrincipals/{}/appRoleAssignments", segment(&id)),
                    &ODataQuery::new(),
                )
                .collect_all()
                .await
        },
        |index, _, values| {
            assignments.insert(index, tenant_wide(values));
            Ok(())
        },
    )
    .await?;
    let assignments = assignments.into_values().flatten().collect();
    run.replace_state(
        "appRoleAssignments",
        EvidenceKind::AppRoleAssignment,
        assignments,
    )
}

/// `GET /devices` does not name owners; each user's `registeredDevices` does.
pub(crate) async fn devices(run: &Run<'_>, users: &[UserRef]) -> Result<(), CollectError> {
    run.phase(7, 0, 0);
    let Some(devices) = list(run, "devices", graph(run, "devices", &ODataQuery::new())).await?
    else {
        return Ok(());
    };
    let mut owned_by: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    let ids: Vec<String> = users.iter().map(|u| u.id.clone()).collect();
    each(
        run,
        7,
        "registeredDevices",
        &ids,
        |client, id| async move {
            client
                .graph_collection::<Value>(
                    ApiVersion::V1,
                    &format!("users/{}/registeredDevices", segment(&id)),
                    &ODataQuery::new().select(&["id"]),
                )
                .collect_all()
                .await
        },
        |index, _, values| {
            let devices = values
                .iter()
                .filter_map(|device| Some(device.get("id")?.as_str()?.to_string()))
                .collect();
            owned_by.insert(index, devices);
            Ok(())
        },
    )
    .await?;
    // Owners in user order, whatever order the requests finished in.
    let mut owners: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (index, devices) in owned_by {
        for device in devices {
            if let Some(user) = ids.get(index) {
                owners.entry(device).or_default().push(user.clone());
            }
        }
    }
    let records = devices
        .into_iter()
        .map(|mut device| {
            let id = device.get("id").and_then(Value::as_str).map(str::to_string);
            if let (Some(map), Some(owned)) =
                (device.as_object_mut(), id.and_then(|id| owners.remove(&id)))
            {
                map.insert("registeredOwners".into(), json!(owned));
            }
            StateRecord {
                user_id: None,
                json: strip_odata(device),
            }
        })
        .collect();
    run.replace_state("devices", EvidenceKind::Device, records)
}

/// Mailboxes (forwarding), inbound connectors, transport rules, SendAs permissions and
/// Conditional Access; returns the mailboxes for the per-mailbox phase.
pub(crate) async fn exchange(
    run: &Run<'_>,
    users: &[UserRef],
) -> Result<Vec<MailboxRef>, CollectError> {
    run.phase(8, 0, 0);
    let cmdlet = |name: &str, parameters: Value| run.client.invoke_pages::<Value>(name, parameters);
    let mut mailboxes = Vec::new();
    if let Some(found) = list(
        run,
        "mailboxes",
        cmdlet("Get-Mailbox", json!({ "ResultSize": "Unlimited" })),
    )
    .await?
    {
        let records: Vec<StateRecord> = found.into_iter().filter_map(snapshot_mailbox).collect();
        mailboxes = records
            .iter()
            .filter_map(|record| {
                let field = |key: &str| {
                    record
                        .json
                        .get(key)
                        .and_then(Value::as_str)
                        .map(str::to_string)
                };
                Some(MailboxRef {
                    user_id: field("userId")?,
                    identity: field("userPrincipalName")
                        .or_else(|| field("primarySmtpAddress"))
                        .or_else(|| field("identity"))?,
                })
            })
            .collect();
        run.replace_state("mailboxes", EvidenceKind::Mailbox, records)?;
    }
    if mailboxes.is_empty() {
        // No mailbox list: ask per user, and let Exchange say which have none.
        mailboxes = users
            .iter()
            .map(|user| MailboxRef {
                user_id: user.id.clone(),
                identity: user.upn.clone(),
            })
            .collect();
    }
    for (source, kind, name, parameters) in [
        (
            "inboundConnectors",
            EvidenceKind::InboundConnector,
            "Get-InboundConnector",
            json!({}),
        ),
        (
            "transportRules",
            EvidenceKind::TransportRule,
            "Get-TransportRule",
            json!({}),
        ),
        (
            "recipientPermissions",
            EvidenceKind::RecipientPermission,
            "Get-RecipientPermission",
            json!({ "ResultSize": "Unlimited" }),
        ),
    ] {
        if let Some(values) = list(run, source, cmdlet(name, parameters)).await? {
            run.replace_state(source, kind, tenant_wide(values))?;
        }
    }
    graph_state(
        run,
        "conditionalAccessPolicies",
        EvidenceKind::ConditionalAccessPolicy,
        "identity/conditionalAccess/policies",
        &ODataQuery::new(),
    )
    .await?;
    Ok(mailboxes)
}

/// `Get-Mailbox` answers PascalCase; the snapshot's `mailboxes.json` is camelCase keyed by
/// the user's object id (`ExternalDirectoryObjectId`). `None` for a mailbox with no user.
fn snapshot_mailbox(mailbox: Value) -> Option<StateRecord> {
    let Value::Object(fields) = mailbox else {
        return None;
    };
    let mut out = Map::new();
    for (key, value) in fields {
        if key.starts_with("@odata.") {
            continue;
        }
        let renamed = match key.as_str() {
            "ExternalDirectoryObjectId" => "userId".to_string(),
            other => camel(other),
        };
        out.insert(renamed, value);
    }
    out.get("userId")?.as_str()?;
    Some(StateRecord {
        user_id: None,
        json: Value::Object(out),
    })
}

fn camel(key: &str) -> String {
    let mut chars = key.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}
