//! Tenant isolation: a token obtained for tenant A never reaches a URL for tenant B.

use parapet_graph::{GraphError, ODataQuery};
use serde_json::json;

use crate::support::*;

/// The tenant a token was issued for (`tok-{tenant}-{n}`).
fn token_tenant(token: &str) -> String {
    let rest = token.strip_prefix("tok-").unwrap();
    rest[..rest.rfind('-').unwrap()].to_string()
}

/// The tenant a URL path names, if any (Exchange and Management carry it).
fn path_tenant(path: &str) -> Option<String> {
    let parts: Vec<&str> = path.split('/').collect();
    if let Some(i) = parts.iter().position(|p| *p == "adminapi") {
        return parts.get(i + 2).map(|s| s.to_string());
    }
    if let Some(i) = parts.iter().position(|p| *p == "api") {
        return parts.get(i + 2).map(|s| s.to_string());
    }
    None
}

#[tokio::test]
async fn concurrent_tenants_never_share_tokens() {
    let server = serve(|seen, _| {
        if seen.path.contains("/adminapi/") {
            Reply::json(200, json!({"value": [{"Identity": "x"}]}))
        } else if seen.path.contains("/management/") {
            Reply::json(200, json!([]))
        } else {
            page(vec![json!({"id": "u"})], None)
        }
    })
    .await;
    let graph = client_for(&server.base, fast_config());
    let tenants = ["tenant-a", "tenant-b", "tenant-c"];
    let mut tasks = Vec::new();
    for round in 0..4 {
        for t in tenants {
            let c = tenant(&graph, t);
            tasks.push(tokio::spawn(async move {
                match round % 3 {
                    0 => drop(c.invoke("Get-InboundConnector", json!({})).await.unwrap()),
                    1 => drop(c.list_subscriptions().await.unwrap()),
                    _ => drop(c.users(&ODataQuery::new()).collect_all().await.unwrap()),
                }
            }));
        }
    }
    for t in tasks {
        t.await.unwrap();
    }
    let api = server.api_requests();
    assert_eq!(api.len(), 12);
    let mut with_tenant_in_path = 0;
    for request in &api {
        let token = request.bearer().unwrap();
        if let Some(url_tenant) = path_tenant(&request.path) {
            with_tenant_in_path += 1;
            assert_eq!(
                token_tenant(&token),
                url_tenant,
                "{} carried {token}",
                request.path
            );
        }
    }
    assert_eq!(with_tenant_in_path, 9);
    // Each token request named the tenant whose client asked.
    for t in server.token_requests() {
        let form = t.form();
        assert!(form["scope"].ends_with("/.default"));
    }
}

#[tokio::test]
async fn a_next_link_into_another_tenant_is_refused() {
    let server = serve(|seen, s| {
        assert!(seen.path.starts_with("/exchange/adminapi/beta/tenant-a/"), "A's token reached {}", seen.path);
        Reply::json(200, json!({
            "value": [{"Identity": "mb1"}],
            "@odata.nextLink": format!("{}/exchange/adminapi/beta/tenant-b/InvokeCommand?$skiptoken=1", s.base)
        }))
    })
    .await;
    let a = tenant(&client_for(&server.base, fast_config()), "tenant-a");
    let error = a.invoke("Get-Mailbox", json!({})).await.unwrap_err();
    match &error {
        GraphError::TenantMismatch { tenant, .. } => assert_eq!(tenant, "tenant-a"),
        other => panic!("{other:?}"),
    }
    assert_eq!(server.api_requests().len(), 1);
}

#[tokio::test]
async fn links_to_other_hosts_or_traversals_are_refused() {
    let hostile = [
        "http://127.0.0.2:9/graph/v1.0/users?$skiptoken=1".to_string(),
        "https://evil.example/graph/v1.0/users".to_string(),
    ];
    for link in hostile {
        let link2 = link.clone();
        let server = serve(move |_, _| page(vec![json!({"id": "u"})], Some(link2.clone()))).await;
        let c = tenant(&client_for(&server.base, fast_config()), "tenant-a");
        let error = c.users(&ODataQuery::new()).collect_all().await.unwrap_err();
        assert!(
            matches!(error, GraphError::TenantMismatch { .. }),
            "{link}: {error:?}"
        );
    }
    // A management contentUri that climbs out of the tenant's path.
    let server = serve(|_, _| Reply::json(200, json!([]))).await;
    let c = tenant(&client_for(&server.base, fast_config()), "tenant-a");
    let blob: parapet_graph::model::management::ContentBlob = serde_json::from_value(json!({
        "contentType": "Audit.Exchange", "contentId": "x",
        "contentUri": format!("{}/management/api/v1.0/tenant-a/../tenant-b/activity/feed/audit/x", server.base)
    }))
    .unwrap();
    let error = c.fetch_content(&blob).await.unwrap_err();
    assert!(
        matches!(error, GraphError::TenantMismatch { .. }),
        "{error:?}"
    );
    assert!(server.api_requests().is_empty());
}
