use super::{record, Recipient};

record! {
    /// `GET /users/{id}/messages`
    #[serde(rename_all = "camelCase")]
    pub struct Message {
        req id: String,
        opt internet_message_id: String,
        opt subject: String,
        opt from: Recipient,
        opt sender: Recipient,
        opt received_date_time: String,
        opt parent_folder_id: String,
    }
}

record! {
    /// `mailFolders/inbox/messageRules`; only the properties that are set appear.
    #[serde(rename_all = "camelCase")]
    pub struct MessageRule {
        req id: String,
        opt display_name: String,
        opt sequence: i32,
        opt is_enabled: bool,
        opt has_error: bool,
        opt is_read_only: bool,
        opt conditions: serde_json::Value,
        opt exceptions: serde_json::Value,
        opt actions: MessageRuleActions,
    }
}

record! {
    #[serde(rename_all = "camelCase")]
    pub struct MessageRuleActions {
        opt forward_to: Vec<Recipient>,
        opt forward_as_attachment_to: Vec<Recipient>,
        opt #[serde(deserialize_with = "super::one_or_many")] redirect_to: Vec<Recipient>,
        opt move_to_folder: String,
        opt copy_to_folder: String,
        opt delete: bool,
        opt permanent_delete: bool,
        opt mark_as_read: bool,
        opt mark_importance: String,
        opt stop_processing_rules: bool,
        opt assign_categories: Vec<String>,
    }
}
