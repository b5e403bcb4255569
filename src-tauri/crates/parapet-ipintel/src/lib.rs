//! Offline IP enrichment for the detection engine: every IPv4/IPv6 address gets its ASN,
//! registered organisation, country and a [`NetworkClass`] (hosting, VPN, Tor, Microsoft, mail
//! gateway, kind of ISP, or unknown).
//!
//! Data: IP→ASN/organisation from npm `@ip-location-db/asn` and IP→country from npm
//! `@ip-location-db/geo-whois-asn-country` (both 2.3.2026061719, CC-BY-4.0 RouteViews / DB-IP /
//! NRO; see `data/ipintel/README.md`), plus Parapet's own curated ASN classes and range
//! overrides in `lists/`. All of it is compiled into the binary: no network and no file access
//! at run time.
//!
//! Invariants:
//! - Tables are sorted, inclusive, disjoint ranges (checked by build.rs and again on decode),
//!   so a lookup is one binary search per table.
//! - Class precedence: special-purpose address → Unknown; curated range override; curated ASN
//!   class; class stated outright by the organisation name; otherwise `Isp` when the ASN is
//!   known, `Unknown` when it is not.
//! - Microsoft's own ASNs are always [`NetworkClass::Microsoft`], never hosting; that class is
//!   only ever given from the curated list, never from a name.
//! - Private-use and reserved ASNs that leak into the published tables are reported as no ASN.
//! - No guessed Tor: only ASNs run for Tor relays are Tor (no licence-clean exit list exists in
//!   the package registries).

mod class;
mod error;
mod lists;
mod special;
mod tables;

use std::fmt;
use std::net::IpAddr;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

pub use class::NetworkClass;
pub use error::IpIntelError;

use lists::{CuratedAsn, CuratedRange};
use tables::Tables;

/// Where the embedded data came from, for reports and an "about" screen.
pub const DATA_ATTRIBUTION: &str = "IP to ASN and country data: ip-location-db 2.3.2026061719 \
    (RouteViews, DB-IP.com IP to ASN Lite, NRO statistics; CC BY 4.0). IP Geolocation by DB-IP.";

/// What is known about the network an address belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NetworkInfo {
    pub asn: Option<u32>,
    pub organisation: Option<String>,
    /// ISO 3166-1 alpha-2 country of the address's registration or geofeed.
    pub country: Option<String>,
    pub class: NetworkClass,
}

impl NetworkInfo {
    fn unknown() -> Self {
        Self {
            asn: None,
            organisation: None,
            country: None,
            class: NetworkClass::Unknown,
        }
    }
}

/// The IP-intelligence index. Immutable; share one instance ([`IpIntel::embedded`]).
/// `IpIntel::default()` is an empty index that answers `Unknown` for everything.
#[derive(Default)]
pub struct IpIntel {
    tables: Tables,
    /// Class of each ASN in `tables.names`, same order.
    name_classes: Vec<NetworkClass>,
    /// Sorted by ASN.
    curated: Vec<CuratedAsn>,
    /// A handful of entries, so a linear scan beats any index.
    ranges: Vec<CuratedRange>,
}

/// The tables hold about a million rows, so Debug shows their sizes only.
impl fmt::Debug for IpIntel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IpIntel")
            .field("table_sizes", &self.table_sizes())
            .field("curated_asns", &self.curated.len())
            .field("curated_ranges", &self.ranges.len())
            .finish()
    }
}

static EMBEDDED: OnceLock<Result<IpIntel, IpIntelError>> = OnceLock::new();
static EMPTY: OnceLock<IpIntel> = OnceLock::new();
const BLOB: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/ipintel.bin.z"));

