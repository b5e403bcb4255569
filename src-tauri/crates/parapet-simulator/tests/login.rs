//! Entra login: consent, client credentials, auth code + PKCE, refresh rotation, app
//! registration over Graph, token binding to tenant and resource, error JSON shape.

mod common;
use base64::Engine;
use common::*;
use serde_json::{json, Value};
use sha2::Digest;

/// Token request form fields.
type Form<'a> = Vec<(&'a str, &'a str)>;

fn assert_aad_error(body: &Value, code: u64) {
    for key in [
        "error",
        "error_description",
        "error_codes",
        "timestamp",
        "trace_id",
        "correlation_id",
    ] {
        assert!(body.get(key).is_some(), "missing {key} in {body}");
    }
    let desc = body["error_description"].as_str().unwrap_or_default();
    assert!(desc.starts_with(&format!("AADSTS{code}:")), "{desc}");
    for line in ["\r\nTrace ID: ", "\r\nCorrelation ID: ", "\r\nTimestamp: "] {
        assert!(desc.contains(line), "{desc} lacks {line:?}");
    }
    assert_eq!(body["error_codes"], json!([code]));
}

async fn token_raw(
    sim: &parapet_simulator::RunningSimulator,
    tenant: &str,
    form: &[(&str, &str)],
) -> (u16, Value) {
    let url = format!("{}/{tenant}/oauth2/v2.0/token", sim.base_urls().login);
    let resp = client()
        .post(url)
        .form(form)
        .send()
        .await
        .expect("token request");
    (
        resp.status().as_u16(),
        resp.json().await.unwrap_or(Value::Null),
    )
}

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

fn pkce() -> (String, String) {
    let verifier = "a-verifier-that-is-long-enough-0123456789abcdefghijklmnop".to_string();
    let challenge = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(sha2::Sha256::digest(verifier.as_bytes()));
    (verifier, challenge)
}

/// The technician's desktop sign-in; returns (access, refresh) tokens.
async fn technician_sign_in(sim: &parapet_simulator::RunningSimulator) -> (String, String) {
    let partner = sim.partner();
    let (verifier, challenge) = pkce();
    let login = sim.base_urls().login;
    let redirect = "http://localhost:53123/";
    let scope = "offline_access openid https://graph.microsoft.com/.default";
    let resp = client()
        .get(format!("{login}/organizations/oauth2/v2.0/authorize"))
        .query(&[
            ("client_id", partner.public_client_id.as_str()),
            ("response_type", "code"),
            ("redirect_uri", redirect),
            ("scope", scope),
            ("state", "st8"),
            ("code_challenge", &challenge),
            ("code_challenge_method", "S256"),
        ])
        .send()
        .await
        .expect("authorize");
    assert_eq!(resp.status(), 302);
    let location = url::Url::parse(resp.headers()["location"].to_str().expect("loc")).expect("url");
    let q: std::collections::HashMap<_, _> = location.query_pairs().into_owned().collect();
    assert_eq!(q["state"], "st8");
    let code = q["code"].clone();
    let redeem = |verifier: String, code: String| {
        let client_id = partner.public_client_id.clone();
        let sim_login = login.clone();
        let tenant = partner.tenant_id.clone();
        async move {
            let resp = client()
                .post(format!("{sim_login}/{tenant}/oauth2/v2.0/token"))
                .form(&[
                    ("client_id", client_id.as_str()),
                    ("grant_type", "authorization_code"),
                    ("code", &code),
                    ("redirect_uri", redirect),
                    ("code_verifier", &verifier),
                    ("scope", scope),
                ])
                .send()
                .await
                .expect("redeem");
            (
                resp.status().as_u16(),
                resp.json::<Value>().await.expect("json"),
            )
        }
    };
    // A wrong verifier is refused and burns the code, as Entra's one-time codes do.
    let (status, body) = redeem("wrong-verifier".into(), code.clone()).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_grant")),
        "{body}"
    );
    let _ = verifier;
    // Sign in again and redeem properly.
    let resp = client()
        .get(format!(
            "{login}/{}/oauth2/v2.0/authorize",
            partner.tenant_id
        ))
        .query(&[
            ("client_id", partner.public_client_id.as_str()),
            ("response_type", "code"),
            ("redirect_uri", redirect),
            ("scope", scope),
            ("state", "st9"),
            ("code_challenge", &challenge),
            ("code_challenge_method", "S256"),
        ])
        .send()
        .await
        .expect("authorize");
    let location = url::Url::parse(resp.headers()["location"].to_str().expect("loc")).expect("url");
    let q: std::collections::HashMap<_, _> = location.query_pairs().into_owned().collect();
    let (status, body) = redeem(pkce().0, q["code"].clone()).await;
    assert_eq!(status, 200, "{body}");
    for k in ["access_token", "refresh_token", "id_token", "scope"] {
        assert!(body[k].is_string(), "{k} missing in {body}");
    }
    (
        body["access_token"].as_str().unwrap_or_default().into(),
        body["refresh_token"].as_str().unwrap_or_default().into(),
    )
}

