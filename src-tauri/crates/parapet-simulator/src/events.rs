//! Injected monitoring events. A sign-in injected for a user the technician has contained comes
//! out as Microsoft would log it: failed for a disabled account, for a refresh after session
//! revocation, or under an enabled Conditional Access block policy.

use crate::clock::{graph_time, parse_time};
use crate::state::tenant::{str_field, time_field, Record, TenantData};
use chrono::{DateTime, Utc};
use serde_json::{json, Value};

/// Fills the fields a test usually omits and applies the user's containment state.
pub fn prepare_sign_in(d: &TenantData, mut r: Record, id: String, now: DateTime<Utc>) -> Record {
    r.entry("id").or_insert(json!(id));
    r.entry("createdDateTime").or_insert(json!(graph_time(now)));
    let user = str_field(&r, "userId")
        .or_else(|| str_field(&r, "userPrincipalName"))
        .and_then(|u| d.user(u))
        .cloned();
    if let Some(u) = &user {
        for (k, src) in [
            ("userId", "id"),
            ("userPrincipalName", "userPrincipalName"),
            ("userDisplayName", "displayName"),
        ] {
            if let Some(v) = u.get(src) {
                r.entry(k).or_insert(v.clone());
            }
        }
    }
    r.entry("status")
        .or_insert(json!({"errorCode": 0, "failureReason": null, "additionalDetails": null}));
    r.entry("conditionalAccessStatus")
        .or_insert(json!("notApplied"));
    r.entry("isInteractive").or_insert(json!(true));
    // Beta filters sign-ins by event type; derive it the way Entra logs it.
    if !r.contains_key("signInEventTypes") {
        let interactive = r
            .get("isInteractive")
            .and_then(Value::as_bool)
            .unwrap_or(true);
        let kind = if interactive {
            "interactiveUser"
        } else {
            "nonInteractiveUser"
        };
        r.insert("signInEventTypes".into(), json!([kind]));
    }
    let Some(u) = user else { return r };
    let succeeded = r
        .get("status")
        .and_then(|s| s.get("errorCode"))
        .and_then(Value::as_i64)
        == Some(0);
    if !succeeded {
        return r;
    }
    let at = time_field(&r, "createdDateTime").unwrap_or(now);
    let disabled = u.get("accountEnabled").and_then(Value::as_bool) == Some(false);
    let revoked_at = str_field(&u, "signInSessionsValidFromDateTime").and_then(parse_time);
    let interactive = r
        .get("isInteractive")
        .and_then(Value::as_bool)
        .unwrap_or(true);
    let user_id = str_field(&u, "id").unwrap_or_default().to_string();
    if disabled {
        fail(
            &mut r,
            50057,
            "User account is disabled. The account has been disabled by an administrator.",
        );
    } else if revoked_at.is_some_and(|t| at >= t) && !interactive {
        fail(
            &mut r,
            50173,
            "The provided grant has expired due to it being revoked, a fresh auth token is needed.",
        );
    } else if let Some(policy) = blocking_policy(d, &r, &user_id) {
        fail(&mut r, 53003, "Access has been blocked by Conditional Access policies. The access policy does not allow token issuance.");
        r.insert("conditionalAccessStatus".into(), json!("failure"));
        r.insert(
            "appliedConditionalAccessPolicies".into(),
            json!([{"id": policy.0, "displayName": policy.1, "enforcedGrantControls": ["Block"], "enforcedSessionControls": [], "result": "failure"}]),
        );
    }
    r
}

fn fail(r: &mut Record, code: i64, reason: &str) {
    r.insert(
        "status".into(),
        json!({"errorCode": code, "failureReason": reason, "additionalDetails": null}),
    );
}

/// An enabled block policy that covers this sign-in: its users, applications and client app
/// types match. Policies with conditions the simulator cannot evaluate (locations, platforms,
/// devices, risk) are not applied, so a block is never invented.
fn blocking_policy(d: &TenantData, sign_in: &Record, user_id: &str) -> Option<(String, String)> {
    let list = |v: Option<&Value>| -> Vec<String> {
        v.and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(str::to_lowercase))
                    .collect()
            })
            .unwrap_or_default()
    };
    let uid = user_id.to_lowercase();
    let app = str_field(sign_in, "appId")
        .unwrap_or_default()
        .to_lowercase();
    let client = client_app_type(str_field(sign_in, "clientAppUsed").unwrap_or("Browser"));
    d.ca_policies.iter().find_map(|p| {
        let c = p.get("conditions")?;
        let blocks = list(
            p.get("grantControls")
                .and_then(|g| g.get("builtInControls")),
        )
        .contains(&"block".to_string());
        let users = c.get("users");
        let included = list(users.and_then(|u| u.get("includeUsers")))
            .iter()
            .any(|i| *i == uid || i == "all");
        let excluded = list(users.and_then(|u| u.get("excludeUsers"))).contains(&uid);
        let apps = c.get("applications");
        let include_apps = list(apps.and_then(|a| a.get("includeApplications")));
        let app_ok = (include_apps.iter().any(|a| a == "all" || *a == app))
            && !list(apps.and_then(|a| a.get("excludeApplications"))).contains(&app);
        let types = list(c.get("clientAppTypes"));
        let type_ok = types.is_empty() || types.iter().any(|t| t == "all" || t == client);
        let unevaluable = ["locations", "platforms", "devices"]
            .iter()
            .any(|k| c.get(*k).is_some_and(|v| !v.is_null()))
            || !list(c.get("signInRiskLevels")).is_empty()
            || !list(c.get("userRiskLevels")).is_empty();
        let applies = str_field(p, "state") == Some("enabled")
            && blocks
            && included
            && !excluded
            && app_ok
            && type_ok
            && !unevaluable;
        applies.then(|| {
            (
                str_field(p, "id").unwrap_or_default().to_string(),
                str_field(p, "displayName").unwrap_or_default().to_string(),
            )
        })
    })
}

/// The Conditional Access client app type of a sign-in's `clientAppUsed`.
fn client_app_type(client_app_used: &str) -> &'static str {
    match client_app_used {
        "Browser" => "browser",
        "Mobile Apps and Desktop clients" => "mobileappsanddesktopclients",
        "Exchange ActiveSync" => "exchangeactivesync",
        _ => "other",
    }
}

pub fn prepare_directory_audit(mut r: Record, id: String, now: DateTime<Utc>) -> Record {
    r.entry("id").or_insert(json!(id));
    r.entry("activityDateTime")
        .or_insert(json!(graph_time(now)));
    r
}

pub fn prepare_audit_record(
    d: &TenantData,
    mut r: Record,
    id: String,
    now: DateTime<Utc>,
) -> Record {
    r.entry("Id").or_insert(json!(id));
    r.entry("CreationTime")
        .or_insert(json!(now.format("%Y-%m-%dT%H:%M:%S").to_string()));
    r.entry("OrganizationId").or_insert(json!(d.id));
    r
}
