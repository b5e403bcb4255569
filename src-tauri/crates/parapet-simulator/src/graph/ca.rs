//! Conditional Access policies: list, create (201 with Microsoft's defaults filled in),
//! get, update, delete.

use super::apps::{find, patch};
use super::collection::{entity, list, ListSpec};
use super::users::{method_not_allowed, not_found};
use super::Ctx;
use crate::clock::graph_time;
use crate::http::{GraphRequest, SimResponse};
use crate::state::tenant::{str_field, Record};
use crate::state::SimState;
use serde_json::{json, Value};

const FRAGMENT: &str = "identity/conditionalAccess/policies";

pub fn route(
    st: &mut SimState,
    ctx: &Ctx,
    req: &GraphRequest,
    segs: &[&str],
) -> Option<SimResponse> {
    let m = req.method.as_str();
    let data = st.data(&ctx.tenant_id)?;
    Some(match &segs[3..] {
        [] => match m {
            "GET" => list(
                ctx,
                req,
                data.ca_policies.clone(),
                &ListSpec::new(FRAGMENT, 100, 999),
            ),
            "POST" => create(st, ctx, req),
            _ => method_not_allowed(ctx),
        },
        [id] => match m {
            "GET" => match find(&data.ca_policies, id) {
                Some(p) => entity(ctx, req, p, FRAGMENT, None),
                None => not_found(ctx, id),
            },
            "PATCH" => {
                let resp = patch(st, ctx, req, id, |d| &mut d.ca_policies);
                if resp.status == 204 {
                    if let Some(p) = st.data_mut(&ctx.tenant_id).and_then(|d| {
                        d.ca_policies
                            .iter_mut()
                            .find(|p| str_field(p, "id") == Some(*id))
                    }) {
                        p.insert("modifiedDateTime".into(), json!(graph_time(ctx.now)));
                    }
                }
                resp
            }
            "DELETE" => {
                if find(&data.ca_policies, id).is_none() {
                    return Some(not_found(ctx, id));
                }
                if let Some(d) = st.data_mut(&ctx.tenant_id) {
                    d.ca_policies.retain(|p| str_field(p, "id") != Some(*id));
                }
                SimResponse::empty(204)
            }
            _ => method_not_allowed(ctx),
        },
        _ => return None,
    })
}

fn create(st: &mut SimState, ctx: &Ctx, req: &GraphRequest) -> SimResponse {
    let Some(Value::Object(body)) = req.body.clone() else {
        return ctx.error(
            400,
            "BadRequest",
            "Invalid request body: expected a JSON object.",
        );
    };
    let conditions = body.get("conditions");
    let has_apps = conditions
        .and_then(|c| c.get("applications"))
        .is_some_and(Value::is_object);
    let has_users = conditions
        .and_then(|c| c.get("users"))
        .is_some_and(Value::is_object);
    let has_control = body.get("grantControls").is_some_and(Value::is_object)
        || body.get("sessionControls").is_some_and(Value::is_object);
    if str_field(&body, "displayName").is_none_or(str::is_empty)
        || !has_apps
        || !has_users
        || !has_control
    {
        return ctx.error(400, "BadRequest", "1037: The policy must include an application condition, a user condition and a grant or session control.");
    }
    let state = str_field(&body, "state").unwrap_or("enabled");
    if !matches!(
        state,
        "enabled" | "disabled" | "enabledForReportingButNotEnforced"
    ) {
        return ctx.error(
            400,
            "BadRequest",
            &format!("Invalid policy state '{state}'."),
        );
    }
    let mut policy = body.clone();
    policy.insert("id".into(), json!(st.new_uuid()));
    policy.insert("templateId".into(), Value::Null);
    policy.insert("createdDateTime".into(), json!(graph_time(ctx.now)));
    policy.insert("modifiedDateTime".into(), Value::Null);
    policy.insert("state".into(), json!(state));
    policy.entry("sessionControls").or_insert(Value::Null);
    fill_defaults(&mut policy);
    if let Some(d) = st.data_mut(&ctx.tenant_id) {
        d.ca_policies.push(policy.clone());
    }
    let mut out = Record::new();
    out.insert(
        "@odata.context".into(),
        json!(ctx.context(req, &format!("{FRAGMENT}/$entity"))),
    );
    out.extend(policy);
    SimResponse::json(201, Value::Object(out))
}

/// The defaults Microsoft echoes back on create (API reference §5.4).
fn fill_defaults(p: &mut Record) {
    let empty = || json!([]);
    if let Some(Value::Object(c)) = p.get_mut("conditions") {
        c.entry("signInRiskLevels").or_insert_with(empty);
        c.entry("userRiskLevels").or_insert_with(empty);
        c.entry("platforms").or_insert(Value::Null);
        c.entry("locations").or_insert(Value::Null);
        for (k, include, exclude) in [
            ("locations", "includeLocations", "excludeLocations"),
            ("platforms", "includePlatforms", "excludePlatforms"),
        ] {
            if let Some(Value::Object(o)) = c.get_mut(k) {
                o.entry(include).or_insert_with(empty);
                o.entry(exclude).or_insert_with(empty);
            }
        }
        c.entry("devices").or_insert(Value::Null);
        c.entry("clientApplications").or_insert(Value::Null);
        if let Some(Value::Object(a)) = c.get_mut("applications") {
            for k in [
                "includeApplications",
                "excludeApplications",
                "includeUserActions",
                "includeAuthenticationContextClassReferences",
            ] {
                a.entry(k).or_insert_with(empty);
            }
            a.entry("applicationFilter").or_insert(Value::Null);
        }
        if let Some(Value::Object(u)) = c.get_mut("users") {
            for k in [
                "includeUsers",
                "excludeUsers",
                "includeGroups",
                "excludeGroups",
                "includeRoles",
                "excludeRoles",
            ] {
                u.entry(k).or_insert_with(empty);
            }
            u.entry("includeGuestsOrExternalUsers")
                .or_insert(Value::Null);
            u.entry("excludeGuestsOrExternalUsers")
                .or_insert(Value::Null);
        }
    }
    if let Some(Value::Object(g)) = p.get_mut("grantControls") {
        g.entry("customAuthenticationFactors").or_insert_with(empty);
        g.entry("termsOfUse").or_insert_with(empty);
        g.entry("authenticationStrength").or_insert(Value::Null);
    }
}
