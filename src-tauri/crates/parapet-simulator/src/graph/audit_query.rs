//! Purview audit log queries (`/security/auditLog/queries`): create (201, notStarted), poll
//! (running, then succeeded after a few polls or two sim minutes), list records whose
//! `auditData` is the snapshot's Management-schema record.

use super::audit_records::{list_records, Selection};
use super::collection::{list, ListSpec};
use super::users::method_not_allowed;
use super::Ctx;
use crate::http::{GraphRequest, SimResponse};
use crate::state::tenant::{str_field, Record};
use crate::state::{AuditQuery, SimState};
use chrono::Duration;
use serde_json::{json, Value};

const FRAGMENT: &str = "security/auditLog/queries";
const FILTERS: &[&str] = &[
    "recordTypeFilters",
    "operationFilters",
    "userPrincipalNameFilters",
    "ipAddressFilters",
    "objectIdFilters",
    "administrativeUnitIdFilters",
];

pub fn route(
    st: &mut SimState,
    ctx: &Ctx,
    req: &GraphRequest,
    segs: &[&str],
) -> Option<SimResponse> {
    let m = req.method.as_str();
    Some(match &segs[3..] {
        [] => match m {
            "POST" => create(st, ctx, req),
            "GET" => {
                let items = queries(st, ctx).iter().map(|q| q.record.clone()).collect();
                list(ctx, req, items, &ListSpec::new(FRAGMENT, 100, 100))
            }
            _ => method_not_allowed(ctx),
        },
        [id] if m == "GET" => {
            let now = ctx.now;
            let Some(q) = queries_mut(st, ctx)
                .iter_mut()
                .find(|q| str_field(&q.record, "id") == Some(*id))
            else {
                return Some(not_found(ctx, id));
            };
            q.polls += 1;
            if q.completed.is_none() && (q.polls >= 3 || now - q.created >= Duration::minutes(2)) {
                q.completed = Some(now);
            }
            let status = if q.completed.is_some() {
                "succeeded"
            } else {
                "running"
            };
            q.record.insert("status".into(), json!(status));
            let mut out = Record::new();
            out.insert(
                "@odata.context".into(),
                json!(ctx.context(req, &format!("{FRAGMENT}/$entity"))),
            );
            out.extend(q.record.clone());
            SimResponse::json(200, Value::Object(out))
        }
        [id, "records"] if m == "GET" => {
            let Some(q) = queries(st, ctx)
                .iter()
                .find(|q| str_field(&q.record, "id") == Some(*id))
            else {
                return Some(not_found(ctx, id));
            };
            let (Some("succeeded"), Some(completed)) =
                (str_field(&q.record, "status"), q.completed)
            else {
                return Some(ctx.error(400, "BadRequest", "The audit log query has not completed yet; poll the query until its status is succeeded."));
            };
            let selection = Selection::new(&q.record, completed, st.retention);
            let records = st
                .data(&ctx.tenant_id)
                .map_or(&[][..], |d| d.audit_records.as_slice());
            list_records(
                ctx,
                req,
                records,
                &selection,
                &ListSpec::new(&format!("{FRAGMENT}('{id}')/records"), 150, 1000),
            )
        }
        [_] | [_, "records"] => method_not_allowed(ctx),
        _ => return None,
    })
}

fn not_found(ctx: &Ctx, id: &str) -> SimResponse {
    ctx.error(
        404,
        "NotFound",
        &format!("The audit log query '{id}' was not found."),
    )
}

fn queries<'a>(st: &'a SimState, ctx: &Ctx) -> &'a [AuditQuery] {
    st.audit_queries
        .get(&ctx.tenant_id)
        .map_or(&[], Vec::as_slice)
}

fn queries_mut<'a>(st: &'a mut SimState, ctx: &Ctx) -> &'a mut Vec<AuditQuery> {
    st.audit_queries.entry(ctx.tenant_id.clone()).or_default()
}

