//! Service principals, app registrations (with password credentials) and delegated grants.

use super::collection::{entity, list, ListSpec};
use super::users::{method_not_allowed, not_found};
use super::Ctx;
use crate::clock::graph_time;
use crate::http::{GraphRequest, SimResponse};
use crate::state::partner::PartnerSecret;
use crate::state::tenant::{str_field, Record};
use crate::state::SimState;
use chrono::Duration;
use serde_json::{json, Value};

pub fn route(
    st: &mut SimState,
    ctx: &Ctx,
    req: &GraphRequest,
    segs: &[&str],
) -> Option<SimResponse> {
    let m = req.method.as_str();
    let data = st.data(&ctx.tenant_id)?;
    Some(match segs {
        ["servicePrincipals"] if m == "GET" => list(
            ctx,
            req,
            data.service_principals.clone(),
            &ListSpec::new("servicePrincipals", 100, 999).strict_top(),
        ),
        ["servicePrincipals", id] => match m {
            "GET" => match find(&data.service_principals, id) {
                Some(sp) => entity(ctx, req, sp, "servicePrincipals", None),
                None => not_found(ctx, id),
            },
            "PATCH" => patch(st, ctx, req, id, |d| &mut d.service_principals),
            "DELETE" => delete_service_principal(st, ctx, id),
            _ => method_not_allowed(ctx),
        },
        ["servicePrincipals", id, kind @ ("appRoleAssignments" | "appRoleAssignedTo"), rest @ ..] =>
        {
            if find(&data.service_principals, id).is_none() {
                return Some(not_found(ctx, id));
            }
            let key = if *kind == "appRoleAssignments" {
                "principalId"
            } else {
                "resourceId"
            };
            let mine: Vec<Record> = data
                .app_role_assignments
                .iter()
                .filter(|a| str_field(a, key).is_some_and(|v| v.eq_ignore_ascii_case(id)))
                .cloned()
                .collect();
            match (m, rest) {
                ("GET", []) => list(
                    ctx,
                    req,
                    mine,
                    &ListSpec::new(&format!("servicePrincipals('{id}')/{kind}"), 100, 999),
                ),
                ("DELETE", [aid]) => {
                    if find(&mine, aid).is_none() {
                        return Some(not_found(ctx, aid));
                    }
                    if let Some(d) = st.data_mut(&ctx.tenant_id) {
                        d.app_role_assignments
                            .retain(|a| str_field(a, "id") != Some(*aid));
                    }
                    SimResponse::empty(204)
                }
                _ => method_not_allowed(ctx),
            }
        }
        ["applications"] => match m {
            "GET" => list(
                ctx,
                req,
                data.applications.clone(),
                &ListSpec::new("applications", 100, 999).strict_top(),
            ),
            "POST" => create_application(st, ctx, req),
            _ => method_not_allowed(ctx),
        },
        ["applications", id] => match m {
            "GET" => match find(&data.applications, id) {
                Some(a) => entity(ctx, req, a, "applications", None),
                None => not_found(ctx, id),
            },
            "PATCH" => patch(st, ctx, req, id, |d| &mut d.applications),
            "DELETE" => {
                let app_id = find(&data.applications, id)
                    .and_then(|a| str_field(a, "appId"))
                    .map(String::from);
                let Some(app_id) = app_id else {
                    return Some(not_found(ctx, id));
                };
                if st.is_partner(&ctx.tenant_id) {
                    st.partner
                        .secrets
                        .retain(|s| !s.app_id.eq_ignore_ascii_case(&app_id));
                }
                if let Some(d) = st.data_mut(&ctx.tenant_id) {
                    d.applications.retain(|a| str_field(a, "id") != Some(*id));
                }
                SimResponse::empty(204)
            }
            _ => method_not_allowed(ctx),
        },
        ["applications", id, "addPassword"] if m == "POST" => add_password(st, ctx, req, id),
        ["applications", id, "removePassword"] if m == "POST" => remove_password(st, ctx, req, id),
        ["oauth2PermissionGrants"] if m == "GET" => list(
            ctx,
            req,
            data.oauth2_grants.clone(),
            &ListSpec::new("oauth2PermissionGrants", 100, 999),
        ),
        ["oauth2PermissionGrants", id] => match m {
            "GET" => match find(&data.oauth2_grants, id) {
                Some(g) => entity(ctx, req, g, "oauth2PermissionGrants", None),
                None => not_found(ctx, id),
            },
            "DELETE" => {
                if find(&data.oauth2_grants, id).is_none() {
                    return Some(not_found(ctx, id));
                }
                if let Some(d) = st.data_mut(&ctx.tenant_id) {
                    d.oauth2_grants.retain(|g| str_field(g, "id") != Some(*id));
                }
                SimResponse::empty(204)
            }
            _ => method_not_allowed(ctx),
        },
        _ => return None,
    })
}

