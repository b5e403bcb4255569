//! Users, licences, containment writes (disable, revoke sessions, password) and
//! authentication methods.

use super::collection::{entity, list, ListSpec};
use super::{devices, mail, Ctx};
use crate::clock::graph_time;
use crate::http::{GraphRequest, SimResponse};
use crate::state::tenant::{str_field, Record};
use crate::state::{SimState, SyncedAccountPolicy};
use serde_json::{json, Value};

/// Graph's default user projection (API reference §4.1).
pub const USER_DEFAULT: &[&str] = &[
    "businessPhones",
    "displayName",
    "givenName",
    "jobTitle",
    "mail",
    "mobilePhone",
    "officeLocation",
    "preferredLanguage",
    "surname",
    "userPrincipalName",
    "id",
];

const SYNCED_MESSAGE: &str = "Unable to update the specified properties for on-premises mastered Directory Sync objects or objects currently undergoing migration.";

pub fn route(
    st: &mut SimState,
    ctx: &Ctx,
    req: &GraphRequest,
    segs: &[&str],
) -> Option<SimResponse> {
    let m = req.method.as_str();
    if let [_, user, rest @ ..] = segs {
        let Some(user_id) = st.data(&ctx.tenant_id).and_then(|d| d.user_id(user)) else {
            return Some(not_found(ctx, user));
        };
        let resp = match (m, rest) {
            ("GET", []) => get_user(st, ctx, req, &user_id),
            ("PATCH", []) => patch_user(st, ctx, req, &user_id),
            ("POST", ["revokeSignInSessions"]) => revoke(st, ctx, req, &user_id),
            (_, ["messages", ..] | ["mailFolders", ..] | ["mailboxSettings", ..]) => {
                return mail::route(st, ctx, req, &user_id, rest)
            }
            ("GET", ["registeredDevices"] | ["ownedDevices"]) => {
                devices::registered(st, ctx, req, &user_id)
            }
            (_, ["authentication", ..]) => return auth_methods(st, ctx, req, &user_id, &rest[1..]),
            (_, []) => method_not_allowed(ctx),
            _ => return None,
        };
        return Some(resp);
    }
    match m {
        "GET" => {
            let users: Vec<Record> = st
                .data(&ctx.tenant_id)?
                .users
                .iter()
                .map(with_user_defaults)
                .collect();
            let spec = ListSpec::new("users", 100, 999)
                .default_select(USER_DEFAULT)
                .strict_top();
            Some(list(ctx, req, users, &spec))
        }
        _ => Some(method_not_allowed(ctx)),
    }
}

pub fn subscribed_skus(st: &mut SimState, ctx: &Ctx, req: &GraphRequest) -> Option<SimResponse> {
    if req.option("filter").is_some() {
        return Some(ctx.error(400, "Request_UnsupportedQuery", "Unsupported Query."));
    }
    let skus = st.data(&ctx.tenant_id)?.subscribed_skus.clone();
    Some(list(
        ctx,
        req,
        skus,
        &ListSpec::new("subscribedSkus", 999, 999),
    ))
}

pub fn not_found(ctx: &Ctx, id: &str) -> SimResponse {
    ctx.error(
        404,
        "Request_ResourceNotFound",
        &format!("Resource '{id}' does not exist or one of its queried reference-property objects are not present."),
    )
}

pub fn method_not_allowed(ctx: &Ctx) -> SimResponse {
    ctx.error(
        405,
        "Request_BadRequest",
        "Specified HTTP method is not allowed for the request target.",
    )
}

fn with_user_defaults(u: &Record) -> Record {
    let mut u = u.clone();
    for k in USER_DEFAULT {
        u.entry(k.to_string()).or_insert_with(|| {
            if *k == "businessPhones" {
                json!([])
            } else {
                Value::Null
            }
        });
    }
    u
}

fn get_user(st: &SimState, ctx: &Ctx, req: &GraphRequest, user_id: &str) -> SimResponse {
    match st.data(&ctx.tenant_id).and_then(|d| d.user(user_id)) {
        Some(u) => entity(
            ctx,
            req,
            &with_user_defaults(u),
            "users",
            Some(USER_DEFAULT),
        ),
        None => not_found(ctx, user_id),
    }
}

