use super::record;

/// Sign-ins and directory audits are the snapshot's record types, so what the scan fetches is
/// what a snapshot stores.
pub use parapet_snapshot::model::{DirectoryAudit, SignIn, SignInStatus};

record! {
    /// Purview `security/auditLog/queries`.
    #[serde(rename_all = "camelCase")]
    pub struct AuditLogQuery {
        req id: String,
        opt display_name: String,
        opt /// `notStarted`, `running`, `succeeded`, `failed`, `cancelled`, `unknownFutureValue`.
            status: String,
        opt filter_start_date_time: String,
        opt filter_end_date_time: String,
        opt record_type_filters: Vec<String>,
        opt operation_filters: Vec<String>,
        opt user_principal_name_filters: Vec<String>,
    }
}

record! {
    /// `GET /security/auditLog/queries/{id}/records`
    #[serde(rename_all = "camelCase")]
    pub struct AuditLogRecord {
        req id: String,
        opt created_date_time: String,
        opt audit_log_record_type: String,
        opt operation: String,
        opt organization_id: String,
        opt user_type: String,
        opt user_id: String,
        opt user_principal_name: String,
        opt service: String,
        opt object_id: String,
        opt client_ip: String,
        opt audit_data: serde_json::Value,
    }
}
