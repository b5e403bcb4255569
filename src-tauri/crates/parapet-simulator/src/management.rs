//! Office 365 Management Activity API (API reference §11.5). Audit records are grouped into
//! hourly content blobs per content type; a blob "arrives" 30 minutes after its hour ends on
//! the sim clock and expires 7 days later. Listing pages with the `NextPageUri` header.

use crate::clock::parse_time;
use crate::graph::authenticate;
use crate::http::SimResponse;
use crate::paging::{decode_cursor, encode_cursor, Cursor};
use crate::server::App;
use crate::state::tenant::{str_field, time_field, Record};
use crate::state::tokens::Resource;
use crate::throttle::{format_retry_after, LimitClass, Refusal};
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, Method};
use chrono::{DateTime, Duration, DurationRound, Utc};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::sync::Arc;

const CONTENT_TYPES: &[&str] = &[
    "Audit.AzureActiveDirectory",
    "Audit.Exchange",
    "Audit.SharePoint",
    "Audit.General",
    "DLP.All",
];
const PAGE_SIZE: usize = 20;
const ARRIVAL_AFTER_HOUR_END_MINUTES: i64 = 30;

fn af(status: u16, code: &str, message: &str) -> SimResponse {
    SimResponse::json(status, json!({"error": {"code": code, "message": message}}))
}

