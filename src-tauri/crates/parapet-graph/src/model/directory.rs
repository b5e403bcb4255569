use super::record;

pub use parapet_snapshot::model::SubscribedSku;

record! {
    /// `GET /users`. The default projection lacks most of these; ask with `$select`.
    #[serde(rename_all = "camelCase")]
    pub struct User {
        opt id: String,
        opt display_name: String,
        opt user_principal_name: String,
        opt mail: String,
        opt account_enabled: bool,
        opt user_type: String,
        opt /// `true` or null (never `false`) for cloud users.
            on_premises_sync_enabled: bool,
        opt assigned_licenses: Vec<AssignedLicense>,
        opt created_date_time: String,
        opt sign_in_activity: serde_json::Value,
    }
}

record! {
    #[serde(rename_all = "camelCase")]
    pub struct AssignedLicense {
        opt sku_id: String,
        opt disabled_plans: Vec<String>,
    }
}

record! {
    /// `GET /organization`
    #[serde(rename_all = "camelCase")]
    pub struct Organization {
        req id: String,
        opt display_name: String,
        opt verified_domains: Vec<serde_json::Value>,
        opt tenant_type: String,
    }
}

record! {
    /// `GET /contracts` (partner tenants only).
    #[serde(rename_all = "camelCase")]
    pub struct Contract {
        req id: String,
        opt contract_type: String,
        opt customer_id: String,
        opt default_domain_name: String,
        opt display_name: String,
    }
}

record! {
    /// `GET /tenantRelationships/delegatedAdminRelationships` (GDAP).
    #[serde(rename_all = "camelCase")]
    pub struct DelegatedAdminRelationship {
        req id: String,
        opt #[serde(rename = "@odata.type")] odata_type: String,
        opt display_name: String,
        opt status: String,
        opt duration: String,
        opt customer: GdapCustomer,
        opt access_details: serde_json::Value,
        opt created_date_time: String,
        opt end_date_time: String,
    }
}

record! {
    #[serde(rename_all = "camelCase")]
    pub struct GdapCustomer {
        opt tenant_id: String,
        opt display_name: String,
    }
}
