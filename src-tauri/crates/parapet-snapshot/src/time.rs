//! Snapshot times: ISO 8601 UTC in, Microsoft-style RFC 3339 out.

use std::fmt;

use chrono::{DateTime, NaiveDateTime, Timelike, Utc};

/// Parses an ISO 8601 time. Accepts an RFC 3339 offset (`Z`, `+00:00`, any offset, converted to
/// UTC) and, as the Management Activity API writes `CreationTime`, no offset at all (taken as UTC).
/// Fractional seconds of any length are accepted. Also accepts `/Date(1603234354000)/`
/// (milliseconds since 1970, optionally followed by an offset such as `+0000`), the form Windows
/// PowerShell 5.1's `ConvertTo-Json` gives Exchange cmdlet dates.
pub fn parse(text: &str) -> Option<DateTime<Utc>> {
    if let Ok(time) = DateTime::parse_from_rfc3339(text) {
        return Some(time.with_timezone(&Utc));
    }
    if let Some(inner) = text
        .strip_prefix("/Date(")
        .and_then(|rest| rest.strip_suffix(")/"))
    {
        return parse_dotnet_date(inner);
    }
    NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f")
        .ok()
        .map(|naive| naive.and_utc())
}

/// `1603234354000` or `1603234354000+0100`: the milliseconds are UTC; the offset only says which
/// zone the value was displayed in, so it is ignored.
fn parse_dotnet_date(inner: &str) -> Option<DateTime<Utc>> {
    let sign_at = inner
        .char_indices()
        .skip(1)
        .find(|(_, c)| *c == '+' || *c == '-')
        .map(|(i, _)| i);
    let (millis, offset) = match sign_at {
        Some(at) => inner.split_at(at),
        None => (inner, ""),
    };
    let offset_is_valid =
        offset.is_empty() || (offset.len() == 5 && offset[1..].bytes().all(|b| b.is_ascii_digit()));
    if !offset_is_valid {
        return None;
    }
    DateTime::from_timestamp_millis(millis.parse().ok()?)
}

/// Formats a time as Microsoft's .NET services do: `2026-05-01T08:15:30.1234560Z` with seven
/// fractional digits (100 ns ticks), or `2026-05-01T08:15:30Z` when the fraction is zero. Finer
/// fractions keep all nine digits, so the instant always survives a round trip. (Records also
/// remember a time's original text when it differs from this form, see
/// [`crate::model::Spellings`], and re-emit that.)
pub struct Display(pub DateTime<Utc>);

impl fmt::Display for Display {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.format("%Y-%m-%dT%H:%M:%S"))?;
        // A leap second carries nanos >= 1e9; `%S` already printed 60 for it.
        let nanos = self.0.nanosecond() % 1_000_000_000;
        if nanos != 0 && nanos.is_multiple_of(100) {
            write!(f, ".{:07}", nanos / 100)?;
        } else if nanos != 0 {
            write!(f, ".{nanos:09}")?;
        }
        f.write_str("Z")
    }
}

/// Formats a time like [`Display`] does.
pub fn format(time: DateTime<Utc>) -> String {
    Display(time).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_formats_microsoft_times() {
        let cases = [
            ("2026-05-01T08:15:30Z", "2026-05-01T08:15:30Z"),
            (
                "2026-11-20T00:11:03.4746558Z",
                "2026-11-20T00:11:03.4746558Z",
            ),
            (
                "2026-11-20T00:04:06.7712320Z",
                "2026-11-20T00:04:06.7712320Z",
            ),
            ("2026-11-20T00:11:03.470Z", "2026-11-20T00:11:03.4700000Z"),
            (
                "2026-11-20T00:11:03.123456789Z",
                "2026-11-20T00:11:03.123456789Z",
            ),
            ("2026-11-20T00:11:03.000Z", "2026-11-20T00:11:03Z"),
            ("2026-11-20T00:11:03+00:00", "2026-11-20T00:11:03Z"),
            ("2026-11-20T02:11:03+02:00", "2026-11-20T00:11:03Z"),
            ("2015-06-29T20:03:19", "2015-06-29T20:03:19Z"),
            ("0001-01-01T00:00:00Z", "0001-01-01T00:00:00Z"),
            ("/Date(1603234354000)/", "2020-10-20T22:52:34Z"),
            ("/Date(1603234354123+0100)/", "2020-10-20T22:52:34.1230000Z"),
            ("/Date(-1000)/", "1969-12-31T23:59:59Z"),
        ];
        for (input, expected) in cases {
            let parsed = parse(input).unwrap_or_else(|| panic!("{input} should parse"));
            assert_eq!(format(parsed), expected, "input {input}");
        }
    }

    #[test]
    fn rejects_non_times() {
        for input in [
            "",
            "yesterday",
            "2026-13-01T00:00:00Z",
            "2026-05-01",
            "String (timestamp)",
        ] {
            assert!(parse(input).is_none(), "{input} should not parse");
        }
    }
}
