//! Entra login: consent, client credentials and their errors, token binding to tenant and
//! resource, expiry, error JSON shape.

mod common;
use common::aad::{assert_aad_error, token_raw, Form};
use common::*;
use serde_json::json;

#[tokio::test]
async fn consent_flow_turns_aadsts700016_into_a_token() {
    let Some(shared) = shared_dir() else { return };
    let sim = sim(&shared, |_| {}).await;
    let (id, secret) = sim.control().register_partner_app("Parapet");
    let form = [
        ("client_id", id.as_str()),
        ("client_secret", secret.as_str()),
        ("scope", GRAPH),
        ("grant_type", "client_credentials"),
    ];
    let (status, body) = token_raw(&sim, HARBORVIEW, &form).await;
    assert_eq!(status, 400);
    assert_eq!(body["error"], "unauthorized_client");
    assert_aad_error(&body, 700016);

    // The consent page is shown, then accepted; the redirect carries tenant, state, admin_consent.
    let login = sim.base_urls().login;
    let consent = format!("{login}/{HARBORVIEW}/adminconsent");
    let query = [
        ("client_id", id.as_str()),
        ("redirect_uri", "http://localhost:7788/consent"),
        ("state", "s-42"),
    ];
    let page = client()
        .get(&consent)
        .query(&query)
        .send()
        .await
        .expect("page");
    assert_eq!(page.status(), 200);
    let html = page.text().await.expect("html");
    assert!(html.contains("<form") && html.contains("Parapet"), "{html}");
    let mut fields: Vec<(&str, &str)> = query.to_vec();
    fields.push(("decision", "accept"));
    let accepted = client()
        .post(&consent)
        .form(&fields)
        .send()
        .await
        .expect("accept");
    assert_eq!(accepted.status(), 302);
    let location = accepted.headers()["location"]
        .to_str()
        .expect("location")
        .to_string();
    let url = url::Url::parse(&location).expect("redirect url");
    assert_eq!(url.host_str(), Some("localhost"));
    let pairs: std::collections::HashMap<_, _> = url.query_pairs().into_owned().collect();
    assert_eq!(pairs["tenant"], HARBORVIEW);
    assert_eq!(pairs["state"], "s-42");
    assert_eq!(pairs["admin_consent"], "True");

    let (status, body) = token_raw(&sim, HARBORVIEW, &form).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 3599);
    assert_eq!(body["ext_expires_in"], 3599);
    assert!(body.get("refresh_token").is_none());
    // Consent is per tenant: the other customer still refuses.
    let (status, body) = token_raw(&sim, LONESTAR, &form).await;
    assert_eq!(status, 400);
    assert_aad_error(&body, 700016);
    // The consent created the app's service principal in the customer.
    let token = body_token(&sim, &id, &secret).await;
    let (_, _, sps) = get(
        &format!(
            "{}/v1.0/servicePrincipals?$filter=appId eq '{id}'",
            sim.base_urls().graph
        ),
        &token,
    )
    .await;
    assert_eq!(sps["value"].as_array().map(Vec::len), Some(1), "{sps}");
    sim.shutdown().await;
}

async fn body_token(sim: &parapet_simulator::RunningSimulator, id: &str, secret: &str) -> String {
    token_for(sim, HARBORVIEW, id, secret, GRAPH).await
}

