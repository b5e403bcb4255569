//! Injected failures for resilience tests: 503s at a rate, slow answers, dropped connections.
//! Decisions come from a seeded generator so a run with the same seed fails the same way.

use crate::server::App;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::json;
use std::sync::Arc;
use std::time::Duration;

/// What to inject; all rates are 0.0 to 1.0 and apply only under the Microsoft prefixes.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct FaultSettings {
    /// Share of requests answered 503 with `Retry-After`.
    pub error_rate: f64,
    /// Share of requests delayed by `slow_ms`.
    pub slow_rate: f64,
    pub slow_ms: u64,
    /// Share of requests whose connection is cut after the status line.
    pub drop_rate: f64,
    /// Added to every request; Graph mail requests hold their mailbox concurrency slot meanwhile.
    pub latency_ms: u64,
    /// Only paths under this prefix (e.g. `/graph/v1.0/auditLogs`) are affected; `None` = all.
    pub path_prefix: Option<String>,
}

pub struct Faults {
    pub settings: FaultSettings,
    rng: StdRng,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Injection {
    None,
    Unavailable,
    Drop,
    Slow(u64),
}

impl Faults {
    pub fn new(error_rate: f64, seed: u64) -> Faults {
        Faults {
            settings: FaultSettings {
                error_rate,
                ..FaultSettings::default()
            },
            rng: StdRng::seed_from_u64(seed ^ 0x5eed_fa17),
        }
    }

    pub fn decide(&mut self, path: &str) -> (Injection, u64) {
        let s = &self.settings;
        let applies = s.path_prefix.as_deref().is_none_or(|p| path.starts_with(p));
        if !applies {
            return (Injection::None, 0);
        }
        let latency = s.latency_ms;
        let (e, d, sl, ms) = (s.error_rate, s.drop_rate, s.slow_rate, s.slow_ms);
        let roll: f64 = self.rng.gen();
        let injection = if roll < e {
            Injection::Unavailable
        } else if roll < e + d {
            Injection::Drop
        } else if roll < e + d + sl {
            Injection::Slow(ms)
        } else {
            Injection::None
        };
        (injection, latency)
    }
}

/// Middleware in front of every Microsoft-prefixed route (the admin surface is exempt).
pub async fn layer(State(app): State<Arc<App>>, req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    if path.starts_with("/_sim") {
        return next.run(req).await;
    }
    let (injection, latency) = app.faults().decide(&path);
    // Graph applies the latency itself, inside the mailbox concurrency slot.
    if latency > 0 && !path.starts_with("/graph") {
        tokio::time::sleep(Duration::from_millis(latency)).await;
    }
    match injection {
        Injection::None => next.run(req).await,
        Injection::Slow(ms) => {
            tokio::time::sleep(Duration::from_millis(ms)).await;
            next.run(req).await
        }
        Injection::Unavailable => unavailable(&app, &path),
        Injection::Drop => {
            // The status line goes out, then the body fails: the client sees a cut connection.
            let failing = futures_util::stream::once(async {
                Err::<axum::body::Bytes, std::io::Error>(std::io::Error::new(
                    std::io::ErrorKind::ConnectionReset,
                    "injected connection drop",
                ))
            });
            Response::new(Body::from_stream(failing))
        }
    }
}

fn unavailable(app: &App, path: &str) -> Response {
    let now = app.now();
    if path.starts_with("/management") {
        let body = json!({"error": {"code": "AF50000", "message": "An internal error occurred. Retry the request."}});
        return crate::http::SimResponse::json(503, body)
            .with_header("Retry-After", "1")
            .into_response();
    }
    if path.starts_with("/login") {
        return crate::login::errors::aad_error(
            503,
            "temporarily_unavailable",
            50_000,
            "There was an error issuing a token or an issue with our sign-in service.",
            now,
        )
        .into_response();
    }
    crate::http::graph_error(
        503,
        "serviceNotAvailable",
        "The service is temporarily unavailable. Please retry.",
        now,
    )
    .with_header("Retry-After", "1.5")
    .into_response()
}
