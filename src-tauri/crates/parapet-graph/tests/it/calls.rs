//! Typed calls against Microsoft's documented status codes, error shapes, `$batch` and the
//! mailbox concurrency limit.

use std::sync::atomic::Ordering;
use std::time::Duration;

use parapet_graph::graph::{block_users_policy, MessageFilter};
use parapet_graph::model::identity::MethodKind;
use parapet_graph::{ApiVersion, BatchRequest, GraphError};
use parapet_secrets::Sensitive;
use serde_json::json;

use crate::support::*;

#[tokio::test]
async fn containment_calls_use_documented_status_codes() {
    let server = serve(|seen, s| {
        let p = seen.path.as_str();
        match (seen.method.as_str(), p) {
            ("POST", "/graph/v1.0/users/u1/revokeSignInSessions") => {
                Reply::json(200, json!({"@odata.context": "…#Edm.Boolean", "value": true}))
            }
            ("PATCH", "/graph/v1.0/users/u1") => {
                assert_eq!(seen.json(), json!({"accountEnabled": false}));
                Reply::empty(204)
            }
            ("POST", "/graph/v1.0/identity/conditionalAccess/policies") => {
                let mut body = seen.json();
                body["id"] = json!("pol-1");
                body["createdDateTime"] = json!("2026-06-01T00:00:00Z");
                Reply::json(201, body)
            }
            ("DELETE", "/graph/v1.0/identity/conditionalAccess/policies/pol-1") => Reply::empty(204),
            ("POST", "/graph/v1.0/users/u1/messages/AAMk==/move") => {
                Reply::json(201, json!({"id": "NEW-ID", "parentFolderId": "deleteditems", "subject": "x"}))
            }
            ("POST", "/graph/v1.0/users/u1/authentication/methods/28c10230-6103-485e-b985-444c60001490/resetPassword") => {
                Reply::json(202, json!({"@odata.context": "…passwordResetResponse", "newPassword": "Cuyo5459"}))
                    .header("Location", &format!("{}/graph/v1.0/users/u1/authentication/operations/op1?aadgdc=DUB02P", s.base))
            }
            ("GET", "/graph/v1.0/users/u1/authentication/operations/op1") => {
                let status = if s.bump("op") < 3 { "running" } else { "succeeded" };
                Reply::json(200, json!({"id": "op1", "status": status}))
            }
            ("DELETE", "/graph/v1.0/users/u1/authentication/microsoftAuthenticatorMethods/m1") => Reply::empty(204),
            _ => Reply::error(404, "Request_ResourceNotFound", &format!("no route {p}")),
        }
    })
    .await;
    let c = tenant(&client_for(&server.base, fast_config()), "t1");
    assert!(c.revoke_sign_in_sessions("u1").await.unwrap());
    c.set_account_enabled("u1", false).await.unwrap();
    let policy = c
        .create_conditional_access_policy(block_users_policy(
            "MSP-Lockout-u1",
            &["u1"],
            &["breakglass"],
        ))
        .await
        .unwrap();
    assert_eq!(policy.id, "pol-1");
    assert_eq!(
        policy.grant_controls.as_ref().unwrap().built_in_controls,
        Some(vec!["block".to_string()])
    );
    c.delete_conditional_access_policy("pol-1").await.unwrap();
    let moved = c
        .move_message("u1", "AAMk==", "deleteditems")
        .await
        .unwrap();
    assert_eq!(moved.id, "NEW-ID");
    let reset = c
        .reset_password("u1", "28c10230-6103-485e-b985-444c60001490", None)
        .await
        .unwrap();
    assert_eq!(reset.new_password.as_ref().unwrap().expose(), "Cuyo5459");
    assert!(!format!("{reset:?}").contains("Cuyo5459"));
    let op = c
        .wait_for_operation(
            reset.operation_url.as_deref().unwrap(),
            Duration::from_millis(20),
            Duration::from_secs(5),
        )
        .await
        .unwrap();
    assert_eq!(op.status.as_deref(), Some("succeeded"));
    c.delete_authentication_method("u1", MethodKind::MicrosoftAuthenticator, "m1")
        .await
        .unwrap();
    assert!(matches!(
        c.delete_authentication_method("u1", MethodKind::Password, "p")
            .await,
        Err(GraphError::Config { .. })
    ));
}

