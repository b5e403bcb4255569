//! Entra ID Protection (API reference §13): risky users and risk detections. Snapshots carry
//! none, so the lists start empty and fill through `confirmCompromised` / `dismiss`. Tenants
//! without P2 are refused the way premium-only log endpoints refuse (unconfirmed for this API).

use super::collection::{entity, list, ListSpec};
use super::users::{method_not_allowed, not_found};
use super::Ctx;
use crate::clock::graph_time;
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
    let data = st.data(&ctx.tenant_id)?;
    if !data.p2 {
        return Some(ctx.error(
            403,
            "Authentication_RequestFromNonPremiumTenantOrB2CTenant",
            "Neither tenant is B2C or tenant doesn't have premium license",
        ));
    }
    let m = req.method.as_str();
    Some(match segs {
        ["identityProtection", "riskyUsers"] if m == "GET" => list(
            ctx,
            req,
            data.risky_users.clone(),
            &ListSpec::new("identityProtection/riskyUsers", 20, 500),
        ),
        ["identityProtection", "riskyUsers", action @ ("confirmCompromised" | "dismiss")]
            if m == "POST" =>
        {
            act(st, ctx, req, action == &"confirmCompromised")
        }
        ["identityProtection", "riskyUsers", id] if m == "GET" => {
            match data
                .risky_users
                .iter()
                .find(|r| str_field(r, "id") == Some(*id))
            {
                Some(r) => entity(ctx, req, r, "identityProtection/riskyUsers", None),
                None => not_found(ctx, id),
            }
        }
        ["identityProtection", "riskDetections"] if m == "GET" => list(
            ctx,
            req,
            data.risk_detections.clone(),
            &ListSpec::new("identityProtection/riskDetections", 100, 500),
        ),
        ["identityProtection", ..] => method_not_allowed(ctx),
        _ => return None,
    })
}

fn act(st: &mut SimState, ctx: &Ctx, req: &GraphRequest, confirm: bool) -> SimResponse {
    let ids: Vec<String> = req
        .body
        .as_ref()
        .and_then(|b| b.get("userIds"))
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default();
    if ids.is_empty() {
        return ctx.error(400, "BadRequest", "userIds must list at least one user id.");
    }
    let detection_ids: Vec<String> = ids.iter().map(|_| st.new_uuid()).collect();
    let Some(data) = st.data_mut(&ctx.tenant_id) else {
        return not_found(ctx, &ids[0]);
    };
    let now = graph_time(ctx.now);
    for (id, detection_id) in ids.iter().zip(detection_ids) {
        let Some(user) = data.user(id).cloned() else {
            return not_found(ctx, id);
        };
        let (upn, name) = (
            str_field(&user, "userPrincipalName").unwrap_or_default(),
            str_field(&user, "displayName").unwrap_or_default(),
        );
        let (level, state, detail) = if confirm {
            (
                "high",
                "confirmedCompromised",
                "adminConfirmedUserCompromised",
            )
        } else {
            ("none", "dismissed", "adminDismissedAllRiskForUser")
        };
        let record = json!({
            "@odata.type": "#microsoft.graph.riskyUser", "id": id, "isDeleted": false, "isProcessing": false,
            "riskLastUpdatedDateTime": now, "riskLevel": level, "riskState": state, "riskDetail": detail,
            "userDisplayName": name, "userPrincipalName": upn,
        });
        let Value::Object(record) = record else {
            continue;
        };
        data.risky_users
            .retain(|r| str_field(r, "id") != Some(id.as_str()));
        data.risky_users.push(record);
        if confirm {
            if let Value::Object(d) = json!({
                "@odata.type": "#microsoft.graph.riskDetection",
                "id": detection_id, "requestId": null, "correlationId": null,
                "riskEventType": "adminConfirmedUserCompromised", "riskState": "confirmedCompromised",
                "riskLevel": "high", "riskDetail": "adminConfirmedUserCompromised", "source": "IdentityProtection",
                "detectionTimingType": "offline", "activity": "user", "tokenIssuerType": "AzureAD",
                "ipAddress": null,
                "location": {"city": null, "state": null, "countryOrRegion": null, "geoCoordinates": null},
                "activityDateTime": now, "detectedDateTime": now,
                "lastUpdatedDateTime": now, "userId": id, "userDisplayName": name, "userPrincipalName": upn,
                "additionalInfo": "[]",
            }) {
                data.risk_detections.insert(0, d as Record);
            }
        }
    }
    SimResponse::empty(204)
}