#[tokio::test]
async fn technician_signs_in_with_pkce_and_refresh_tokens_rotate() {
    let Some(shared) = shared_dir() else { return };
    let sim = sim(&shared, |_| {}).await;
    let (access, refresh) = technician_sign_in(&sim).await;
    let graph = sim.base_urls().graph;
    let (status, _, me) = get(&format!("{graph}/v1.0/me"), &access).await;
    assert_eq!(status, 200);
    assert_eq!(
        me["userPrincipalName"],
        sim.partner().technician_upn.as_str()
    );
    let (_, _, contracts) = get(&format!("{graph}/v1.0/contracts"), &access).await;
    let ids: Vec<&str> = contracts["value"]
        .as_array()
        .expect("value")
        .iter()
        .filter_map(|c| c["customerId"].as_str())
        .collect();
    assert_eq!(ids.len(), 2);
    assert!(ids.contains(&HARBORVIEW) && ids.contains(&LONESTAR));
    let (_, _, rel) = get(
        &format!("{graph}/v1.0/tenantRelationships/delegatedAdminRelationships"),
        &access,
    )
    .await;
    assert_eq!(rel["value"][0]["status"], "active");

    let partner = sim.partner();
    let refresh_once = |rt: String| {
        let url = format!(
            "{}/{}/oauth2/v2.0/token",
            sim.base_urls().login,
            partner.tenant_id
        );
        let client_id = partner.public_client_id.clone();
        async move {
            let resp = client()
                .post(url)
                .form(&[
                    ("client_id", client_id.as_str()),
                    ("grant_type", "refresh_token"),
                    ("refresh_token", &rt),
                    (
                        "scope",
                        "https://graph.microsoft.com/.default offline_access",
                    ),
                ])
                .send()
                .await
                .expect("refresh");
            (
                resp.status().as_u16(),
                resp.json::<Value>().await.expect("json"),
            )
        }
    };
    let (status, body) = refresh_once(refresh.clone()).await;
    assert_eq!(status, 200, "{body}");
    let rotated = body["refresh_token"]
        .as_str()
        .expect("new refresh token")
        .to_string();
    assert_ne!(rotated, refresh);
    let (status, body) = refresh_once(refresh).await;
    assert_eq!(status, 400, "a spent refresh token must fail: {body}");
    assert_aad_error(&body, 50173);
    let (status, _) = refresh_once(rotated).await;
    assert_eq!(status, 200);
    sim.shutdown().await;
}

#[tokio::test]
async fn parapet_registers_its_own_app_and_uses_it_after_consent() {
    let Some(shared) = shared_dir() else { return };
    let sim = sim(&shared, |_| {}).await;
    let (access, _) = technician_sign_in(&sim).await;
    let graph = sim.base_urls().graph;
    let (status, _, app) = send(
        "POST",
        &format!("{graph}/v1.0/applications"),
        &access,
        Some(json!({
            "displayName": "Parapet MSP", "signInAudience": "AzureADMultipleOrgs",
            "web": {"redirectUris": ["http://localhost"]},
        })),
    )
    .await;
    assert_eq!(status, 201, "{app}");
    let (object_id, app_id) = (
        app["id"].as_str().expect("id").to_string(),
        app["appId"].as_str().expect("appId").to_string(),
    );
    let (status, _, cred) = send(
        "POST",
        &format!("{graph}/v1.0/applications/{object_id}/addPassword"),
        &access,
        Some(json!({"passwordCredential": {"displayName": "parapet"}})),
    )
    .await;
    assert_eq!(status, 200, "{cred}");
    let secret = cred["secretText"].as_str().expect("secretText").to_string();
    let key_id = cred["keyId"].as_str().expect("keyId").to_string();
    // The listing never shows the secret text.
    let (_, _, listed) = get(&format!("{graph}/v1.0/applications/{object_id}"), &access).await;
    assert!(!listed.to_string().contains(&secret));

    let form = [
        ("client_id", app_id.as_str()),
        ("client_secret", secret.as_str()),
        ("scope", GRAPH),
        ("grant_type", "client_credentials"),
    ];
    assert_eq!(token_raw(&sim, LONESTAR, &form).await.0, 400);
    sim.control().set_consent(LONESTAR, true).expect("consent");
    assert_eq!(token_raw(&sim, LONESTAR, &form).await.0, 200);
    // Removing the password makes the secret useless.
    let (status, _, _) = send(
        "POST",
        &format!("{graph}/v1.0/applications/{object_id}/removePassword"),
        &access,
        Some(json!({"keyId": key_id})),
    )
    .await;
    assert_eq!(status, 204);
    let (status, body) = token_raw(&sim, LONESTAR, &form).await;
    assert_eq!(status, 401);
    assert_aad_error(&body, 7000215);
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
