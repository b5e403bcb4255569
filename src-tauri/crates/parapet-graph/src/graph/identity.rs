use std::time::{Duration, Instant};

use parapet_secrets::Sensitive;
use reqwest::Method;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::client::{ApiRequest, ApiVersion, TenantClient};
use crate::endpoints::Resource;
use crate::error::GraphError;
use crate::graph::query::{segment, ODataQuery};
use crate::model::identity::{
    AuthenticationMethod, ConditionalAccessPolicy, LongRunningOperation, MethodKind, RiskDetection,
    RiskyUser,
};
use crate::transport::paging::Pager;
use crate::transport::retry::retry_after;

/// The answer to `resetPassword`: where to poll, and the password when the system chose it.
#[derive(Debug)]
pub struct PasswordReset {
    pub operation_url: Option<String>,
    pub retry_after: Option<Duration>,
    pub new_password: Option<Sensitive<String>>,
}

/// A Conditional Access policy body blocking `users` from everything, sparing `excluded`
/// (break-glass accounts). It survives directory sync, unlike `accountEnabled=false`.
pub fn block_users_policy(display_name: &str, users: &[&str], excluded: &[&str]) -> Value {
    json!({
        "displayName": display_name,
        "state": "enabled",
        "conditions": {
            "clientAppTypes": ["all"],
            "applications": { "includeApplications": ["All"] },
            "users": { "includeUsers": users, "excludeUsers": excluded },
        },
        "grantControls": { "operator": "OR", "builtInControls": ["block"] },
    })
}

/// The 202 body of `resetPassword`: `{}`, or `passwordResetResponse` with the generated
/// password.
pub fn parse_password_reset(body: &[u8]) -> Result<Option<Sensitive<String>>, GraphError> {
    // Not Debug: holds the raw password until it is wrapped.
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Generated {
        #[serde(default)]
        new_password: Option<String>,
    }
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    let generated: Generated = serde_json::from_slice(body).map_err(|e| GraphError::Decode {
        what: "the resetPassword response".into(),
        message: e.to_string(),
    })?;
    Ok(generated.new_password.map(Sensitive::new))
}

impl TenantClient {
    /// `GET /users/{id}/authentication/methods` (polymorphic; see [`AuthenticationMethod::kind`]).
    pub async fn authentication_methods(
        &self,
        user: &str,
    ) -> Result<Vec<AuthenticationMethod>, GraphError> {
        self.graph_collection(
            ApiVersion::V1,
            &format!("users/{}/authentication/methods", segment(user)),
            &ODataQuery::new(),
        )
        .collect_all()
        .await
    }

    /// Authentication methods of many users through `$batch`.
    pub async fn authentication_methods_of_users(
        &self,
        users: &[String],
    ) -> Result<crate::graph::PerUser<AuthenticationMethod>, GraphError> {
        self.collections_of_users(
            users,
            |u| format!("/users/{}/authentication/methods", segment(u)),
            None,
        )
        .await
    }

    /// `DELETE /users/{id}/authentication/{kind}Methods/{id}` → 204.
    pub async fn delete_authentication_method(
        &self,
        user: &str,
        kind: MethodKind,
        method_id: &str,
    ) -> Result<(), GraphError> {
        let collection = kind.collection().ok_or_else(|| GraphError::Config {
            what: format!("authentication method {method_id} of kind {kind:?} cannot be deleted"),
        })?;
        self.graph_delete(
            &format!(
                "users/{}/authentication/{collection}/{}",
                segment(user),
                segment(method_id)
            ),
            None,
        )
        .await
    }

