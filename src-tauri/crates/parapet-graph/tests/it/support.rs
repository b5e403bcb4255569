//! A tiny stand-in for Microsoft, scripted per test: an axum server recording every request
//! and answering through a closure; the token endpoint is built in.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use parapet_graph::{
    ClientConfig, Credentials, Endpoints, GraphClient, RetryPolicy, TenantClient, TenantId,
};
use parapet_secrets::Sensitive;

pub const SECRET: &str = "client-secret-value-42";

#[derive(Debug, Clone)]
pub struct Seen {
    pub method: Method,
    pub path: String,
    pub query: String,
    pub headers: HeaderMap,
    pub body: Bytes,
    pub at: Instant,
}

impl Seen {
    pub fn bearer(&self) -> Option<String> {
        self.headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::to_string)
    }
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or(serde_json::Value::Null)
    }
    pub fn form(&self) -> HashMap<String, String> {
        url::form_urlencoded::parse(&self.body)
            .into_owned()
            .collect()
    }
}

pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
    pub delay: Duration,
}

impl Reply {
    pub fn json(status: u16, body: serde_json::Value) -> Reply {
        Reply {
            status,
            headers: vec![("content-type".into(), "application/json".into())],
            body: body.to_string(),
            delay: Duration::ZERO,
        }
    }
    pub fn empty(status: u16) -> Reply {
        Reply {
            status,
            headers: vec![],
            body: String::new(),
            delay: Duration::ZERO,
        }
    }
    pub fn header(mut self, k: &str, v: &str) -> Reply {
        self.headers.push((k.into(), v.into()));
        self
    }
    pub fn after(mut self, delay: Duration) -> Reply {
        self.delay = delay;
        self
    }
    pub fn error(status: u16, code: &str, message: &str) -> Reply {
        Reply::json(
            status,
            serde_json::json!({"error": {"code": code, "message": message, "innerError": {"request-id": "r"}}}),
        )
    }
}

pub type Handler = Arc<dyn Fn(&Seen, &Server) -> Reply + Send + Sync>;

/// Shared server state.
pub struct Server {
    pub base: String,
    pub seen: Mutex<Vec<Seen>>,
    tokens_issued: AtomicU64,
    /// `expires_in` of issued tokens.
    pub expires_in: AtomicU64,
    /// Token endpoint override (e.g. an AADSTS error) for tenant → reply.
    pub token_error: Mutex<Option<(u16, serde_json::Value)>>,
    handler: Mutex<Option<Handler>>,
    pub counters: Mutex<HashMap<String, u64>>,
    /// API requests being answered right now, and the most seen at once.
    pub in_flight: AtomicU64,
    pub peak_in_flight: AtomicU64,
}

impl Server {
    /// Requests other than the token endpoint.
    pub fn api_requests(&self) -> Vec<Seen> {
        self.seen
            .lock()
            .unwrap()
            .iter()
            .filter(|s| !s.path.ends_with("/oauth2/v2.0/token"))
            .cloned()
            .collect()
    }
    pub fn token_requests(&self) -> Vec<Seen> {
        self.seen
            .lock()
            .unwrap()
            .iter()
            .filter(|s| s.path.ends_with("/oauth2/v2.0/token"))
            .cloned()
            .collect()
    }
    /// Increments and returns a named counter (1 on first call).
    pub fn bump(&self, name: &str) -> u64 {
        let mut c = self.counters.lock().unwrap();
        let n = c.entry(name.to_string()).or_insert(0);
        *n += 1;
        *n
    }
    pub fn tokens_issued(&self) -> u64 {
        self.tokens_issued.load(Ordering::SeqCst)
    }
}