pub async fn entry(
    State(app): State<Arc<App>>,
    Path((_version, tenant, rest)): Path<(String, String, String)>,
    method: Method,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
    body: Bytes,
) -> SimResponse {
    let now = app.now();
    let auth = headers.get("authorization").and_then(|v| v.to_str().ok());
    let token = match authenticate(&app, auth, Resource::Management, now) {
        Ok(t) => t,
        Err(resp) => return resp,
    };
    let Some(tenant_id) = app.lock().resolve_tenant(&tenant) else {
        return af(
            400,
            "AF20011",
            &format!(
                "Specified tenant ID ({tenant}) does not exist in the system or has been deleted."
            ),
        );
    };
    if tenant_id != token.tenant_id {
        return af(
            401,
            "AF20010",
            "The tenant ID in the URL does not match the tenant ID in the access token.",
        );
    }
    if let Err(refusal) = app
        .throttle
        .admit(&LimitClass::Management, &token.app_id, &tenant_id)
    {
        let secs = match refusal {
            Refusal::Rate { retry_after } => retry_after.unwrap_or(1.0),
            Refusal::Units { retry_after, .. } => retry_after,
            Refusal::Concurrency => 1.0,
        };
        return af(
            429,
            "AF429",
            &format!(
                "Too many requests. Method=GetBlob, PublisherId={}",
                token.app_id
            ),
        )
        .with_header("Retry-After", &format_retry_after(secs));
    }
    let q: BTreeMap<String, String> =
        crate::http::parse_query(query.as_deref().unwrap_or_default())
            .into_iter()
            .map(|(k, v)| (k.to_ascii_lowercase(), v))
            .collect();
    let root = format!(
        "{}/api/v1.0/{tenant_id}/activity/feed",
        app.management_base()
    );
    let segs: Vec<&str> = rest.split('/').filter(|s| !s.is_empty()).collect();
    let mut st = app.lock();
    let content_type = q.get("contenttype").cloned();
    match (method.as_str(), segs.as_slice()) {
        ("POST", ["subscriptions", op @ ("start" | "stop")]) => {
            let Some(ct) = valid_type(content_type.as_deref()) else {
                return bad_type();
            };
            let subs = st.subscriptions.entry(tenant_id).or_default();
            if *op == "stop" {
                subs.remove(ct);
                return SimResponse::empty(200);
            }
            let webhook = serde_json::from_slice::<Value>(&body).ok().and_then(|b| b.get("webhook").cloned()).map(|w| {
                json!({"status": "enabled", "address": w.get("address"), "authId": w.get("authId"), "expiration": null})
            });
            let sub = json!({"contentType": ct, "status": "enabled", "webhook": webhook.unwrap_or(Value::Null)});
            subs.insert(ct.to_string(), sub.clone());
            SimResponse::json(200, sub)
        }
        ("GET", ["subscriptions", "list"]) => {
            let subs: Vec<Value> = st
                .subscriptions
                .get(&tenant_id)
                .map(|s| s.values().cloned().collect())
                .unwrap_or_default();
            SimResponse::json(200, Value::Array(subs))
        }
        ("GET", ["subscriptions", "notifications"]) => SimResponse::json(200, json!([])),
        ("GET", ["subscriptions", "content"]) => {
            let Some(ct) = valid_type(content_type.as_deref()) else {
                return bad_type();
            };
            if !st
                .subscriptions
                .get(&tenant_id)
                .is_some_and(|s| s.contains_key(ct))
            {
                return af(
                    400,
                    "AF20022",
                    "No subscription found for the specified content type.",
                );
            }
            let (start, end) = match window(&q, now) {
                Ok(w) => w,
                Err(resp) => return resp,
            };
            let offset = match q.get("nextpage").map(|t| decode_cursor(t)) {
                None => 0,
                Some(Some(Cursor::Offset(n))) => n,
                Some(_) => return af(400, "AF20031", "Invalid nextPage Input."),
            };
            let records = st
                .data(&tenant_id)
                .map(|d| d.audit_records.as_slice())
                .unwrap_or_default();
            // A blob's hour starts at most 90 minutes before its contentCreated.
            let near = created_between(records, start - Duration::hours(2), end);
            let blobs: Vec<Value> = blobs(near, ct)
                .into_iter()
                .filter(|(_, created)| *created <= now && *created >= start && *created < end)
                .map(|(hour, created)| blob_json(&root, &tenant_id, ct, hour, created))
                .collect();
            let page: Vec<Value> = blobs.iter().skip(offset).take(PAGE_SIZE).cloned().collect();
            let mut resp = SimResponse::json(200, Value::Array(page));
            if offset + PAGE_SIZE < blobs.len() {
                let mut pairs: Vec<(String, String)> =
                    crate::http::parse_query(query.as_deref().unwrap_or_default())
                        .into_iter()
                        .filter(|(k, _)| !k.eq_ignore_ascii_case("nextPage"))
                        .collect();
                pairs.push((
                    "nextPage".into(),
                    encode_cursor(&Cursor::Offset(offset + PAGE_SIZE)),
                ));
                let uri = format!(
                    "{root}/subscriptions/content?{}",
                    crate::http::encode_query(&pairs)
                );
                resp = resp.with_header("NextPageUri", &uri);
            }
            resp
        }
        ("GET", ["audit", content_id]) => {
            let Some((hour, ct)) = parse_content_id(content_id, &tenant_id) else {
                return af(400, "AF20050", "The specified content does not exist.");
            };
            let created =
                hour + Duration::hours(1) + Duration::minutes(ARRIVAL_AFTER_HOUR_END_MINUTES);
            if created > now {
                return af(400, "AF20050", "The specified content does not exist.");
            }
            if now > created + Duration::days(7) {
                return af(400, "AF20051", "Content requested with the key has already expired. Content older than 7 days cannot be retrieved.");
            }
            let records = st
                .data(&tenant_id)
                .map(|d| d.audit_records.as_slice())
                .unwrap_or_default();
            let mut items: Vec<&Record> = created_between(records, hour, hour + Duration::hours(1))
                .iter()
                .filter(|r| content_type_of(r) == ct && hour_of(r) == Some(hour))
                .collect();
            if items.is_empty() {
                return af(400, "AF20050", "The specified content does not exist.");
            }
            items.reverse();
            SimResponse::json(
                200,
                Value::Array(items.into_iter().cloned().map(Value::Object).collect()),
            )
        }
        _ => af(404, "AF20000", "The requested resource does not exist."),
    }
}

fn bad_type() -> SimResponse {
    af(400, "AF20020", "The specified content type is not valid.")
}

fn valid_type(ct: Option<&str>) -> Option<&'static str> {
    let ct = ct?;
    CONTENT_TYPES
        .iter()
        .copied()
        .find(|c| c.eq_ignore_ascii_case(ct))
}

