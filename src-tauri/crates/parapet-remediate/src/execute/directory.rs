//! Entra ID objects: the user account, the CA block policy, consent grants, service
//! principals, application credentials, devices and authentication methods.

use parapet_graph::graph::block_users_policy;
use parapet_graph::model::identity::MethodKind;
use parapet_graph::{ApiVersion, GraphError, ODataQuery, TenantClient};
use serde_json::{json, Value};

use super::{get_object, seg, Executed};
use crate::model::Removal;
use crate::outcome::{Outcome, ONLY_METHOD_GUARD};

const USER_EVIDENCE: &str = "id,userPrincipalName,accountEnabled,onPremisesSyncEnabled,signInSessionsValidFromDateTime,lastPasswordChangeDateTime";

async fn user_evidence(client: &TenantClient, user: &str) -> Result<Option<Value>, GraphError> {
    get_object(
        client,
        format!("/users/{}?$select={USER_EVIDENCE}", seg(user)),
    )
    .await
}

pub(super) async fn revoke(client: &TenantClient, user: &str) -> Executed {
    let evidence = match user_evidence(client, user).await {
        Ok(Some(v)) => Some(v),
        Ok(None) => return Executed::already("the user no longer exists"),
        Err(e) => return Executed::failed(&e),
    };
    match client.revoke_sign_in_sessions(user).await {
        Ok(true) => Executed::succeeded(),
        Ok(false) => Executed::new(Outcome::Failed {
            code: String::new(),
            message: "Microsoft answered revokeSignInSessions with false".into(),
        }),
        Err(e) => Executed::failed(&e),
    }
    .evidence(evidence)
}

pub(super) async fn set_enabled(client: &TenantClient, user: &str, enabled: bool) -> Executed {
    let evidence = match user_evidence(client, user).await {
        Ok(Some(v)) => v,
        Ok(None) => {
            return if enabled {
                Executed::new(Outcome::Failed {
                    code: "Request_ResourceNotFound".into(),
                    message: format!("the user {user} no longer exists"),
                })
            } else {
                Executed::already("the user no longer exists")
            }
        }
        Err(e) => return Executed::failed(&e),
    };
    if evidence.get("accountEnabled").and_then(Value::as_bool) == Some(enabled) {
        let why = if enabled {
            "the account is already enabled"
        } else {
            "the account is already disabled"
        };
        return Executed::already(why).evidence(Some(evidence));
    }
    Executed::from_write(
        client.set_account_enabled(user, enabled).await,
        Some(evidence),
    )
}

async fn policies_named(client: &TenantClient, name: &str) -> Result<Vec<Value>, GraphError> {
    let all: Vec<Value> = client
        .graph_collection(
            ApiVersion::V1,
            "identity/conditionalAccess/policies",
            &ODataQuery::new(),
        )
        .collect_all()
        .await?;
    Ok(all
        .into_iter()
        .filter(|p| p.get("displayName").and_then(Value::as_str) == Some(name))
        .collect())
}

fn policy_id(policy: &Value) -> Option<String> {
    policy.get("id").and_then(Value::as_str).map(str::to_string)
}

pub(super) async fn create_block(
    client: &TenantClient,
    user: &str,
    exclude: &[String],
    name: &str,
) -> Executed {
    // A create is not idempotent: an earlier, interrupted run may already have made it.
    match policies_named(client, name).await {
        Ok(existing) if !existing.is_empty() => {
            let id = existing.iter().find_map(policy_id);
            return Executed::already("the block policy already exists")
                .detail(json!({ "policyId": id }))
                .evidence(existing.into_iter().next());
        }
        Ok(_) => {}
        Err(e) => return Executed::failed(&e),
    }
    let excluded: Vec<&str> = exclude.iter().map(String::as_str).collect();
    let body = block_users_policy(name, &[user], &excluded);
    match client.create_conditional_access_policy(body).await {
        Ok(policy) => Executed::succeeded().detail(json!({ "policyId": policy.id })),
        Err(e @ GraphError::NoPremiumLicence { .. }) => Executed::failed(&e).guidance(
            "Conditional Access needs Entra ID P1; disable the account on-premises instead",
        ),
        Err(e) => Executed::failed(&e),
    }
}

pub(super) async fn delete_block(client: &TenantClient, id: Option<&str>, name: &str) -> Executed {
    let policies = match id {
        Some(id) => {
            match get_object(
                client,
                format!("/identity/conditionalAccess/policies/{}", seg(id)),
            )
            .await
            {
                Ok(found) => found.into_iter().collect(),
                Err(e) => return Executed::failed(&e),
            }
        }
        None => match policies_named(client, name).await {
            Ok(found) => found,
            Err(e) => return Executed::failed(&e),
        },
    };
    if policies.is_empty() {
        return Executed::already("the block policy no longer exists");
    }
    for policy in &policies {
        let Some(pid) = policy_id(policy) else {
            continue;
        };
        let result = client.delete_conditional_access_policy(&pid).await;
        if let Err(e) = result {
            if !super::is_not_found(&e) {
                return Executed::failed(&e).evidence(Some(Value::Array(policies.clone())));
            }
        }
    }
    Executed::succeeded().evidence(Some(Value::Array(policies)))
}