async fn handle(
    State(server): State<Arc<Server>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let seen = Seen {
        method,
        path: uri.path().to_string(),
        query: uri.query().unwrap_or("").to_string(),
        headers,
        body,
        at: Instant::now(),
    };
    server.seen.lock().unwrap().push(seen.clone());
    let is_token = seen.path.ends_with("/oauth2/v2.0/token");
    if !is_token {
        let now = server.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        server.peak_in_flight.fetch_max(now, Ordering::SeqCst);
    }
    let reply = if is_token {
        token_reply(&server, &seen)
    } else {
        let handler = server.handler.lock().unwrap().clone();
        match handler {
            Some(h) => h(&seen, &server),
            None => Reply::error(404, "NoHandler", "no handler"),
        }
    };
    if !reply.delay.is_zero() {
        tokio::time::sleep(reply.delay).await;
    }
    if !is_token {
        server.in_flight.fetch_sub(1, Ordering::SeqCst);
    }
    let mut response = (StatusCode::from_u16(reply.status).unwrap(), reply.body).into_response();
    for (k, v) in reply.headers {
        response.headers_mut().insert(
            axum::http::HeaderName::from_bytes(k.as_bytes()).unwrap(),
            axum::http::HeaderValue::from_str(&v).unwrap(),
        );
    }
    response
}

/// Issues `tok-{tenant}-{n}`; rotates refresh tokens as `rt-{n}`.
fn token_reply(server: &Server, seen: &Seen) -> Reply {
    if let Some((status, body)) = server.token_error.lock().unwrap().clone() {
        return Reply::json(status, body);
    }
    let tenant = seen
        .path
        .trim_start_matches("/login/")
        .split('/')
        .next()
        .unwrap_or("")
        .to_string();
    let n = server.tokens_issued.fetch_add(1, Ordering::SeqCst) + 1;
    let form = seen.form();
    let mut body = serde_json::json!({
        "token_type": "Bearer",
        "expires_in": server.expires_in.load(Ordering::SeqCst),
        "ext_expires_in": 3599,
        "access_token": format!("tok-{tenant}-{n}"),
    });
    if form.get("grant_type").map(String::as_str) != Some("client_credentials") {
        body["refresh_token"] = serde_json::Value::from(format!("rt-{n}"));
    }
    Reply::json(200, body)
}

pub async fn serve(
    handler: impl Fn(&Seen, &Server) -> Reply + Send + Sync + 'static,
) -> Arc<Server> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = Arc::new(Server {
        base: format!("http://{addr}"),
        seen: Mutex::new(Vec::new()),
        tokens_issued: AtomicU64::new(0),
        expires_in: AtomicU64::new(3599),
        token_error: Mutex::new(None),
        handler: Mutex::new(Some(Arc::new(handler))),
        counters: Mutex::new(HashMap::new()),
        in_flight: AtomicU64::new(0),
        peak_in_flight: AtomicU64::new(0),
    });
    let app = axum::Router::new()
        .fallback(handle)
        .with_state(server.clone());
    tokio::spawn(async move {
        axum::serve(listener, app).await.unwrap();
    });
    server
}

/// Fast retries so tests finish quickly; everything else as in production.
pub fn fast_config() -> ClientConfig {
    ClientConfig {
        retry: RetryPolicy {
            max_attempts: 6,
            base_delay: Duration::from_millis(40),
            max_delay: Duration::from_millis(400),
            max_total_wait: Duration::from_secs(20),
        },
        request_timeout: Duration::from_secs(10),
        connect_timeout: Duration::from_secs(5),
        ..ClientConfig::default()
    }
}

pub fn client_for(base: &str, config: ClientConfig) -> GraphClient {
    GraphClient::new(Endpoints::under_prefix(base).unwrap(), config).unwrap()
}

pub fn app_credentials() -> Credentials {
    Credentials::ClientSecret {
        client_id: "parapet-app".into(),
        secret: Sensitive::new(SECRET.into()),
    }
}

pub fn tenant(client: &GraphClient, id: &str) -> TenantClient {
    client.for_tenant(TenantId::new(id).unwrap(), app_credentials())
}

/// A Graph collection page.
pub fn page(items: Vec<serde_json::Value>, next: Option<String>) -> Reply {
    let mut body = serde_json::json!({ "@odata.context": "ctx", "value": items });
    if let Some(n) = next {
        body["@odata.nextLink"] = serde_json::Value::from(n);
    }
    Reply::json(200, body)
}

/// Reads the shared reference dir (`<repo>/../shared`, or `PARAPET_SHARED_DIR`). `None` (with
/// a loud note) when it is absent, except under CI where that is a failure.
pub fn shared_dir() -> Option<std::path::PathBuf> {
    parapet_testkit::shared_dir("tests that need the shared reference")
}
