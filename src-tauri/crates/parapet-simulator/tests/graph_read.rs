//! Graph reads: collection shape, projections, filters, paging (all records, no duplicates),
//! the premium-licence 403, licence retention, and every read endpoint family.

mod common;
use chrono::{DateTime, Duration, Utc};
use common::*;
use parapet_simulator::{RetentionMode, SimConfig};
use serde_json::{json, Value};
use std::collections::HashSet;

fn ids(items: &[Value]) -> Vec<String> {
    items
        .iter()
        .map(|v| v["id"].as_str().expect("id").to_string())
        .collect()
}

fn assert_unique(items: &[Value]) {
    let all = ids(items);
    let set: HashSet<_> = all.iter().collect();
    assert_eq!(set.len(), all.len(), "duplicates across pages");
}

fn t(v: &Value) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(v.as_str().expect("time"))
        .expect("rfc3339")
        .with_timezone(&Utc)
}

#[tokio::test]
async fn users_projection_filters_and_paging() {
    let Some(shared) = shared_dir() else { return };
    let users = read_json(&scenario(&shared, "harborview-dental").join("users.json"));
    let users = users.as_array().expect("users");
    let sim = sim(&shared, |_| {}).await;
    let token = app_token(&sim, HARBORVIEW, GRAPH).await;
    let g = sim.base_urls().graph;

    let (status, _, body) = get(&format!("{g}/v1.0/users"), &token).await;
    assert_eq!(status, 200);
    assert!(body["@odata.context"]
        .as_str()
        .expect("context")
        .starts_with(&format!("{g}/v1.0/$metadata#users")));
    let keys: HashSet<&str> = body["value"][0]
        .as_object()
        .expect("user")
        .keys()
        .map(String::as_str)
        .collect();
    let default: HashSet<&str> = [
        "businessPhones",
        "displayName",
        "givenName",
        "jobTitle",
        "mail",
        "mobilePhone",
        "officeLocation",
        "preferredLanguage",
        "surname",
        "userPrincipalName",
        "id",
    ]
    .into();
    assert_eq!(keys, default, "default projection");

    let (items, pages) = walk(
        &format!("{g}/v1.0/users?$select=id,accountEnabled,onPremisesSyncEnabled&$top=4"),
        &token,
    )
    .await;
    assert_eq!(items.len(), users.len());
    assert_eq!(pages, users.len().div_ceil(4));
    assert_unique(&items);
    assert!(items.iter().all(|u| u.as_object().expect("obj").len() == 3));

    let disabled = users
        .iter()
        .filter(|u| u["accountEnabled"] == json!(false))
        .count();
    let (_, _, body) = get(
        &format!("{g}/v1.0/users?$filter=accountEnabled eq false&$select=id"),
        &token,
    )
    .await;
    assert_eq!(body["value"].as_array().expect("value").len(), disabled);

    let upn = users[3]["userPrincipalName"].as_str().expect("upn");
    let (_, _, body) = get(
        &format!(
            "{g}/v1.0/users?$filter=userPrincipalName eq '{}'",
            upn.to_uppercase()
        ),
        &token,
    )
    .await;
    assert_eq!(
        ids(body["value"].as_array().expect("value")),
        vec![users[3]["id"].as_str().expect("id").to_string()]
    );
    let prefix = &upn[..3];
    let expected = users
        .iter()
        .filter(|u| {
            u["userPrincipalName"]
                .as_str()
                .is_some_and(|p| p.starts_with(prefix))
        })
        .count();
    let (_, _, body) = get(
        &format!("{g}/v1.0/users?$filter=startswith(userPrincipalName,'{prefix}')"),
        &token,
    )
    .await;
    assert_eq!(body["value"].as_array().expect("value").len(), expected);

    let (status, _, one) = get(
        &format!("{g}/v1.0/users/{upn}?$select=id,accountEnabled,userType"),
        &token,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(one["id"], users[3]["id"]);
    assert_eq!(one["userType"], users[3]["userType"]);
    let (status, _, err) = get(&format!("{g}/v1.0/users/nobody@example.com"), &token).await;
    assert_eq!(
        (status, err["error"]["code"].as_str()),
        (404, Some("Request_ResourceNotFound"))
    );
    assert!(err["error"]["innerError"]["request-id"].is_string());
    // Resource-unit cost header (§12.2): GET users costs 2, minus 1 for $select.
    let (_, headers, _) = get(&format!("{g}/v1.0/users"), &token).await;
    assert_eq!(headers["x-ms-resource-unit"], "2");
    let (_, headers, _) = get(&format!("{g}/v1.0/users?$select=id"), &token).await;
    assert_eq!(headers["x-ms-resource-unit"], "1");
    // Advanced queries need ConsistencyLevel: eventual.
    let count_url = format!("{g}/v1.0/users?$count=true&$top=1");
    assert_eq!(get(&count_url, &token).await.0, 400);
    let resp = client()
        .get(&count_url)
        .bearer_auth(&token)
        .header("ConsistencyLevel", "eventual")
        .send()
        .await
        .expect("count");
    let counted: Value = resp.json().await.expect("json");
    assert_eq!(counted["@odata.count"], json!(users.len()));
    let (status, _, _) = get(&format!("{g}/v1.0/users?$top=1000"), &token).await;
    assert_eq!(status, 400);
    let (status, _, _) = get(
        &format!("{g}/v1.0/users?$filter=userPrincipalName eq"),
        &token,
    )
    .await;
    assert_eq!(status, 400);
    sim.shutdown().await;
}

#[tokio::test]
async fn sign_in_paging_is_complete_newest_first_and_stable_under_arrivals() {
    let Some(shared) = shared_dir() else { return };
    let file = read_json(&scenario(&shared, "lonestar-title").join("signIns.json"));
    let file = file.as_array().expect("signIns");
    let interactive = file
        .iter()
        .filter(|s| s["isInteractive"] == json!(true))
        .count();
    let sim = sim(&shared, |_| {}).await;
    let token = app_token(&sim, LONESTAR, GRAPH).await;
    let g = sim.base_urls().graph;

    let first = format!("{g}/beta/auditLogs/signIns?$top=100");
    let (status, _, page1) = get(&first, &token).await;
    assert_eq!(status, 200);
    let mut items = page1["value"].as_array().expect("value").clone();
    // A new sign-in arrives between pages: it must neither shift nor duplicate the walk.
    sim.control()
        .inject(LONESTAR, serde_json::from_value(json!({"signIns": [{"userPrincipalName": "someone@lonestartitleco.com", "isInteractive": true}]})).expect("events"))
        .expect("inject");
    let (rest, _) = walk(page1["@odata.nextLink"].as_str().expect("nextLink"), &token).await;
    items.extend(rest);
    assert_eq!(items.len(), interactive);
    assert_unique(&items);
    let times: Vec<DateTime<Utc>> = items.iter().map(|s| t(&s["createdDateTime"])).collect();
    assert!(times.windows(2).all(|w| w[0] >= w[1]), "newest first");
    assert!(page1["@odata.nextLink"]
        .as_str()
        .expect("link")
        .starts_with(&format!("{g}/beta/auditLogs/signIns?")));

    let (non, _) = walk(
        &format!(
            "{g}/beta/auditLogs/signIns?$filter=signInEventTypes/any(t: t eq 'nonInteractiveUser')"
        ),
        &token,
    )
    .await;
    assert_eq!(non.len(), file.len() - interactive);

    let (lo, hi) = ("2026-10-01T00:00:00Z", "2026-10-15T00:00:00Z");
    let (lo_t, hi_t) = (t(&json!(lo)), t(&json!(hi)));
    let want = file
        .iter()
        .filter(|s| {
            s["isInteractive"] == json!(true)
                && t(&s["createdDateTime"]) >= lo_t
                && t(&s["createdDateTime"]) < hi_t
        })
        .count();
    let (got, _) = walk(&format!("{g}/v1.0/auditLogs/signIns?$filter=createdDateTime ge {lo} and createdDateTime lt {hi}&$top=7"), &token).await;
    assert_eq!(got.len(), want);
    let (_, _, big) = get(&format!("{g}/beta/auditLogs/signIns?$top=5000"), &token).await;
    assert_eq!(
        big["value"].as_array().expect("value").len(),
        (interactive + 1).min(1000)
    );

    let audits = read_json(&scenario(&shared, "lonestar-title").join("directoryAudits.json"));
    let (all, _) = walk(
        &format!("{g}/v1.0/auditLogs/directoryAudits?$top=10"),
        &token,
    )
    .await;
    assert_eq!(all.len(), audits.as_array().expect("audits").len());
    assert_unique(&all);
    sim.shutdown().await;
}

/// A copy of harborview without Entra ID P1.
fn free_copy(shared: &std::path::Path) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    for entry in std::fs::read_dir(scenario(shared, "harborview-dental")).expect("dir") {
        let path = entry.expect("entry").path();
        std::fs::copy(&path, dir.path().join(path.file_name().expect("name"))).expect("copy");
    }
    let tenant_path = dir.path().join("tenant.json");
    let mut tenant = read_json(&tenant_path);
    tenant["licenses"] = json!({"entraIdP1": false, "entraIdP2": false});
    std::fs::write(&tenant_path, tenant.to_string()).expect("write");
    dir
}

