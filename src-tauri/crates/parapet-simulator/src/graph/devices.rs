//! Devices and a user's registered devices. `registeredOwners` is snapshot bookkeeping, not a
//! Graph property of the device, so it never appears in responses.

use super::apps::{find, patch};
use super::collection::{entity, list, ListSpec};
use super::users::{method_not_allowed, not_found};
use super::Ctx;
use crate::http::{GraphRequest, SimResponse};
use crate::state::tenant::{str_field, Record};
use crate::state::SimState;
use serde_json::{json, Value};

pub fn route(
    st: &mut SimState,
    ctx: &Ctx,
    req: &GraphRequest,
    segs: &[&str],
) -> Option<SimResponse> {
    let m = req.method.as_str();
    let data = st.data(&ctx.tenant_id)?;
    let id = match segs {
        ["devices"] if m == "GET" => {
            let items = data.devices.iter().map(graph_device).collect();
            return Some(list(
                ctx,
                req,
                items,
                &ListSpec::new("devices", 100, 999).strict_top(),
            ));
        }
        ["devices"] => return Some(method_not_allowed(ctx)),
        ["devices", id] => id.to_string(),
        [alt] => {
            // devices(deviceId='...') addresses a device by its deviceId instead of object id.
            let key = alt.strip_prefix("devices(deviceId='")?.strip_suffix("')")?;
            let found = data
                .devices
                .iter()
                .find(|d| str_field(d, "deviceId").is_some_and(|v| v.eq_ignore_ascii_case(key)));
            match found.and_then(|d| str_field(d, "id")) {
                Some(id) => id.to_string(),
                None => return Some(not_found(ctx, key)),
            }
        }
        _ => return None,
    };
    Some(match m {
        "GET" => match find(&data.devices, &id) {
            Some(d) => entity(ctx, req, &graph_device(d), "devices", None),
            None => not_found(ctx, &id),
        },
        "PATCH" => patch(st, ctx, req, &id, |d| &mut d.devices),
        "DELETE" => {
            if find(&data.devices, &id).is_none() {
                return Some(not_found(ctx, &id));
            }
            if let Some(d) = st.data_mut(&ctx.tenant_id) {
                d.devices
                    .retain(|r| !str_field(r, "id").is_some_and(|v| v.eq_ignore_ascii_case(&id)));
            }
            SimResponse::empty(204)
        }
        _ => method_not_allowed(ctx),
    })
}

pub fn registered(st: &SimState, ctx: &Ctx, req: &GraphRequest, user_id: &str) -> SimResponse {
    let items: Vec<Record> = st
        .data(&ctx.tenant_id)
        .map(|d| {
            d.devices
                .iter()
                .filter(|dev| owners(dev).iter().any(|o| o.eq_ignore_ascii_case(user_id)))
                .map(|dev| {
                    let mut out = Record::new();
                    out.insert("@odata.type".into(), json!("#microsoft.graph.device"));
                    out.extend(graph_device(dev));
                    out
                })
                .collect()
        })
        .unwrap_or_default();
    list(
        ctx,
        req,
        items,
        &ListSpec::new("directoryObjects", 100, 999),
    )
}

fn owners(d: &Record) -> Vec<String> {
    d.get("registeredOwners")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

fn graph_device(d: &Record) -> Record {
    let mut d = d.clone();
    d.remove("registeredOwners");
    d
}