/// Both times or neither; at most 24 h apart; start no more than 7 days ago (AF20030).
fn window(
    q: &BTreeMap<String, String>,
    now: DateTime<Utc>,
) -> Result<(DateTime<Utc>, DateTime<Utc>), SimResponse> {
    let bad = || {
        af(400, "AF20030", "Start time and end time must both be specified (or both omitted) and must be less than or equal to 24 hours apart, with the start time no more than 7 days in the past.")
    };
    match (q.get("starttime"), q.get("endtime")) {
        (None, None) => Ok((now - Duration::hours(24), now + Duration::seconds(1))),
        (Some(s), Some(e)) => {
            let (Some(s), Some(e)) = (parse_time(s), parse_time(e)) else {
                return Err(af(
                    400,
                    "AF20055",
                    "Start time and end time must be valid timestamps.",
                ));
            };
            if e <= s {
                return Err(af(
                    400,
                    "AF20055",
                    "The end time must be after the start time.",
                ));
            }
            if e - s > Duration::hours(24) || s < now - Duration::days(7) {
                return Err(bad());
            }
            Ok((s, e))
        }
        _ => Err(bad()),
    }
}

fn content_type_of(r: &Record) -> &'static str {
    let rt = r.get("RecordType").and_then(Value::as_i64).unwrap_or(0);
    if matches!(rt, 11 | 13 | 33) {
        return "DLP.All";
    }
    match str_field(r, "Workload")
        .unwrap_or_default()
        .to_ascii_lowercase()
        .as_str()
    {
        "exchange" => "Audit.Exchange",
        "azureactivedirectory" => "Audit.AzureActiveDirectory",
        "sharepoint" | "onedrive" => "Audit.SharePoint",
        _ => "Audit.General",
    }
}

fn hour_of(r: &Record) -> Option<DateTime<Utc>> {
    time_field(r, "CreationTime").and_then(|t| t.duration_trunc(Duration::hours(1)).ok())
}

/// The run of the newest-first store created in `[from, to)`, found by binary search: listing
/// a day or fetching an hour's blob costs that day's or hour's records, not the whole log's.
fn created_between(records: &[Record], from: DateTime<Utc>, to: DateTime<Utc>) -> &[Record] {
    let newer = records.partition_point(|r| time_field(r, "CreationTime").is_some_and(|t| t >= to));
    let rest = &records[newer..];
    let inside = rest.partition_point(|r| time_field(r, "CreationTime").is_some_and(|t| t >= from));
    &rest[..inside]
}

/// (hour bucket, contentCreated) of every blob of a content type, oldest first.
fn blobs(records: &[Record], ct: &str) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
    let mut hours: Vec<DateTime<Utc>> = records
        .iter()
        .filter(|r| content_type_of(r) == ct)
        .filter_map(hour_of)
        .collect();
    hours.sort();
    hours.dedup();
    hours
        .into_iter()
        .map(|h| {
            (
                h,
                h + Duration::hours(1) + Duration::minutes(ARRIVAL_AFTER_HOUR_END_MINUTES),
            )
        })
        .collect()
}

fn content_id(tenant_id: &str, ct: &str, hour: DateTime<Utc>) -> String {
    format!(
        "{}${}${}",
        hour.format("%Y%m%d%H"),
        ct.replace('.', "_"),
        tenant_id.replace('-', "")
    )
}

fn parse_content_id(id: &str, tenant_id: &str) -> Option<(DateTime<Utc>, &'static str)> {
    let mut parts = id.split('$');
    let (hour, ct, tenant) = (parts.next()?, parts.next()?, parts.next()?);
    if tenant != tenant_id.replace('-', "") {
        return None;
    }
    let hour = chrono::NaiveDateTime::parse_from_str(&format!("{hour}0000"), "%Y%m%d%H%M%S")
        .ok()?
        .and_utc();
    let ct = valid_type(Some(&ct.replace('_', ".")))?;
    Some((hour, ct))
}

fn blob_json(
    root: &str,
    tenant_id: &str,
    ct: &str,
    hour: DateTime<Utc>,
    created: DateTime<Utc>,
) -> Value {
    let id = content_id(tenant_id, ct, hour);
    json!({
        "contentType": ct,
        "contentId": id,
        "contentUri": format!("{root}/audit/{id}"),
        "contentCreated": created.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string(),
        "contentExpiration": (created + Duration::days(7)).format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string(),
    })
}