pub fn find<'a>(items: &'a [Record], id: &str) -> Option<&'a Record> {
    items
        .iter()
        .find(|r| str_field(r, "id").is_some_and(|v| v.eq_ignore_ascii_case(id)))
}

/// Merges a JSON object into the record with `id`; 204 like every Graph directory PATCH.
pub fn patch(
    st: &mut SimState,
    ctx: &Ctx,
    req: &GraphRequest,
    id: &str,
    pick: impl Fn(&mut crate::state::tenant::TenantData) -> &mut Vec<Record>,
) -> SimResponse {
    let Some(Value::Object(changes)) = req.body.clone() else {
        return ctx.error(
            400,
            "Request_BadRequest",
            "Invalid request body: expected a JSON object.",
        );
    };
    let Some(data) = st.data_mut(&ctx.tenant_id) else {
        return not_found(ctx, id);
    };
    let items = pick(data);
    let Some(rec) = items
        .iter_mut()
        .find(|r| str_field(r, "id").is_some_and(|v| v.eq_ignore_ascii_case(id)))
    else {
        return not_found(ctx, id);
    };
    for (k, v) in changes {
        if k != "id" {
            rec.insert(k, v);
        }
    }
    SimResponse::empty(204)
}

fn delete_service_principal(st: &mut SimState, ctx: &Ctx, id: &str) -> SimResponse {
    let Some(data) = st.data_mut(&ctx.tenant_id) else {
        return not_found(ctx, id);
    };
    let Some(sp) = find(&data.service_principals, id).cloned() else {
        return not_found(ctx, id);
    };
    // Deleting a service principal removes its grants and assignments and, for a partner app,
    // the tenant's consent.
    let lower = id.to_ascii_lowercase();
    let same = |v: Option<&str>| v.is_some_and(|v| v.eq_ignore_ascii_case(&lower));
    data.service_principals
        .retain(|r| !same(str_field(r, "id")));
    data.oauth2_grants
        .retain(|g| !same(str_field(g, "clientId")));
    data.app_role_assignments
        .retain(|a| !same(str_field(a, "principalId")));
    if let Some(app_id) = str_field(&sp, "appId") {
        data.consented_apps.remove(&app_id.to_ascii_lowercase());
    }
    SimResponse::empty(204)
}

fn create_application(st: &mut SimState, ctx: &Ctx, req: &GraphRequest) -> SimResponse {
    let Some(Value::Object(body)) = req.body.clone() else {
        return ctx.error(
            400,
            "Request_BadRequest",
            "Invalid request body: expected a JSON object.",
        );
    };
    if str_field(&body, "displayName").is_none_or(str::is_empty) {
        return ctx.error(
            400,
            "Request_BadRequest",
            "Property 'displayName' is required.",
        );
    }
    let (id, app_id) = (st.new_uuid(), st.new_uuid());
    let domain = st
        .data(&ctx.tenant_id)
        .map(|d| d.default_domain.clone())
        .unwrap_or_default();
    let mut app = match json!({
        "id": id, "appId": app_id, "createdDateTime": graph_time(ctx.now), "deletedDateTime": null,
        "signInAudience": "AzureADMyOrg", "publisherDomain": domain, "identifierUris": [],
        "passwordCredentials": [], "keyCredentials": [], "requiredResourceAccess": [],
        "web": {"redirectUris": [], "homePageUrl": null, "logoutUrl": null,
                "implicitGrantSettings": {"enableIdTokenIssuance": false, "enableAccessTokenIssuance": false}},
        "publicClient": {"redirectUris": []}, "spa": {"redirectUris": []},
        "isFallbackPublicClient": null, "tags": [],
    }) {
        Value::Object(o) => o,
        _ => Record::new(),
    };
    for (k, v) in body {
        if !matches!(k.as_str(), "id" | "appId" | "passwordCredentials") {
            app.insert(k, v);
        }
    }
    if let Some(d) = st.data_mut(&ctx.tenant_id) {
        d.applications.push(app.clone());
    }
    let mut out = serde_json::Map::new();
    out.insert(
        "@odata.context".into(),
        json!(ctx.context(req, "applications/$entity")),
    );
    out.extend(app);
    SimResponse::json(201, Value::Object(out))
}

