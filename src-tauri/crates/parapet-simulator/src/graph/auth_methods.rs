//! A user's authentication methods: list and get (all or by typed path), delete by typed path
//! with Microsoft's rules, and password reset as a long-running operation.

use super::collection::{entity, list, ListSpec};
use super::users::{method_not_allowed, not_found};
use super::Ctx;
use crate::clock::graph_time;
use crate::http::{GraphRequest, SimResponse};
use crate::state::tenant::{str_field, Record};
use crate::state::SimState;
use serde_json::{json, Value};

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

pub fn route(
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
