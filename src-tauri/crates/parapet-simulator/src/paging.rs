//! Server-driven paging. `$skiptoken` values are opaque to clients: an offset for directory
//! collections, a (time, id) cursor for newest-first logs so that records arriving while a client
//! pages never shift a page boundary (no duplicates, no gaps).

use crate::http::{encode_query, GraphRequest};
use base64::Engine;
use serde_json::{Map, Value};

pub enum Cursor {
    Offset(usize),
    /// Sort key of the last record served: (time string as stored, id).
    After(String, String),
}

pub fn encode_cursor(c: &Cursor) -> String {
    let raw = match c {
        Cursor::Offset(n) => format!("o|{n}"),
        Cursor::After(t, id) => format!("k|{t}|{id}"),
    };
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(raw)
}

pub fn decode_cursor(token: &str) -> Option<Cursor> {
    let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(token)
        .ok()?;
    let raw = String::from_utf8(raw).ok()?;
    let mut parts = raw.splitn(3, '|');
    match (parts.next()?, parts.next(), parts.next()) {
        ("o", Some(n), None) => n.parse().ok().map(Cursor::Offset),
        ("k", Some(t), Some(id)) => Some(Cursor::After(t.to_string(), id.to_string())),
        _ => None,
    }
}

/// The `@odata.nextLink` for the same request with a new `$skiptoken`.
pub fn next_link(graph_base: &str, req: &GraphRequest, cursor: &Cursor) -> String {
    let mut pairs: Vec<(String, String)> = req
        .query
        .iter()
        .filter(|(k, _)| !k.trim_start_matches('$').eq_ignore_ascii_case("skiptoken"))
        .cloned()
        .collect();
    pairs.push(("$skiptoken".into(), encode_cursor(cursor)));
    let path: Vec<String> = req.segments.iter().map(|s| encode_segment(s)).collect();
    format!(
        "{graph_base}/{}/{}?{}",
        req.version,
        path.join("/"),
        encode_query(&pairs)
    )
}

fn encode_segment(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes())
        .collect::<String>()
        .replace('+', "%20")
        .replace("%28", "(")
        .replace("%29", ")")
        .replace("%27", "'")
        .replace("%3D", "=")
        .replace("%24", "$")
}

/// Applies `$select` to a record: the listed properties (null when unset, as Graph answers),
/// plus OData annotations.
pub fn select(record: &Map<String, Value>, select: Option<&str>) -> Value {
    let Some(list) = select else {
        return Value::Object(record.clone());
    };
    let mut out: Map<String, Value> = record
        .iter()
        .filter(|(k, _)| k.starts_with("@odata."))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    for wanted in list.split(',').map(str::trim).filter(|w| !w.is_empty()) {
        let found = record.iter().find(|(k, _)| k.eq_ignore_ascii_case(wanted));
        match found {
            Some((k, v)) => out.insert(k.clone(), v.clone()),
            None => out.insert(wanted.to_string(), Value::Null),
        };
    }
    Value::Object(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn cursors_round_trip_and_garbage_is_rejected() {
        for c in [
            Cursor::Offset(0),
            Cursor::Offset(12345),
            Cursor::After("2026-11-20T08:14:54.9664066Z".into(), "a|b".into()),
        ] {
            let back = decode_cursor(&encode_cursor(&c)).expect("decodes");
            match (c, back) {
                (Cursor::Offset(a), Cursor::Offset(b)) => assert_eq!(a, b),
                (Cursor::After(t1, i1), Cursor::After(t2, i2)) => assert_eq!((t1, i1), (t2, i2)),
                _ => panic!("cursor kind changed"),
            }
        }
        for bad in ["", "garbage", "bzp4", "!!!"] {
            assert!(decode_cursor(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn select_keeps_annotations_and_nulls_unset_properties() {
        let rec = json!({"@odata.type": "#x", "id": "1", "displayName": "A", "mail": "a@b"});
        let out = select(rec.as_object().expect("object"), Some("ID, jobTitle"));
        assert_eq!(
            out,
            json!({"@odata.type": "#x", "id": "1", "jobTitle": null})
        );
    }
}
