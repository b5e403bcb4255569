//! Cross-record checks a snapshot must pass before anything may use it: references to users
//! resolve, and ids are unique within each collection.

use std::collections::{HashMap, HashSet};

use crate::error::SnapshotError;
use crate::snapshot::{PerUser, Snapshot};

/// Checks `snapshot` as [`crate::read`] does; also useful on a snapshot built in code.
pub fn validate(snapshot: &Snapshot) -> Result<(), SnapshotError> {
    unique(
        "users.json",
        "",
        "id",
        snapshot.users.iter().map(|u| u.id.as_str()),
    )?;
    // Entra UPNs are unique case-insensitively; a snapshot where two differ only in case would
    // make every UPN lookup ambiguous.
    let upns: Vec<String> = snapshot
        .users
        .iter()
        .map(|u| u.user_principal_name.to_ascii_lowercase())
        .collect();
    unique(
        "users.json",
        "",
        "userPrincipalName",
        upns.iter().map(String::as_str),
    )?;
    let user_ids: HashSet<&str> = snapshot.users.iter().map(|u| u.id.as_str()).collect();

    per_user_keys("messageRules.json", &snapshot.message_rules, &user_ids)?;
    per_user_keys("messages.json", &snapshot.messages, &user_ids)?;
    per_user_keys(
        "authenticationMethods.json",
        &snapshot.authentication_methods,
        &user_ids,
    )?;
    per_user_unique("messageRules.json", &snapshot.message_rules, |r| {
        r.id.as_str()
    })?;
    per_user_unique("messages.json", &snapshot.messages, |m| m.id.as_str())?;
    per_user_unique(
        "authenticationMethods.json",
        &snapshot.authentication_methods,
        |m| m.id.as_str(),
    )?;

    for (index, mailbox) in snapshot.mailboxes.iter().enumerate() {
        if !user_ids.contains(mailbox.user_id.as_str()) {
            return Err(SnapshotError::UnknownUserReference {
                file: "mailboxes.json".to_owned(),
                index,
                id: mailbox
                    .user_principal_name
                    .clone()
                    .unwrap_or_else(|| mailbox.user_id.clone()),
                field: "userId",
                user_id: mailbox.user_id.clone(),
            });
        }
    }
    unique(
        "mailboxes.json",
        "",
        "userId",
        snapshot.mailboxes.iter().map(|m| m.user_id.as_str()),
    )?;

    for (index, device) in snapshot.devices.iter().enumerate() {
        for owner in device.registered_owners.as_deref().unwrap_or_default() {
            if !user_ids.contains(owner.as_str()) {
                return Err(SnapshotError::UnknownUserReference {
                    file: "devices.json".to_owned(),
                    index,
                    id: device.id.clone(),
                    field: "registeredOwners",
                    user_id: owner.clone(),
                });
            }
        }
    }
    unique(
        "devices.json",
        "",
        "id",
        snapshot.devices.iter().map(|d| d.id.as_str()),
    )?;

    unique(
        "subscribedSkus.json",
        "",
        "skuId",
        snapshot.subscribed_skus.iter().map(|s| s.sku_id.as_str()),
    )?;
    unique(
        "signIns.json",
        "",
        "id",
        snapshot.sign_ins.iter().map(|s| s.id.as_str()),
    )?;
    unique(
        "directoryAudits.json",
        "",
        "id",
        snapshot.directory_audits.iter().map(|a| a.id.as_str()),
    )?;
    unique(
        "auditRecords.json",
        "",
        "Id",
        snapshot.audit_records.iter().map(|r| r.id.as_str()),
    )?;
    unique(
        "servicePrincipals.json",
        "",
        "id",
        snapshot.service_principals.iter().map(|s| s.id.as_str()),
    )?;
    unique(
        "applications.json",
        "",
        "id",
        snapshot.applications.iter().map(|a| a.id.as_str()),
    )?;
    unique(
        "oauth2PermissionGrants.json",
        "",
        "id",
        snapshot
            .oauth2_permission_grants
            .iter()
            .map(|g| g.id.as_str()),
    )?;
    unique(
        "appRoleAssignments.json",
        "",
        "id",
        snapshot.app_role_assignments.iter().map(|a| a.id.as_str()),
    )?;
    unique(
        "inboundConnectors.json",
        "",
        "Identity",
        snapshot
            .inbound_connectors
            .iter()
            .map(|c| c.identity.as_str()),
    )?;
    unique(
        "transportRules.json",
        "",
        "Identity",
        snapshot.transport_rules.iter().map(|r| r.identity.as_str()),
    )?;
    unique(
        "conditionalAccessPolicies.json",
        "",
        "id",
        snapshot
            .conditional_access_policies
            .iter()
            .map(|p| p.id.as_str()),
    )?;
    // Mailbox and recipient permissions are not checked: Exchange lists the same
    // Identity/User pair more than once when it holds both an inherited and an explicit entry.
    Ok(())
}

fn per_user_keys<T>(
    file: &str,
    map: &PerUser<T>,
    user_ids: &HashSet<&str>,
) -> Result<(), SnapshotError> {
    match map.keys().find(|key| !user_ids.contains(key.as_str())) {
        Some(key) => Err(SnapshotError::UnknownUserKey {
            file: file.to_owned(),
            user_id: key.clone(),
        }),
        None => Ok(()),
    }
}

fn per_user_unique<T>(
    file: &str,
    map: &PerUser<T>,
    id: impl Fn(&T) -> &str,
) -> Result<(), SnapshotError> {
    for (user_id, records) in map {
        unique(
            file,
            &format!("user {user_id}: "),
            "id",
            records.iter().map(&id),
        )?;
    }
    Ok(())
}

fn unique<'a>(
    file: &str,
    scope: &str,
    field: &'static str,
    ids: impl Iterator<Item = &'a str>,
) -> Result<(), SnapshotError> {
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (index, id) in ids.enumerate() {
        if let Some(first) = seen.insert(id, index) {
            return Err(SnapshotError::DuplicateId {
                file: file.to_owned(),
                scope: scope.to_owned(),
                field,
                id: id.to_owned(),
                first,
                second: index,
            });
        }
    }
    Ok(())
}
