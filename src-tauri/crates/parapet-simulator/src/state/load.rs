//! Turns typed `parapet_snapshot::Snapshot`s into the simulator's JSON-held tenant data. The
//! typed records re-serialize to the original Microsoft JSON (unknown fields included), so the
//! simulator serves exactly what the snapshot holds.

use super::tenant::{RawSnapshot, TenantData};
use parapet_snapshot::{PerUser, Snapshot};
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;

pub fn tenant_from_snapshot(s: &Snapshot) -> Result<TenantData, String> {
    let mut files = BTreeMap::new();
    let mut put = |name: &str, v: Result<Value, String>| -> Result<(), String> {
        files.insert(name.to_string(), v?);
        Ok(())
    };
    put("users", to_value(&s.users))?;
    put("subscribedSkus", to_value(&s.subscribed_skus))?;
    put("signIns", to_value(&s.sign_ins))?;
    put("directoryAudits", to_value(&s.directory_audits))?;
    put("auditRecords", to_value(&s.audit_records))?;
    put("mailboxes", to_value(&s.mailboxes))?;
    put("messageRules", per_user(&s.message_rules))?;
    put("messages", per_user(&s.messages))?;
    put("authenticationMethods", per_user(&s.authentication_methods))?;
    put("servicePrincipals", to_value(&s.service_principals))?;
    put("applications", to_value(&s.applications))?;
    put(
        "oauth2PermissionGrants",
        to_value(&s.oauth2_permission_grants),
    )?;
    put("appRoleAssignments", to_value(&s.app_role_assignments))?;
    put("devices", to_value(&s.devices))?;
    put("mailboxPermissions", to_value(&s.mailbox_permissions))?;
    put("recipientPermissions", to_value(&s.recipient_permissions))?;
    put("inboundConnectors", to_value(&s.inbound_connectors))?;
    put("transportRules", to_value(&s.transport_rules))?;
    put(
        "conditionalAccessPolicies",
        to_value(&s.conditional_access_policies),
    )?;
    TenantData::from_raw(RawSnapshot {
        tenant: to_value(&s.tenant)?,
        files,
    })
}

fn to_value<T: Serialize>(v: &T) -> Result<Value, String> {
    serde_json::to_value(v).map_err(|e| format!("cannot re-serialize a record: {e}"))
}

fn per_user<T: Serialize>(map: &PerUser<T>) -> Result<Value, String> {
    to_value(map)
}
