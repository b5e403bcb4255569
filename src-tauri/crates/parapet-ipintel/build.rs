//! Turns the vendored gzip TSV tables in `<repo>/data/ipintel/` into one compact binary blob
//! (`$OUT_DIR/ipintel.bin.z`, zlib) that the crate embeds with `include_bytes!`.
//!
//! Invariants checked here, so the runtime decoder can rely on them: every table is sorted by
//! start, ranges are inclusive and disjoint, country codes are two ASCII uppercase letters.
//!
//! Blob layout: magic `PIPINTL2`, five little-endian u32 counts (names, v4 ASN, v6 ASN,
//! v4 country, v6 country), then the records of each table in that order. Names are
//! `u32 asn, u16 len, UTF-8 bytes` (sorted by ASN). Each range row is
//! `varint gap, varint len_minus_1, value`, where `gap` is the row's start minus the previous
//! row's end + 1 (0 for the first row) and the value is a varint ASN or two country bytes.
//! Varints are LEB128 (7 bits per byte, low first). Delta coding takes the compressed blob from
//! about 7 MB to about 3.5 MB.

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
    out.extend_from_slice(b"PIPINTL2");
    let counts_at = out.len();
    out.extend_from_slice(&[0u8; 20]);

    let mut counts = [0u32; 5];
    counts[0] = names(&data.join("asn-names.tsv.gz"), &mut out)?;
    let tables: [(&str, AddressParser, ValueWriter); 4] = [
        ("asn-ipv4.tsv.gz", parse_v4, asn_value),
        ("asn-ipv6.tsv.gz", parse_v6, asn_value),
        ("country-ipv4.tsv.gz", parse_v4, country_value),
        ("country-ipv6.tsv.gz", parse_v6, country_value),
    ];
    for (i, (file, parse, value)) in tables.into_iter().enumerate() {
        counts[i + 1] = range_table(&data.join(file), &mut out, parse, value)?;
    }
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
    write_varint(u128::from(asn), out);
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
type AddressParser = fn(&str) -> Result<u128, String>;

fn parse_v4(text: &str) -> Result<u128, String> {
    let addr: Ipv4Addr = text.parse().map_err(|e| format!("{text:?}: {e}"))?;
    Ok(u128::from(u32::from(addr)))
}

fn parse_v6(text: &str) -> Result<u128, String> {
    let addr: Ipv6Addr = text.parse().map_err(|e| format!("{text:?}: {e}"))?;
    Ok(u128::from(addr))
}

/// Writes a range table as delta varints: per row, the gap since the previous row's end + 1
/// (the first row counts from 0), the range length - 1, then the value. Sorted disjoint ranges
/// make both numbers small, which is what shrinks the blob.
fn range_table(
    path: &Path,
    out: &mut Vec<u8>,
    parse: AddressParser,
    value: ValueWriter,
) -> Result<u32, String> {
    let mut count = 0u32;
    let mut next_free: Option<u128> = Some(0);
    for_each_row(path, |_, fields| {
        let [start, end, v] = fields else {
            return Err("expected start<TAB>end<TAB>value".into());
        };
        let (start, end) = (parse(start)?, parse(end)?);
        let base = next_free.ok_or("row after a range that ends at the top address")?;
        if end < start || start < base {
            return Err("ranges not sorted and disjoint".into());
        }
        write_varint(start - base, out);
        write_varint(end - start, out);
        value(v, out)?;
        next_free = end.checked_add(1);
        count += 1;
        Ok(())
    })?;
    Ok(count)
}

fn write_varint(mut n: u128, out: &mut Vec<u8>) {
    loop {
        let low = (n & 0x7f) as u8;
        n >>= 7;
        if n == 0 {
            out.push(low);
            return;
        }
        out.push(low | 0x80);
    }
}
