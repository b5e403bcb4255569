//! Office 365 Management Activity API shapes.

use super::record;

/// Content-blob records are the snapshot's `auditRecords.json` type.
pub use parapet_snapshot::model::AuditRecord;

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
