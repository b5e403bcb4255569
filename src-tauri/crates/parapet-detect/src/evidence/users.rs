//! Resolving the many ways Microsoft names a user (UPN, object id, Exchange alias, display name)
//! to the user's object id.

use std::collections::BTreeMap;

use serde_json::Value;

use super::json::text;
use super::UserFacts;

#[derive(Debug, Default, Clone)]
pub struct UserIndex {
    by_upn: BTreeMap<String, String>,
    by_alias: BTreeMap<String, String>,
    upn_by_id: BTreeMap<String, String>,
}

impl UserIndex {
    pub fn new(users: &[UserFacts], mailboxes: &[Value]) -> Self {
        let mut index = UserIndex::default();
        for u in users {
            let id = u.id.clone();
            index.by_upn.insert(u.upn.clone(), id.clone());
            index.upn_by_id.insert(id.clone(), u.upn.clone());
            if let Some(mail) = &u.mail {
                index.by_upn.insert(mail.to_ascii_lowercase(), id.clone());
            }
            if let Some((local, _)) = u.upn.split_once('@') {
                index
                    .by_alias
                    .entry(local.to_string())
                    .or_insert_with(|| id.clone());
            }
            if !u.display_name.is_empty() {
                index
                    .by_alias
                    .entry(u.display_name.to_ascii_lowercase())
                    .or_insert_with(|| id.clone());
            }
        }
        for m in mailboxes {
            let Some(id) = text(m, "userId") else {
                continue;
            };
            for key in [
                "identity",
                "Identity",
                "alias",
                "Alias",
                "userPrincipalName",
                "primarySmtpAddress",
            ] {
                if let Some(v) = text(m, key) {
                    index.by_alias.insert(v.to_ascii_lowercase(), id.clone());
                }
            }
        }
        index
    }

    pub fn id_by_upn(&self, upn: &str) -> Option<String> {
        self.by_upn.get(&upn.to_ascii_lowercase()).cloned()
    }

    /// Any of UPN, alias, display name or object id.
    pub fn id_by_alias(&self, name: &str) -> Option<String> {
        let key = name.trim().to_ascii_lowercase();
        if key.is_empty() {
            return None;
        }
        if self.upn_by_id.contains_key(name.trim()) {
            return Some(name.trim().to_string());
        }
        self.by_upn
            .get(&key)
            .or_else(|| self.by_alias.get(&key))
            .cloned()
    }

    pub fn upn_of(&self, id: &str) -> Option<&str> {
        self.upn_by_id.get(id).map(String::as_str)
    }
}
