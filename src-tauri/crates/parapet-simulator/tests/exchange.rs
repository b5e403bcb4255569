//! Exchange InvokeCommand cmdlets over the snapshot's Exchange data, paging and errors.

mod common;
use common::*;
use parapet_simulator::SimConfig;
use serde_json::{json, Value};

async fn invoke(
    sim: &parapet_simulator::RunningSimulator,
    token: &str,
    tenant: &str,
    cmdlet: &str,
    params: Value,
) -> (u16, Value) {
    let url = format!(
        "{}/adminapi/beta/{tenant}/InvokeCommand",
        sim.base_urls().exchange
    );
    let (status, _, body) = send(
        "POST",
        &url,
        token,
        Some(json!({"CmdletInput": {"CmdletName": cmdlet, "Parameters": params}})),
    )
    .await;
    (status, body)
}

/// Lonestar with one rule marked hidden and a mailbox permission added.
fn prepared_copy(shared: &std::path::Path) -> (tempfile::TempDir, String, String) {
    let dir = tempfile::tempdir().expect("tempdir");
    let src = scenario(shared, "lonestar-title");
    for entry in std::fs::read_dir(&src).expect("dir") {
        let path = entry.expect("entry").path();
        std::fs::copy(&path, dir.path().join(path.file_name().expect("name"))).expect("copy");
    }
    let rules_path = dir.path().join("messageRules.json");
    let mut rules = read_json(&rules_path);
    let (uid, list) = rules
        .as_object_mut()
        .expect("rules")
        .iter_mut()
        .next()
        .expect("a user");
    let uid = uid.clone();
    list[0]["isHidden"] = json!(true);
    let hidden_id = list[0]["id"].as_str().expect("id").to_string();
    std::fs::write(&rules_path, rules.to_string()).expect("write");
    let mailboxes = read_json(&dir.path().join("mailboxes.json"));
    let upn = mailboxes[0]["userPrincipalName"]
        .as_str()
        .expect("upn")
        .to_string();
    let perms = json!([{"Identity": upn, "User": "intruder@lonestartitleco.com", "AccessRights": ["FullAccess"], "IsInherited": false, "Deny": false}]);
    std::fs::write(
        dir.path().join("mailboxPermissions.json"),
        perms.to_string(),
    )
    .expect("write");
    (dir, uid, hidden_id)
}