#[tokio::test]
async fn consent_and_token_errors_follow_entra() {
    let Some(shared) = shared_dir() else { return };
    let sim = sim(&shared, |c| c.consented = true).await;
    let (id, secret) = sim.control().register_partner_app("Parapet");
    let login = sim.base_urls().login;
    let consent = format!("{login}/{HARBORVIEW}/adminconsent");
    let page = client()
        .get(&consent)
        .query(&[
            ("client_id", id.as_str()),
            ("redirect_uri", "https://evil.example/cb"),
            ("state", "x"),
        ])
        .send()
        .await
        .expect("page");
    assert_eq!(page.status(), 400);
    assert!(page.text().await.expect("html").contains("AADSTS50011"));

    let cases: Vec<(Form, u16, &str, u64)> = vec![
        (
            vec![
                ("client_id", &id),
                ("client_secret", "wrong"),
                ("scope", GRAPH),
                ("grant_type", "client_credentials"),
            ],
            401,
            "invalid_client",
            7000215,
        ),
        (
            vec![
                ("client_id", &id),
                ("client_secret", &secret),
                ("scope", "https://foo.microsoft.com/.default"),
                ("grant_type", "client_credentials"),
            ],
            400,
            "invalid_scope",
            70011,
        ),
        (
            vec![
                ("client_id", &id),
                ("client_secret", &secret),
                (
                    "scope",
                    "https://graph.microsoft.com/.default https://manage.office.com/.default",
                ),
                ("grant_type", "client_credentials"),
            ],
            400,
            "invalid_scope",
            70011,
        ),
        (
            vec![
                ("client_id", &id),
                ("client_secret", &secret),
                ("scope", GRAPH),
                ("grant_type", "password"),
            ],
            400,
            "unsupported_grant_type",
            70003,
        ),
        (
            vec![
                ("client_id", "00000000-0000-0000-0000-000000000001"),
                ("client_secret", "x"),
                ("scope", GRAPH),
                ("grant_type", "client_credentials"),
            ],
            400,
            "unauthorized_client",
            700016,
        ),
    ];
    for (form, status, error, code) in cases {
        let (got, body) = token_raw(&sim, HARBORVIEW, &form).await;
        assert_eq!(
            (got, body["error"].as_str()),
            (status, Some(error)),
            "{body}"
        );
        assert_aad_error(&body, code);
    }
    // An already-consented tenant is not asked again: the GET redirects straight back.
    let quick = client()
        .get(&consent)
        .query(&[
            ("client_id", id.as_str()),
            ("redirect_uri", "http://127.0.0.1:4321/cb"),
            ("state", "q1"),
        ])
        .send()
        .await
        .expect("page");
    assert_eq!(quick.status(), 302);
    let back = quick.headers()["location"]
        .to_str()
        .expect("location")
        .to_string();
    assert!(
        back.starts_with("http://127.0.0.1:4321/cb?")
            && back.contains("admin_consent=True")
            && back.contains("state=q1"),
        "{back}"
    );
    let (status, body) = token_raw(
        &sim,
        "nosuchtenant.onmicrosoft.com",
        &[("client_id", &id), ("grant_type", "client_credentials")],
    )
    .await;
    assert_eq!(status, 400);
    assert_aad_error(&body, 90002);
    // A domain names the tenant as well as its id.
    let (status, _) = token_raw(
        &sim,
        "harborviewdental.com",
        &[
            ("client_id", &id),
            ("client_secret", &secret),
            ("scope", GRAPH),
            ("grant_type", "client_credentials"),
        ],
    )
    .await;
    assert_eq!(status, 200);
    sim.shutdown().await;
}

#[tokio::test]
async fn tokens_are_bound_to_one_tenant_one_resource_and_expire() {
    let Some(shared) = shared_dir() else { return };
    let sim = sim(&shared, |_| {}).await;
    let (id, secret) = sim.control().register_partner_app("Parapet");
    for t in [HARBORVIEW, LONESTAR] {
        sim.control().set_consent(t, true).expect("consent");
    }
    let graph_token = token_for(&sim, HARBORVIEW, &id, &secret, GRAPH).await;
    let exo_token = token_for(&sim, HARBORVIEW, &id, &secret, EXCHANGE).await;
    let mgmt_token = token_for(&sim, HARBORVIEW, &id, &secret, MANAGEMENT).await;
    let b = sim.base_urls();
    let invoke = |tenant: &str, token: &str| {
        let url = format!("{}/adminapi/beta/{tenant}/InvokeCommand", b.exchange);
        let token = token.to_string();
        async move {
            send(
                "POST",
                &url,
                &token,
                Some(json!({"CmdletInput": {"CmdletName": "Get-Mailbox", "Parameters": {}}})),
            )
            .await
        }
    };
    assert_eq!(invoke(HARBORVIEW, &exo_token).await.0, 200);
    let (status, _, body) = invoke(LONESTAR, &exo_token).await;
    assert_eq!(status, 401, "cross-tenant Exchange call: {body}");
    assert_eq!(body["error"]["code"], "InvalidAuthenticationToken");
    let (status, _, body) = get(
        &format!(
            "{}/api/v1.0/{LONESTAR}/activity/feed/subscriptions/list",
            b.management
        ),
        &mgmt_token,
    )
    .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (401, Some("AF20010"))
    );
    // Resource binding: an Exchange token is not a Graph token.
    let (status, headers, body) = get(&format!("{}/v1.0/users", b.graph), &exo_token).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (401, Some("InvalidAuthenticationToken"))
    );
    assert!(headers.contains_key("www-authenticate"));
    let (status, _, _) = get(&format!("{}/v1.0/users", b.graph), "not-a-token").await;
    assert_eq!(status, 401);
    // Expiry runs on the sim clock.
    assert_eq!(
        get(&format!("{}/v1.0/users", b.graph), &graph_token)
            .await
            .0,
        200
    );
    sim.control().advance_clock(chrono::Duration::seconds(3600));
    let (status, _, body) = get(&format!("{}/v1.0/users", b.graph), &graph_token).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (401, Some("InvalidAuthenticationToken"))
    );
    sim.shutdown().await;
}