#[tokio::test]
async fn microsoft_errors_keep_code_and_message_and_never_the_password() {
    let password = "Tr0ub4dor&3-very-secret";
    let server = serve(move |seen, _| {
        if seen.path.ends_with("/auditLogs/signIns") {
            return Reply::error(403, "Authentication_RequestFromNonPremiumTenantOrB2CTenant", "Neither tenant is B2C or tenant doesn't have premium license");
        }
        // A hypothetical echo of the request: the client must not pass it on.
        let echoed = String::from_utf8_lossy(&seen.body).to_string();
        Reply::error(400, "Request_BadRequest", &format!("Unable to update the specified properties for on-premises mastered Directory Sync objects. {echoed}"))
    })
    .await;
    let c = tenant(&client_for(&server.base, fast_config()), "t1");
    let now = chrono::Utc::now();
    let e = c
        .sign_ins(now - chrono::Duration::days(1), now, None)
        .collect_all()
        .await
        .unwrap_err();
    assert!(
        matches!(&e, GraphError::NoPremiumLicence { message, .. } if message.contains("premium license")),
        "{e:?}"
    );
    let e = c
        .set_password("synced@x", &Sensitive::new(password.into()), true)
        .await
        .unwrap_err();
    match &e {
        GraphError::BadRequest { code, message, .. } => {
            assert_eq!(code, "Request_BadRequest");
            assert!(message.starts_with("Unable to update the specified properties"));
        }
        other => panic!("{other:?}"),
    }
    assert!(!format!("{e} {e:?}").contains(password));
    // The password did go to Microsoft, in the body only.
    assert!(String::from_utf8_lossy(&server.api_requests()[1].body).contains(password));
    assert!(!server.api_requests()[1].query.contains(password));
}

#[tokio::test]
async fn message_filters_quote_attacker_text() {
    let server = serve(|_, _| page(vec![], None)).await;
    let c = tenant(&client_for(&server.base, fast_config()), "t1");
    c.messages(
        "u1",
        &MessageFilter::Subject("Invoice' or subject ne 'x".into()),
    )
    .collect_all()
    .await
    .unwrap();
    c.messages(
        "u1",
        &MessageFilter::InternetMessageId("<a+b@x.example>".into()),
    )
    .collect_all()
    .await
    .unwrap();
    let filters: Vec<String> = server
        .api_requests()
        .iter()
        .map(|s| {
            url::form_urlencoded::parse(s.query.as_bytes())
                .find(|(k, _)| k == "$filter")
                .unwrap()
                .1
                .into_owned()
        })
        .collect();
    assert_eq!(filters[0], "subject eq 'Invoice'' or subject ne ''x'");
    assert_eq!(filters[1], "internetMessageId eq '<a+b@x.example>'");
}

#[tokio::test]
async fn at_most_four_requests_in_flight_per_mailbox() {
    let server = serve(|seen, _| {
        let mailbox = seen.path.split('/').nth(4).unwrap().to_string();
        page(vec![json!({"id": format!("r-{mailbox}")})], None).after(Duration::from_millis(40))
    })
    .await;
    let c = tenant(&client_for(&server.base, fast_config()), "t1");
    let run = |mailboxes: Vec<&'static str>| {
        let c = c.clone();
        async move {
            let tasks: Vec<_> = mailboxes
                .into_iter()
                .map(|m| {
                    let c = c.clone();
                    tokio::spawn(async move { c.inbox_rules(m).await.unwrap() })
                })
                .collect();
            for t in tasks {
                assert_eq!(t.await.unwrap().len(), 1);
            }
        }
    };
    run(vec!["alice@x"; 16]).await;
    let one_mailbox = server.peak_in_flight.swap(0, Ordering::SeqCst);
    assert_eq!(
        one_mailbox, 4,
        "16 concurrent calls on one mailbox run 4 at a time"
    );
    // The limit is per mailbox: two mailboxes may have 4 each.
    let mut both = vec!["alice@x"; 8];
    both.extend(vec!["bob@x"; 8]);
    run(both).await;
    assert_eq!(server.peak_in_flight.load(Ordering::SeqCst), 8);
}