fn add_password(st: &mut SimState, ctx: &Ctx, req: &GraphRequest, id: &str) -> SimResponse {
    let Some(app_id) = st
        .data(&ctx.tenant_id)
        .and_then(|d| find(&d.applications, id))
        .and_then(|a| str_field(a, "appId"))
        .map(String::from)
    else {
        return not_found(ctx, id);
    };
    let cred = req.body.as_ref().and_then(|b| b.get("passwordCredential"));
    let display = cred
        .and_then(|c| c.get("displayName"))
        .cloned()
        .unwrap_or(Value::Null);
    let end = cred
        .and_then(|c| c.get("endDateTime"))
        .and_then(Value::as_str)
        .map(String::from)
        .unwrap_or_else(|| graph_time(ctx.now + Duration::days(730)));
    let key_id = st.new_uuid();
    let secret = format!("{}~{}", &st.new_opaque(3)[..3], st.new_opaque(27));
    let public = json!({
        "customKeyIdentifier": null, "displayName": display, "endDateTime": end,
        "hint": &secret[..3], "keyId": key_id, "startDateTime": graph_time(ctx.now),
    });
    if let Some(app) = st.data_mut(&ctx.tenant_id).and_then(|d| {
        d.applications
            .iter_mut()
            .find(|a| str_field(a, "id") == Some(id))
    }) {
        let creds = app
            .entry("passwordCredentials")
            .or_insert_with(|| json!([]));
        if let Value::Array(list) = creds {
            list.push(public.clone());
        }
    }
    if st.is_partner(&ctx.tenant_id) {
        st.partner.secrets.push(PartnerSecret {
            app_id,
            key_id,
            secret: secret.clone(),
        });
    }
    let mut out = json!({"@odata.context": ctx.context(req, "microsoft.graph.passwordCredential"), "secretText": secret});
    if let (Value::Object(o), Value::Object(p)) = (&mut out, public) {
        o.extend(p);
    }
    SimResponse::json(200, out)
}

fn remove_password(st: &mut SimState, ctx: &Ctx, req: &GraphRequest, id: &str) -> SimResponse {
    let key_id = req
        .body
        .as_ref()
        .and_then(|b| b.get("keyId"))
        .and_then(Value::as_str)
        .map(String::from);
    let Some(key_id) = key_id else {
        return ctx.error(400, "Request_BadRequest", "Property 'keyId' is required.");
    };
    let Some(app) = st.data_mut(&ctx.tenant_id).and_then(|d| {
        d.applications
            .iter_mut()
            .find(|a| str_field(a, "id") == Some(id))
    }) else {
        return not_found(ctx, id);
    };
    let mut removed = false;
    if let Some(Value::Array(list)) = app.get_mut("passwordCredentials") {
        let before = list.len();
        list.retain(|c| c.get("keyId").and_then(Value::as_str) != Some(key_id.as_str()));
        removed = list.len() != before;
    }
    if !removed {
        return ctx.error(
            404,
            "Request_ResourceNotFound",
            &format!("No password credential found with keyId '{key_id}'."),
        );
    }
    st.partner.secrets.retain(|s| s.key_id != key_id);
    SimResponse::empty(204)
}