#[tokio::test]
async fn tenants_without_p1_get_403_for_logs() {
    let Some(shared) = shared_dir() else { return };
    let free = free_copy(&shared);
    let mut config = SimConfig::from_dirs(&[free.path()]).expect("load");
    config.consented = true;
    let sim = parapet_simulator::start(config).await.expect("start");
    let (id, secret) = sim.control().register_partner_app("Parapet");
    let token = token_for(&sim, HARBORVIEW, &id, &secret, GRAPH).await;
    let g = sim.base_urls().graph;
    for path in [
        "v1.0/auditLogs/signIns",
        "beta/auditLogs/signIns",
        "v1.0/auditLogs/directoryAudits",
    ] {
        let (status, _, body) = get(&format!("{g}/{path}"), &token).await;
        assert_eq!(status, 403, "{path}");
        assert_eq!(
            body["error"]["code"],
            "Authentication_RequestFromNonPremiumTenantOrB2CTenant"
        );
        assert!(body["error"]["innerError"]["date"].is_string());
    }
    assert_eq!(get(&format!("{g}/v1.0/users"), &token).await.0, 200);
    sim.shutdown().await;
}

#[tokio::test]
async fn realistic_retention_serves_thirty_days_for_p1() {
    let Some(shared) = shared_dir() else { return };
    let dir = scenario(&shared, "harborview-dental");
    let snapshot_time = t(&read_json(&dir.join("tenant.json"))["snapshotTime"]);
    let file = read_json(&dir.join("signIns.json"));
    let cutoff = snapshot_time - Duration::days(30);
    let recent = file
        .as_array()
        .expect("signIns")
        .iter()
        .filter(|s| s["isInteractive"] == json!(true) && t(&s["createdDateTime"]) >= cutoff)
        .count();
    let total = file
        .as_array()
        .expect("signIns")
        .iter()
        .filter(|s| s["isInteractive"] == json!(true))
        .count();
    assert!(
        recent < total,
        "the scenario must have sign-ins older than 30 days for this test"
    );
    for (mode, want) in [
        (RetentionMode::Realistic, recent),
        (RetentionMode::All, total),
    ] {
        let sim = sim(&shared, |c| {
            c.retention = mode;
            c.clock_start = Some(snapshot_time);
        })
        .await;
        let token = app_token(&sim, HARBORVIEW, GRAPH).await;
        let (items, _) = walk(
            &format!("{}/beta/auditLogs/signIns", sim.base_urls().graph),
            &token,
        )
        .await;
        assert_eq!(items.len(), want, "{mode:?}");
        sim.shutdown().await;
    }
}

