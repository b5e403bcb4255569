//! JSON `$batch`: up to 20 Graph requests per round trip, each answered and throttled on its
//! own. Throttled items are retried (after the largest inner `Retry-After`), the rest keep
//! their own success or error.

use std::collections::{HashMap, HashSet};
use std::time::Duration;

use reqwest::Method;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::client::{ApiRequest, ApiVersion, TenantClient};
use crate::endpoints::Resource;
use crate::error::GraphError;
use crate::transport::retry::{is_retryable_status, parse_retry_after};
use crate::transport::status_error;

/// Microsoft's documented maximum.
pub const MAX_BATCH: usize = 20;

/// Batches sent at once by [`TenantClient::batch`].
pub const PARALLEL_BATCHES: usize = 4;

/// One request inside a batch; `url` is relative to the version root (`/users/{id}/...`).
#[derive(Debug, Clone, Serialize)]
pub struct BatchRequest {
    pub id: String,
    pub method: String,
    pub url: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<Value>,
    #[serde(skip_serializing_if = "Map::is_empty")]
    pub headers: Map<String, Value>,
}

impl BatchRequest {
    pub fn get(id: impl Into<String>, url: impl Into<String>) -> Self {
        BatchRequest {
            id: id.into(),
            method: "GET".into(),
            url: url.into(),
            body: None,
            headers: Map::new(),
        }
    }

    /// A request with a JSON body (Graph requires the inner Content-Type).
    pub fn with_json(
        id: impl Into<String>,
        method: &str,
        url: impl Into<String>,
        body: Value,
    ) -> Self {
        let mut headers = Map::new();
        headers.insert("Content-Type".into(), Value::from("application/json"));
        BatchRequest {
            id: id.into(),
            method: method.to_ascii_uppercase(),
            url: url.into(),
            body: Some(body),
            headers,
        }
    }
}

/// One inner response.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
pub struct BatchItemResponse {
    pub id: String,
    pub status: u16,
    #[serde(default)]
    pub headers: Map<String, Value>,
    #[serde(default)]
    pub body: Option<Value>,
}

impl BatchItemResponse {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .and_then(|(_, v)| v.as_str())
    }
}

/// The `$batch` response body.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
pub struct BatchResponse {
    pub responses: Vec<BatchItemResponse>,
}

impl TenantClient {
    /// Runs `requests` in batches of 20. The outer result fails only if a whole batch could
    /// not be sent; otherwise each item has its own result, in the order given.
    pub async fn batch(
        &self,
        version: ApiVersion,
        requests: Vec<BatchRequest>,
    ) -> Result<Vec<Result<BatchItemResponse, GraphError>>, GraphError> {
        let mut seen = HashSet::new();
        for r in &requests {
            if !seen.insert(r.id.clone()) {
                return Err(GraphError::Config {
                    what: format!("batch request id {:?} is used twice", r.id),
                });
            }
        }
        let order: Vec<String> = requests.iter().map(|r| r.id.clone()).collect();
        let policy = self.shared.config.retry.clone();
        let mut results: HashMap<String, Result<BatchItemResponse, GraphError>> = HashMap::new();
        let mut attempts: HashMap<String, u32> = HashMap::new();
        let mut pending = requests;
        let mut waited = Duration::ZERO;
        while !pending.is_empty() {
            let mut again = Vec::new();
            let mut wait = Duration::ZERO;
            // Up to PARALLEL_BATCHES batches in flight; each inner request is still throttled
            // by Microsoft on its own.
            let mut answered: Vec<(Vec<BatchRequest>, BatchResponse)> = Vec::new();
            for wave in pending.chunks(MAX_BATCH * PARALLEL_BATCHES) {
                let mut tasks = tokio::task::JoinSet::new();
                for chunk in wave.chunks(MAX_BATCH) {
                    let idempotent = chunk.iter().all(|r| r.method == "GET");
                    let outer = ApiRequest::new(
                        Method::POST,
                        Resource::Graph,
                        self.graph_url(version, "$batch"),
                    )
                    .json(serde_json::json!({ "requests": chunk }))
                    .idempotent(idempotent);
                    let client = self.clone();
                    let chunk = chunk.to_vec();
                    tasks.spawn(async move {
                        let answer = client.send_json::<BatchResponse>(&outer).await;
                        answer.map(|a| (chunk, a))
                    });
                }
                while let Some(joined) = tasks.join_next().await {
                    let done = joined.map_err(|e| GraphError::Transport {
                        what: "POST $batch".into(),
                        message: format!("batch task failed: {e}"),
                    })??;
                    answered.push(done);
                }
            }
            for (chunk, answer) in answered {
                let mut by_id: HashMap<String, BatchItemResponse> = answer
                    .responses
                    .into_iter()
                    .map(|r| (r.id.clone(), r))
                    .collect();
                for request in &chunk {
                    let what = format!("{} {} (in $batch)", request.method, request.url);
                    let Some(item) = by_id.remove(&request.id) else {
                        results.insert(
                            request.id.clone(),
                            Err(GraphError::Decode {
                                what,
                                message: "the batch response has no answer for this request".into(),
                            }),
                        );
                        continue;
                    };
                    let retryable = is_retryable_status(item.status)
                        && (item.status != 504 || request.method == "GET");
                    if (200..300).contains(&item.status) {
                        results.insert(request.id.clone(), Ok(item));
                    } else if retryable {
                        let n = attempts.entry(request.id.clone()).or_insert(1);
                        let hinted = item.header("Retry-After").and_then(parse_retry_after);
                        let this_wait = hinted.unwrap_or_else(|| policy.backoff(*n));
                        if *n >= policy.max_attempts || waited + this_wait > policy.max_total_wait {
                            let error = if item.status == 429 {
                                GraphError::Throttled {
                                    what,
                                    retry_after: hinted,
                                    attempts: *n,
                                }
                            } else {
                                GraphError::RetriesExhausted {
                                    what,
                                    status: item.status,
                                    attempts: *n,
                                }
                            };
                            results.insert(request.id.clone(), Err(error));
                        } else {
                            *n += 1;
                            wait = wait.max(this_wait);
                            again.push(request.clone());
                        }
                    } else {
                        let body = item
                            .body
                            .as_ref()
                            .map(|b| serde_json::to_vec(b).unwrap_or_default())
                            .unwrap_or_default();
                        let hinted = item.header("Retry-After").and_then(parse_retry_after);
                        results.insert(
                            request.id.clone(),
                            Err(status_error(&what, item.status, &body, hinted)),
                        );
                    }
                }
            }
            if !again.is_empty() {
                self.shared.stats.batch_retry(again.len());
                tracing::debug!(
                    items = again.len(),
                    wait_ms = wait.as_millis() as u64,
                    "retrying throttled batch items"
                );
                tokio::time::sleep(wait).await;
                waited += wait;
            }
            pending = again;
        }
        Ok(order
            .into_iter()
            .map(|id| {
                results.remove(&id).unwrap_or_else(|| {
                    Err(GraphError::Decode {
                        what: format!("$batch item {id}"),
                        message: "no result".into(),
                    })
                })
            })
            .collect())
    }
}
