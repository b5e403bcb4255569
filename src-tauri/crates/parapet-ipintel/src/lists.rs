//! Parapet's curated lists (`lists/*.tsv`), embedded as text and parsed once.

use std::net::IpAddr;

use crate::class::NetworkClass;
use crate::error::IpIntelError;

pub(crate) const ASN_CLASSES_FILE: &str = "lists/asn-classes.tsv";
pub(crate) const RANGES_FILE: &str = "lists/ranges.tsv";
pub(crate) const ASN_CLASSES: &str = include_str!("../lists/asn-classes.tsv");
pub(crate) const RANGES: &str = include_str!("../lists/ranges.tsv");

/// One line of `lists/asn-classes.tsv`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CuratedAsn {
    pub(crate) asn: u32,
    pub(crate) class: NetworkClass,
    /// Fragment the registered organisation name must contain (checked by tests), if any.
    pub(crate) name_contains: Option<String>,
    pub(crate) note: String,
}

/// One line of `lists/ranges.tsv`, as an inclusive numeric range of one address family.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CuratedRange {
    pub(crate) v6: bool,
    pub(crate) start: u128,
    pub(crate) end: u128,
    pub(crate) class: NetworkClass,
}

/// Data lines with their 1-based line numbers; `#` comments and blank lines are skipped.
fn data_lines(text: &str) -> impl Iterator<Item = (usize, Vec<&str>)> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        .map(|(i, l)| (i + 1, l.split('\t').map(str::trim).collect()))
}

fn class_field(file: &'static str, line: usize, name: &str) -> Result<NetworkClass, IpIntelError> {
    NetworkClass::from_list_name(name).ok_or_else(|| IpIntelError::List {
        file,
        line,
        reason: format!("unknown class {name:?}"),
    })
}

pub(crate) fn parse_asn_classes(
    file: &'static str,
    text: &str,
) -> Result<Vec<CuratedAsn>, IpIntelError> {
    let mut out: Vec<CuratedAsn> = Vec::new();
    for (line, fields) in data_lines(text) {
        let err = |reason: String| IpIntelError::List { file, line, reason };
        let [asn, class, name, note] = fields.as_slice() else {
            return Err(err(format!(
                "expected 4 TAB-separated fields, found {}",
                fields.len()
            )));
        };
        let asn: u32 = asn.parse().map_err(|_| err(format!("bad ASN {asn:?}")))?;
        if out.iter().any(|c| c.asn == asn) {
            return Err(err(format!("AS{asn} listed twice")));
        }
        out.push(CuratedAsn {
            asn,
            class: class_field(file, line, class)?,
            name_contains: (*name != "-").then(|| (*name).to_string()),
            note: (*note).to_string(),
        });
    }
    out.sort_by_key(|c| c.asn);
    Ok(out)
}

pub(crate) fn parse_ranges(
    file: &'static str,
    text: &str,
) -> Result<Vec<CuratedRange>, IpIntelError> {
    let mut out = Vec::new();
    for (line, fields) in data_lines(text) {
        let err = |reason: String| IpIntelError::List { file, line, reason };
        let [cidr, class, _note] = fields.as_slice() else {
            return Err(err(format!(
                "expected 3 TAB-separated fields, found {}",
                fields.len()
            )));
        };
        let (addr, prefix) = cidr
            .split_once('/')
            .ok_or_else(|| err(format!("{cidr:?} is not a CIDR")))?;
        let addr: IpAddr = addr
            .parse()
            .map_err(|_| err(format!("bad address in {cidr:?}")))?;
        let prefix: u32 = prefix
            .parse()
            .map_err(|_| err(format!("bad prefix in {cidr:?}")))?;
        let (v6, bits, base) = match addr {
            IpAddr::V4(a) => (false, 32, u128::from(u32::from(a))),
            IpAddr::V6(a) => (true, 128, u128::from(a)),
        };
        if prefix > bits {
            return Err(err(format!("prefix too long in {cidr:?}")));
        }
        let host_bits = bits - prefix;
        let host_mask = if host_bits == 128 {
            u128::MAX
        } else {
            (1u128 << host_bits) - 1
        };
        if base & host_mask != 0 {
            return Err(err(format!("{cidr:?} has host bits set")));
        }
        out.push(CuratedRange {
            v6,
            start: base,
            end: base | host_mask,
            class: class_field(file, line, class)?,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_lists_parse() {
        let asns = parse_asn_classes(ASN_CLASSES_FILE, ASN_CLASSES).unwrap();
        assert!(asns
            .iter()
            .any(|c| c.asn == 8075 && c.class == NetworkClass::Microsoft));
        let ranges = parse_ranges(RANGES_FILE, RANGES).unwrap();
        assert!(!ranges.is_empty());
    }

    #[test]
    fn asn_list_errors_name_the_line() {
        let cases = [
            ("1\thosting\tX\n1\tvpn\tY\tz\n", 1, "expected 4"),
            ("# c\n\n12x\thosting\tX\tn\n", 3, "bad ASN"),
            ("5\tcloudy\tX\tn\n", 1, "unknown class"),
            ("5\tvpn\tX\tn\n5\tvpn\tX\tn\n", 2, "listed twice"),
        ];
        for (text, want_line, want_reason) in cases {
            match parse_asn_classes("t.tsv", text) {
                Err(IpIntelError::List { file, line, reason }) => {
                    assert_eq!((file, line), ("t.tsv", want_line), "{text:?}");
                    assert!(reason.contains(want_reason), "{reason} for {text:?}");
                }
                other => panic!("{text:?} gave {other:?}"),
            }
        }
    }

    #[test]
    fn ranges_parse_both_families_and_reject_bad_cidrs() {
        let ok = parse_ranges("r", "10.1.0.0/16\tvpn\tn\n2001:db8::/32\thosting\tn\n").unwrap();
        assert_eq!(
            (ok[0].v6, ok[0].start, ok[0].end),
            (false, 0x0a01_0000, 0x0a01_ffff)
        );
        assert_eq!(ok[1].end - ok[1].start, (1u128 << 96) - 1);
        for bad in [
            "10.1.0.1/16\tvpn\tn",
            "10.1.0.0/33\tvpn\tn",
            "10.1.0.0\tvpn\tn",
            "x/8\tvpn\tn",
        ] {
            assert!(parse_ranges("r", bad).is_err(), "{bad}");
        }
    }
}
