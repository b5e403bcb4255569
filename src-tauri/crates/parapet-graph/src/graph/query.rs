//! OData query options, URL encoding and literal quoting.

use chrono::{DateTime, SecondsFormat, Utc};

/// `$select`, `$filter`, `$top`, `$orderby`, `$count`, `$expand`, `$search`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ODataQuery {
    pub select: Vec<String>,
    pub filter: Option<String>,
    pub top: Option<u32>,
    pub orderby: Option<String>,
    pub expand: Option<String>,
    pub search: Option<String>,
    pub count: bool,
}

impl ODataQuery {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn select(mut self, fields: &[&str]) -> Self {
        self.select = fields.iter().map(|f| f.to_string()).collect();
        self
    }

    pub fn filter(mut self, filter: impl Into<String>) -> Self {
        self.filter = Some(filter.into());
        self
    }

    /// Adds a clause joined with `and`.
    pub fn and_filter(mut self, clause: impl Into<String>) -> Self {
        let clause = clause.into();
        self.filter = Some(match self.filter {
            Some(existing) => format!("{existing} and {clause}"),
            None => clause,
        });
        self
    }

    pub fn top(mut self, top: u32) -> Self {
        self.top = Some(top);
        self
    }

    pub fn orderby(mut self, orderby: impl Into<String>) -> Self {
        self.orderby = Some(orderby.into());
        self
    }

    pub fn count(mut self) -> Self {
        self.count = true;
        self
    }

    /// `$count` and `$search` are advanced queries that need `ConsistencyLevel: eventual`.
    pub fn needs_eventual_consistency(&self) -> bool {
        self.count || self.search.is_some()
    }

    /// `?$select=...&$filter=...`, or an empty string.
    pub fn to_query_string(&self) -> String {
        let mut parts = Vec::new();
        if !self.select.is_empty() {
            parts.push(format!("$select={}", encode(&self.select.join(","))));
        }
        if let Some(f) = &self.filter {
            parts.push(format!("$filter={}", encode(f)));
        }
        if let Some(s) = &self.search {
            parts.push(format!("$search={}", encode(s)));
        }
        if let Some(o) = &self.orderby {
            parts.push(format!("$orderby={}", encode(o)));
        }
        if let Some(e) = &self.expand {
            parts.push(format!("$expand={}", encode(e)));
        }
        if let Some(t) = self.top {
            parts.push(format!("$top={t}"));
        }
        if self.count {
            parts.push("$count=true".into());
        }
        if parts.is_empty() {
            String::new()
        } else {
            format!("?{}", parts.join("&"))
        }
    }
}

/// An OData string literal: quoted, with `'` doubled, so attacker-chosen text (a subject, a
/// Message-ID) stays a value and never becomes filter syntax.
pub fn odata_string(value: &str) -> String {
    format!("'{}'", value.replace('\'', "''"))
}

/// A timestamp in the form Graph filters accept (`2026-06-01T00:00:00Z`).
pub fn odata_datetime(when: DateTime<Utc>) -> String {
    when.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// `createdDateTime ge A and createdDateTime lt B` for a log property.
pub fn time_window(property: &str, from: DateTime<Utc>, to: DateTime<Utc>) -> String {
    format!(
        "{property} ge {} and {property} lt {}",
        odata_datetime(from),
        odata_datetime(to)
    )
}

/// Percent-encodes a query value (everything except RFC 3986 unreserved characters).
pub fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Percent-encodes one path segment (an id, a UPN such as `a_b.com#EXT#@x`, a rule id `AQ=`).
pub fn segment(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'@' | b'=' | b'+')
        {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    // "." and ".." would be path navigation, not a name.
    if out == "." || out == ".." {
        out = out.replace('.', "%2E");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn query_strings() {
        let q = ODataQuery::new()
            .select(&["id", "displayName"])
            .filter("startswith(displayName,'a b')")
            .top(999);
        assert_eq!(
            q.to_query_string(),
            "?$select=id%2CdisplayName&$filter=startswith%28displayName%2C%27a%20b%27%29&$top=999"
        );
        assert_eq!(ODataQuery::new().to_query_string(), "");
        assert!(ODataQuery::new().count().needs_eventual_consistency());
    }

    #[test]
    fn literals_and_segments_cannot_escape() {
        assert_eq!(odata_string("it's"), "'it''s'");
        assert_eq!(odata_string("x' or 1 eq 1 or 'a"), "'x'' or 1 eq 1 or ''a'");
        assert_eq!(segment("a_b.com#EXT#@x.com"), "a_b.com%23EXT%23@x.com");
        assert_eq!(segment("../users"), "..%2Fusers");
        assert_eq!(segment(".."), "%2E%2E");
        assert_eq!(segment("AQAAAJ5dZp8="), "AQAAAJ5dZp8=");
        let from = Utc.with_ymd_and_hms(2026, 6, 1, 0, 0, 0).unwrap();
        let to = Utc.with_ymd_and_hms(2026, 6, 2, 0, 0, 0).unwrap();
        assert_eq!(
            time_window("createdDateTime", from, to),
            "createdDateTime ge 2026-06-01T00:00:00Z and createdDateTime lt 2026-06-02T00:00:00Z"
        );
    }
}