fn patch_user(st: &mut SimState, ctx: &Ctx, req: &GraphRequest, user_id: &str) -> SimResponse {
    let policy = st.synced_account_policy;
    let Some(Value::Object(patch)) = req.body.clone() else {
        return ctx.error(
            400,
            "Request_BadRequest",
            "Invalid request body: expected a JSON object.",
        );
    };
    let Some(user) = st
        .data_mut(&ctx.tenant_id)
        .and_then(|d| d.user_mut(user_id))
    else {
        return not_found(ctx, user_id);
    };
    let synced = user.get("onPremisesSyncEnabled").and_then(Value::as_bool) == Some(true);
    if synced && patch.contains_key("passwordProfile") {
        return ctx.error(400, "Request_BadRequest", SYNCED_MESSAGE);
    }
    let mut revert = None;
    if synced && patch.contains_key("accountEnabled") {
        match policy {
            SyncedAccountPolicy::Accept => {}
            SyncedAccountPolicy::Reject => {
                return ctx.error(400, "Request_BadRequest", SYNCED_MESSAGE)
            }
            // The next directory-sync export puts the on-premises value back (API reference §5.3).
            SyncedAccountPolicy::RevertAfter(secs) => {
                let before = user
                    .get("accountEnabled")
                    .cloned()
                    .unwrap_or(Value::Bool(true));
                revert = Some((ctx.now + chrono::Duration::seconds(secs as i64), before));
            }
        }
    }
    if let Some(v) = patch.get("accountEnabled") {
        if !v.is_boolean() {
            return ctx.error(
                400,
                "Request_BadRequest",
                "Invalid value specified for property 'accountEnabled' of resource 'User'.",
            );
        }
    }
    for (k, v) in patch {
        // The password itself is never stored or echoed.
        if k == "passwordProfile" {
            user.insert(
                "lastPasswordChangeDateTime".into(),
                json!(graph_time(ctx.now)),
            );
            continue;
        }
        user.insert(k, v);
    }
    if let (Some((at, value)), Some(d)) = (revert, st.data_mut(&ctx.tenant_id)) {
        d.pending_reverts.push((user_id.to_string(), at, value));
    }
    SimResponse::empty(204)
}

fn revoke(st: &mut SimState, ctx: &Ctx, req: &GraphRequest, user_id: &str) -> SimResponse {
    let upn = {
        let Some(user) = st
            .data_mut(&ctx.tenant_id)
            .and_then(|d| d.user_mut(user_id))
        else {
            return not_found(ctx, user_id);
        };
        user.insert(
            "signInSessionsValidFromDateTime".into(),
            json!(graph_time(ctx.now)),
        );
        str_field(user, "userPrincipalName")
            .unwrap_or_default()
            .to_string()
    };
    st.tokens.revoke_user(&upn);
    SimResponse::json(
        200,
        json!({"@odata.context": ctx.context(req, "Edm.Boolean"), "value": true}),
    )
}

/// Typed method paths (`phoneMethods`, ...) and the `@odata.type` each holds.
const METHOD_KINDS: &[(&str, &str)] = &[
    (
        "microsoftAuthenticatorMethods",
        "#microsoft.graph.microsoftAuthenticatorAuthenticationMethod",
    ),
    ("phoneMethods", "#microsoft.graph.phoneAuthenticationMethod"),
    ("fido2Methods", "#microsoft.graph.fido2AuthenticationMethod"),
    ("emailMethods", "#microsoft.graph.emailAuthenticationMethod"),
    (
        "softwareOathMethods",
        "#microsoft.graph.softwareOathAuthenticationMethod",
    ),
    (
        "temporaryAccessPassMethods",
        "#microsoft.graph.temporaryAccessPassAuthenticationMethod",
    ),
    (
        "windowsHelloForBusinessMethods",
        "#microsoft.graph.windowsHelloForBusinessAuthenticationMethod",
    ),
    (
        "passwordMethods",
        "#microsoft.graph.passwordAuthenticationMethod",
    ),
    (
        "platformCredentialMethods",
        "#microsoft.graph.platformCredentialAuthenticationMethod",
    ),
];

fn auth_methods(
    st: &mut SimState,
    ctx: &Ctx,
    req: &GraphRequest,
    user_id: &str,
    rest: &[&str],
) -> Option<SimResponse> {
    let m = req.method.as_str();
    let methods = st
        .data(&ctx.tenant_id)?
        .auth_methods
        .get(user_id)
        .cloned()
        .unwrap_or_default();
    let kind_type = |kind: &str| {
        METHOD_KINDS
            .iter()
            .find(|(k, _)| *k == kind)
            .map(|(_, t)| *t)
    };
    let of_kind = |kind: &str| -> Vec<Record> {
        let t = kind_type(kind);
        methods
            .iter()
            .filter(|r| kind == "methods" || str_field(r, "@odata.type") == t)
            .cloned()
            .collect()
    };
    let fragment = |kind: &str| format!("users('{user_id}')/authentication/{kind}");
    Some(match (m, rest) {
        ("GET", [kind]) if *kind == "methods" || kind_type(kind).is_some() => list(
            ctx,
            req,
            of_kind(kind),
            &ListSpec::new(&fragment(kind), 200, 200),
        ),
        ("GET", [kind, id]) if *kind == "methods" || kind_type(kind).is_some() => {
            match of_kind(kind)
                .iter()
                .find(|r| str_field(r, "id") == Some(*id))
            {
                Some(r) => entity(ctx, req, r, &fragment(kind), None),
                None => method_not_found(ctx, id),
            }
        }
        ("POST", ["methods" | "passwordMethods", id, "resetPassword"]) => {
            let is_password = of_kind("passwordMethods")
                .iter()
                .any(|r| str_field(r, "id") == Some(*id));
            if !is_password {
                return Some(method_not_found(ctx, id));
            }
            reset_password(st, ctx, req, user_id)
        }
        ("GET", ["operations", op]) => {
            match st
                .data(&ctx.tenant_id)
                .and_then(|d| d.password_operations.get(*op))
            {
                Some(r) => entity(
                    ctx,
                    req,
                    r,
                    &format!("users('{user_id}')/authentication/operations"),
                    None,
                ),
                None => method_not_found(ctx, op),
            }
        }
        ("DELETE", [kind, id]) if kind_type(kind).is_some() => {
            delete_method(st, ctx, user_id, kind, id, &of_kind(kind))
        }
        (_, [_] | [_, _]) => method_not_allowed(ctx),
        _ => return None,
    })
}

