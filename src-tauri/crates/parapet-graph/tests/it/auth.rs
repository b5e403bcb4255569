//! Tokens: client credentials, refresh before expiry, 401 refresh, rotation, PKCE, AADSTS.

use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use parapet_graph::{Credentials, GraphError, ODataQuery, PartnerToken, Pkce, TenantId};
use parapet_secrets::Sensitive;
use serde_json::json;

use crate::support::*;

fn ok_users() -> Reply {
    page(vec![json!({"id": "u1"})], None)
}

#[tokio::test]
async fn client_credentials_form_and_user_agent() {
    let server = serve(|_, _| ok_users()).await;
    let client = tenant(
        &client_for(&server.base, fast_config()),
        "contoso.onmicrosoft.com",
    );
    client
        .users(&ODataQuery::new())
        .collect_all()
        .await
        .unwrap();
    let token = &server.token_requests()[0];
    assert_eq!(
        token.path,
        "/login/contoso.onmicrosoft.com/oauth2/v2.0/token"
    );
    let form = token.form();
    assert_eq!(form["grant_type"], "client_credentials");
    assert_eq!(form["client_id"], "parapet-app");
    assert_eq!(form["client_secret"], SECRET);
    assert_eq!(form["scope"], "https://graph.microsoft.com/.default");
    let api = &server.api_requests()[0];
    assert_eq!(
        api.bearer().as_deref(),
        Some("tok-contoso.onmicrosoft.com-1")
    );
    let ua = api.headers.get("user-agent").unwrap().to_str().unwrap();
    assert!(ua.starts_with("Parapet/"), "{ua}");
    assert!(api.headers.get("client-request-id").is_some());
}