#[tokio::test]
async fn mail_and_directory_endpoints_serve_the_snapshot() {
    let Some(shared) = shared_dir() else { return };
    let dir = scenario(&shared, "harborview-dental");
    let messages = read_json(&dir.join("messages.json"));
    let (user, user_msgs) = messages
        .as_object()
        .expect("messages")
        .iter()
        .max_by_key(|(_, v)| v.as_array().map(Vec::len))
        .expect("a mailbox");
    let user_msgs = user_msgs.as_array().expect("list");
    let sim = sim(&shared, |_| {}).await;
    let token = app_token(&sim, HARBORVIEW, GRAPH).await;
    let g = sim.base_urls().graph;

    let (all, pages) = walk(&format!("{g}/v1.0/users/{user}/messages"), &token).await;
    assert_eq!(all.len(), user_msgs.len());
    assert_eq!(pages, user_msgs.len().div_ceil(10), "default page size 10");
    assert_unique(&all);
    let target = &user_msgs[user_msgs.len() / 2];
    let imid = target["internetMessageId"].as_str().expect("imid");
    let encoded =
        url::form_urlencoded::byte_serialize(format!("internetMessageId eq '{imid}'").as_bytes())
            .collect::<String>();
    let (_, _, found) = get(
        &format!("{g}/v1.0/users/{user}/messages?$filter={encoded}&$select=id,subject"),
        &token,
    )
    .await;
    assert_eq!(
        ids(found["value"]
            .as_array()
            .unwrap_or_else(|| panic!("{found}"))),
        vec![target["id"].as_str().expect("id").to_string()]
    );
    let from = target["from"]["emailAddress"]["address"]
        .as_str()
        .expect("from");
    let want = user_msgs
        .iter()
        .filter(|m| {
            m["from"]["emailAddress"]["address"]
                .as_str()
                .is_some_and(|a| a.eq_ignore_ascii_case(from))
        })
        .count();
    let (got, _) = walk(
        &format!(
            "{g}/v1.0/users/{user}/messages?$filter=from/emailAddress/address eq '{from}'&$top=2"
        ),
        &token,
    )
    .await;
    assert_eq!(got.len(), want);

    let rules = read_json(&dir.join("messageRules.json"));
    for (uid, list) in rules.as_object().expect("rules") {
        let (status, _, body) = get(
            &format!("{g}/v1.0/users/{uid}/mailFolders/inbox/messageRules"),
            &token,
        )
        .await;
        assert_eq!(status, 200);
        assert_eq!(
            body["value"].as_array().expect("value").len(),
            list.as_array().expect("list").len()
        );
        let rid = list[0]["id"].as_str().expect("rule id");
        let (status, _, one) = get(
            &format!("{g}/v1.0/users/{uid}/mailFolders/inbox/messageRules/{rid}"),
            &token,
        )
        .await;
        assert_eq!((status, one["id"].as_str()), (200, Some(rid)));
    }

    let methods = read_json(&dir.join("authenticationMethods.json"));
    let (uid, list) = methods
        .as_object()
        .expect("methods")
        .iter()
        .next()
        .expect("one user");
    let (_, _, body) = get(
        &format!("{g}/v1.0/users/{uid}/authentication/methods"),
        &token,
    )
    .await;
    assert_eq!(
        body["value"].as_array().expect("value").len(),
        list.as_array().expect("list").len()
    );
    assert!(body["value"][0]["@odata.type"].is_string());

    for (path, file) in [
        ("servicePrincipals", "servicePrincipals.json"),
        ("applications", "applications.json"),
        ("oauth2PermissionGrants", "oauth2PermissionGrants.json"),
        ("devices", "devices.json"),
        (
            "identity/conditionalAccess/policies",
            "conditionalAccessPolicies.json",
        ),
        ("subscribedSkus", "subscribedSkus.json"),
    ] {
        let want = read_json(&dir.join(file)).as_array().expect("array").len();
        let (got, _) = walk(&format!("{g}/v1.0/{path}"), &token).await;
        assert_eq!(got.len(), want, "{path}");
        assert!(
            got.iter().all(|v| v.get("registeredOwners").is_none()),
            "{path} leaks snapshot bookkeeping"
        );
    }
    let assignments = read_json(&dir.join("appRoleAssignments.json"));
    let principal = assignments[0]["principalId"].as_str().expect("principal");
    let want = assignments
        .as_array()
        .expect("a")
        .iter()
        .filter(|a| a["principalId"] == json!(principal))
        .count();
    let (_, _, body) = get(
        &format!("{g}/v1.0/servicePrincipals/{principal}/appRoleAssignments"),
        &token,
    )
    .await;
    assert_eq!(body["value"].as_array().expect("value").len(), want);

    let devices = read_json(&dir.join("devices.json"));
    let owner = devices[0]["registeredOwners"][0].as_str().expect("owner");
    let want = devices
        .as_array()
        .expect("d")
        .iter()
        .filter(|d| {
            d["registeredOwners"]
                .as_array()
                .is_some_and(|o| o.contains(&json!(owner)))
        })
        .count();
    let (_, _, body) = get(&format!("{g}/v1.0/users/{owner}/registeredDevices"), &token).await;
    assert_eq!(body["value"].as_array().expect("value").len(), want);
    assert_eq!(body["value"][0]["@odata.type"], "#microsoft.graph.device");
    let mailbox_users: Vec<Value> = read_json(&dir.join("mailboxes.json"))
        .as_array()
        .expect("m")
        .iter()
        .map(|m| m["userId"].clone())
        .collect();
    let users = read_json(&dir.join("users.json"));
    let without = users
        .as_array()
        .expect("u")
        .iter()
        .find(|u| !mailbox_users.contains(&u["id"]))
        .expect("a user without a mailbox");
    let (status, _, err) = get(
        &format!(
            "{g}/v1.0/users/{}/messages",
            without["id"].as_str().expect("id")
        ),
        &token,
    )
    .await;
    assert_eq!(
        (status, err["error"]["code"].as_str()),
        (404, Some("MailboxNotEnabledForRESTAPI"))
    );
    let (_, _, org) = get(&format!("{g}/v1.0/organization"), &token).await;
    assert_eq!(org["value"][0]["id"], HARBORVIEW);
    // A customer tenant has no contracts.
    let (_, _, contracts) = get(&format!("{g}/v1.0/contracts"), &token).await;
    assert_eq!(contracts["value"], json!([]));
    sim.shutdown().await;
}
