//! Collection responses: `$filter`, `$orderby`, `$select`, `$top`, `$count`, server paging.

use super::Ctx;
use crate::http::{GraphRequest, SimResponse};
use crate::odata;
use crate::paging::{decode_cursor, next_link, select, Cursor};
use crate::state::tenant::{str_field, time_field, Record};
use serde_json::{Map, Value};

pub struct ListSpec {
    /// `@odata.context` fragment, e.g. `users` or `auditLogs/signIns`.
    pub fragment: String,
    pub default_page: usize,
    pub max_page: usize,
    /// Newest-first logs: page by (this time field, id) instead of offsets.
    pub keyset: Option<&'static str>,
    /// Properties returned when the client sends no `$select` (Graph's default projection).
    pub default_select: Option<&'static [&'static str]>,
    /// Reject `$top` above `max_page` with 400 (directory objects) instead of clamping (logs).
    pub strict_top: bool,
    /// Directory objects: `$count` and `endsWith` need `ConsistencyLevel: eventual`.
    pub advanced_needs_eventual: bool,
}

impl ListSpec {
    pub fn new(fragment: &str, default_page: usize, max_page: usize) -> ListSpec {
        ListSpec {
            fragment: fragment.to_string(),
            default_page,
            max_page,
            keyset: None,
            default_select: None,
            strict_top: false,
            advanced_needs_eventual: false,
        }
    }

    pub fn keyset(mut self, time_field: &'static str) -> ListSpec {
        self.keyset = Some(time_field);
        self
    }

    pub fn default_select(mut self, props: &'static [&'static str]) -> ListSpec {
        self.default_select = Some(props);
        self
    }

    /// A directory-object collection: strict `$top` and advanced-query rules.
    pub fn strict_top(mut self) -> ListSpec {
        self.strict_top = true;
        self.advanced_needs_eventual = true;
        self
    }
}

/// Applies `$filter`; the error is a ready 400.
pub fn filtered(
    ctx: &Ctx,
    req: &GraphRequest,
    items: Vec<Record>,
) -> Result<Vec<Record>, SimResponse> {
    let Some(f) = req.option("filter").filter(|f| !f.trim().is_empty()) else {
        return Ok(items);
    };
    let parsed = odata::parse(f).map_err(|msg| ctx.error(400, "BadRequest", &msg))?;
    Ok(items.into_iter().filter(|r| parsed.matches(r)).collect())
}

pub fn list(ctx: &Ctx, req: &GraphRequest, items: Vec<Record>, spec: &ListSpec) -> SimResponse {
    let wants_count = req
        .option("count")
        .is_some_and(|c| c.eq_ignore_ascii_case("true"));
    let advanced = wants_count
        || req
            .option("filter")
            .is_some_and(|f| f.to_ascii_lowercase().contains("endswith("));
    let eventual = req
        .header("consistencylevel")
        .is_some_and(|c| c.eq_ignore_ascii_case("eventual"));
    if spec.advanced_needs_eventual && advanced && !eventual {
        return ctx.error(400, "Request_UnsupportedQuery", "Unsupported Query. $count and endsWith on directory objects need the ConsistencyLevel: eventual header.");
    }
    let mut items = match filtered(ctx, req, items) {
        Ok(v) => v,
        Err(resp) => return resp,
    };
    if let Some(order) = req.option("orderby") {
        order_by(&mut items, order);
    }
    let top = match page_size(ctx, req, spec) {
        Ok(n) => n,
        Err(resp) => return resp,
    };
    // Keyset paging holds only for the natural newest-first order.
    let keyset = spec.keyset.filter(|_| req.option("orderby").is_none());
    let count = items.len();
    let start = match req.option("skiptoken").map(decode_cursor) {
        None => 0,
        Some(None) => return ctx.error(400, "Request_BadRequest", "The specified page token value has expired and can no longer be included in your request."),
        Some(Some(Cursor::Offset(n))) => n.min(items.len()),
        Some(Some(Cursor::After(t, id))) => {
            let key = keyset.unwrap_or("createdDateTime");
            let cursor = (crate::clock::parse_time(&t), id);
            items
                .iter()
                .position(|r| (time_field(r, key), record_id(r).to_string()) < cursor)
                .unwrap_or(items.len())
        }
    };
    let end = (start + top).min(items.len());
    let cursor = (end < items.len()).then(|| match keyset {
        Some(key) => {
            let last = &items[end - 1];
            Cursor::After(
                str_field(last, key).unwrap_or_default().to_string(),
                record_id(last).to_string(),
            )
        }
        None => Cursor::Offset(end),
    });
    page_response(
        ctx,
        req,
        spec,
        &items[start..end],
        (wants_count && start == 0).then_some(count),
        cursor.as_ref(),
    )
}

