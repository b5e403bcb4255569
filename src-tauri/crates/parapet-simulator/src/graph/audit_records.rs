//! The records of a finished audit log query, paged straight from the tenant's newest-first
//! store. The query's time window is a contiguous run of that store (found by binary search)
//! and the page cursor is the (CreationTime, Id) of the last record served, so a page costs the
//! records it serves plus those the query's filters skip, never a new search of the whole log:
//! walking a 180-day query of a large tenant is linear, not quadratic.
//!
//! The window ends at the moment the query succeeded, as Purview's search job fixes its result
//! then: records logged while a client pages do not appear mid-walk or shift a page.

use super::audit_query::{record_type_name, to_audit_log_record};
use super::collection::{list, page_response, page_size, record_id, ListSpec};
use super::Ctx;
use crate::config::RetentionMode;
use crate::http::{GraphRequest, SimResponse};
use crate::paging::{decode_cursor, Cursor};
use crate::state::tenant::{str_field, time_field, Record};
use chrono::{DateTime, Duration, Utc};
use serde_json::Value;

const TIME: &str = "CreationTime";

/// What an audit log query selects: its time window and its filters, lower-cased once.
pub struct Selection {
    start: Option<DateTime<Utc>>,
    end: Option<DateTime<Utc>>,
    /// When the query succeeded: later records are not in its result.
    newest: DateTime<Utc>,
    oldest: Option<DateTime<Utc>>,
    types: Vec<String>,
    operations: Vec<String>,
    upns: Vec<String>,
    ips: Vec<String>,
    objects: Vec<String>,
    keyword: Option<String>,
    service: Option<String>,
}

impl Selection {
    pub fn new(query: &Record, completed: DateTime<Utc>, retention: RetentionMode) -> Selection {
        let text = |k: &str| {
            str_field(query, k)
                .map(str::to_lowercase)
                .filter(|v| !v.is_empty())
        };
        Selection {
            start: time_field(query, "filterStartDateTime"),
            end: time_field(query, "filterEndDateTime"),
            newest: completed,
            oldest: match retention {
                RetentionMode::All => None,
                RetentionMode::Realistic => Some(completed - Duration::days(180)),
            },
            types: strings(query, "recordTypeFilters"),
            operations: strings(query, "operationFilters"),
            upns: strings(query, "userPrincipalNameFilters"),
            ips: strings(query, "ipAddressFilters"),
            objects: strings(query, "objectIdFilters"),
            keyword: text("keywordFilter"),
            service: text("serviceFilter"),
        }
    }

    /// The run of the newest-first store inside the time window (records without a readable
    /// time sort last and are never in it).
    fn window<'a>(&self, records: &'a [Record]) -> &'a [Record] {
        let too_new = records.partition_point(|r| {
            time_field(r, TIME).is_some_and(|t| t > self.newest || self.end.is_some_and(|e| t >= e))
        });
        let rest = &records[too_new..];
        let inside = rest.partition_point(|r| {
            time_field(r, TIME).is_some_and(|t| {
                self.oldest.is_none_or(|o| t >= o) && self.start.is_none_or(|s| t >= s)
            })
        });
        &rest[..inside]
    }

    /// The query's filters other than time.
    fn matches(&self, r: &Record) -> bool {
        let hit = |list: &[String], v: Option<&str>| {
            list.is_empty() || v.is_some_and(|v| list.contains(&v.to_lowercase()))
        };
        hit(&self.types, Some(&record_type_name(r)))
            && hit(&self.operations, str_field(r, "Operation"))
            && hit(&self.upns, str_field(r, "UserId"))
            && hit(&self.ips, str_field(r, "ClientIP"))
            && hit(&self.objects, str_field(r, "ObjectId"))
            && self
                .service
                .as_ref()
                .is_none_or(|s| str_field(r, "Workload").is_some_and(|w| w.eq_ignore_ascii_case(s)))
            && self.keyword.as_ref().is_none_or(|k| {
                Value::Object(r.clone())
                    .to_string()
                    .to_lowercase()
                    .contains(k)
            })
    }

    /// Every record of the result as an `auditLogRecord`, newest first.
    pub fn all(&self, records: &[Record]) -> Vec<Record> {
        self.window(records)
            .iter()
            .filter(|r| self.matches(r))
            .map(to_audit_log_record)
            .collect()
    }
}

fn strings(q: &Record, key: &str) -> Vec<String> {
    q.get(key)
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_lowercase))
                .collect()
        })
        .unwrap_or_default()
}

/// One page of the query's records. `$orderby` (and an offset cursor, which only such a walk
/// hands out) takes the general collection path over the whole result.
pub fn list_records(
    ctx: &Ctx,
    req: &GraphRequest,
    records: &[Record],
    selection: &Selection,
    spec: &ListSpec,
) -> SimResponse {
    let cursor = req.option("skiptoken").map(decode_cursor);
    if req.option("orderby").is_some() || matches!(cursor, Some(Some(Cursor::Offset(_)))) {
        return list(ctx, req, selection.all(records), spec);
    }
    let filter = match req.option("filter").filter(|f| !f.trim().is_empty()) {
        None => None,
        Some(f) => match crate::odata::parse(f) {
            Ok(parsed) => Some(parsed),
            Err(msg) => return ctx.error(400, "BadRequest", &msg),
        },
    };
    let top = match page_size(ctx, req, spec) {
        Ok(n) => n,
        Err(resp) => return resp,
    };
    let window = selection.window(records);
    let start = match cursor {
        None => 0,
        Some(Some(Cursor::After(t, id))) => {
            let c = (crate::clock::parse_time(&t), id);
            window.partition_point(|r| (time_field(r, TIME), record_id(r).to_string()) >= c)
        }
        _ => return ctx.error(400, "Request_BadRequest", "The specified page token value has expired and can no longer be included in your request."),
    };
    // The record as served, when the query's filters and `$filter` keep it.
    let served = |r: &Record| {
        if !selection.matches(r) {
            return None;
        }
        let out = to_audit_log_record(r);
        filter
            .as_ref()
            .is_none_or(|f| f.matches(&out))
            .then_some(out)
    };
    let wants_count = req
        .option("count")
        .is_some_and(|c| c.eq_ignore_ascii_case("true"));
    let count =
        (wants_count && start == 0).then(|| window.iter().filter(|r| served(r).is_some()).count());
    let mut page: Vec<Record> = Vec::with_capacity(top.min(window.len() - start));
    let mut last: Option<&Record> = None;
    let mut more = false;
    for r in &window[start..] {
        // Without `$filter` any record the query keeps proves there is a next page.
        if page.len() == top && filter.is_none() && selection.matches(r) {
            more = true;
            break;
        }
        let Some(out) = served(r) else { continue };
        if page.len() == top {
            more = true;
            break;
        }
        page.push(out);
        last = Some(r);
    }
    let next = last.filter(|_| more).map(|r| {
        Cursor::After(
            str_field(r, TIME).unwrap_or_default().to_string(),
            record_id(r).to_string(),
        )
    });
    page_response(ctx, req, spec, &page, count, next.as_ref())
}