    /// `POST …/authentication/methods/{passwordMethodId}/resetPassword` → 202 + `Location`.
    /// Delegated only; `new_password` is required for hybrid users.
    pub async fn reset_password(
        &self,
        user: &str,
        password_method_id: &str,
        new_password: Option<&Sensitive<String>>,
    ) -> Result<PasswordReset, GraphError> {
        let mut request = self.graph_request(
            Method::POST,
            ApiVersion::V1,
            &format!(
                "users/{}/authentication/methods/{}/resetPassword",
                segment(user),
                segment(password_method_id)
            ),
        );
        if let Some(p) = new_password {
            request = request.json(json!({ "newPassword": p.expose() }));
        }
        let secrets: Vec<&str> = new_password.iter().map(|p| p.expose().as_str()).collect();
        let response = self
            .send_ok(&request)
            .await
            .map_err(|e| e.scrubbed(&secrets))?;
        let new_password = parse_password_reset(&response.body)?;
        Ok(PasswordReset {
            operation_url: response.header("Location").map(str::to_string),
            retry_after: retry_after(&response.headers),
            new_password,
        })
    }

    /// Polls a long-running operation URL (a `Location` header) until it succeeds.
    pub async fn wait_for_operation(
        &self,
        operation_url: &str,
        poll_every: Duration,
        timeout: Duration,
    ) -> Result<LongRunningOperation, GraphError> {
        let started = Instant::now();
        loop {
            let request = ApiRequest::new(Method::GET, Resource::Graph, operation_url.to_string());
            let op: LongRunningOperation = self.send_json(&request).await?;
            match op.status.as_deref() {
                Some("succeeded") => return Ok(op),
                Some("failed") => {
                    return Err(GraphError::OperationFailed {
                        what: format!("operation {}", op.id),
                        detail: op.status_detail.clone().unwrap_or_else(|| "failed".into()),
                    })
                }
                _ => {}
            }
            if started.elapsed() + poll_every > timeout {
                return Err(GraphError::OperationFailed {
                    what: format!("operation {}", op.id),
                    detail: format!("not finished after {timeout:?}"),
                });
            }
            tokio::time::sleep(poll_every).await;
        }
    }

    pub async fn conditional_access_policies(
        &self,
    ) -> Result<Vec<ConditionalAccessPolicy>, GraphError> {
        self.graph_collection(
            ApiVersion::V1,
            "identity/conditionalAccess/policies",
            &ODataQuery::new(),
        )
        .collect_all()
        .await
    }

    /// `POST /identity/conditionalAccess/policies` → 201 with the policy. See
    /// [`block_users_policy`]. Not retried on 504: a retry could create a second policy.
    pub async fn create_conditional_access_policy(
        &self,
        policy: Value,
    ) -> Result<ConditionalAccessPolicy, GraphError> {
        let request = self
            .graph_request(
                Method::POST,
                ApiVersion::V1,
                "identity/conditionalAccess/policies",
            )
            .json(policy);
        self.send_json(&request).await
    }

    /// `DELETE /identity/conditionalAccess/policies/{id}` → 204.
    pub async fn delete_conditional_access_policy(&self, id: &str) -> Result<(), GraphError> {
        self.graph_delete(
            &format!("identity/conditionalAccess/policies/{}", segment(id)),
            None,
        )
        .await
    }

    pub fn risky_users(&self, query: &ODataQuery) -> Pager<RiskyUser> {
        self.graph_collection(ApiVersion::V1, "identityProtection/riskyUsers", query)
    }

    pub fn risk_detections(&self, query: &ODataQuery) -> Pager<RiskDetection> {
        self.graph_collection(ApiVersion::V1, "identityProtection/riskDetections", query)
    }

    /// `POST /identityProtection/riskyUsers/confirmCompromised` → 204 (needs P2).
    pub async fn confirm_compromised(&self, user_ids: &[&str]) -> Result<(), GraphError> {
        self.risky_users_action("confirmCompromised", user_ids)
            .await
    }

    /// `POST /identityProtection/riskyUsers/dismiss` → 204.
    pub async fn dismiss_risky_users(&self, user_ids: &[&str]) -> Result<(), GraphError> {
        self.risky_users_action("dismiss", user_ids).await
    }

    async fn risky_users_action(&self, action: &str, user_ids: &[&str]) -> Result<(), GraphError> {
        let request = self
            .graph_request(
                Method::POST,
                ApiVersion::V1,
                &format!("identityProtection/riskyUsers/{action}"),
            )
            .json(json!({ "userIds": user_ids }))
            .idempotent(true);
        self.send_ok(&request).await.map(drop)
    }
}