fn delete_method(
    st: &mut SimState,
    ctx: &Ctx,
    user_id: &str,
    kind: &str,
    id: &str,
    of_kind: &[Record],
) -> SimResponse {
    let Some(target) = of_kind.iter().find(|r| str_field(r, "id") == Some(id)) else {
        return method_not_found(ctx, id);
    };
    if kind == "passwordMethods" {
        return ctx.error(
            400,
            "badRequest",
            "The password authentication method cannot be deleted.",
        );
    }
    let is_mobile = str_field(target, "phoneType") == Some("mobile");
    let has_alternate = of_kind
        .iter()
        .any(|r| str_field(r, "phoneType") == Some("alternateMobile"));
    if kind == "phoneMethods" && is_mobile && has_alternate {
        return ctx.error(400, "badRequest", "The mobile phone method cannot be deleted while an alternate mobile phone method exists; update it instead.");
    }
    if let Some(list) = st
        .data_mut(&ctx.tenant_id)
        .and_then(|d| d.auth_methods.get_mut(user_id))
    {
        list.retain(|r| str_field(r, "id") != Some(id));
    }
    SimResponse::empty(204)
}

/// `resetPassword` (API reference §6.2): delegated only, 202 + `Location` of a long-running
/// operation; hybrid users must be given the new password; sessions are invalidated.
fn reset_password(st: &mut SimState, ctx: &Ctx, req: &GraphRequest, user_id: &str) -> SimResponse {
    if !ctx.delegated {
        return ctx.error(
            403,
            "Authorization_RequestDenied",
            "Insufficient privileges to complete the operation.",
        );
    }
    let given = req
        .body
        .as_ref()
        .and_then(|b| b.get("newPassword"))
        .and_then(Value::as_str)
        .map(String::from);
    let synced = st
        .data(&ctx.tenant_id)
        .and_then(|d| d.user(user_id))
        .and_then(|u| u.get("onPremisesSyncEnabled"))
        .and_then(Value::as_bool)
        == Some(true);
    if synced && given.is_none() {
        return ctx.error(400, "badRequest", "newPassword is required for users whose password is written back to on-premises Active Directory.");
    }
    let op = st.new_uuid();
    let generated = given
        .is_none()
        .then(|| format!("Sim{}!9", &st.new_opaque(9)[..10]));
    let upn = {
        let Some(data) = st.data_mut(&ctx.tenant_id) else {
            return not_found(ctx, user_id);
        };
        data.password_operations.insert(
            op.clone(),
            match json!({"id": op, "createdDateTime": graph_time(ctx.now), "lastActionDateTime": graph_time(ctx.now),
                          "status": "succeeded", "statusDetail": null, "resourceLocation": null}) {
                Value::Object(o) => o,
                _ => Record::new(),
            },
        );
        let Some(user) = data.user_mut(user_id) else {
            return not_found(ctx, user_id);
        };
        user.insert(
            "lastPasswordChangeDateTime".into(),
            json!(graph_time(ctx.now)),
        );
        user.insert(
            "signInSessionsValidFromDateTime".into(),
            json!(graph_time(ctx.now)),
        );
        str_field(user, "userPrincipalName")
            .unwrap_or_default()
            .to_string()
    };
    st.tokens.revoke_user(&upn);
    let location = format!(
        "{}/{}/users/{user_id}/authentication/operations/{op}?aadgdc=DUB02P&aadgsu=ssprprod-a",
        ctx.graph_base, req.version
    );
    let body = match generated {
        Some(pw) => {
            json!({"@odata.context": ctx.context(req, "microsoft.graph.passwordResetResponse"), "newPassword": pw})
        }
        None => json!({}),
    };
    SimResponse::json(202, body).with_header("Location", &location)
}

fn method_not_found(ctx: &Ctx, id: &str) -> SimResponse {
    ctx.error(
        404,
        "itemNotFound",
        &format!("The authentication method '{id}' was not found."),
    )
}