#[tokio::test]
async fn batch_splits_by_twenty_and_retries_only_throttled_items() {
    let server = serve(|seen, s| {
        assert_eq!(seen.path, "/graph/v1.0/$batch");
        let requests = seen.json()["requests"].as_array().unwrap().clone();
        assert!(requests.len() <= 20);
        let batch_no = s.bump("batch");
        s.counters.lock().unwrap().insert(format!("size{batch_no}"), requests.len() as u64);
        let responses: Vec<_> = requests
            .iter()
            .rev() // Microsoft may answer out of order.
            .map(|r| {
                let id = r["id"].as_str().unwrap();
                let user = r["url"].as_str().unwrap().split('/').nth(2).unwrap().to_string();
                if id == "3" && s.bump("item3") == 1 {
                    json!({"id": id, "status": 429, "headers": {"Retry-After": "0.2"}, "body": {"error": {"code": "TooManyRequests", "message": "later"}}})
                } else if id == "7" {
                    json!({"id": id, "status": 404, "body": {"error": {"code": "ErrorItemNotFound", "message": "The specified object was not found in the store."}}})
                } else {
                    json!({"id": id, "status": 200, "headers": {}, "body": {"value": [{"id": format!("rule-of-{user}"), "displayName": "r"}]}})
                }
            })
            .collect();
        Reply::json(200, json!({"responses": responses}))
    })
    .await;
    let c = tenant(&client_for(&server.base, fast_config()), "t1");
    let users: Vec<String> = (0..25).map(|i| format!("user{i}")).collect();
    let results = c.inbox_rules_of_users(&users).await.unwrap();
    assert_eq!(results.len(), 25);
    for (i, (user, result)) in results.iter().enumerate() {
        assert_eq!(user, &users[i]);
        match i {
            7 => assert!(
                matches!(result, Err(GraphError::NotFound { code, .. }) if code == "ErrorItemNotFound"),
                "{result:?}"
            ),
            _ => assert_eq!(result.as_ref().unwrap()[0].id, format!("rule-of-{user}")),
        }
    }
    let batches = server.api_requests();
    assert_eq!(batches.len(), 3, "20 + 5, then one retry batch");
    let mut sizes: Vec<u64> = (1..=3)
        .map(|n| server.counters.lock().unwrap()[&format!("size{n}")])
        .collect();
    // The first two batches go out together, in either order.
    sizes[..2].sort_unstable();
    assert_eq!(sizes, [5, 20, 1]);
    let first_wave_gap = batches[1].at.max(batches[0].at) - batches[1].at.min(batches[0].at);
    assert!(
        first_wave_gap < Duration::from_millis(150),
        "the 20 and the 5 were sent in parallel"
    );
    assert!(
        batches[2].at - batches[1].at.max(batches[0].at) >= Duration::from_millis(200),
        "inner Retry-After honoured"
    );
    let retried = &batches[2].json()["requests"][0];
    assert_eq!(retried["id"], "3");
}

#[tokio::test]
async fn batch_rejects_duplicate_ids() {
    let server = serve(|_, _| Reply::json(200, json!({"responses": []}))).await;
    let c = tenant(&client_for(&server.base, fast_config()), "t1");
    let e = c
        .batch(
            ApiVersion::V1,
            vec![
                BatchRequest::get("1", "/users/a"),
                BatchRequest::get("1", "/users/b"),
            ],
        )
        .await
        .unwrap_err();
    assert!(matches!(e, GraphError::Config { .. }));
    assert!(server.api_requests().is_empty());
}

#[tokio::test]
async fn exchange_typed_cmdlets_send_documented_parameters() {
    let server = serve(|seen, _| {
        let input = &seen.json()["CmdletInput"];
        let body = match input["CmdletName"].as_str().unwrap() {
            "Get-Mailbox" => json!({"value": [{"Identity": "alice", "ForwardingSmtpAddress": "smtp:attacker@evil.example", "DeliverToMailboxAndForward": true, "RecipientTypeDetails": "UserMailbox"}]}),
            "Set-Mailbox" => {
                assert_eq!(input["Parameters"], json!({"Identity": "alice", "ForwardingSmtpAddress": null, "ForwardingAddress": null, "DeliverToMailboxAndForward": false}));
                json!({"value": []})
            }
            "Get-InboxRule" => {
                assert_eq!(input["Parameters"], json!({"Mailbox": "alice", "IncludeHidden": true}));
                json!({"value": [{"Identity": "alice\\123", "Name": "..", "Enabled": true, "ForwardTo": ["\"x\" [SMTP:x@evil.example]"]}]})
            }
            "Remove-InboxRule" | "Remove-InboundConnector" | "Remove-TransportRule" | "Disable-TransportRule" => {
                assert_eq!(input["Parameters"]["Confirm"], json!(false));
                json!({"value": []})
            }
            "Get-TransportRule" => json!({"value": [{"Name": "bcc", "State": "Enabled", "BlindCopyTo": ["x@evil.example"]}]}),
            other => return Reply::json(400, json!({"error": {"code": "BadRequest", "message": "outer", "details": [{"message": format!("The term '{other}' is not recognized")}]}})),
        };
        Reply::json(200, body)
    })
    .await;
    let c = tenant(&client_for(&server.base, fast_config()), "t1");
    let mb = c.mailbox("alice").await.unwrap().unwrap();
    assert_eq!(
        mb.forwarding_smtp_address.as_deref(),
        Some("smtp:attacker@evil.example")
    );
    c.set_mailbox_forwarding("alice", None, false)
        .await
        .unwrap();
    let rules = c.exchange_inbox_rules("alice").await.unwrap();
    assert_eq!(rules[0].name.as_deref(), Some(".."));
    c.remove_exchange_inbox_rule("alice\\123").await.unwrap();
    assert_eq!(
        c.transport_rules().await.unwrap()[0].state.as_deref(),
        Some("Enabled")
    );
    c.disable_transport_rule("bcc").await.unwrap();
    c.remove_transport_rule("bcc").await.unwrap();
    c.remove_inbound_connector("relay").await.unwrap();
    let e = c.invoke("Get-Nonsense", json!({})).await.unwrap_err();
    match e {
        GraphError::BadRequest { message, .. } => {
            assert_eq!(message, "The term 'Get-Nonsense' is not recognized")
        }
        other => panic!("{other:?}"),
    }
}
