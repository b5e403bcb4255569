//! Decoding of the embedded blob (see build.rs for its layout) into sorted range tables.

use std::io::Read;

use flate2::read::ZlibDecoder;

use crate::error::IpIntelError;

/// Inclusive, sorted, disjoint ranges with one value each, as parallel arrays so the binary
/// search touches only `starts`.
#[derive(Debug, Default)]
pub(crate) struct RangeTable<K, V> {
    starts: Vec<K>,
    ends: Vec<K>,
    values: Vec<V>,
}

impl<K: Copy + Ord, V: Copy> RangeTable<K, V> {
    pub(crate) fn get(&self, key: K) -> Option<V> {
        let after = self.starts.partition_point(|&s| s <= key);
        let index = after.checked_sub(1)?;
        (self.ends[index] >= key).then(|| self.values[index])
    }

    pub(crate) fn len(&self) -> usize {
        self.starts.len()
    }

    fn push(
        &mut self,
        start: K,
        end: K,
        value: V,
        section: &'static str,
    ) -> Result<(), IpIntelError> {
        if end < start || self.ends.last().is_some_and(|&previous| previous >= start) {
            return Err(IpIntelError::Unsorted { section });
        }
        self.starts.push(start);
        self.ends.push(end);
        self.values.push(value);
        Ok(())
    }
}

/// Organisation names by ASN, sorted by ASN; names share one string buffer.
#[derive(Debug, Default)]
pub(crate) struct NameTable {
    asns: Vec<u32>,
    offsets: Vec<u32>,
    text: String,
}

impl NameTable {
    pub(crate) fn index_of(&self, asn: u32) -> Option<usize> {
        self.asns.binary_search(&asn).ok()
    }

    pub(crate) fn name(&self, index: usize) -> &str {
        let start = self.offsets[index] as usize;
        let end = self
            .offsets
            .get(index + 1)
            .map_or(self.text.len(), |&o| o as usize);
        &self.text[start..end]
    }

    pub(crate) fn asns(&self) -> &[u32] {
        &self.asns
    }
}

pub(crate) type Country = [u8; 2];

#[derive(Debug, Default)]
pub(crate) struct Tables {
    pub(crate) names: NameTable,
    pub(crate) asn_v4: RangeTable<u32, u32>,
    pub(crate) asn_v6: RangeTable<u128, u32>,
    pub(crate) country_v4: RangeTable<u32, Country>,
    pub(crate) country_v6: RangeTable<u128, Country>,
}

impl Tables {
    pub(crate) fn decode(compressed: &[u8]) -> Result<Self, IpIntelError> {
        let mut blob = Vec::new();
        ZlibDecoder::new(compressed)
            .read_to_end(&mut blob)
            .map_err(|e| IpIntelError::Inflate(e.to_string()))?;
        let mut cursor = Cursor {
            bytes: &blob,
            section: "header",
        };
        if cursor.take(8)? != b"PIPINTL2" {
            return Err(IpIntelError::BadMagic);
        }
        let mut counts = [0usize; 5];
        for count in &mut counts {
            *count = cursor.u32()? as usize;
        }
        let mut tables = Tables::default();

        cursor.section = "ASN names";
        let mut text = String::new();
        for _ in 0..counts[0] {
            let asn = cursor.u32()?;
            let len = usize::from(u16::from_le_bytes(cursor.array()?));
            let name =
                std::str::from_utf8(cursor.take(len)?).map_err(|_| IpIntelError::Truncated {
                    section: "ASN names",
                })?;
            if tables
                .names
                .asns
                .last()
                .is_some_and(|&previous| previous >= asn)
            {
                return Err(IpIntelError::Unsorted {
                    section: "ASN names",
                });
            }
            let offset = u32::try_from(text.len()).map_err(|_| IpIntelError::Truncated {
                section: "ASN names",
            })?;
            tables.names.asns.push(asn);
            tables.names.offsets.push(offset);
            text.push_str(name);
        }
        tables.names.text = text;

        decode_ranges(
            &mut cursor,
            "IPv4 ASN",
            counts[1],
            &mut tables.asn_v4,
            Cursor::asn,
        )?;
        decode_ranges(
            &mut cursor,
            "IPv6 ASN",
            counts[2],
            &mut tables.asn_v6,
            Cursor::asn,
        )?;
        decode_ranges(
            &mut cursor,
            "IPv4 country",
            counts[3],
            &mut tables.country_v4,
            Cursor::array,
        )?;
        decode_ranges(
            &mut cursor,
            "IPv6 country",
            counts[4],
            &mut tables.country_v6,
            Cursor::array,
        )?;
        if !cursor.bytes.is_empty() {
            return Err(IpIntelError::Truncated { section: "trailer" });
        }
        Ok(tables)
    }
}