fn create(st: &mut SimState, ctx: &Ctx, req: &GraphRequest) -> SimResponse {
    let Some(Value::Object(body)) = req.body.clone() else {
        return ctx.error(
            400,
            "BadRequest",
            "Invalid request body: expected a JSON object.",
        );
    };
    for k in ["filterStartDateTime", "filterEndDateTime"] {
        if str_field(&body, k)
            .and_then(crate::clock::parse_time)
            .is_none()
        {
            return ctx.error(
                400,
                "BadRequest",
                &format!("Property '{k}' is required and must be a timestamp."),
            );
        }
    }
    let mut rec = Record::new();
    rec.insert(
        "@odata.type".into(),
        json!("#microsoft.graph.security.auditLogQuery"),
    );
    rec.insert("id".into(), json!(st.new_uuid()));
    for k in [
        "displayName",
        "filterStartDateTime",
        "filterEndDateTime",
        "keywordFilter",
        "serviceFilter",
    ] {
        rec.insert(k.into(), body.get(k).cloned().unwrap_or(Value::Null));
    }
    for k in FILTERS {
        rec.insert(
            k.to_string(),
            body.get(*k).cloned().unwrap_or_else(|| json!([])),
        );
    }
    rec.insert("status".into(), json!("notStarted"));
    queries_mut(st, ctx).push(AuditQuery {
        record: rec.clone(),
        created: ctx.now,
        polls: 0,
        completed: None,
    });
    let mut out = Record::new();
    out.insert(
        "@odata.context".into(),
        json!(ctx.context(req, &format!("{FRAGMENT}/$entity"))),
    );
    out.extend(rec);
    SimResponse::json(201, Value::Object(out))
}

/// A Management-schema record as Graph's `auditLogRecord`, the original in `auditData`.
pub fn to_audit_log_record(r: &Record) -> Record {
    let s = |k: &str| r.get(k).cloned().unwrap_or(Value::Null);
    let mut audit = Record::new();
    audit.insert(
        "@odata.type".into(),
        json!("#microsoft.graph.security.defaultAuditData"),
    );
    audit.extend(r.clone());
    let user_type = r
        .get("UserType")
        .and_then(Value::as_i64)
        .map(user_type_name)
        .unwrap_or("unknownFutureValue");
    match json!({
        "@odata.type": "#microsoft.graph.security.auditLogRecord",
        "id": s("Id"), "createdDateTime": s("CreationTime"), "auditLogRecordType": record_type_name(r),
        "operation": s("Operation"), "organizationId": s("OrganizationId"), "userType": user_type,
        "userId": s("UserKey"), "service": s("Workload"), "objectId": s("ObjectId"),
        "userPrincipalName": s("UserId"), "clientIp": s("ClientIP"), "administrativeUnits": [],
        "auditData": Value::Object(audit),
    }) {
        Value::Object(o) => o,
        _ => Record::new(),
    }
}

/// The `auditLogRecordType` enum name for a Management-schema `RecordType` number.
pub fn record_type_name(r: &Record) -> String {
    let n = r.get("RecordType").and_then(Value::as_i64).unwrap_or(-1);
    let name = match n {
        1 => "exchangeAdmin",
        2 => "exchangeItem",
        3 => "exchangeItemGroup",
        4 => "sharePoint",
        6 => "sharePointFileOperation",
        7 => "oneDrive",
        8 => "azureActiveDirectory",
        9 => "azureActiveDirectoryAccountLogon",
        10 => "dataCenterSecurityCmdlet",
        11 => "complianceDLPSharePoint",
        13 => "complianceDLPExchange",
        14 => "sharePointSharingOperation",
        15 => "azureActiveDirectoryStsLogon",
        18 => "securityComplianceCenterEOPCmdlet",
        20 => "powerBIAudit",
        25 => "microsoftTeams",
        28 => "threatIntelligence",
        40 => "securityComplianceAlerts",
        50 => "exchangeItemAggregated",
        _ => "unknownFutureValue",
    };
    name.to_string()
}

fn user_type_name(n: i64) -> &'static str {
    match n {
        0 => "regular",
        1 => "reserved",
        2 => "admin",
        3 => "dcAdmin",
        4 => "system",
        5 => "application",
        6 => "servicePrincipal",
        7 => "customPolicy",
        8 => "systemPolicy",
        9 => "partnerTechnician",
        10 => "guest",
        _ => "unknownFutureValue",
    }
}
