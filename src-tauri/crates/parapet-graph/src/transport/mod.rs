//! HTTP plumbing shared by every call: one attempt, the retry loop, Microsoft's error bodies.

pub mod batch;
pub mod limits;
pub mod paging;
pub mod retry;
pub mod stats;

use std::future::Future;
use std::time::Duration;

use parapet_secrets::Sensitive;
use reqwest::header::HeaderMap;
use serde_json::Value;

use crate::error::GraphError;
use retry::{is_retryable_status, retry_after, RetryPolicy};
use stats::TransportStats;

/// A fully read HTTP response.
#[derive(Debug)]
pub struct RawResponse {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
    /// The access token this response answered, so a 401 can invalidate exactly that one.
    pub(crate) token_used: Option<Sensitive<String>>,
}

impl RawResponse {
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// Why one attempt produced no response.
pub(crate) enum AttemptError {
    Connection(reqwest::Error),
    Fatal(GraphError),
}

/// Runs `attempt` until it yields a non-retryable response or the budget is spent.
///
/// Retried: 429 always (the request was not processed); 503 always; 504 and connection
/// failures only for idempotent requests or when the connection never opened, because a
/// non-idempotent POST (create a policy, add a password) might already have taken effect.
/// The wait is Microsoft's `Retry-After` when given, else exponential backoff with jitter.
pub(crate) async fn with_retries<F, Fut>(
    stats: &TransportStats,
    policy: &RetryPolicy,
    what: &str,
    idempotent: bool,
    timeout: Duration,
    mut attempt: F,
) -> Result<RawResponse, GraphError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<RawResponse, AttemptError>>,
{
    let mut waited = Duration::ZERO;
    let mut attempts = 0u32;
    loop {
        attempts += 1;
        stats.attempt();
        let outcome = attempt().await;
        match &outcome {
            Ok(response) => stats.status(response.status),
            Err(AttemptError::Connection(_)) => stats.connection_failure(),
            Err(AttemptError::Fatal(_)) => {}
        }
        let (wait, give_up) = match outcome {
            Ok(response)
                if is_retryable_status(response.status)
                    && (response.status != 504 || idempotent) =>
            {
                let hinted = retry_after(&response.headers);
                let wait = hinted.unwrap_or_else(|| policy.backoff(attempts));
                let give_up = if response.status == 429 {
                    GraphError::Throttled {
                        what: what.to_string(),
                        retry_after: hinted,
                        attempts,
                    }
                } else {
                    GraphError::RetriesExhausted {
                        what: what.to_string(),
                        status: response.status,
                        attempts,
                    }
                };
                (wait, give_up)
            }
            Ok(response) => return Ok(response),
            Err(AttemptError::Fatal(e)) => return Err(e),
            Err(AttemptError::Connection(e)) => {
                let failure = transport_error(what, &e, timeout);
                if !(idempotent || e.is_connect()) {
                    return Err(failure);
                }
                (policy.backoff(attempts), failure)
            }
        };
        if attempts >= policy.max_attempts || waited + wait > policy.max_total_wait {
            return Err(give_up);
        }
        tracing::debug!(
            what,
            attempts,
            wait_ms = wait.as_millis() as u64,
            "retrying"
        );
        tokio::time::sleep(wait).await;
        waited += wait;
    }
}

pub(crate) fn transport_error(what: &str, e: &reqwest::Error, timeout: Duration) -> GraphError {
    if e.is_timeout() {
        return GraphError::Timeout {
            what: what.to_string(),
            after: timeout,
        };
    }
    // reqwest's Display includes the URL; ours never carry secrets (tokens go in headers,
    // secrets in form bodies), but keep only the error chain's kind to stay short.
    let mut message = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        message = format!("{message}: {s}");
        source = s.source();
    }
    GraphError::Transport {
        what: what.to_string(),
        message,
    }
}

/// Code and human message out of Graph's, Exchange's or Management's error body.
pub fn error_code_and_message(body: &[u8]) -> (String, String) {
    let Ok(value) = serde_json::from_slice::<Value>(body) else {
        let text = String::from_utf8_lossy(body);
        return (String::new(), text.chars().take(300).collect());
    };
    let error = &value["error"];
    let code = error["code"].as_str().unwrap_or_default().to_string();
    // Exchange puts the useful text in details[] or innererror.internalException (CIPP's order).
    let details: Vec<&str> = error["details"]
        .as_array()
        .map(|d| d.iter().filter_map(|x| x["message"].as_str()).collect())
        .unwrap_or_default();
    let message = if !details.is_empty() {
        details.join("; ")
    } else if let Some(m) = error["innererror"]["internalException"]["message"].as_str() {
        m.to_string()
    } else if let Some(m) = error["message"].as_str() {
        m.to_string()
    } else if let Some(m) = value["error_description"].as_str() {
        m.to_string()
    } else {
        String::new()
    };
    (code, message)
}

/// Maps a failed status and Microsoft's error body to the typed error.
pub fn status_error(what: &str, status: u16, body: &[u8], retry: Option<Duration>) -> GraphError {
    let (code, message) = error_code_and_message(body);
    let what = what.to_string();
    match status {
        400 => GraphError::BadRequest {
            what,
            code,
            message,
        },
        401 => GraphError::Unauthorized {
            what,
            code,
            message,
        },
        403 if code == "Authentication_RequestFromNonPremiumTenantOrB2CTenant" => {
            GraphError::NoPremiumLicence {
                what,
                code,
                message,
            }
        }
        403 => GraphError::Forbidden {
            what,
            code,
            message,
        },
        404 => GraphError::NotFound {
            what,
            code,
            message,
        },
        429 => GraphError::Throttled {
            what,
            retry_after: retry,
            attempts: 1,
        },
        _ => GraphError::Api {
            what,
            status,
            code,
            message,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_bodies_of_each_service() {
        let cases: &[(&str, &str, &str)] = &[
            (
                r#"{"error":{"code":"Request_BadRequest","message":"Unable to update","innerError":{}}}"#,
                "Request_BadRequest",
                "Unable to update",
            ),
            (
                r#"{"error":{"code":"BadRequest","message":"outer","details":[{"message":"inner a"},{"message":"inner b"}]}}"#,
                "BadRequest",
                "inner a; inner b",
            ),
            (
                r#"{"error":{"code":"x","message":"outer","innererror":{"internalException":{"message":"deep"}}}}"#,
                "x",
                "deep",
            ),
            ("<html>bad gateway</html>", "", "<html>bad gateway</html>"),
        ];
        for (body, code, message) in cases {
            assert_eq!(
                error_code_and_message(body.as_bytes()),
                (code.to_string(), message.to_string())
            );
        }
    }

    #[test]
    fn premium_licence_is_its_own_variant() {
        let body = br#"{"error":{"code":"Authentication_RequestFromNonPremiumTenantOrB2CTenant","message":"Neither tenant is B2C or tenant doesn't have premium license"}}"#;
        let e = status_error("GET /beta/auditLogs/signIns", 403, body, None);
        assert!(matches!(e, GraphError::NoPremiumLicence { .. }), "{e:?}");
        assert!(e.to_string().contains("premium license"));
        let e = status_error("PATCH /v1.0/users/x", 403, br#"{"error":{"code":"Authorization_RequestDenied","message":"Insufficient privileges to complete the operation."}}"#, None);
        assert!(
            matches!(e, GraphError::Forbidden { ref code, .. } if code == "Authorization_RequestDenied")
        );
    }
}
