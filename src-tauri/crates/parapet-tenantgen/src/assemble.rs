//! Turning the world's JSON records into a typed, sorted, validated `Snapshot`.

use chrono::{DateTime, Utc};
use parapet_snapshot::model::TenantInfo;
use parapet_snapshot::{PerUser, Snapshot};
use serde::de::DeserializeOwned;
use serde_json::{json, Value};

use crate::error::TenantGenError;
use crate::time::ms;
use crate::world::{Timed, World};

fn typed<T: DeserializeOwned>(file: &'static str, value: Value) -> Result<T, TenantGenError> {
    serde_json::from_value(value).map_err(|source| TenantGenError::Record { file, source })
}

fn list<T: DeserializeOwned>(
    file: &'static str,
    values: Vec<Value>,
) -> Result<Vec<T>, TenantGenError> {
    values.into_iter().map(|value| typed(file, value)).collect()
}

/// Newest first, as Microsoft's log APIs return them; ties keep insertion order.
fn newest_first<T: DeserializeOwned>(
    file: &'static str,
    mut values: Vec<Timed>,
) -> Result<Vec<T>, TenantGenError> {
    values.sort_by_key(|timed| std::cmp::Reverse(timed.0));
    values
        .into_iter()
        .map(|(_, value)| typed(file, value))
        .collect()
}

fn per_user<T: DeserializeOwned>(
    file: &'static str,
    map: std::collections::BTreeMap<String, Vec<Value>>,
) -> Result<PerUser<T>, TenantGenError> {
    map.into_iter()
        .map(|(user, values)| Ok((user, list(file, values)?)))
        .collect()
}

impl World {
    pub(crate) fn finish(self) -> Result<Snapshot, TenantGenError> {
        let end: DateTime<Utc> = self.end;
        let tenant: TenantInfo = typed(
            "tenant.json",
            json!({
                "id": self.tenant_id,
                "displayName": self.spec.display_name,
                "defaultDomainName": self.spec.domain,
                "verifiedDomains": [self.spec.domain, self.onmicrosoft],
                "snapshotTime": ms(end),
                "licenses": {"entraIdP1": self.spec.licences.entra_id_p1, "entraIdP2": self.spec.licences.entra_id_p2},
            }),
        )?;
        let mut snapshot = Snapshot::new(tenant);
        snapshot.users = list("users.json", self.users)?;
        snapshot.subscribed_skus = list("subscribedSkus.json", self.skus)?;
        snapshot.sign_ins = newest_first("signIns.json", self.sign_ins)?;
        snapshot.directory_audits = newest_first("directoryAudits.json", self.directory_audits)?;
        snapshot.audit_records = newest_first("auditRecords.json", self.audit_records)?;
        snapshot.mailboxes = list("mailboxes.json", self.mailboxes)?;
        snapshot.message_rules = per_user("messageRules.json", self.message_rules)?;
        let mut messages = PerUser::new();
        for (user, mut timed) in self.messages {
            timed.sort_by_key(|timed| std::cmp::Reverse(timed.0));
            let values = timed.into_iter().map(|(_, value)| value).collect();
            messages.insert(user, list("messages.json", values)?);
        }
        snapshot.messages = messages;
        snapshot.authentication_methods =
            per_user("authenticationMethods.json", self.auth_methods)?;
        snapshot.service_principals = list("servicePrincipals.json", self.service_principals)?;
        snapshot.applications = list("applications.json", self.applications)?;
        snapshot.oauth2_permission_grants = list("oauth2PermissionGrants.json", self.grants)?;
        snapshot.app_role_assignments = list("appRoleAssignments.json", self.app_role_assignments)?;
        snapshot.devices = list("devices.json", self.devices)?;
        snapshot.mailbox_permissions = list("mailboxPermissions.json", self.mailbox_permissions)?;
        snapshot.recipient_permissions =
            list("recipientPermissions.json", self.recipient_permissions)?;
        snapshot.inbound_connectors = list("inboundConnectors.json", self.inbound_connectors)?;
        snapshot.transport_rules = list("transportRules.json", self.transport_rules)?;
        snapshot.conditional_access_policies =
            list("conditionalAccessPolicies.json", self.ca_policies)?;
        parapet_snapshot::validate(&snapshot)?;
        Ok(snapshot)
    }
}
