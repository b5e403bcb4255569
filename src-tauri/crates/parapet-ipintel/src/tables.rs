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
        if cursor.take(8)? != b"PIPINTL1" {
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

        cursor.section = "IPv4 ASN";
        for _ in 0..counts[1] {
            let (start, end, asn) = (cursor.u32()?, cursor.u32()?, cursor.u32()?);
            tables.asn_v4.push(start, end, asn, cursor.section)?;
        }
        cursor.section = "IPv6 ASN";
        for _ in 0..counts[2] {
            let (start, end, asn) = (cursor.u128()?, cursor.u128()?, cursor.u32()?);
            tables.asn_v6.push(start, end, asn, cursor.section)?;
        }
        cursor.section = "IPv4 country";
        for _ in 0..counts[3] {
            let (start, end, cc) = (cursor.u32()?, cursor.u32()?, cursor.array()?);
            tables.country_v4.push(start, end, cc, cursor.section)?;
        }
        cursor.section = "IPv6 country";
        for _ in 0..counts[4] {
            let (start, end, cc) = (cursor.u128()?, cursor.u128()?, cursor.array()?);
            tables.country_v6.push(start, end, cc, cursor.section)?;
        }
        Ok(tables)
    }
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

    fn u128(&mut self) -> Result<u128, IpIntelError> {
        Ok(u128::from_le_bytes(self.array()?))
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
        let mut blob = b"PIPINTL1".to_vec();
        blob.extend_from_slice(&[0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        blob.extend_from_slice(&[1, 0, 0, 0]);
        assert_eq!(
            Tables::decode(&compress(&blob)).unwrap_err(),
            IpIntelError::Truncated {
                section: "IPv4 ASN"
            }
        );
    }
}
