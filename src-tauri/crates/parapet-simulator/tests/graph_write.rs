//! Graph writes change state in memory and later reads reflect them; status codes as §1.

mod common;
use common::*;
use serde_json::{json, Value};

fn first_id(list: &Value) -> String {
    list[0]["id"].as_str().expect("id").to_string()
}

#[tokio::test]
async fn containment_writes_and_their_effect_on_later_sign_ins() {
    let Some(shared) = shared_dir() else { return };
    let users = read_json(&scenario(&shared, "harborview-dental").join("users.json"));
    let users = users.as_array().expect("users");
    let synced = users
        .iter()
        .find(|u| u["onPremisesSyncEnabled"] == json!(true))
        .expect("a synced user");
    let cloud = users
        .iter()
        .find(|u| u["onPremisesSyncEnabled"] != json!(true) && u["accountEnabled"] == json!(true))
        .expect("a cloud user");
    let sim = sim(&shared, |_| {}).await;
    let token = app_token(&sim, HARBORVIEW, GRAPH).await;
    let g = sim.base_urls().graph;
    let (cloud_id, cloud_upn) = (
        cloud["id"].as_str().expect("id"),
        cloud["userPrincipalName"].as_str().expect("upn"),
    );

    let (status, _, body) = send(
        "POST",
        &format!("{g}/v1.0/users/{cloud_upn}/revokeSignInSessions"),
        &token,
        None,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(body["value"], json!(true));
    assert_eq!(
        body["@odata.context"],
        format!("{g}/v1.0/$metadata#Edm.Boolean")
    );

    let pw = json!({"passwordProfile": {"forceChangePasswordNextSignIn": true, "password": "Xx-123456789!"}});
    let (status, _, body) = send(
        "PATCH",
        &format!("{g}/v1.0/users/{}", synced["id"].as_str().expect("id")),
        &token,
        Some(pw.clone()),
    )
    .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (400, Some("Request_BadRequest"))
    );
    let (status, _, _) = send(
        "PATCH",
        &format!("{g}/v1.0/users/{cloud_id}"),
        &token,
        Some(pw),
    )
    .await;
    assert_eq!(status, 204);
    let stored = sim.control().user(HARBORVIEW, cloud_id).expect("user");
    assert!(
        !stored.to_string().contains("Xx-123456789!"),
        "passwords are never stored"
    );

    // After revocation a non-interactive refresh fails; after disabling, everything fails.
    let refresh = json!({"signIns": [{"userId": cloud_id, "isInteractive": false, "appDisplayName": "Outlook"}]});
    sim.control()
        .inject(HARBORVIEW, serde_json::from_value(refresh).expect("events"))
        .expect("inject");
    let (status, _, _) = send(
        "PATCH",
        &format!("{g}/v1.0/users/{cloud_id}"),
        &token,
        Some(json!({"accountEnabled": false})),
    )
    .await;
    assert_eq!(status, 204);
    let (_, _, user) = get(
        &format!("{g}/v1.0/users/{cloud_id}?$select=accountEnabled"),
        &token,
    )
    .await;
    assert_eq!(user["accountEnabled"], json!(false));
    let interactive = json!({"signIns": [{"userPrincipalName": cloud_upn, "isInteractive": true}]});
    sim.control()
        .inject(
            HARBORVIEW,
            serde_json::from_value(interactive).expect("events"),
        )
        .expect("inject");
    let (mine, _) = walk(
        &format!("{g}/beta/auditLogs/signIns?$filter=userId eq '{cloud_id}'&$top=2"),
        &token,
    )
    .await;
    assert_eq!(
        mine[0]["status"]["errorCode"], 50057,
        "disabled account: {}",
        mine[0]
    );
    let (non, _) = walk(&format!("{g}/beta/auditLogs/signIns?$filter=userId eq '{cloud_id}' and signInEventTypes/any(t: t eq 'nonInteractiveUser')"), &token).await;
    assert_eq!(
        non[0]["status"]["errorCode"], 50173,
        "revoked refresh: {}",
        non[0]
    );

    // A Conditional Access block policy (201) blocks later sign-ins of the user it names.
    let other = users
        .iter()
        .find(|u| {
            u["id"] != cloud["id"]
                && u["accountEnabled"] == json!(true)
                && u["onPremisesSyncEnabled"] != json!(true)
        })
        .expect("another user");
    let other_id = other["id"].as_str().expect("id");
    let policy = json!({"displayName": "MSP-Lockout", "state": "enabled",
        "conditions": {"clientAppTypes": ["all"], "applications": {"includeApplications": ["All"]}, "users": {"includeUsers": [other_id]}},
        "grantControls": {"operator": "OR", "builtInControls": ["block"]}});
    let (status, _, created) = send(
        "POST",
        &format!("{g}/v1.0/identity/conditionalAccess/policies"),
        &token,
        Some(policy),
    )
    .await;
    assert_eq!(status, 201, "{created}");
    assert_eq!(created["modifiedDateTime"], Value::Null);
    assert_eq!(created["conditions"]["users"]["excludeGroups"], json!([]));
    assert_eq!(created["grantControls"]["termsOfUse"], json!([]));
    let ev = json!({"signIns": [{"userId": other_id}]});
    sim.control()
        .inject(HARBORVIEW, serde_json::from_value(ev).expect("events"))
        .expect("inject");
    let (blocked, _) = walk(
        &format!("{g}/beta/auditLogs/signIns?$filter=userId eq '{other_id}'&$top=1"),
        &token,
    )
    .await;
    assert_eq!(blocked[0]["status"]["errorCode"], 53003);
    assert_eq!(blocked[0]["conditionalAccessStatus"], "failure");
    let pid = created["id"].as_str().expect("policy id");
    let (status, _, _) = send(
        "DELETE",
        &format!("{g}/v1.0/identity/conditionalAccess/policies/{pid}"),
        &token,
        None,
    )
    .await;
    assert_eq!(status, 204);
    assert_eq!(
        get(
            &format!("{g}/v1.0/identity/conditionalAccess/policies/{pid}"),
            &token
        )
        .await
        .0,
        404
    );
    let bad = json!({"displayName": "incomplete", "state": "enabled", "conditions": {}});
    assert_eq!(
        send(
            "POST",
            &format!("{g}/v1.0/identity/conditionalAccess/policies"),
            &token,
            Some(bad)
        )
        .await
        .0,
        400
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn mail_writes_rules_and_moves() {
    let Some(shared) = shared_dir() else { return };
    let dir = scenario(&shared, "harborview-dental");
    let rules = read_json(&dir.join("messageRules.json"));
    let (uid, list) = rules
        .as_object()
        .expect("rules")
        .iter()
        .find(|(_, l)| l.as_array().is_some_and(|a| a.len() >= 2))
        .expect("a user with two rules");
    let n = list.as_array().expect("list").len();
    let sim = sim(&shared, |_| {}).await;
    let token = app_token(&sim, HARBORVIEW, GRAPH).await;
    let g = sim.base_urls().graph;
    let base = format!("{g}/v1.0/users/{uid}/mailFolders/inbox/messageRules");
    let rid = first_id(list);
    let (status, _, rule) = send(
        "PATCH",
        &format!("{base}/{rid}"),
        &token,
        Some(json!({"isEnabled": false})),
    )
    .await;
    assert_eq!((status, rule["isEnabled"].clone()), (200, json!(false)));
    let (_, _, again) = get(&format!("{base}/{rid}"), &token).await;
    assert_eq!(again["isEnabled"], json!(false));
    assert_eq!(
        send("DELETE", &format!("{base}/{rid}"), &token, None)
            .await
            .0,
        204
    );
    let (_, _, after) = get(&base, &token).await;
    assert_eq!(after["value"].as_array().expect("value").len(), n - 1);
    let (status, _, err) = get(&format!("{base}/{rid}"), &token).await;
    assert_eq!(
        (status, err["error"]["code"].as_str()),
        (404, Some("ErrorItemNotFound"))
    );

    let messages = read_json(&dir.join("messages.json"));
    let (muser, msgs) = messages
        .as_object()
        .expect("messages")
        .iter()
        .next()
        .expect("a mailbox");
    let msg = &msgs[0];
    let mid = msg["id"].as_str().expect("id");
    let (status, _, moved) = send(
        "POST",
        &format!("{g}/v1.0/users/{muser}/messages/{mid}/move"),
        &token,
        Some(json!({"destinationId": "deleteditems"})),
    )
    .await;
    assert_eq!(status, 201, "{moved}");
    let new_id = moved["id"].as_str().expect("new id");
    assert_ne!(new_id, mid);
    assert_eq!(moved["internetMessageId"], msg["internetMessageId"]);
    assert_eq!(moved["parentFolderId"], "deleteditems");
    assert_eq!(
        get(&format!("{g}/v1.0/users/{muser}/messages/{mid}"), &token)
            .await
            .0,
        404
    );
    let (_, _, inbox) = get(
        &format!("{g}/v1.0/users/{muser}/mailFolders/inbox/messages?$top=1000"),
        &token,
    )
    .await;
    assert!(inbox["value"]
        .as_array()
        .expect("v")
        .iter()
        .all(|m| m["id"] != json!(mid) && m["id"] != json!(new_id)));
    let (_, _, deleted) = get(
        &format!("{g}/v1.0/users/{muser}/mailFolders/deleteditems/messages?$top=1000"),
        &token,
    )
    .await;
    assert!(deleted["value"]
        .as_array()
        .expect("v")
        .iter()
        .any(|m| m["id"] == json!(new_id)));
    sim.shutdown().await;
}

#[tokio::test]
async fn directory_object_writes() {
    let Some(shared) = shared_dir() else { return };
    let dir = scenario(&shared, "harborview-dental");
    let sim = sim(&shared, |_| {}).await;
    let token = app_token(&sim, HARBORVIEW, GRAPH).await;
    let g = sim.base_urls().graph;

    let methods = read_json(&dir.join("authenticationMethods.json"));
    let (uid, m) = methods
        .as_object()
        .expect("methods")
        .iter()
        .find_map(|(u, l)| {
            l.as_array()?
                .iter()
                .find(|m| {
                    m["@odata.type"]
                        == "#microsoft.graph.microsoftAuthenticatorAuthenticationMethod"
                })
                .map(|m| (u.clone(), m.clone()))
        })
        .expect("an authenticator");
    let mid = m["id"].as_str().expect("id");
    // The typed path must match the method's type.
    assert_eq!(
        send(
            "DELETE",
            &format!("{g}/v1.0/users/{uid}/authentication/phoneMethods/{mid}"),
            &token,
            None
        )
        .await
        .0,
        404
    );
    assert_eq!(
        send(
            "DELETE",
            &format!("{g}/v1.0/users/{uid}/authentication/microsoftAuthenticatorMethods/{mid}"),
            &token,
            None
        )
        .await
        .0,
        204
    );
    let (_, _, left) = get(
        &format!("{g}/v1.0/users/{uid}/authentication/methods"),
        &token,
    )
    .await;
    assert!(left["value"]
        .as_array()
        .expect("v")
        .iter()
        .all(|x| x["id"] != json!(mid)));

    let grants = read_json(&dir.join("oauth2PermissionGrants.json"));
    let gid = first_id(&grants);
    let count = grants.as_array().expect("grants").len();
    assert_eq!(
        send(
            "DELETE",
            &format!("{g}/v1.0/oauth2PermissionGrants/{gid}"),
            &token,
            None
        )
        .await
        .0,
        204
    );
    let (_, _, left) = get(&format!("{g}/v1.0/oauth2PermissionGrants"), &token).await;
    assert_eq!(left["value"].as_array().expect("v").len(), count - 1);
    assert_eq!(
        send(
            "DELETE",
            &format!("{g}/v1.0/oauth2PermissionGrants/{gid}"),
            &token,
            None
        )
        .await
        .0,
        404
    );

    let sps = read_json(&dir.join("servicePrincipals.json"));
    let sp = sps
        .as_array()
        .expect("sps")
        .iter()
        .find(|s| s["appOwnerOrganizationId"] != json!("f8cdef31-a31e-4b4a-93e4-5f571e91255a"))
        .expect("third-party sp");
    let sp_id = sp["id"].as_str().expect("id");
    assert_eq!(
        send(
            "PATCH",
            &format!("{g}/v1.0/servicePrincipals/{sp_id}"),
            &token,
            Some(json!({"accountEnabled": false}))
        )
        .await
        .0,
        204
    );
    assert_eq!(
        get(&format!("{g}/v1.0/servicePrincipals/{sp_id}"), &token)
            .await
            .2["accountEnabled"],
        json!(false)
    );
    assert_eq!(
        send(
            "DELETE",
            &format!("{g}/v1.0/servicePrincipals/{sp_id}"),
            &token,
            None
        )
        .await
        .0,
        204
    );
    assert_eq!(
        get(&format!("{g}/v1.0/servicePrincipals/{sp_id}"), &token)
            .await
            .0,
        404
    );

    let devices = read_json(&dir.join("devices.json"));
    let (did, device_id) = (
        devices[0]["id"].as_str().expect("id"),
        devices[0]["deviceId"].as_str().expect("deviceId"),
    );
    assert_eq!(
        send(
            "PATCH",
            &format!("{g}/v1.0/devices(deviceId='{device_id}')"),
            &token,
            Some(json!({"accountEnabled": false}))
        )
        .await
        .0,
        204
    );
    assert_eq!(
        get(&format!("{g}/v1.0/devices/{did}"), &token).await.2["accountEnabled"],
        json!(false)
    );
    assert_eq!(
        send("DELETE", &format!("{g}/v1.0/devices/{did}"), &token, None)
            .await
            .0,
        204
    );
    assert_eq!(get(&format!("{g}/v1.0/devices/{did}"), &token).await.0, 404);
    assert_eq!(
        send("PUT", &format!("{g}/v1.0/devices"), &token, None)
            .await
            .0,
        405
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn background_activity_follows_containment() {
    let Some(shared) = shared_dir() else { return };
    let file = read_json(&scenario(&shared, "harborview-dental").join("signIns.json"));
    let mut per_user: std::collections::BTreeMap<(String, bool), usize> = Default::default();
    for s in file.as_array().expect("signIns") {
        let key = (
            s["userId"].as_str().expect("userId").to_string(),
            s["isInteractive"] == json!(true),
        );
        *per_user.entry(key).or_default() += 1;
    }
    let busiest = |interactive: bool| {
        per_user
            .iter()
            .filter(|((_, i), _)| *i == interactive)
            .max_by_key(|(_, n)| **n)
            .map(|((u, _), _)| u.clone())
            .expect("a user")
    };
    let (refresher, signer) = (busiest(false), busiest(true));
    assert_ne!(
        refresher, signer,
        "the scenario's busiest refresher and signer differ"
    );
    let sim = sim(&shared, |_| {}).await;
    let token = app_token(&sim, HARBORVIEW, GRAPH).await;
    let g = sim.base_urls().graph;
    assert_eq!(
        send(
            "POST",
            &format!("{g}/v1.0/users/{refresher}/revokeSignInSessions"),
            &token,
            None
        )
        .await
        .0,
        200
    );
    assert_eq!(
        send(
            "PATCH",
            &format!("{g}/v1.0/users/{signer}"),
            &token,
            Some(json!({"accountEnabled": false}))
        )
        .await
        .0,
        204
    );
    let start = sim.control().now();
    sim.control().set_background_activity(true);
    sim.control().advance_clock(chrono::Duration::days(7));
    let token = app_token(&sim, HARBORVIEW, GRAPH).await;
    let since = start.format("%Y-%m-%dT%H:%M:%SZ");
    let all_types = "signInEventTypes/any(t: t eq 'interactiveUser' or t eq 'nonInteractiveUser')";
    let (refreshes, _) = walk(&format!("{g}/beta/auditLogs/signIns?$filter=userId eq '{refresher}' and createdDateTime ge {since} and {all_types}"), &token).await;
    let non: Vec<&Value> = refreshes
        .iter()
        .filter(|s| s["isInteractive"] == json!(false))
        .collect();
    assert!(!non.is_empty(), "the busiest refresher keeps refreshing");
    assert!(
        non.iter().all(|s| s["status"]["errorCode"] == 50173),
        "refreshes after revocation fail"
    );
    let (signs, _) = walk(&format!("{g}/beta/auditLogs/signIns?$filter=userId eq '{signer}' and createdDateTime ge {since} and {all_types}"), &token).await;
    assert!(!signs.is_empty());
    assert!(
        signs.iter().all(|s| s["status"]["errorCode"] == 50057),
        "a disabled account cannot sign in"
    );
    // Everyone else keeps signing in successfully, at roughly the snapshot's weekly rate.
    let (week, _) = walk(
        &format!("{g}/beta/auditLogs/signIns?$filter=createdDateTime ge {since} and {all_types}"),
        &token,
    )
    .await;
    let weekly = file.as_array().expect("s").len() as f64 * 7.0 / 180.0;
    assert!(
        (week.len() as f64) > weekly * 0.5 && (week.len() as f64) < weekly * 2.0,
        "{} generated, about {weekly:.0} expected",
        week.len()
    );
    assert!(week.iter().any(|s| s["status"]["errorCode"] == 0));
    sim.shutdown().await;
}

#[tokio::test]
async fn synced_users_can_revert_or_refuse_a_disable() {
    use parapet_simulator::SyncedAccountPolicy;
    let Some(shared) = shared_dir() else { return };
    let dir = scenario(&shared, "harborview-dental");
    let users = read_json(&dir.join("users.json"));
    let synced = users
        .as_array()
        .expect("users")
        .iter()
        .find(|u| u["onPremisesSyncEnabled"] == json!(true) && u["accountEnabled"] == json!(true))
        .expect("synced");
    let sid = synced["id"].as_str().expect("id");
    let sim = sim(&shared, |_| {}).await;
    let token = app_token(&sim, HARBORVIEW, GRAPH).await;
    let g = sim.base_urls().graph;
    let user_url = format!("{g}/v1.0/users/{sid}?$select=accountEnabled");
    let disable = json!({"accountEnabled": false});

    sim.control()
        .set_synced_account_policy(SyncedAccountPolicy::RevertAfter(120));
    assert_eq!(
        send(
            "PATCH",
            &format!("{g}/v1.0/users/{sid}"),
            &token,
            Some(disable.clone())
        )
        .await
        .0,
        204
    );
    assert_eq!(
        get(&user_url, &token).await.2["accountEnabled"],
        json!(false)
    );
    sim.control().advance_clock(chrono::Duration::seconds(121));
    assert_eq!(
        get(&user_url, &token).await.2["accountEnabled"],
        json!(true),
        "the sync put it back"
    );

    sim.control()
        .set_synced_account_policy(SyncedAccountPolicy::Reject);
    let (status, _, body) = send(
        "PATCH",
        &format!("{g}/v1.0/users/{sid}"),
        &token,
        Some(disable),
    )
    .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (400, Some("Request_BadRequest"))
    );

    // mailboxSettings/userPurpose tells shared mailboxes apart.
    let mailboxes = read_json(&dir.join("mailboxes.json"));
    for m in mailboxes.as_array().expect("mailboxes") {
        let want = match m["recipientTypeDetails"].as_str().expect("type") {
            "SharedMailbox" => "shared",
            "RoomMailbox" => "room",
            "UserMailbox" => "user",
            _ => continue,
        };
        let (status, _, body) = get(
            &format!(
                "{g}/v1.0/users/{}/mailboxSettings/userPurpose",
                m["userId"].as_str().expect("id")
            ),
            &token,
        )
        .await;
        assert_eq!((status, body["value"].as_str()), (200, Some(want)));
    }
    sim.shutdown().await;
}
