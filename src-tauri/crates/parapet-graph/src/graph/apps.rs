use reqwest::Method;
use serde_json::{json, Value};

use crate::client::{decode, ApiVersion, TenantClient};
use crate::error::GraphError;
use crate::graph::query::{segment, ODataQuery};
use crate::model::apps::{
    AddedPassword, AppRoleAssignment, Application, OAuth2PermissionGrant, RawAddedPassword,
    ServicePrincipal,
};
use crate::transport::paging::Pager;

impl TenantClient {
    pub fn service_principals(&self, query: &ODataQuery) -> Pager<ServicePrincipal> {
        self.graph_collection(ApiVersion::V1, "servicePrincipals", query)
    }

    /// `PATCH /servicePrincipals/{id}` `{"accountEnabled": …}` → 204.
    pub async fn set_service_principal_enabled(
        &self,
        id: &str,
        enabled: bool,
    ) -> Result<(), GraphError> {
        self.graph_patch(
            &format!("servicePrincipals/{}", segment(id)),
            json!({ "accountEnabled": enabled }),
            None,
        )
        .await
    }

    pub async fn delete_service_principal(&self, id: &str) -> Result<(), GraphError> {
        self.graph_delete(&format!("servicePrincipals/{}", segment(id)), None)
            .await
    }

    pub fn applications(&self, query: &ODataQuery) -> Pager<Application> {
        self.graph_collection(ApiVersion::V1, "applications", query)
    }

    /// `POST /applications` → 201. `properties` may add e.g. `signInAudience`.
    pub async fn create_application(
        &self,
        display_name: &str,
        properties: Value,
    ) -> Result<Application, GraphError> {
        let mut body = match properties {
            Value::Object(map) => map,
            _ => serde_json::Map::new(),
        };
        body.insert("displayName".into(), Value::from(display_name));
        let request = self
            .graph_request(Method::POST, ApiVersion::V1, "applications")
            .json(Value::Object(body));
        self.send_json(&request).await
    }

    /// `POST /applications/{objectId}/addPassword` → the one response carrying the secret.
    pub async fn add_password(
        &self,
        application_object_id: &str,
        display_name: &str,
        end_date_time: Option<&str>,
    ) -> Result<AddedPassword, GraphError> {
        let mut credential = json!({ "displayName": display_name });
        if let Some(end) = end_date_time {
            credential["endDateTime"] = Value::from(end);
        }
        let request = self
            .graph_request(
                Method::POST,
                ApiVersion::V1,
                &format!(
                    "applications/{}/addPassword",
                    segment(application_object_id)
                ),
            )
            .json(json!({ "passwordCredential": credential }));
        let response = self.send_ok(&request).await?;
        let raw: RawAddedPassword = decode(&request.method, &request.url, &response.body)?;
        Ok(raw.into())
    }

    /// `POST /applications/{objectId}/removePassword` `{"keyId"}` → 204.
    pub async fn remove_password(
        &self,
        application_object_id: &str,
        key_id: &str,
    ) -> Result<(), GraphError> {
        let request = self
            .graph_request(
                Method::POST,
                ApiVersion::V1,
                &format!(
                    "applications/{}/removePassword",
                    segment(application_object_id)
                ),
            )
            .json(json!({ "keyId": key_id }))
            .idempotent(true);
        self.send_ok(&request).await.map(drop)
    }

    /// `GET /oauth2PermissionGrants`, optionally `$filter=clientId eq '…'`.
    pub fn oauth2_permission_grants(&self, query: &ODataQuery) -> Pager<OAuth2PermissionGrant> {
        self.graph_collection(ApiVersion::V1, "oauth2PermissionGrants", query)
    }

    pub async fn delete_oauth2_permission_grant(&self, id: &str) -> Result<(), GraphError> {
        self.graph_delete(&format!("oauth2PermissionGrants/{}", segment(id)), None)
            .await
    }

    /// Application permissions granted to a service principal.
    pub fn app_role_assignments(&self, service_principal_id: &str) -> Pager<AppRoleAssignment> {
        self.graph_collection(
            ApiVersion::V1,
            &format!(
                "servicePrincipals/{}/appRoleAssignments",
                segment(service_principal_id)
            ),
            &ODataQuery::new(),
        )
    }

    pub async fn delete_app_role_assignment(
        &self,
        service_principal_id: &str,
        assignment_id: &str,
    ) -> Result<(), GraphError> {
        self.graph_delete(
            &format!(
                "servicePrincipals/{}/appRoleAssignments/{}",
                segment(service_principal_id),
                segment(assignment_id)
            ),
            None,
        )
        .await
    }
}
