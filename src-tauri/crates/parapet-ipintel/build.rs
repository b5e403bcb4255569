//! Turns the vendored gzip TSV tables in `<repo>/data/ipintel/` into one compact binary blob
//! (`$OUT_DIR/ipintel.bin.z`, zlib) that the crate embeds with `include_bytes!`.
//!
//! Invariants checked here, so the runtime decoder can rely on them: every table is sorted by
//! start, ranges are inclusive and disjoint, country codes are two ASCII uppercase letters.
//!
//! Blob layout (little-endian): magic `PIPINTL1`, five u32 counts (names, v4 ASN, v6 ASN,
//! v4 country, v6 country), then the records of each table in that order:
//! names `u32 asn, u16 len, bytes`; v4 ASN `u32 start, u32 end, u32 asn`; v6 ASN
//! `u128 start, u128 end, u32 asn`; v4 country `u32 start, u32 end, [u8; 2]`; v6 country
//! `u128 start, u128 end, [u8; 2]`.

use std::env;
use std::fs::File;
use std::io::{BufRead, BufReader, Write};
use std::net::{Ipv4Addr, Ipv6Addr};
use std::path::{Path, PathBuf};

use flate2::read::GzDecoder;
use flate2::write::ZlibEncoder;
use flate2::Compression;

fn main() {
    if let Err(message) = run() {
        panic!("parapet-ipintel data: {message}");
    }
}

fn run() -> Result<(), String> {
    let manifest = PathBuf::from(env::var("CARGO_MANIFEST_DIR").map_err(|e| e.to_string())?);
    let data = manifest.join("../../../data/ipintel");
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed={}", data.display());

    let mut out = Vec::with_capacity(24 << 20);
    out.extend_from_slice(b"PIPINTL1");
    let counts_at = out.len();
    out.extend_from_slice(&[0u8; 20]);

    let mut counts = [0u32; 5];
    counts[0] = names(&data.join("asn-names.tsv.gz"), &mut out)?;
    counts[1] = v4_table(&data.join("asn-ipv4.tsv.gz"), &mut out, asn_value)?;
    counts[2] = v6_table(&data.join("asn-ipv6.tsv.gz"), &mut out, asn_value)?;
    counts[3] = v4_table(&data.join("country-ipv4.tsv.gz"), &mut out, country_value)?;
    counts[4] = v6_table(&data.join("country-ipv6.tsv.gz"), &mut out, country_value)?;
    for (i, count) in counts.iter().enumerate() {
        out[counts_at + 4 * i..counts_at + 4 * i + 4].copy_from_slice(&count.to_le_bytes());
    }

    let target = PathBuf::from(env::var("OUT_DIR").map_err(|e| e.to_string())?);
    let file = File::create(target.join("ipintel.bin.z")).map_err(|e| e.to_string())?;
    let mut encoder = ZlibEncoder::new(file, Compression::best());
    encoder.write_all(&out).map_err(|e| e.to_string())?;
    encoder.finish().map_err(|e| e.to_string())?;
    Ok(())
}

/// Calls `each` with the TAB-separated fields of every line of a gzip TSV file.
fn for_each_row(
    path: &Path,
    mut each: impl FnMut(usize, &[&str]) -> Result<(), String>,
) -> Result<(), String> {
    let file = File::open(path).map_err(|e| format!("cannot open {}: {e}", path.display()))?;
    let reader = BufReader::new(GzDecoder::new(file));
    for (index, line) in reader.lines().enumerate() {
        let line = line.map_err(|e| format!("{} line {}: {e}", path.display(), index + 1))?;
        let fields: Vec<&str> = line.split('\t').collect();
        each(index + 1, &fields)
            .map_err(|e| format!("{} line {}: {e}", path.display(), index + 1))?;
    }
    Ok(())
}

fn names(path: &Path, out: &mut Vec<u8>) -> Result<u32, String> {
    let mut count = 0u32;
    let mut previous: Option<u32> = None;
    for_each_row(path, |_, fields| {
        let [asn, name] = fields else {
            return Err("expected asn<TAB>name".into());
        };
        let asn: u32 = asn.parse().map_err(|e| format!("bad ASN {asn:?}: {e}"))?;
        if previous.is_some_and(|p| p >= asn) {
            return Err(format!("ASN {asn} out of order"));
        }
        previous = Some(asn);
        let bytes = name.as_bytes();
        let len = u16::try_from(bytes.len()).map_err(|_| "name too long".to_string())?;
        out.extend_from_slice(&asn.to_le_bytes());
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(bytes);
        count += 1;
        Ok(())
    })?;
    Ok(count)
}

fn asn_value(field: &str, out: &mut Vec<u8>) -> Result<(), String> {
    let asn: u32 = field
        .parse()
        .map_err(|e| format!("bad ASN {field:?}: {e}"))?;
    out.extend_from_slice(&asn.to_le_bytes());
    Ok(())
}

fn country_value(field: &str, out: &mut Vec<u8>) -> Result<(), String> {
    let bytes = field.as_bytes();
    if bytes.len() != 2 || !bytes.iter().all(u8::is_ascii_uppercase) {
        return Err(format!("bad country code {field:?}"));
    }
    out.extend_from_slice(bytes);
    Ok(())
}

type ValueWriter = fn(&str, &mut Vec<u8>) -> Result<(), String>;

fn v4_table(path: &Path, out: &mut Vec<u8>, value: ValueWriter) -> Result<u32, String> {
    let mut count = 0u32;
    let mut previous_end: Option<u32> = None;
    for_each_row(path, |_, fields| {
        let [start, end, v] = fields else {
            return Err("expected start<TAB>end<TAB>value".into());
        };
        let start = u32::from(
            start
                .parse::<Ipv4Addr>()
                .map_err(|e| format!("{start:?}: {e}"))?,
        );
        let end = u32::from(
            end.parse::<Ipv4Addr>()
                .map_err(|e| format!("{end:?}: {e}"))?,
        );
        if end < start || previous_end.is_some_and(|p| p >= start) {
            return Err("ranges not sorted and disjoint".into());
        }
        previous_end = Some(end);
        out.extend_from_slice(&start.to_le_bytes());
        out.extend_from_slice(&end.to_le_bytes());
        value(v, out)?;
        count += 1;
        Ok(())
    })?;
    Ok(count)
}

fn v6_table(path: &Path, out: &mut Vec<u8>, value: ValueWriter) -> Result<u32, String> {
    let mut count = 0u32;
    let mut previous_end: Option<u128> = None;
    for_each_row(path, |_, fields| {
        let [start, end, v] = fields else {
            return Err("expected start<TAB>end<TAB>value".into());
        };
        let start = u128::from(
            start
                .parse::<Ipv6Addr>()
                .map_err(|e| format!("{start:?}: {e}"))?,
        );
        let end = u128::from(
            end.parse::<Ipv6Addr>()
                .map_err(|e| format!("{end:?}: {e}"))?,
        );
        if end < start || previous_end.is_some_and(|p| p >= start) {
            return Err("ranges not sorted and disjoint".into());
        }
        previous_end = Some(end);
        out.extend_from_slice(&start.to_le_bytes());
        out.extend_from_slice(&end.to_le_bytes());
        value(v, out)?;
        count += 1;
        Ok(())
    })?;
    Ok(count)
}