pub(super) async fn delete_grant(client: &TenantClient, id: &str) -> Executed {
    match get_object(client, format!("/oauth2PermissionGrants/{}", seg(id))).await {
        Ok(None) => Executed::already("the grant no longer exists"),
        Ok(Some(evidence)) => Executed::from_write(
            client.delete_oauth2_permission_grant(id).await,
            Some(evidence),
        ),
        Err(e) => Executed::failed(&e),
    }
}

pub(super) async fn disable_service_principal(client: &TenantClient, id: &str) -> Executed {
    match get_object(client, format!("/servicePrincipals/{}", seg(id))).await {
        Ok(None) => Executed::already("the service principal no longer exists"),
        Ok(Some(evidence)) => {
            if evidence.get("accountEnabled").and_then(Value::as_bool) == Some(false) {
                return Executed::already("the service principal is already disabled")
                    .evidence(Some(evidence));
            }
            Executed::from_write(
                client.set_service_principal_enabled(id, false).await,
                Some(evidence),
            )
        }
        Err(e) => Executed::failed(&e),
    }
}

pub(super) async fn remove_app_credential(
    client: &TenantClient,
    app: &str,
    key: Option<&str>,
) -> Executed {
    let evidence = match get_object(client, format!("/applications/{}", seg(app))).await {
        Ok(None) => return Executed::already("the application no longer exists"),
        Ok(Some(v)) => v,
        Err(e) => return Executed::failed(&e),
    };
    let present: Vec<String> = evidence
        .get("passwordCredentials")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|c| c.get("keyId").and_then(Value::as_str))
        .map(str::to_string)
        .collect();
    let doomed: Vec<String> = match key {
        Some(k) => present
            .iter()
            .filter(|p| p.eq_ignore_ascii_case(k))
            .cloned()
            .collect(),
        None => present,
    };
    if doomed.is_empty() {
        return Executed::already("the credential is no longer on the application")
            .evidence(Some(evidence));
    }
    for key_id in &doomed {
        if let Err(e) = client.remove_password(app, key_id).await {
            if !super::is_not_found(&e) {
                return Executed::failed(&e).evidence(Some(evidence));
            }
        }
    }
    Executed::succeeded()
        .evidence(Some(evidence))
        .detail(json!({ "removedKeyIds": doomed }))
}

pub(super) async fn device(client: &TenantClient, id: &str, removal: Removal) -> Executed {
    let evidence = match get_object(client, format!("/devices/{}", seg(id))).await {
        Ok(None) => return Executed::already("the device no longer exists"),
        Ok(Some(v)) => v,
        Err(e) => return Executed::failed(&e),
    };
    match removal {
        Removal::Disable => {
            if evidence.get("accountEnabled").and_then(Value::as_bool) == Some(false) {
                return Executed::already("the device is already disabled")
                    .evidence(Some(evidence));
            }
            Executed::from_write(client.set_device_enabled(id, false).await, Some(evidence))
        }
        Removal::Delete => Executed::from_write(client.delete_device(id).await, Some(evidence)),
    }
}

pub(super) async fn delete_method(
    client: &TenantClient,
    user: &str,
    method_id: &str,
    confirmed_only_method: bool,
) -> Executed {
    let methods = match client.authentication_methods(user).await {
        Ok(m) => m,
        Err(e) => return Executed::failed(&e),
    };
    let evidence = serde_json::to_value(&methods).ok();
    let Some(target) = methods.iter().find(|m| m.id == method_id) else {
        return Executed::already("the method is no longer registered").evidence(evidence);
    };
    let kind = target.kind();
    let others = methods
        .iter()
        .filter(|m| m.id != method_id && !matches!(m.kind(), MethodKind::Password))
        .count();
    if others == 0 && !confirmed_only_method {
        return Executed::new(Outcome::Skipped {
            why: ONLY_METHOD_GUARD.into(),
        })
        .evidence(evidence);
    }
    if kind.collection().is_none() {
        return Executed::new(Outcome::Skipped {
            why: format!("a method of kind {kind:?} cannot be deleted through Microsoft Graph; remove it in the Entra admin centre"),
        })
        .evidence(evidence);
    }
    Executed::from_write(
        client
            .delete_authentication_method(user, kind, method_id)
            .await,
        evidence,
    )
}
