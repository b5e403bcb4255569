//! Against the Parapet Graph simulator: the same reads with faults and throttling switched on
//! give exactly the results of a fault-free run; tenants stay apart; 401 and consent paths.

use chrono::Duration as Days;
use parapet_graph::graph::{SignInEventType, USER_FIELDS};
use parapet_graph::{
    ClientConfig, Credentials, GraphClient, GraphError, ODataQuery, TenantClient, TenantId,
};
use parapet_secrets::Sensitive;
use parapet_simulator::{FaultSettings, RunningSimulator, SimConfig, ThrottleLimits};
use serde::Serialize;
use serde_json::{json, Value};

use crate::support::shared_dir;

const HARBORVIEW: &str = "16f3dda5-1cb3-4cc7-8ea9-206f85ee4ae5";
const LONESTAR: &str = "9a1d2959-d6bc-4e6d-92d8-bc74d7b600e3";

async fn simulator() -> Option<(RunningSimulator, String, String)> {
    let shared = shared_dir()?;
    let scenarios = shared.join("scenarios");
    let config = SimConfig::from_dirs(&[
        scenarios.join("harborview-dental"),
        scenarios.join("lonestar-title"),
    ])
    .unwrap();
    let sim = parapet_simulator::start(config).await.unwrap();
    let (client_id, secret) = sim.control().register_partner_app("Parapet graph tests");
    for t in [HARBORVIEW, LONESTAR] {
        sim.control().set_consent(t, true).unwrap();
    }
    // Small report windows keep the throttled runs short while still throttling.
    sim.control().set_throttle_limits(ThrottleLimits {
        reports_requests: 1,
        reports_window_secs: 3.0,
        ..ThrottleLimits::default()
    });
    Some((sim, client_id, secret))
}

fn client(sim: &RunningSimulator, client_id: &str, secret: &str, tenant: &str) -> TenantClient {
    let b = sim.base_urls();
    let endpoints =
        parapet_graph::Endpoints::new(&b.login, &b.graph, &b.exchange, &b.management).unwrap();
    GraphClient::new(endpoints, ClientConfig::default())
        .unwrap()
        .for_tenant(
            TenantId::new(tenant).unwrap(),
            Credentials::ClientSecret {
                client_id: client_id.into(),
                secret: Sensitive::new(secret.into()),
            },
        )
}

fn to_value<T: Serialize>(r: Result<T, GraphError>) -> Value {
    match r {
        Ok(v) => serde_json::to_value(v).unwrap(),
        Err(e) => json!({ "error": e.to_string() }),
    }
}

fn per_user<T: Serialize>(r: Result<parapet_graph::graph::PerUser<T>, GraphError>) -> Value {
    match r {
        Ok(items) => Value::Array(
            items
                .into_iter()
                .map(|(u, r)| json!([u, to_value(r)]))
                .collect(),
        ),
        Err(e) => json!({ "error": e.to_string() }),
    }
}

/// Everything a scan reads, as one JSON document.
async fn scan(c: &TenantClient, now: chrono::DateTime<chrono::Utc>) -> Value {
    let from = now - Days::days(180);
    let users = c
        .users(&ODataQuery::new().select(USER_FIELDS).top(999))
        .collect_all()
        .await
        .unwrap();
    let ids: Vec<String> = users.iter().filter_map(|u| u.id.clone()).collect();
    let activity = management_records(c, now).await;
    json!({
        "activity": to_value(activity),
        "users": to_value(Ok(users)),
        "skus": to_value(c.subscribed_skus().await),
        "signIns": to_value(c.sign_ins(from, now, None).collect_all().await),
        "signInsNonInteractive": to_value(c.sign_ins(from, now, Some(SignInEventType::NonInteractiveUser)).collect_all().await),
        "directoryAudits": to_value(c.directory_audits(from, now, None).collect_all().await),
        "servicePrincipals": to_value(c.service_principals(&ODataQuery::new()).collect_all().await),
        "applications": to_value(c.applications(&ODataQuery::new()).collect_all().await),
        "grants": to_value(c.oauth2_permission_grants(&ODataQuery::new()).collect_all().await),
        "devices": to_value(c.devices(&ODataQuery::new()).collect_all().await),
        "inboxRules": per_user(c.inbox_rules_of_users(&ids).await),
        "authMethods": per_user(c.authentication_methods_of_users(&ids).await),
        "mailboxes": to_value(c.mailboxes().collect_all().await),
        "transportRules": to_value(c.transport_rules().await),
        "inboundConnectors": to_value(c.inbound_connectors().await),
    })
}