#[tokio::test]
async fn tokens_are_cached_and_fetched_once_under_concurrency() {
    let server = serve(|_, _| ok_users()).await;
    let client = tenant(&client_for(&server.base, fast_config()), "t1");
    let mut tasks = Vec::new();
    for _ in 0..12 {
        let c = client.clone();
        tasks.push(tokio::spawn(async move {
            c.users(&ODataQuery::new()).collect_all().await.unwrap()
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    assert_eq!(server.tokens_issued(), 1);
    assert_eq!(server.api_requests().len(), 12);
}

#[tokio::test]
async fn token_is_replaced_before_it_expires() {
    let server = serve(|_, _| ok_users()).await;
    server.expires_in.store(2, Ordering::SeqCst);
    let mut config = fast_config();
    config.token_refresh_margin = Duration::from_secs(1);
    let client = tenant(&client_for(&server.base, config), "t1");
    for _ in 0..3 {
        client
            .users(&ODataQuery::new())
            .collect_all()
            .await
            .unwrap();
    }
    assert_eq!(server.tokens_issued(), 1, "fresh token reused");
    tokio::time::sleep(Duration::from_millis(1200)).await;
    client
        .users(&ODataQuery::new())
        .collect_all()
        .await
        .unwrap();
    assert_eq!(
        server.tokens_issued(),
        2,
        "replaced inside the margin, before expiry"
    );
    let api = server.api_requests();
    // Every request went out with a token younger than its lifetime minus the margin.
    let tokens = server.token_requests();
    for request in &api {
        let n: usize = request
            .bearer()
            .unwrap()
            .rsplit('-')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        let issued_at = tokens[n - 1].at;
        assert!(
            request.at - issued_at < Duration::from_secs(1),
            "token {n} used too late"
        );
    }
    assert_eq!(api.last().unwrap().bearer().as_deref(), Some("tok-t1-2"));
}

#[tokio::test]
async fn unauthorized_triggers_one_token_refresh() {
    let server = serve(|seen, _| {
        if seen.bearer().as_deref() == Some("tok-t1-1") {
            Reply::error(
                401,
                "InvalidAuthenticationToken",
                "Access token has expired or is not yet valid.",
            )
        } else {
            ok_users()
        }
    })
    .await;
    let client = tenant(&client_for(&server.base, fast_config()), "t1");
    let users = client
        .users(&ODataQuery::new())
        .collect_all()
        .await
        .unwrap();
    assert_eq!(users.len(), 1);
    assert_eq!(server.tokens_issued(), 2);
    let bearers: Vec<_> = server
        .api_requests()
        .iter()
        .map(|s| s.bearer().unwrap())
        .collect();
    assert_eq!(bearers, ["tok-t1-1", "tok-t1-2"]);
}

#[tokio::test]
async fn persistent_401_is_reported_with_microsofts_text() {
    let server =
        serve(|_, _| Reply::error(401, "InvalidAuthenticationToken", "Signature is invalid."))
            .await;
    let client = tenant(&client_for(&server.base, fast_config()), "t1");
    let error = client
        .users(&ODataQuery::new())
        .collect_all()
        .await
        .unwrap_err();
    match &error {
        GraphError::Unauthorized { code, message, .. } => {
            assert_eq!(code, "InvalidAuthenticationToken");
            assert_eq!(message, "Signature is invalid.");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        server.api_requests().len(),
        2,
        "exactly one refresh-and-retry"
    );
    assert!(
        !format!("{error} {error:?}").contains("tok-t1"),
        "no token in the error"
    );
}

#[tokio::test]
async fn partner_refresh_tokens_rotate_and_are_handed_back() {
    let server = serve(|_, _| ok_users()).await;
    server.expires_in.store(0, Ordering::SeqCst);
    let rotated: Arc<Mutex<Vec<(String, String)>>> = Arc::default();
    let sink = rotated.clone();
    let credentials = Credentials::PartnerRefreshToken {
        client_id: "parapet-app".into(),
        client_secret: Some(Sensitive::new(SECRET.into())),
        token: PartnerToken::new(
            Sensitive::new("partner-rt-0".into()),
            Some(Arc::new(move |tenant: &TenantId, rt: Sensitive<String>| {
                sink.lock()
                    .unwrap()
                    .push((tenant.to_string(), rt.expose().clone()));
            })),
        ),
    };
    let client = client_for(&server.base, fast_config())
        .for_tenant(TenantId::new("customer-b").unwrap(), credentials);
    for _ in 0..3 {
        client
            .users(&ODataQuery::new())
            .collect_all()
            .await
            .unwrap();
    }
    let forms: Vec<_> = server.token_requests().iter().map(|s| s.form()).collect();
    assert_eq!(forms.len(), 3, "zero-lifetime tokens are never reused");
    assert_eq!(forms[0]["grant_type"], "refresh_token");
    assert_eq!(forms[0]["refresh_token"], "partner-rt-0");
    assert_eq!(
        forms[1]["refresh_token"], "rt-1",
        "the rotated token is used next"
    );
    assert_eq!(forms[2]["refresh_token"], "rt-2");
    let got = rotated.lock().unwrap().clone();
    assert_eq!(
        got,
        [
            ("customer-b".into(), "rt-1".into()),
            ("customer-b".into(), "rt-2".into()),
            ("customer-b".into(), "rt-3".into())
        ]
    );
    assert!(!format!("{client:?}").contains("rt-"));
}

#[tokio::test]
async fn aadsts_errors_become_typed_and_secret_free() {
    let cases = [
        (400, "unauthorized_client", 700016u64, "NotConsented"),
        (401, "invalid_client", 7000215, "InvalidClient"),
        (400, "invalid_request", 90002, "TenantNotFound"),
    ];
    for (status, error, code, want) in cases {
        let server = serve(|_, _| ok_users()).await;
        *server.token_error.lock().unwrap() = Some((
            status,
            json!({
                "error": error,
                "error_description": format!("AADSTS{code}: Microsoft says no (sent {SECRET}).\r\nTrace ID: t\r\nCorrelation ID: c\r\nTimestamp: 2026-01-01 00:00:00Z"),
                "error_codes": [code], "timestamp": "2026-01-01 00:00:00Z", "trace_id": "t", "correlation_id": "c"
            }),
        ));
        let client = tenant(&client_for(&server.base, fast_config()), "t1");
        let e = client
            .users(&ODataQuery::new())
            .collect_all()
            .await
            .unwrap_err();
        let text = format!("{e} | {e:?}");
        assert!(format!("{e:?}").starts_with(want), "{code}: {text}");
        assert!(
            text.contains(&format!("AADSTS{code}: Microsoft says no")),
            "{text}"
        );
        assert!(!text.contains(SECRET), "secret leaked: {text}");
        assert!(
            server.api_requests().is_empty(),
            "no API call without a token"
        );
    }
}

#[tokio::test]
async fn authorization_code_is_redeemed_with_the_pkce_verifier() {
    let server = serve(|_, _| ok_users()).await;
    let client = client_for(&server.base, fast_config());
    let pkce = Pkce::generate();
    let state = parapet_graph::auth::pkce::random_state();
    let url = client
        .authorize_url(&parapet_graph::AuthorizeRequest {
            tenant: "organizations",
            client_id: "parapet-desktop",
            redirect_uri: "http://localhost:43123",
            scopes: &["offline_access", "https://graph.microsoft.com/.default"],
            state: &state,
            code_challenge: &pkce.challenge,
            prompt: None,
            login_hint: None,
        })
        .unwrap();
    assert!(url.as_str().starts_with(&format!(
        "{}/login/organizations/oauth2/v2.0/authorize?",
        server.base
    )));
    let code = parapet_graph::auth::pkce::code_from_redirect(
        &format!("http://localhost:43123/?code=the-code&state={state}"),
        &state,
    )
    .unwrap();
    let issued = client
        .exchange_code(
            "organizations",
            "parapet-desktop",
            "http://localhost:43123",
            &code,
            &pkce,
            &["offline_access", "https://graph.microsoft.com/.default"],
        )
        .await
        .unwrap();
    assert_eq!(issued.access_token.expose(), "tok-organizations-1");
    assert_eq!(issued.refresh_token.as_ref().unwrap().expose(), "rt-1");
    let form = server.token_requests()[0].form();
    assert_eq!(form["grant_type"], "authorization_code");
    assert_eq!(form["code"], "the-code");
    assert_eq!(&form["code_verifier"], pkce.verifier.expose());
    assert!(!form.contains_key("client_secret"), "public client");
    let refreshed = client
        .refresh_delegated(
            "organizations",
            "parapet-desktop",
            issued.refresh_token.as_ref().unwrap(),
            &["offline_access"],
        )
        .await
        .unwrap();
    assert_eq!(refreshed.refresh_token.unwrap().expose(), "rt-2");
}

/// Entra spends a refresh token when it rotates it: clients of several tenants redeeming the
/// one partner token at the same moment must take turns and each present the newest token,
/// never a spent one.
#[tokio::test(flavor = "multi_thread")]
async fn concurrent_clients_of_one_partner_token_never_present_a_spent_token() {
    let server = serve(|_, _| ok_users()).await;
    server.expires_in.store(0, Ordering::SeqCst);
    let token = PartnerToken::new(Sensitive::new("partner-rt-0".into()), None);
    let graph = client_for(&server.base, fast_config());
    let clients: Vec<_> = ["customer-a", "customer-b", "customer-c"]
        .into_iter()
        .map(|tenant| {
            graph.for_tenant(
                TenantId::new(tenant).unwrap(),
                Credentials::PartnerRefreshToken {
                    client_id: "parapet-app".into(),
                    client_secret: None,
                    token: token.clone(),
                },
            )
        })
        .collect();
    let mut calls = tokio::task::JoinSet::new();
    for n in 0..12 {
        let client = clients[n % clients.len()].clone();
        calls.spawn(async move { client.users(&ODataQuery::new()).collect_all().await });
    }
    while let Some(done) = calls.join_next().await {
        done.unwrap().unwrap();
    }
    let presented: Vec<String> = server
        .token_requests()
        .iter()
        .map(|s| s.form()["refresh_token"].clone())
        .collect();
    assert_eq!(presented.len(), 12);
    let mut expected: Vec<String> = vec!["partner-rt-0".into()];
    expected.extend((1..12).map(|n| format!("rt-{n}")));
    let mut sorted = presented.clone();
    sorted.sort_by_key(|t| t.trim_start_matches("rt-").parse::<u32>().unwrap_or(0));
    assert_eq!(
        sorted, expected,
        "each redemption presents the token the previous one got: {presented:?}"
    );
}
