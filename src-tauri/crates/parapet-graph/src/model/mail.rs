//! Graph mail records are the snapshot's types (what the scan fetches is what it stores).

pub use parapet_snapshot::model::{
    EmailAddress, Message, MessageRule, MessageRuleActions, MessageRulePredicates, Recipient,
};