impl IpIntel {
    /// The index over the built-in data, built on first use (tens of milliseconds) and shared.
    ///
    /// Should the embedded data fail to load (a corrupted build; tests guard against it), this
    /// returns an empty index that answers `Unknown` for everything; [`IpIntel::try_embedded`]
    /// reports why.
    pub fn embedded() -> &'static IpIntel {
        match Self::try_embedded() {
            Ok(intel) => intel,
            Err(_) => EMPTY.get_or_init(IpIntel::default),
        }
    }

    /// Like [`IpIntel::embedded`], but says why the data could not be loaded.
    pub fn try_embedded() -> Result<&'static IpIntel, IpIntelError> {
        EMBEDDED
            .get_or_init(|| Self::build(BLOB))
            .as_ref()
            .map_err(Clone::clone)
    }

    fn build(blob: &[u8]) -> Result<IpIntel, IpIntelError> {
        let tables = Tables::decode(blob)?;
        let curated = lists::parse_asn_classes(lists::ASN_CLASSES_FILE, lists::ASN_CLASSES)?;
        let ranges = lists::parse_ranges(lists::RANGES_FILE, lists::RANGES)?;
        let name_classes = tables
            .names
            .asns()
            .iter()
            .enumerate()
            .map(|(index, _)| {
                NetworkClass::from_organisation_name(tables.names.name(index))
                    .unwrap_or(NetworkClass::Isp)
            })
            .collect();
        Ok(IpIntel {
            tables,
            name_classes,
            curated,
            ranges,
        })
    }

    /// Everything known about `ip`. Unknown, private and special-purpose addresses give class
    /// `Unknown` with no ASN, organisation or country.
    pub fn lookup(&self, ip: IpAddr) -> NetworkInfo {
        let ip = special::canonical(ip);
        if special::is_special(ip) {
            return NetworkInfo::unknown();
        }
        let (asn, country, key, v6) = match ip {
            IpAddr::V4(a) => {
                let key = u32::from(a);
                (
                    self.tables.asn_v4.get(key),
                    self.tables.country_v4.get(key),
                    u128::from(key),
                    false,
                )
            }
            IpAddr::V6(a) => {
                let key = u128::from(a);
                (
                    self.tables.asn_v6.get(key),
                    self.tables.country_v6.get(key),
                    key,
                    true,
                )
            }
        };
        let asn = asn.filter(|&a| special::is_public_asn(a));
        let override_class = self
            .ranges
            .iter()
            .find(|r| r.v6 == v6 && r.start <= key && key <= r.end)
            .map(|r| r.class);
        let class = override_class
            .or_else(|| asn.map(|a| self.classify_asn(a)))
            .unwrap_or(NetworkClass::Unknown);
        NetworkInfo {
            asn,
            organisation: asn.and_then(|a| self.organisation(a)).map(str::to_string),
            country: country.map(|cc| cc.iter().map(|&b| char::from(b)).collect()),
            class,
        }
    }

    /// The class of an autonomous system, e.g. from a sign-in's `autonomousSystemNumber`.
    /// `Unknown` for an ASN the data does not know.
    pub fn classify_asn(&self, asn: u32) -> NetworkClass {
        if !special::is_public_asn(asn) {
            return NetworkClass::Unknown;
        }
        if let Ok(i) = self.curated.binary_search_by_key(&asn, |c| c.asn) {
            return self.curated[i].class;
        }
        self.tables
            .names
            .index_of(asn)
            .map_or(NetworkClass::Unknown, |i| self.name_classes[i])
    }

    /// The registered organisation name of an ASN, when known.
    pub fn organisation(&self, asn: u32) -> Option<&str> {
        self.tables
            .names
            .index_of(asn)
            .map(|i| self.tables.names.name(i))
    }

    /// Row counts of the loaded tables (ASN names, IPv4 ASN, IPv6 ASN, IPv4 country,
    /// IPv6 country), for diagnostics.
    pub fn table_sizes(&self) -> [usize; 5] {
        [
            self.tables.names.asns().len(),
            self.tables.asn_v4.len(),
            self.tables.asn_v6.len(),
            self.tables.country_v4.len(),
            self.tables.country_v6.len(),
        ]
    }
}

#[cfg(test)]
mod tests;