/// Six days of Audit.Exchange content: listing (NextPageUri paging) and every blob.
async fn management_records(
    c: &TenantClient,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Vec<parapet_graph::model::management::AuditRecord>, GraphError> {
    use parapet_graph::management::ContentType;
    c.start_subscription(ContentType::Exchange).await?;
    let mut records = Vec::new();
    for day in 0..6 {
        let end = now - Days::days(day);
        let blobs = c
            .list_content(ContentType::Exchange, end - Days::hours(24), end)
            .collect_all()
            .await?;
        for blob in &blobs {
            records.extend(c.fetch_content(blob).await?);
        }
    }
    Ok(records)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn faults_and_throttling_do_not_change_results() {
    let Some((sim, id, secret)) = simulator().await else {
        return;
    };
    let now = sim.control().now();
    let clean = scan(&client(&sim, &id, &secret, HARBORVIEW), now).await;
    // Sanity: the clean run saw the scenario (and no request-level failures).
    assert_eq!(clean["users"].as_array().unwrap().len(), 25);
    assert!(
        clean["signIns"].as_array().is_some_and(|a| !a.is_empty()),
        "{}",
        clean["signIns"]
    );
    for key in [
        "skus",
        "signIns",
        "directoryAudits",
        "servicePrincipals",
        "grants",
        "mailboxes",
        "transportRules",
    ] {
        assert!(clean[key].get("error").is_none(), "{key}: {}", clean[key]);
    }
    sim.control().set_faults(FaultSettings {
        error_rate: 0.12,
        drop_rate: 0.06,
        slow_rate: 0.05,
        slow_ms: 30,
        ..FaultSettings::default()
    });
    // A fresh client: its token fetch goes through the faults too.
    let faulty_client = client(&sim, &id, &secret, HARBORVIEW);
    let faulty = scan(&faulty_client, now).await;
    let stats = faulty_client.stats();
    eprintln!("faulty run: {stats:?}");
    assert!(
        stats.unavailable > 0 && stats.connection_failures > 0,
        "faults were injected: {stats:?}"
    );
    assert!(stats.throttled > 0, "report throttling was hit: {stats:?}");
    for key in clean.as_object().unwrap().keys() {
        assert_eq!(clean[key], faulty[key], "{key} differs under faults");
    }
    sim.shutdown().await;
}

#[tokio::test]
async fn two_tenants_through_the_simulator_stay_apart() {
    let Some((sim, id, secret)) = simulator().await else {
        return;
    };
    let a = client(&sim, &id, &secret, HARBORVIEW);
    let b = client(&sim, &id, &secret, LONESTAR);
    let (ua, ub, ma, mb) = tokio::join!(
        a.users(&ODataQuery::new()).collect_all(),
        b.users(&ODataQuery::new()).collect_all(),
        a.mailboxes().collect_all(),
        b.mailboxes().collect_all(),
    );
    assert_eq!(ua.unwrap().len(), 25);
    assert_eq!(ub.unwrap().len(), 60);
    let (ma, mb) = (ma.unwrap(), mb.unwrap());
    assert!(!ma.is_empty() && !mb.is_empty());
    let names =
        |m: &[parapet_graph::model::exchange::Mailbox]| -> std::collections::HashSet<String> {
            m.iter()
                .filter_map(|x| {
                    x.user_principal_name
                        .clone()
                        .or(x.primary_smtp_address.clone())
                })
                .collect()
        };
    assert!(
        names(&ma).is_disjoint(&names(&mb)),
        "mailboxes of A and B overlap"
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn expired_tokens_are_refreshed_and_missing_consent_is_typed() {
    let Some((sim, id, secret)) = simulator().await else {
        return;
    };
    let c = client(&sim, &id, &secret, HARBORVIEW);
    c.users(&ODataQuery::new()).collect_all().await.unwrap();
    sim.control().expire_tokens();
    assert_eq!(
        c.users(&ODataQuery::new())
            .collect_all()
            .await
            .unwrap()
            .len(),
        25,
        "401 → new token"
    );
    sim.control().set_consent(LONESTAR, false).unwrap();
    let e = client(&sim, &id, &secret, LONESTAR)
        .users(&ODataQuery::new())
        .collect_all()
        .await
        .unwrap_err();
    assert!(matches!(e, GraphError::NotConsented { .. }), "{e:?}");
    assert!(e.to_string().contains("AADSTS700016"), "{e}");
    let wrong = client(&sim, &id, "not-the-secret-at-all", HARBORVIEW)
        .users(&ODataQuery::new())
        .collect_all()
        .await
        .unwrap_err();
    assert!(
        matches!(wrong, GraphError::InvalidClient { .. }),
        "{wrong:?}"
    );
    assert!(!format!("{wrong} {wrong:?}").contains("not-the-secret-at-all"));
    sim.shutdown().await;
}

#[tokio::test]
async fn containment_writes_against_the_simulator() {
    let Some((sim, id, secret)) = simulator().await else {
        return;
    };
    let c = client(&sim, &id, &secret, HARBORVIEW);
    let user = "c8bff848-1c3e-43fd-bfae-10037fe3572f";
    assert!(c.revoke_sign_in_sessions(user).await.unwrap());
    c.set_account_enabled(user, false).await.unwrap();
    let after = c.user(user, &["id", "accountEnabled"]).await.unwrap();
    assert_eq!(after.account_enabled, Some(false));

    let policy = c
        .create_conditional_access_policy(parapet_graph::graph::block_users_policy(
            "MSP-Lockout-test",
            &[user],
            &[],
        ))
        .await
        .unwrap();
    assert_eq!(policy.display_name.as_deref(), Some("MSP-Lockout-test"));
    c.delete_conditional_access_policy(&policy.id)
        .await
        .unwrap();

    let rules = c.inbox_rules(user).await.unwrap();
    assert_eq!(rules.len(), 3);
    c.delete_inbox_rule(user, &rules[0].id).await.unwrap();
    assert_eq!(c.inbox_rules(user).await.unwrap().len(), 2);

    let owner = "5218f7f5-6a4a-4534-b416-0e2869d7a8fd";
    let found = c
        .messages(
            owner,
            &parapet_graph::graph::MessageFilter::InternetMessageId(
                "<5c7cdc7cc297a80d.be6bdb3e@email.adobe.com>".into(),
            ),
        )
        .collect_all()
        .await
        .unwrap();
    assert_eq!(found.len(), 1);
    let moved = c
        .move_message(owner, &found[0].id, "deleteditems")
        .await
        .unwrap();
    assert_ne!(moved.id, found[0].id, "a moved message gets a new id");
    sim.shutdown().await;
}

#[tokio::test]
async fn exchange_forwarding_is_cleared_through_invoke_command() {
    let Some((sim, id, secret)) = simulator().await else {
        return;
    };
    let c = client(&sim, &id, &secret, LONESTAR);
    let before = c.mailbox("walter.morales").await.unwrap().unwrap();
    assert_eq!(
        before.forwarding_smtp_address.as_deref(),
        Some("smtp:wmorales1278@gmail.com")
    );
    c.set_mailbox_forwarding("walter.morales", None, false)
        .await
        .unwrap();
    let after = c.mailbox("walter.morales").await.unwrap().unwrap();
    assert!(
        after
            .forwarding_smtp_address
            .as_deref()
            .unwrap_or("")
            .is_empty(),
        "{after:?}"
    );
    assert_eq!(after.deliver_to_mailbox_and_forward, Some(false));
    // The whole tenant's mailboxes page through InvokeCommand.
    assert_eq!(c.mailboxes().collect_all().await.unwrap().len(), 58);
    sim.shutdown().await;
}

#[tokio::test]
async fn management_activity_content_through_the_simulator() {
    let Some((sim, id, secret)) = simulator().await else {
        return;
    };
    let c = client(&sim, &id, &secret, HARBORVIEW);
    let subscription = c
        .start_subscription(parapet_graph::management::ContentType::Exchange)
        .await
        .unwrap();
    assert_eq!(subscription.status.as_deref(), Some("enabled"));
    assert!(c
        .list_subscriptions()
        .await
        .unwrap()
        .iter()
        .any(|s| s.content_type == "Audit.Exchange"));
    let now = sim.control().now();
    let mut records = 0;
    let mut blobs = 0;
    // Six whole days: a window starting exactly 7 days back would lapse in flight (AF20030).
    for day in 0..6 {
        let end = now - Days::days(day);
        let listed = c
            .list_content(
                parapet_graph::management::ContentType::Exchange,
                end - Days::hours(24),
                end,
            )
            .collect_all()
            .await
            .unwrap();
        for blob in &listed {
            records += c.fetch_content(blob).await.unwrap().len();
        }
        blobs += listed.len();
    }
    eprintln!("{blobs} blobs, {records} records");
    assert!(blobs > 0 && records > 0, "{blobs} blobs, {records} records");
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_mailbox_semaphore_keeps_outlook_from_throttling() {
    let Some((sim, id, secret)) = simulator().await else {
        return;
    };
    // Each mail request holds its Outlook concurrency slot for 60 ms.
    sim.control().set_faults(FaultSettings {
        latency_ms: 60,
        path_prefix: Some("/graph/v1.0/users".into()),
        ..FaultSettings::default()
    });
    let b = sim.base_urls();
    let endpoints =
        parapet_graph::Endpoints::new(&b.login, &b.graph, &b.exchange, &b.management).unwrap();
    let run = |concurrency: usize| {
        let endpoints = endpoints.clone();
        let (id, secret) = (id.clone(), secret.clone());
        async move {
            let config = ClientConfig {
                mailbox_concurrency: concurrency,
                ..ClientConfig::default()
            };
            let c = GraphClient::new(endpoints, config).unwrap().for_tenant(
                TenantId::new(HARBORVIEW).unwrap(),
                Credentials::ClientSecret {
                    client_id: id,
                    secret: Sensitive::new(secret),
                },
            );
            let tasks: Vec<_> = (0..16)
                .map(|_| {
                    let c = c.clone();
                    tokio::spawn(async move {
                        c.inbox_rules("c8bff848-1c3e-43fd-bfae-10037fe3572f")
                            .await
                            .unwrap()
                            .len()
                    })
                })
                .collect();
            for t in tasks {
                assert_eq!(t.await.unwrap(), 3);
            }
            c.stats()
        }
    };
    let limited = run(4).await;
    assert_eq!(limited.throttled + limited.unavailable, 0, "{limited:?}");
    // Control: without the limit the simulator does refuse concurrent requests (and the
    // retries still get every answer).
    let unlimited = run(16).await;
    assert!(
        unlimited.throttled + unlimited.unavailable > 0,
        "{unlimited:?}"
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn throttled_batch_items_are_retried_until_answered() {
    let Some((sim, id, secret)) = simulator().await else {
        return;
    };
    let c = client(&sim, &id, &secret, HARBORVIEW);
    let users: Vec<String> = c
        .users(&ODataQuery::new().select(&["id"]))
        .collect_all()
        .await
        .unwrap()
        .into_iter()
        .filter_map(|u| u.id)
        .collect();
    let clean = per_user(c.inbox_rules_of_users(&users).await);
    // Two requests per mailbox per second: several users' batches now meet inner 429s.
    sim.control().set_throttle_limits(ThrottleLimits {
        mail_requests: 2,
        mail_window_secs: 1.0,
        ..ThrottleLimits::default()
    });
    let mut repeated = users.clone();
    repeated.extend(users.iter().take(10).cloned());
    repeated.extend(users.iter().take(10).cloned());
    let before = c.stats();
    let throttled = per_user(c.inbox_rules_of_users(&repeated).await);
    let after = c.stats();
    assert!(
        after.batch_items_retried > before.batch_items_retried,
        "{after:?}"
    );
    let throttled = throttled.as_array().unwrap();
    let clean = clean.as_array().unwrap();
    assert_eq!(
        &throttled[..users.len()],
        &clean[..],
        "same answers despite inner throttling"
    );
    assert_eq!(&throttled[users.len()..users.len() + 10], &clean[..10]);
    sim.shutdown().await;
}
