//! Users, licences, containment writes (disable, revoke sessions, password) and
//! authentication methods.

use super::collection::{entity, list, ListSpec};
use super::{auth_methods, devices, mail, Ctx};
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
            (_, ["authentication", ..]) => {
                return auth_methods::route(st, ctx, req, &user_id, &rest[1..])
            }
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
