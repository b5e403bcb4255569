//! Collections that normalization reads one record at a time, as Microsoft-shaped JSON.
//!
//! The log collections hold most of a tenant: six months of sign-ins and audit records. A typed
//! snapshot's records are re-emitted as JSON only while each one is normalized, so the tenant is
//! never held a second time as a JSON tree (`serde_json::Value` takes two to three times the
//! memory of the typed records, and several times that of the file text).

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

/// A collection read record by record, in order.
pub(crate) trait Records {
    fn is_empty(&self) -> bool;
    /// Calls `visit` with each record as JSON.
    fn each(&self, visit: &mut dyn FnMut(&Value));
}

/// A collection of per-user records (`{userId: [record]}`), read record by record, in order.
pub(crate) trait PerUserRecords {
    /// Calls `visit` with each record's user id and the record as JSON.
    fn each(&self, visit: &mut dyn FnMut(&str, &Value));
}

impl Records for Vec<Value> {
    fn is_empty(&self) -> bool {
        Vec::is_empty(self)
    }

    fn each(&self, visit: &mut dyn FnMut(&Value)) {
        self.iter().for_each(visit);
    }
}

impl PerUserRecords for BTreeMap<String, Vec<Value>> {
    fn each(&self, visit: &mut dyn FnMut(&str, &Value)) {
        for (user_id, records) in self {
            for record in records {
                visit(user_id, record);
            }
        }
    }
}

/// Typed snapshot records, each re-emitted as JSON for the length of its visit.
pub(crate) struct Typed<'a, T>(pub &'a [T]);

impl<T: Serialize> Records for Typed<'_, T> {
    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn each(&self, visit: &mut dyn FnMut(&Value)) {
        for record in self.0 {
            if let Ok(json) = serde_json::to_value(record) {
                visit(&json);
            }
        }
    }
}

/// Typed per-user snapshot records, each re-emitted as JSON for the length of its visit.
pub(crate) struct TypedPerUser<'a, T>(pub &'a BTreeMap<String, Vec<T>>);

impl<T: Serialize> PerUserRecords for TypedPerUser<'_, T> {
    fn each(&self, visit: &mut dyn FnMut(&str, &Value)) {
        for (user_id, records) in self.0 {
            for record in records {
                if let Ok(json) = serde_json::to_value(record) {
                    visit(user_id, &json);
                }
            }
        }
    }
}
