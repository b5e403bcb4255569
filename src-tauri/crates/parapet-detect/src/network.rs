//! Network intelligence as detection sees it: a small trait so the engine can be fed by the
//! embedded `parapet-ipintel` tables in production and by a hand-made table in tests.

use std::collections::BTreeMap;
use std::net::IpAddr;

/// What kind of network an address belongs to, reduced to what detection decides on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NetClass {
    Hosting,
    Vpn,
    Tor,
    Microsoft,
    MailGateway,
    Residential,
    Mobile,
    Business,
    Isp,
    Unknown,
}

impl NetClass {
    /// Infrastructure an attacker rents to hide where they are; never where staff normally work
    /// from, unless it is that user's habit (daily VPN users).
    pub fn is_anonymising(self) -> bool {
        matches!(self, NetClass::Hosting | NetClass::Vpn | NetClass::Tor)
    }

    pub fn label(self) -> &'static str {
        match self {
            NetClass::Hosting => "hosting provider",
            NetClass::Vpn => "VPN service",
            NetClass::Tor => "Tor exit",
            NetClass::Microsoft => "Microsoft",
            NetClass::MailGateway => "mail gateway",
            NetClass::Residential => "residential ISP",
            NetClass::Mobile => "mobile carrier",
            NetClass::Business => "business ISP",
            NetClass::Isp => "ISP",
            NetClass::Unknown => "unknown network",
        }
    }
}

/// Enrichment of one address.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Network {
    pub asn: Option<u32>,
    pub organisation: Option<String>,
    pub country: Option<String>,
    pub class: Option<NetClass>,
}

impl Network {
    pub fn class(&self) -> NetClass {
        self.class.unwrap_or(NetClass::Unknown)
    }

    /// "AS14618 Amazon (hosting provider)" for summaries.
    pub fn describe(&self) -> String {
        let mut out = match self.asn {
            Some(a) => format!("AS{a}"),
            None => "unknown AS".to_string(),
        };
        if let Some(org) = &self.organisation {
            out.push(' ');
            out.push_str(org);
        }
        out.push_str(&format!(" ({})", self.class().label()));
        out
    }
}

/// Source of network facts. `asn_hint` is the ASN a sign-in record already carries
/// (`autonomousSystemNumber`); implementations must prefer it over their own table.
pub trait NetworkLookup {
    fn network(&self, ip: Option<IpAddr>, asn_hint: Option<u32>) -> Network;
}

/// A fixed table for tests and fixtures: exact addresses and ASN classes.
#[derive(Debug, Clone, Default)]
pub struct StaticLookup {
    pub by_ip: BTreeMap<IpAddr, (u32, String)>,
    pub by_asn: BTreeMap<u32, (NetClass, String)>,
}

impl StaticLookup {
    pub fn with_asn(mut self, asn: u32, class: NetClass, org: &str) -> Self {
        self.by_asn.insert(asn, (class, org.to_string()));
        self
    }

    pub fn with_ip(mut self, ip: &str, asn: u32, country: &str) -> Self {
        if let Ok(ip) = ip.parse() {
            self.by_ip.insert(ip, (asn, country.to_string()));
        }
        self
    }
}

impl NetworkLookup for StaticLookup {
    fn network(&self, ip: Option<IpAddr>, asn_hint: Option<u32>) -> Network {
        let from_ip = ip.and_then(|ip| self.by_ip.get(&ip));
        let asn = asn_hint.or(from_ip.map(|(a, _)| *a));
        let (class, organisation) = match asn.and_then(|a| self.by_asn.get(&a)) {
            Some((c, o)) => (Some(*c), Some(o.clone())),
            None => (None, None),
        };
        Network {
            asn,
            organisation,
            country: from_ip.map(|(_, c)| c.clone()),
            class,
        }
    }
}

impl From<parapet_ipintel::NetworkClass> for NetClass {
    fn from(class: parapet_ipintel::NetworkClass) -> Self {
        use parapet_ipintel::NetworkClass as C;
        match class {
            C::Hosting => NetClass::Hosting,
            C::Vpn => NetClass::Vpn,
            C::Tor => NetClass::Tor,
            C::Microsoft => NetClass::Microsoft,
            C::MailGateway => NetClass::MailGateway,
            C::IspResidential => NetClass::Residential,
            C::IspMobile => NetClass::Mobile,
            C::IspBusiness => NetClass::Business,
            C::Isp => NetClass::Isp,
            C::Unknown => NetClass::Unknown,
        }
    }
}

impl NetworkLookup for parapet_ipintel::IpIntel {
    fn network(&self, ip: Option<IpAddr>, asn_hint: Option<u32>) -> Network {
        let info = ip.map(|ip| self.lookup(ip));
        let asn = asn_hint.or(info.as_ref().and_then(|i| i.asn));
        // The sign-in's own ASN wins; classify that ASN rather than the table's guess.
        let class = match (asn_hint, &info) {
            (Some(a), Some(i)) if i.asn != Some(a) => self.classify_asn(a),
            (Some(a), None) => self.classify_asn(a),
            (_, Some(i)) => i.class,
            (None, None) => parapet_ipintel::NetworkClass::Unknown,
        };
        let organisation = match (&info, asn_hint) {
            (Some(i), Some(a)) if i.asn == Some(a) => i.organisation.clone(),
            (_, Some(a)) => self.organisation(a).map(str::to_string),
            (Some(i), None) => i.organisation.clone(),
            (None, None) => None,
        };
        Network {
            asn,
            organisation,
            country: info.and_then(|i| i.country),
            class: Some(class.into()),
        }
    }
}
