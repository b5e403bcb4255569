//! Typed Microsoft Graph calls, grouped by area; all are methods of [`TenantClient`].

mod apps;
mod devices;
mod identity;
mod logs;
mod mail;
mod partner;
pub mod query;
mod users;

pub use identity::{block_users_policy, parse_password_reset, PasswordReset};
pub use logs::{audit_query_from, AuditLogQueryRequest, SignInEventType};
pub use mail::MessageFilter;
pub use users::{parse_boolean_answer, USER_FIELDS};

use reqwest::Method;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::client::{ApiRequest, ApiVersion, TenantClient};
use crate::endpoints::Resource;
use crate::error::GraphError;
use crate::transport::paging::{PageStyle, Pager};
use query::ODataQuery;

/// One result per user, in the order the users were given.
pub type PerUser<T> = Vec<(String, Result<Vec<T>, GraphError>)>;

impl TenantClient {
    /// A pager over any Graph collection, for calls this crate has no typed method for.
    pub fn graph_collection<T: DeserializeOwned>(
        &self,
        version: ApiVersion,
        path: &str,
        query: &ODataQuery,
    ) -> Pager<T> {
        let mut request = ApiRequest::new(
            Method::GET,
            Resource::Graph,
            format!(
                "{}{}",
                self.graph_url(version, path),
                query.to_query_string()
            ),
        );
        if query.needs_eventual_consistency() {
            request = request.header("ConsistencyLevel", "eventual");
        }
        Pager::new(self.clone(), request, PageStyle::ODataGet)
    }

    pub(crate) fn graph_request(
        &self,
        method: Method,
        version: ApiVersion,
        path: &str,
    ) -> ApiRequest {
        ApiRequest::new(method, Resource::Graph, self.graph_url(version, path))
    }

    pub(crate) async fn graph_get<T: DeserializeOwned>(
        &self,
        version: ApiVersion,
        path: &str,
    ) -> Result<T, GraphError> {
        self.send_json(&self.graph_request(Method::GET, version, path))
            .await
    }

    /// PATCH with a body Microsoft answers with 204.
    pub(crate) async fn graph_patch(
        &self,
        path: &str,
        body: Value,
        mailbox: Option<&str>,
    ) -> Result<(), GraphError> {
        let mut request = self
            .graph_request(Method::PATCH, ApiVersion::V1, path)
            .json(body)
            .idempotent(true);
        if let Some(m) = mailbox {
            request = request.mailbox(m);
        }
        self.send_ok(&request).await.map(drop)
    }

    pub(crate) async fn graph_delete(
        &self,
        path: &str,
        mailbox: Option<&str>,
    ) -> Result<(), GraphError> {
        let mut request = self.graph_request(Method::DELETE, ApiVersion::V1, path);
        if let Some(m) = mailbox {
            request = request.mailbox(m);
        }
        self.send_ok(&request).await.map(drop)
    }
}
