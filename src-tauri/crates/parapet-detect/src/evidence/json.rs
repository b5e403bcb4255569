//! Small readers over Microsoft-shaped JSON. Records arrive as `serde_json::Value`s in the
//! spec's shapes; these helpers tolerate absent fields, `null`s and the PascalCase/camelCase
//! variants the different Microsoft APIs use.

use chrono::{DateTime, Utc};
use serde_json::Value;

/// The value at a dotted path (`status.errorCode`), or `None` when absent or `null`.
pub fn at<'a>(value: &'a Value, path: &str) -> Option<&'a Value> {
    let mut current = value;
    for key in path.split('.') {
        current = current.get(key)?;
    }
    if current.is_null() {
        None
    } else {
        Some(current)
    }
}

/// A string at a path; numbers and booleans are rendered as text.
pub fn text(value: &Value, path: &str) -> Option<String> {
    match at(value, path)? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// The first present string among several paths (PascalCase and camelCase spellings).
pub fn text_any(value: &Value, paths: &[&str]) -> Option<String> {
    paths
        .iter()
        .find_map(|p| text(value, p))
        .filter(|s| !s.is_empty())
}

pub fn int(value: &Value, path: &str) -> Option<i64> {
    match at(value, path)? {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

pub fn flag(value: &Value, path: &str) -> Option<bool> {
    match at(value, path)? {
        Value::Bool(b) => Some(*b),
        Value::String(s) => match s.trim().trim_matches('"').to_ascii_lowercase().as_str() {
            "true" => Some(true),
            "false" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

pub fn time(value: &Value, paths: &[&str]) -> Option<DateTime<Utc>> {
    paths
        .iter()
        .find_map(|p| text(value, p).and_then(|t| parse_time(&t)))
}

/// ISO 8601 UTC, with or without an offset (the Management Activity API omits it).
pub fn parse_time(text: &str) -> Option<DateTime<Utc>> {
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Some(t.with_timezone(&Utc));
    }
    chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f")
        .ok()
        .map(|n| n.and_utc())
}

pub fn array<'a>(value: &'a Value, path: &str) -> &'a [Value] {
    match at(value, path) {
        Some(Value::Array(items)) => items,
        _ => &[],
    }
}

/// Strings of an array field, or of a `;`/`,`-separated string field.
pub fn strings(value: &Value, path: &str) -> Vec<String> {
    match at(value, path) {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(|i| match i {
                Value::String(s) => Some(s.clone()),
                other => text(other, "emailAddress.address").or_else(|| text(other, "address")),
            })
            .collect(),
        Some(Value::String(s)) => split_list(s),
        _ => Vec::new(),
    }
}

pub fn split_list(s: &str) -> Vec<String> {
    s.split([';', ','])
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
        .collect()
}

/// `Parameters` / `OperationProperties` / `ExtendedProperties` are arrays of `{Name, Value}`.
pub fn name_value(value: &Value, list: &str, name: &str) -> Option<String> {
    array(value, list).iter().find_map(|entry| {
        let n = text(entry, "Name")?;
        if n.eq_ignore_ascii_case(name) {
            text(entry, "Value")
        } else {
            None
        }
    })
}

/// Parses `ClientIP` forms: `1.2.3.4`, `1.2.3.4:5678`, `[2001:db8::1]:443`, `2001:db8::1`.
pub fn parse_ip(text: &str) -> Option<std::net::IpAddr> {
    let t = text.trim();
    if let Ok(ip) = t.parse() {
        return Some(ip);
    }
    if let Some(rest) = t.strip_prefix('[') {
        return rest.split(']').next()?.parse().ok();
    }
    if let Some((host, port)) = t.rsplit_once(':') {
        if port.bytes().all(|b| b.is_ascii_digit()) {
            return host.parse().ok();
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_client_ip_forms() {
        let cases = [
            ("52.23.254.85:36002", Some("52.23.254.85")),
            ("71.122.211.108", Some("71.122.211.108")),
            ("[2001:db8::1]:443", Some("2001:db8::1")),
            ("2001:db8::1", Some("2001:db8::1")),
            ("", None),
            ("not-an-ip", None),
        ];
        for (input, want) in cases {
            let got = parse_ip(input).map(|ip| ip.to_string());
            assert_eq!(got.as_deref(), want, "input {input:?}");
        }
    }

    #[test]
    fn reads_name_value_lists_case_insensitively() {
        let v: Value =
            serde_json::json!({"Parameters": [{"Name": "MoveToFolder", "Value": "Archive"}]});
        assert_eq!(
            name_value(&v, "Parameters", "movetofolder").as_deref(),
            Some("Archive")
        );
        assert_eq!(name_value(&v, "Parameters", "Name"), None);
    }
}
