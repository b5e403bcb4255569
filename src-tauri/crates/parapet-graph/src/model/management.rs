//! Office 365 Management Activity API shapes.

use super::record;

record! {
    /// `subscriptions/start` and `subscriptions/list` items.
    #[serde(rename_all = "camelCase")]
    pub struct Subscription {
        req content_type: String,
        opt status: String,
        opt webhook: serde_json::Value,
    }
}

record! {
    /// `subscriptions/content` items (and, with `notificationSent`/`notificationStatus` in
    /// `extra`, `subscriptions/notifications` items).
    #[serde(rename_all = "camelCase")]
    pub struct ContentBlob {
        req content_type: String,
        req content_id: String,
        req content_uri: String,
        opt content_created: String,
        opt content_expiration: String,
    }
}

record! {
    /// One audit record from a content blob. Workload-specific properties stay in `extra`.
    #[serde(rename_all = "PascalCase")]
    pub struct ActivityRecord {
        req id: String,
        req creation_time: String,
        opt operation: String,
        opt organization_id: String,
        opt /// 1 ExchangeAdmin, 2 ExchangeItem, 8 AzureActiveDirectory, 15 …StsLogon, …
            record_type: i64,
        opt result_status: String,
        opt user_key: String,
        opt user_type: i64,
        opt workload: String,
        opt #[serde(rename = "ClientIP")] client_ip: String,
        opt object_id: String,
        opt user_id: String,
    }
}
