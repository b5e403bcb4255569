use super::record;

record! {
    /// `GET /auditLogs/signIns` (v1.0 or beta; beta adds `userAgent` and more).
    #[serde(rename_all = "camelCase")]
    pub struct SignIn {
        req id: String,
        req created_date_time: String,
        opt user_principal_name: String,
        opt user_id: String,
        opt user_display_name: String,
        opt app_id: String,
        opt app_display_name: String,
        opt ip_address: String,
        opt client_app_used: String,
        opt user_agent: String,
        opt correlation_id: String,
        opt conditional_access_status: String,
        opt is_interactive: bool,
        opt status: SignInStatus,
        opt location: serde_json::Value,
        opt device_detail: serde_json::Value,
    }
}

record! {
    #[serde(rename_all = "camelCase")]
    pub struct SignInStatus {
        opt /// 0 means success.
            error_code: i64,
        opt failure_reason: String,
        opt additional_details: String,
    }
}

record! {
    /// `GET /auditLogs/directoryAudits`. Older examples spell `targetResources[].Type`.
    #[serde(rename_all = "camelCase")]
    pub struct DirectoryAudit {
        req id: String,
        req activity_date_time: String,
        opt activity_display_name: String,
        opt category: String,
        opt correlation_id: String,
        opt result: String,
        opt result_reason: String,
        opt logged_by_service: String,
        opt operation_type: String,
        opt initiated_by: serde_json::Value,
        opt target_resources: Vec<serde_json::Value>,
        opt additional_details: Vec<serde_json::Value>,
    }
}

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