/// A page of a collection: `$select` applied, `@odata.count` when given (first pages only),
/// `@odata.nextLink` carrying `next`.
pub fn page_response(
    ctx: &Ctx,
    req: &GraphRequest,
    spec: &ListSpec,
    page: &[Record],
    count: Option<usize>,
    next: Option<&Cursor>,
) -> SimResponse {
    let chosen = req
        .option("select")
        .map(String::from)
        .or_else(|| spec.default_select.map(|p| p.join(",")));
    let value: Vec<Value> = page.iter().map(|r| select(r, chosen.as_deref())).collect();
    let mut body = Map::new();
    let fragment = match req.option("select") {
        Some(s) => format!("{}({s})", spec.fragment),
        None => spec.fragment.clone(),
    };
    body.insert(
        "@odata.context".into(),
        Value::String(ctx.context(req, &fragment)),
    );
    if let Some(count) = count {
        body.insert("@odata.count".into(), Value::from(count));
    }
    if let Some(cursor) = next {
        body.insert(
            "@odata.nextLink".into(),
            Value::String(next_link(&ctx.graph_base, req, cursor)),
        );
    }
    body.insert("value".into(), Value::Array(value));
    SimResponse::json(200, Value::Object(body))
}

/// One entity, with `$select` and the `$entity` context.
pub fn entity(
    ctx: &Ctx,
    req: &GraphRequest,
    record: &Record,
    fragment: &str,
    default_select: Option<&[&str]>,
) -> SimResponse {
    let chosen = req
        .option("select")
        .map(String::from)
        .or_else(|| default_select.map(|p| p.join(",")));
    let mut v = select(record, chosen.as_deref());
    if let Value::Object(o) = &mut v {
        let mut out = Map::new();
        out.insert(
            "@odata.context".into(),
            Value::String(ctx.context(req, &format!("{fragment}/$entity"))),
        );
        out.extend(std::mem::take(o));
        return SimResponse::json(200, Value::Object(out));
    }
    SimResponse::json(200, v)
}

pub fn page_size(ctx: &Ctx, req: &GraphRequest, spec: &ListSpec) -> Result<usize, SimResponse> {
    match req.option("top") {
        None => Ok(spec.default_page),
        Some(t) => match t.parse::<usize>() {
            Ok(n) if n >= 1 && (n <= spec.max_page || !spec.strict_top) => Ok(n.min(spec.max_page)),
            _ => Err(ctx.error(
                400,
                "Request_BadRequest",
                &format!(
                    "Invalid page size specified: '{t}'. Must be between 1 and {} inclusive.",
                    spec.max_page
                ),
            )),
        },
    }
}

/// A newest-first log served straight from the sorted store: the cursor is found by binary
/// search and only one page is filtered and copied, so a walk costs O(records), not O(records²).
pub fn list_log(
    ctx: &Ctx,
    req: &GraphRequest,
    records: &[Record],
    visible: impl Fn(&Record) -> bool,
    spec: &ListSpec,
) -> SimResponse {
    let key = spec.keyset.unwrap_or("createdDateTime");
    let cursor = req.option("skiptoken").map(decode_cursor);
    let general =
        req.option("orderby").is_some() || matches!(cursor, Some(Some(Cursor::Offset(_))));
    if general {
        let items = records.iter().filter(|r| visible(r)).cloned().collect();
        return list(ctx, req, items, spec);
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
    let start = match cursor {
        None => 0,
        Some(Some(Cursor::After(t, id))) => {
            let c = (crate::clock::parse_time(&t), id);
            records.partition_point(|r| (time_field(r, key), record_id(r).to_string()) >= c)
        }
        _ => return ctx.error(400, "Request_BadRequest", "The specified page token value has expired and can no longer be included in your request."),
    };
    let mut page: Vec<&Record> = Vec::with_capacity(top);
    let mut more = false;
    for r in &records[start.min(records.len())..] {
        if !visible(r) || !filter.as_ref().is_none_or(|f| f.matches(r)) {
            continue;
        }
        if page.len() == top {
            more = true;
            break;
        }
        page.push(r);
    }
    let chosen = req.option("select");
    let mut body = Map::new();
    let fragment = match chosen {
        Some(s) => format!("{}({s})", spec.fragment),
        None => spec.fragment.clone(),
    };
    body.insert(
        "@odata.context".into(),
        Value::String(ctx.context(req, &fragment)),
    );
    if let (true, Some(last)) = (more, page.last()) {
        let cursor = Cursor::After(
            str_field(last, key).unwrap_or_default().to_string(),
            record_id(last).to_string(),
        );
        body.insert(
            "@odata.nextLink".into(),
            Value::String(next_link(&ctx.graph_base, req, &cursor)),
        );
    }
    body.insert(
        "value".into(),
        Value::Array(page.iter().map(|r| select(r, chosen)).collect()),
    );
    SimResponse::json(200, Value::Object(body))
}

pub fn record_id(r: &Record) -> &str {
    str_field(r, "id")
        .or_else(|| str_field(r, "Id"))
        .unwrap_or_default()
}

fn order_by(items: &mut [Record], order: &str) {
    let mut parts = order.split_whitespace();
    let Some(field) = parts.next() else { return };
    let desc = parts.next().is_some_and(|d| d.eq_ignore_ascii_case("desc"));
    let field = field.split(',').next().unwrap_or(field).to_string();
    items.sort_by(|a, b| {
        let (ka, kb) = (sort_key(a, &field), sort_key(b, &field));
        if desc {
            kb.cmp(&ka)
        } else {
            ka.cmp(&kb)
        }
    });
}

fn sort_key(r: &Record, field: &str) -> String {
    match r.get(field) {
        Some(Value::String(s)) => match crate::clock::parse_time(s) {
            Some(t) => t.format("%Y-%m-%dT%H:%M:%S%.9f").to_string(),
            None => s.to_lowercase(),
        },
        Some(v) => v.to_string(),
        None => String::new(),
    }
}