#[tokio::test]
async fn cmdlets_read_and_change_exchange_state() {
    let Some(shared) = shared_dir() else { return };
    let (copy, rule_user, hidden_id) = prepared_copy(&shared);
    let mut config = SimConfig::from_dirs(&[copy.path()]).expect("load");
    config.consented = true;
    config.throttle = parapet_simulator::ThrottleMode::Off;
    let sim = parapet_simulator::start(config).await.expect("start");
    let (id, secret) = sim.control().register_partner_app("Parapet");
    let exo = token_for(&sim, LONESTAR, &id, &secret, EXCHANGE).await;
    let graph = token_for(&sim, LONESTAR, &id, &secret, GRAPH).await;
    let mailboxes = read_json(&copy.path().join("mailboxes.json"));
    let n_mailboxes = mailboxes.as_array().expect("mailboxes").len();

    let (status, body) = invoke(&sim, &exo, LONESTAR, "Get-Mailbox", json!({})).await;
    assert_eq!(status, 200);
    assert!(body["@odata.context"].is_string());
    assert_eq!(body["value"].as_array().expect("value").len(), n_mailboxes);
    let upn = mailboxes[1]["userPrincipalName"].as_str().expect("upn");
    let (_, one) = invoke(
        &sim,
        &exo,
        LONESTAR,
        "Get-Mailbox",
        json!({"Identity": upn}),
    )
    .await;
    assert_eq!(one["value"][0]["UserPrincipalName"], upn);
    assert!(one["value"][0].get("ForwardingSmtpAddress").is_some());
    let (status, _) = invoke(&sim, &exo, LONESTAR, "Set-Mailbox", json!({"Identity": upn, "ForwardingSMTPAddress": "x@evil.example", "DeliverToMailboxAndForward": true})).await;
    assert_eq!(status, 200);
    let (_, one) = invoke(
        &sim,
        &exo,
        LONESTAR,
        "Get-Mailbox",
        json!({"Identity": upn}),
    )
    .await;
    assert_eq!(
        one["value"][0]["ForwardingSmtpAddress"],
        "smtp:x@evil.example"
    );
    invoke(&sim, &exo, LONESTAR, "Set-Mailbox", json!({"Identity": upn, "ForwardingSMTPAddress": null, "ForwardingAddress": null, "DeliverToMailboxAndForward": false})).await;
    let (_, one) = invoke(
        &sim,
        &exo,
        LONESTAR,
        "Get-Mailbox",
        json!({"Identity": upn}),
    )
    .await;
    assert_eq!(one["value"][0]["ForwardingSmtpAddress"], Value::Null);
    let (status, err) = invoke(
        &sim,
        &exo,
        LONESTAR,
        "Get-Mailbox",
        json!({"Identity": "ghost@nowhere"}),
    )
    .await;
    assert_eq!(status, 400);
    assert!(err["error"]["details"][0]["message"]
        .as_str()
        .is_some_and(|m| m.contains("couldn't be found")));

    // Hidden rules: absent from Graph and from Get-InboxRule unless -IncludeHidden.
    let rules = read_json(&copy.path().join("messageRules.json"));
    let total = rules[&rule_user].as_array().expect("list").len();
    let g = sim.base_urls().graph;
    let (_, _, graph_rules) = get(
        &format!("{g}/v1.0/users/{rule_user}/mailFolders/inbox/messageRules"),
        &graph,
    )
    .await;
    assert_eq!(graph_rules["value"].as_array().expect("v").len(), total - 1);
    let (_, visible) = invoke(
        &sim,
        &exo,
        LONESTAR,
        "Get-InboxRule",
        json!({"Mailbox": rule_user}),
    )
    .await;
    assert_eq!(visible["value"].as_array().expect("v").len(), total - 1);
    let (_, all) = invoke(
        &sim,
        &exo,
        LONESTAR,
        "Get-InboxRule",
        json!({"Mailbox": rule_user, "IncludeHidden": true}),
    )
    .await;
    let all = all["value"].as_array().expect("v").clone();
    assert_eq!(all.len(), total);
    let hidden = all
        .iter()
        .find(|r| r["RuleIdentity"] == json!(hidden_id))
        .expect("hidden rule listed");
    let identity = hidden["Identity"].as_str().expect("identity");
    let (status, _) = invoke(
        &sim,
        &exo,
        LONESTAR,
        "Remove-InboxRule",
        json!({"Identity": identity, "Confirm": false}),
    )
    .await;
    assert_eq!(status, 200);
    let (_, all) = invoke(
        &sim,
        &exo,
        LONESTAR,
        "Get-InboxRule",
        json!({"Mailbox": rule_user, "IncludeHidden": true}),
    )
    .await;
    assert_eq!(all["value"].as_array().expect("v").len(), total - 1);

    let (_, conns) = invoke(&sim, &exo, LONESTAR, "Get-InboundConnector", json!({})).await;
    let conn = conns["value"][0]["Identity"]
        .as_str()
        .expect("connector")
        .to_string();
    assert_eq!(
        invoke(
            &sim,
            &exo,
            LONESTAR,
            "Remove-InboundConnector",
            json!({"Identity": conn})
        )
        .await
        .0,
        200
    );
    assert_eq!(
        invoke(&sim, &exo, LONESTAR, "Get-InboundConnector", json!({}))
            .await
            .1["value"],
        json!([])
    );
    let (_, trs) = invoke(&sim, &exo, LONESTAR, "Get-TransportRule", json!({})).await;
    let n_tr = trs["value"].as_array().expect("v").len();
    let tr = trs["value"][0]["Name"].as_str().expect("name").to_string();
    invoke(
        &sim,
        &exo,
        LONESTAR,
        "Disable-TransportRule",
        json!({"Identity": tr}),
    )
    .await;
    assert_eq!(
        invoke(
            &sim,
            &exo,
            LONESTAR,
            "Get-TransportRule",
            json!({"Identity": tr})
        )
        .await
        .1["value"][0]["State"],
        "Disabled"
    );
    invoke(
        &sim,
        &exo,
        LONESTAR,
        "Remove-TransportRule",
        json!({"Identity": tr}),
    )
    .await;
    assert_eq!(
        invoke(&sim, &exo, LONESTAR, "Get-TransportRule", json!({}))
            .await
            .1["value"]
            .as_array()
            .expect("v")
            .len(),
        n_tr - 1
    );

    let owner = mailboxes[0]["userPrincipalName"].as_str().expect("upn");
    let (_, perms) = invoke(
        &sim,
        &exo,
        LONESTAR,
        "Get-MailboxPermission",
        json!({"Identity": owner}),
    )
    .await;
    assert_eq!(perms["value"][0]["User"], "intruder@lonestartitleco.com");
    let (status, _) = invoke(&sim, &exo, LONESTAR, "Remove-MailboxPermission", json!({"Identity": owner, "User": "intruder@lonestartitleco.com", "AccessRights": ["FullAccess"], "Confirm": false})).await;
    assert_eq!(status, 200);
    assert_eq!(
        invoke(
            &sim,
            &exo,
            LONESTAR,
            "Get-MailboxPermission",
            json!({"Identity": owner})
        )
        .await
        .1["value"],
        json!([])
    );

    let (status, err) = invoke(&sim, &exo, LONESTAR, "Get-Nonsense", json!({})).await;
    assert_eq!(status, 400);
    assert!(err["error"]["message"].is_string());
    assert!(err["error"]["innererror"]["internalException"]["message"]
        .as_str()
        .is_some_and(|m| m.contains("Get-Nonsense")));
    sim.shutdown().await;
}

#[tokio::test]
async fn invoke_command_pages_with_next_link() {
    let Some(shared) = shared_dir() else { return };
    let n = read_json(&scenario(&shared, "lonestar-title").join("mailboxes.json"))
        .as_array()
        .expect("m")
        .len();
    let sim = sim(&shared, |_| {}).await;
    let token = app_token(&sim, LONESTAR, EXCHANGE).await;
    let body = json!({"CmdletInput": {"CmdletName": "Get-Mailbox", "Parameters": {}}});
    let mut url = format!(
        "{}/adminapi/beta/{LONESTAR}/InvokeCommand",
        sim.base_urls().exchange
    );
    let mut seen = Vec::new();
    loop {
        let resp = client()
            .post(&url)
            .bearer_auth(&token)
            .header("Prefer", "odata.maxpagesize=7")
            .json(&body)
            .send()
            .await
            .expect("invoke");
        assert_eq!(resp.status(), 200);
        let page: Value = resp.json().await.expect("json");
        assert!(page["value"].as_array().expect("v").len() <= 7);
        seen.extend(
            page["value"]
                .as_array()
                .expect("v")
                .iter()
                .map(|m| m["ExternalDirectoryObjectId"].clone()),
        );
        match page["@odata.nextLink"].as_str() {
            Some(next) => url = next.to_string(),
            None => break,
        }
    }
    assert_eq!(seen.len(), n);
    let unique: std::collections::HashSet<String> = seen.iter().map(Value::to_string).collect();
    assert_eq!(unique.len(), n);
    sim.shutdown().await;
}
