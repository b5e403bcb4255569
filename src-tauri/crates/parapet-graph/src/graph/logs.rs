use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use reqwest::Method;
use serde::Serialize;
use serde_json::Value;

use crate::client::{decode, ApiVersion, TenantClient};
use crate::error::GraphError;
use crate::graph::query::{segment, time_window, ODataQuery};
use crate::model::logs::{AuditLogQuery, AuditLogRecord, DirectoryAudit, SignIn};
use crate::transport::paging::Pager;

/// Beta returns only interactive sign-ins unless another event type is asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignInEventType {
    InteractiveUser,
    NonInteractiveUser,
    ServicePrincipal,
    ManagedIdentity,
}

impl SignInEventType {
    fn as_str(self) -> &'static str {
        match self {
            SignInEventType::InteractiveUser => "interactiveUser",
            SignInEventType::NonInteractiveUser => "nonInteractiveUser",
            SignInEventType::ServicePrincipal => "servicePrincipal",
            SignInEventType::ManagedIdentity => "managedIdentity",
        }
    }
}

/// Body of `POST /security/auditLog/queries`; empty filters are left out.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditLogQueryRequest {
    pub display_name: String,
    pub filter_start_date_time: String,
    pub filter_end_date_time: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub record_type_filters: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub operation_filters: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub user_principal_name_filters: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub ip_address_filters: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub object_id_filters: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub keyword_filter: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service_filter: Option<String>,
}

impl TenantClient {
    /// Beta `GET /auditLogs/signIns` for `[from, to)`, 1,000 per page (the maximum), newest
    /// first. Needs Entra ID P1 ([`GraphError::NoPremiumLicence`] otherwise).
    pub fn sign_ins(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        event_type: Option<SignInEventType>,
    ) -> Pager<SignIn> {
        let mut query = ODataQuery::new()
            .filter(time_window("createdDateTime", from, to))
            .top(1000);
        if let Some(kind) = event_type {
            query = query.and_filter(format!("signInEventTypes/any(t: t eq '{}')", kind.as_str()));
        }
        self.graph_collection(ApiVersion::Beta, "auditLogs/signIns", &query)
    }

    /// `GET /auditLogs/directoryAudits` for `[from, to)`, plus an optional extra clause.
    pub fn directory_audits(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        extra_filter: Option<&str>,
    ) -> Pager<DirectoryAudit> {
        let mut query = ODataQuery::new().filter(time_window("activityDateTime", from, to));
        if let Some(clause) = extra_filter {
            query = query.and_filter(clause.to_string());
        }
        self.graph_collection(ApiVersion::V1, "auditLogs/directoryAudits", &query)
    }

    /// `POST /security/auditLog/queries` → 201 with the query (status `notStarted`).
    pub async fn create_audit_log_query(
        &self,
        request: &AuditLogQueryRequest,
    ) -> Result<AuditLogQuery, GraphError> {
        let body = serde_json::to_value(request).map_err(|e| GraphError::Config {
            what: format!("audit log query body: {e}"),
        })?;
        let request = self
            .graph_request(Method::POST, ApiVersion::V1, "security/auditLog/queries")
            .json(body);
        let response = self.send_ok(&request).await?;
        let value: Value = decode(&request.method, &request.url, &response.body)?;
        audit_query_from(value, &request.url)
    }

    pub async fn audit_log_query(&self, id: &str) -> Result<AuditLogQuery, GraphError> {
        let path = format!("security/auditLog/queries/{}", segment(id));
        let value: Value = self.graph_get(ApiVersion::V1, &path).await?;
        audit_query_from(value, &path)
    }

    /// Polls until the query has `succeeded`; `failed`/`cancelled` or `timeout` are errors.
    pub async fn wait_for_audit_log_query(
        &self,
        id: &str,
        poll_every: Duration,
        timeout: Duration,
    ) -> Result<AuditLogQuery, GraphError> {
        let started = Instant::now();
        loop {
            let query = self.audit_log_query(id).await?;
            match query.status.as_deref() {
                Some("succeeded") => return Ok(query),
                Some(s @ ("failed" | "cancelled")) => {
                    return Err(GraphError::OperationFailed {
                        what: format!("audit log query {id}"),
                        detail: format!("status {s}"),
                    })
                }
                _ => {}
            }
            if started.elapsed() + poll_every > timeout {
                return Err(GraphError::OperationFailed {
                    what: format!("audit log query {id}"),
                    detail: format!(
                        "still {} after {timeout:?}",
                        query.status.as_deref().unwrap_or("without status")
                    ),
                });
            }
            tokio::time::sleep(poll_every).await;
        }
    }

    pub fn audit_log_records(&self, query_id: &str) -> Pager<AuditLogRecord> {
        self.graph_collection(
            ApiVersion::V1,
            &format!("security/auditLog/queries/{}/records", segment(query_id)),
            &ODataQuery::new(),
        )
    }
}

/// Microsoft's get example wraps the query in `value`; accept both shapes.
pub fn audit_query_from(value: Value, what: &str) -> Result<AuditLogQuery, GraphError> {
    let inner = match value {
        Value::Object(ref map)
            if !map.contains_key("id") && map.get("value").is_some_and(Value::is_object) =>
        {
            map["value"].clone()
        }
        other => other,
    };
    serde_json::from_value(inner).map_err(|e| GraphError::Decode {
        what: what.to_string(),
        message: e.to_string(),
    })
}
