use parapet_secrets::Sensitive;
use reqwest::Method;
use serde::Deserialize;
use serde_json::json;

use crate::client::{ApiVersion, TenantClient};
use crate::error::GraphError;
use crate::graph::query::{segment, ODataQuery};
use crate::model::directory::{Organization, SubscribedSku, User};
use crate::transport::paging::Pager;

/// The properties Parapet needs from every user (the default projection lacks most).
pub const USER_FIELDS: &[&str] = &[
    "id",
    "displayName",
    "userPrincipalName",
    "mail",
    "accountEnabled",
    "assignedLicenses",
    "onPremisesSyncEnabled",
    "userType",
    "createdDateTime",
];

/// `{"@odata.context":"…#Edm.Boolean","value":true}`; an empty body counts as `true`.
pub fn parse_boolean_answer(body: &[u8]) -> Result<bool, GraphError> {
    #[derive(Deserialize)]
    struct Answer {
        value: bool,
    }
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(true);
    }
    serde_json::from_slice::<Answer>(body)
        .map(|a| a.value)
        .map_err(|e| GraphError::Decode {
            what: "the revokeSignInSessions response".into(),
            message: e.to_string(),
        })
}

impl TenantClient {
    /// `GET /users` with the given `$select`/`$filter`/`$top`.
    pub fn users(&self, query: &ODataQuery) -> Pager<User> {
        self.graph_collection(ApiVersion::V1, "users", query)
    }

    /// `GET /users/{id|upn}`
    pub async fn user(&self, id: &str, select: &[&str]) -> Result<User, GraphError> {
        let q = ODataQuery::new().select(select).to_query_string();
        self.graph_get(ApiVersion::V1, &format!("users/{}{q}", segment(id)))
            .await
    }

    pub async fn subscribed_skus(&self) -> Result<Vec<SubscribedSku>, GraphError> {
        self.graph_collection(ApiVersion::V1, "subscribedSkus", &ODataQuery::new())
            .collect_all()
            .await
    }

    pub async fn organization(&self) -> Result<Vec<Organization>, GraphError> {
        self.graph_collection(ApiVersion::V1, "organization", &ODataQuery::new())
            .collect_all()
            .await
    }

    /// `POST /users/{id}/revokeSignInSessions`: Microsoft answers 200 with a boolean (the
    /// documented 204 is accepted too, as `true`).
    pub async fn revoke_sign_in_sessions(&self, user: &str) -> Result<bool, GraphError> {
        let request = self
            .graph_request(
                Method::POST,
                ApiVersion::V1,
                &format!("users/{}/revokeSignInSessions", segment(user)),
            )
            .idempotent(true);
        let response = self.send_ok(&request).await?;
        if response.status == 204 {
            return Ok(true);
        }
        parse_boolean_answer(&response.body)
    }

    /// `PATCH /users/{id}` `{"accountEnabled": …}` → 204.
    pub async fn set_account_enabled(&self, user: &str, enabled: bool) -> Result<(), GraphError> {
        self.graph_patch(
            &format!("users/{}", segment(user)),
            json!({ "accountEnabled": enabled }),
            None,
        )
        .await
    }

    /// `PATCH /users/{id}` with `passwordProfile` → 204. Fails with `BadRequest`
    /// (`Request_BadRequest`) for users mastered on-premises.
    pub async fn set_password(
        &self,
        user: &str,
        password: &Sensitive<String>,
        force_change_next_sign_in: bool,
    ) -> Result<(), GraphError> {
        self.graph_patch(
            &format!("users/{}", segment(user)),
            json!({ "passwordProfile": {
                "forceChangePasswordNextSignIn": force_change_next_sign_in,
                "password": password.expose(),
            }}),
            None,
        )
        .await
        .map_err(|e| e.scrubbed(&[password.expose()]))
    }
}
