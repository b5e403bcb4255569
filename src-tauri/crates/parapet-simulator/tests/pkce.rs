//! The technician's desktop sign-in (auth code + PKCE), refresh rotation, and Parapet
//! registering its own multi-tenant app in the partner tenant.

mod common;
use base64::Engine;
use common::aad::{assert_aad_error, token_raw};
use common::*;
use serde_json::{json, Value};
use sha2::Digest;

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
    let discovery: Value = client()
        .get(format!(
            "{}/organizations/v2.0/.well-known/openid-configuration",
            sim.base_urls().login
        ))
        .send()
        .await
        .expect("discovery")
        .json()
        .await
        .expect("json");
    assert_eq!(
        discovery["token_endpoint"],
        format!("{}/organizations/oauth2/v2.0/token", sim.base_urls().login)
    );
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
async fn gdap_refresh_reaches_a_consented_customer_and_resets_passwords() {
    let Some(shared) = shared_dir() else { return };
    let users = read_json(&scenario(&shared, "harborview-dental").join("users.json"));
    let users = users.as_array().expect("users");
    let cloud = users
        .iter()
        .find(|u| u["onPremisesSyncEnabled"] != json!(true))
        .expect("cloud user");
    let synced = users
        .iter()
        .find(|u| u["onPremisesSyncEnabled"] == json!(true))
        .expect("synced user");
    let sim = sim(&shared, |_| {}).await;
    let (_, refresh) = technician_sign_in(&sim).await;
    let partner = sim.partner();
    let url = format!("{}/{HARBORVIEW}/oauth2/v2.0/token", sim.base_urls().login);
    let form = |rt: &str| {
        vec![
            ("client_id".to_string(), partner.public_client_id.clone()),
            ("grant_type".into(), "refresh_token".into()),
            ("refresh_token".into(), rt.to_string()),
            ("scope".into(), GRAPH.into()),
        ]
    };
    let resp = client()
        .post(&url)
        .form(&form(&refresh))
        .send()
        .await
        .expect("refresh");
    assert_eq!(resp.status(), 400, "no consent in the customer yet");
    let body: Value = resp.json().await.expect("json");
    assert_aad_error(&body, 65001);
    sim.control()
        .set_consent(HARBORVIEW, true)
        .expect("consent");
    // The failed attempt did not spend the refresh token.
    let resp = client()
        .post(&url)
        .form(&form(&refresh))
        .send()
        .await
        .expect("refresh");
    assert_eq!(resp.status(), 200);
    let body: Value = resp.json().await.expect("json");
    let delegated = body["access_token"].as_str().expect("token").to_string();

    let g = sim.base_urls().graph;
    let pw = "28c10230-6103-485e-b985-444c60001490";
    let reset = |user: &Value| {
        format!(
            "{g}/v1.0/users/{}/authentication/methods/{pw}/resetPassword",
            user["id"].as_str().expect("id")
        )
    };
    let resp = client()
        .post(reset(cloud))
        .bearer_auth(&delegated)
        .json(&json!({}))
        .send()
        .await
        .expect("reset");
    assert_eq!(resp.status(), 202);
    let location = resp.headers()["location"]
        .to_str()
        .expect("location")
        .to_string();
    assert!(location.starts_with(&g) && location.contains("/authentication/operations/"));
    let body: Value = resp.json().await.expect("json");
    assert!(
        body["newPassword"].is_string(),
        "system-generated password returned: {body}"
    );
    let (status, _, op) = get(&location, &delegated).await;
    assert_eq!((status, op["status"].as_str()), (200, Some("succeeded")));
    let (status, _, _) = send("POST", &reset(synced), &delegated, Some(json!({}))).await;
    assert_eq!(status, 400, "hybrid users need newPassword");
    let (status, _, _) = send(
        "POST",
        &reset(synced),
        &delegated,
        Some(json!({"newPassword": "Ab-1234567890!"})),
    )
    .await;
    assert_eq!(status, 202);
    let app = app_token(&sim, HARBORVIEW, GRAPH).await;
    let (status, _, body) = send("POST", &reset(cloud), &app, Some(json!({}))).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (403, Some("Authorization_RequestDenied"))
    );
    sim.shutdown().await;
}
