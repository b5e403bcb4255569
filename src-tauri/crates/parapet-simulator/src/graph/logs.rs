//! Sign-in and directory audit logs: premium licence check, licence retention, newest first,
//! keyset paging so records arriving mid-walk never duplicate or skip a page entry.

use super::collection::{entity, list_log, ListSpec};
use super::users::method_not_allowed;
use super::Ctx;
use crate::config::RetentionMode;
use crate::http::{GraphRequest, SimResponse};
use crate::state::tenant::{str_field, time_field, Record, TenantData};
use crate::state::SimState;
use chrono::Duration;
use serde_json::Value;

pub fn route(
    st: &mut SimState,
    ctx: &Ctx,
    req: &GraphRequest,
    segs: &[&str],
) -> Option<SimResponse> {
    let data = st.data(&ctx.tenant_id)?;
    let (records, time_key, fragment) = match segs.get(1).copied() {
        Some("signIns") => (&data.sign_ins, "createdDateTime", "auditLogs/signIns"),
        Some("directoryAudits") => (
            &data.directory_audits,
            "activityDateTime",
            "auditLogs/directoryAudits",
        ),
        _ => return None,
    };
    if req.method != "GET" {
        return Some(method_not_allowed(ctx));
    }
    if !data.p1 {
        return Some(ctx.error(
            403,
            "Authentication_RequestFromNonPremiumTenantOrB2CTenant",
            "Neither tenant is B2C or tenant doesn't have premium license",
        ));
    }
    let oldest = match st.retention {
        RetentionMode::All => None,
        RetentionMode::Realistic => Some(ctx.now - Duration::days(retention_days(data))),
    };
    let wants_non_interactive = req
        .option("filter")
        .is_some_and(|f| f.contains("signInEventTypes"));
    let visible = |r: &&Record| {
        let t = time_field(r, time_key);
        // Records "in the future" of the sim clock have not happened yet.
        let in_window = t.is_some_and(|t| t <= ctx.now && oldest.is_none_or(|o| t >= o));
        in_window && (time_key != "createdDateTime" || wants_non_interactive || is_interactive(r))
    };
    match segs {
        [_, _] => {
            let spec = ListSpec::new(fragment, 1000, 1000).keyset(time_key);
            Some(list_log(ctx, req, records, |r| visible(&r), &spec))
        }
        [_, _, id] => Some(
            match records
                .iter()
                .filter(visible)
                .find(|r| str_field(r, "id") == Some(*id))
            {
                Some(r) => entity(ctx, req, r, fragment, None),
                None => super::users::not_found(ctx, id),
            },
        ),
        _ => None,
    }
}

/// Sign-ins and audit logs: 7 days on free tenants, 30 with P1 or P2 (API reference §11.2).
fn retention_days(data: &TenantData) -> i64 {
    if data.p1 {
        30
    } else {
        7
    }
}

/// The list endpoints return interactive sign-ins unless the filter asks for other event types.
fn is_interactive(r: &Record) -> bool {
    match r.get("signInEventTypes").and_then(Value::as_array) {
        Some(types) if !types.is_empty() => {
            types.iter().any(|t| t.as_str() == Some("interactiveUser"))
        }
        _ => r
            .get("isInteractive")
            .and_then(Value::as_bool)
            .unwrap_or(true),
    }
}
