//! Throttling, transient failures, dropped connections, timeouts and the retry budget.

use std::time::Duration;

use parapet_graph::{ClientConfig, GraphError, ODataQuery, RetryPolicy};
use serde_json::json;

use crate::support::*;

fn user(i: u32) -> serde_json::Value {
    json!({"id": format!("u{i}"), "displayName": format!("User {i}")})
}

#[tokio::test]
async fn fractional_retry_after_is_waited_out() {
    let server = serve(|_, s| {
        if s.bump("users") == 1 {
            Reply::json(
                429,
                json!({"error":{"code":"TooManyRequests","message":"Please retry again later."}}),
            )
            .header("Retry-After", "0.35")
        } else {
            page(vec![user(1)], None)
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
    let api = server.api_requests();
    assert_eq!(api.len(), 2);
    let waited = api[1].at - api[0].at;
    assert!(
        waited >= Duration::from_millis(350),
        "waited only {waited:?}"
    );
    assert!(
        waited < Duration::from_millis(2000),
        "waited far too long: {waited:?}"
    );
}

#[tokio::test]
async fn bursts_of_503_are_ridden_out() {
    let server = serve(|_, s| {
        let n = s.bump("g");
        match n {
            1..=3 => Reply::error(503, "ServiceUnavailable", "try later"),
            // A 503 with its own Retry-After is honoured too.
            4 => Reply::error(503, "ServiceUnavailable", "try later").header("Retry-After", "0.1"),
            5 => Reply::error(504, "GatewayTimeout", "gateway"),
            _ => page(vec![user(7)], None),
        }
    })
    .await;
    let client = tenant(&client_for(&server.base, fast_config()), "t1");
    let users = client
        .users(&ODataQuery::new())
        .collect_all()
        .await
        .unwrap();
    assert_eq!(users[0].id.as_deref(), Some("u7"));
    let api = server.api_requests();
    assert_eq!(api.len(), 6);
    assert!(api[4].at - api[3].at >= Duration::from_millis(100));
}

#[tokio::test]
async fn throttling_without_retry_after_backs_off_exponentially() {
    let server = serve(|_, s| {
        if s.bump("ca") <= 3 {
            // Conditional Access sends 429 with no Retry-After.
            Reply::error(429, "TooManyRequests", "slow down")
        } else {
            page(vec![], None)
        }
    })
    .await;
    let config = fast_config();
    let base = config.retry.base_delay;
    let client = tenant(&client_for(&server.base, config), "t1");
    client.conditional_access_policies().await.unwrap();
    let api = server.api_requests();
    assert_eq!(api.len(), 4);
    for (i, pair) in api.windows(2).enumerate() {
        let gap = pair[1].at - pair[0].at;
        // Retry n waits between half and all of base * 2^(n-1).
        let floor = base * 2u32.pow(i as u32) / 2;
        assert!(gap >= floor, "retry {}: gap {gap:?} < {floor:?}", i + 1);
    }
}

#[tokio::test]
async fn retry_budget_ends_with_a_clear_throttled_error() {
    let server =
        serve(|_, _| Reply::error(429, "TooManyRequests", "no").header("Retry-After", "0.01"))
            .await;
    let mut config = fast_config();
    config.retry.max_attempts = 4;
    let client = tenant(&client_for(&server.base, config), "t1");
    let error = client
        .users(&ODataQuery::new())
        .collect_all()
        .await
        .unwrap_err();
    match &error {
        GraphError::Throttled {
            attempts,
            retry_after,
            what,
        } => {
            assert_eq!(*attempts, 4);
            assert_eq!(*retry_after, Some(Duration::from_millis(10)));
            assert!(what.contains("/graph/v1.0/users"), "{what}");
        }
        other => panic!("expected Throttled, got {other:?}"),
    }
    assert!(error.to_string().contains("4 attempts"), "{error}");
    assert_eq!(server.api_requests().len(), 4);
}

#[tokio::test]
async fn total_wait_budget_is_respected() {
    // Retry-After larger than the whole wait budget: give up at once instead of sleeping.
    let server =
        serve(|_, _| Reply::error(429, "TooManyRequests", "no").header("Retry-After", "30")).await;
    let mut config = fast_config();
    config.retry.max_total_wait = Duration::from_secs(1);
    let client = tenant(&client_for(&server.base, config), "t1");
    let started = std::time::Instant::now();
    let error = client
        .users(&ODataQuery::new())
        .collect_all()
        .await
        .unwrap_err();
    assert!(error.is_throttling());
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(server.api_requests().len(), 1);
}

#[tokio::test]
async fn timeouts_are_retried_then_reported() {
    let server = serve(|_, _| page(vec![], None).after(Duration::from_millis(800))).await;
    let config = ClientConfig {
        request_timeout: Duration::from_millis(150),
        retry: RetryPolicy {
            max_attempts: 2,
            ..fast_config().retry
        },
        ..fast_config()
    };
    let client = tenant(&client_for(&server.base, config), "t1");
    let error = client
        .users(&ODataQuery::new())
        .collect_all()
        .await
        .unwrap_err();
    assert!(matches!(error, GraphError::Timeout { .. }), "{error:?}");
    assert_eq!(server.api_requests().len(), 2);
}

/// A raw HTTP server that drops the first `drops` API connections without answering.
async fn dropping_server(drops: usize) -> (String, std::sync::Arc<std::sync::Mutex<Vec<String>>>) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let log = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let log2 = log.clone();
    tokio::spawn(async move {
        let mut dropped = 0;
        loop {
            let (mut socket, _) = listener.accept().await.unwrap();
            let mut buf = vec![0u8; 16384];
            let mut got = 0;
            // Read the head and any body announced by Content-Length.
            loop {
                let n = socket.read(&mut buf[got..]).await.unwrap_or(0);
                if n == 0 {
                    break;
                }
                got += n;
                let text = String::from_utf8_lossy(&buf[..got]).to_string();
                if let Some(end) = text.find("\r\n\r\n") {
                    let length = text
                        .lines()
                        .find_map(|l| {
                            l.to_ascii_lowercase()
                                .strip_prefix("content-length:")
                                .map(|v| v.trim().parse::<usize>().unwrap_or(0))
                        })
                        .unwrap_or(0);
                    if got >= end + 4 + length {
                        break;
                    }
                }
            }
            let text = String::from_utf8_lossy(&buf[..got]).to_string();
            let line = text.lines().next().unwrap_or("").to_string();
            log2.lock().unwrap().push(line.clone());
            let body = if line.contains("/oauth2/v2.0/token") {
                r#"{"token_type":"Bearer","expires_in":3599,"access_token":"tok"}"#.to_string()
            } else {
                if dropped < drops {
                    dropped += 1;
                    drop(socket);
                    continue;
                }
                r#"{"value":[{"id":"u1"}]}"#.to_string()
            };
            let response = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{}",
                body.len(),
                body
            );
            let _ = socket.write_all(response.as_bytes()).await;
            let _ = socket.shutdown().await;
        }
    });
    (base, log)
}

#[tokio::test]
async fn dropped_connections_are_retried_for_reads() {
    let (base, log) = dropping_server(2).await;
    let client = tenant(&client_for(&base, fast_config()), "t1");
    let users = client
        .users(&ODataQuery::new())
        .collect_all()
        .await
        .unwrap();
    assert_eq!(users[0].id.as_deref(), Some("u1"));
    let gets = log
        .lock()
        .unwrap()
        .iter()
        .filter(|l| l.starts_with("GET "))
        .count();
    assert_eq!(gets, 3, "{:?}", log.lock().unwrap());
}

#[tokio::test]
async fn dropped_connections_are_not_retried_for_creates() {
    let (base, log) = dropping_server(1).await;
    let client = tenant(&client_for(&base, fast_config()), "t1");
    let policy = parapet_graph::graph::block_users_policy("MSP-Lockout-x", &["u1"], &[]);
    let error = client
        .create_conditional_access_policy(policy)
        .await
        .unwrap_err();
    assert!(matches!(error, GraphError::Transport { .. }), "{error:?}");
    let posts = log
        .lock()
        .unwrap()
        .iter()
        .filter(|l| l.starts_with("POST ") && l.contains("policies"))
        .count();
    assert_eq!(
        posts, 1,
        "a create that may have happened must not be repeated"
    );
}