/// Reads `count` delta-coded rows (see build.rs) into `table`. Keys are computed in u128 and
/// narrowed, so an IPv4 row past 255.255.255.255 is an error rather than a wrap.
fn decode_ranges<'a, K: Copy + Ord + TryFrom<u128>, V: Copy>(
    cursor: &mut Cursor<'a>,
    section: &'static str,
    count: usize,
    table: &mut RangeTable<K, V>,
    value: impl Fn(&mut Cursor<'a>) -> Result<V, IpIntelError>,
) -> Result<(), IpIntelError> {
    cursor.section = section;
    let unsorted = IpIntelError::Unsorted { section };
    let mut next_free = Some(0u128);
    table.starts.reserve_exact(count);
    table.ends.reserve_exact(count);
    table.values.reserve_exact(count);
    for _ in 0..count {
        let base = next_free.ok_or_else(|| unsorted.clone())?;
        let start = base
            .checked_add(cursor.varint()?)
            .ok_or_else(|| unsorted.clone())?;
        let end = start
            .checked_add(cursor.varint()?)
            .ok_or_else(|| unsorted.clone())?;
        let v = value(cursor)?;
        let narrow = |k: u128| K::try_from(k).map_err(|_| unsorted.clone());
        table.push(narrow(start)?, narrow(end)?, v, section)?;
        next_free = end.checked_add(1);
    }
    Ok(())
}

struct Cursor<'a> {
    bytes: &'a [u8],
    section: &'static str,
}

impl<'a> Cursor<'a> {
    fn take(&mut self, len: usize) -> Result<&'a [u8], IpIntelError> {
        if self.bytes.len() < len {
            return Err(IpIntelError::Truncated {
                section: self.section,
            });
        }
        let (head, rest) = self.bytes.split_at(len);
        self.bytes = rest;
        Ok(head)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], IpIntelError> {
        let mut out = [0u8; N];
        out.copy_from_slice(self.take(N)?);
        Ok(out)
    }

    fn u32(&mut self) -> Result<u32, IpIntelError> {
        Ok(u32::from_le_bytes(self.array()?))
    }

    /// LEB128, at most 19 bytes for a u128.
    fn varint(&mut self) -> Result<u128, IpIntelError> {
        let mut value = 0u128;
        for shift in (0..128).step_by(7) {
            let [byte] = self.array()?;
            value |= u128::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err(IpIntelError::Truncated {
            section: self.section,
        })
    }

    fn asn(&mut self) -> Result<u32, IpIntelError> {
        u32::try_from(self.varint()?).map_err(|_| IpIntelError::Truncated {
            section: self.section,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn range_table_finds_inclusive_bounds_and_gaps() {
        let mut table = RangeTable::<u32, u8>::default();
        table.push(10, 19, 1, "t").unwrap();
        table.push(30, 30, 2, "t").unwrap();
        let cases = [
            (9, None),
            (10, Some(1)),
            (19, Some(1)),
            (20, None),
            (30, Some(2)),
            (31, None),
        ];
        for (key, want) in cases {
            assert_eq!(table.get(key), want, "key {key}");
        }
    }

    #[test]
    fn range_table_rejects_overlap() {
        let mut table = RangeTable::<u32, u8>::default();
        table.push(10, 19, 1, "t").unwrap();
        assert_eq!(
            table.push(19, 25, 1, "t"),
            Err(IpIntelError::Unsorted { section: "t" })
        );
    }

    #[test]
    fn decode_rejects_garbage_and_truncation() {
        assert!(matches!(
            Tables::decode(b"not zlib"),
            Err(IpIntelError::Inflate(_))
        ));
        let compress = |bytes: &[u8]| {
            use std::io::Write;
            let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
            e.write_all(bytes).unwrap();
            e.finish().unwrap()
        };
        assert_eq!(
            Tables::decode(&compress(b"XXXXXXXX")).unwrap_err(),
            IpIntelError::BadMagic
        );
        // Header: no names, two IPv4 ASN rows, nothing else.
        let header = |rows: &[u8]| {
            let mut blob = b"PIPINTL2".to_vec();
            blob.extend_from_slice(&[0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
            blob.extend_from_slice(rows);
            compress(&blob)
        };
        // Rows 10..=19 -> AS7 and (gap 5) 25..=25 -> AS300 (varint 0xac 0x02).
        let tables = Tables::decode(&header(&[10, 9, 7, 5, 0, 0xac, 0x02])).unwrap();
        let got: Vec<_> = [9, 10, 19, 20, 25, 26]
            .iter()
            .map(|&k| tables.asn_v4.get(k))
            .collect();
        assert_eq!(got, [None, Some(7), Some(7), None, Some(300), None]);
        let truncated = Tables::decode(&header(&[10, 9, 7, 5, 0])).unwrap_err();
        assert_eq!(
            truncated,
            IpIntelError::Truncated {
                section: "IPv4 ASN"
            }
        );
        // A row past 255.255.255.255 must not wrap around.
        let huge = [0xff, 0xff, 0xff, 0xff, 0x0f, 0, 1, 0, 0, 1];
        let overflow = Tables::decode(&header(&huge)).unwrap_err();
        assert_eq!(
            overflow,
            IpIntelError::Unsorted {
                section: "IPv4 ASN"
            }
        );
        let trailing = Tables::decode(&header(&[10, 9, 7, 5, 0, 0xac, 0x02, 0])).unwrap_err();
        assert_eq!(trailing, IpIntelError::Truncated { section: "trailer" });
    }
}
