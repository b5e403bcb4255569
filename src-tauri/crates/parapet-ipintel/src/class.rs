use serde::{Deserialize, Serialize};

/// What kind of network an address or ASN belongs to, as far as sign-in risk is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum NetworkClass {
    /// Cloud, datacenter, CDN or VPS networks: people do not normally browse from here.
    Hosting,
    /// Commercial VPN operators, Apple Private Relay, Cloudflare WARP, and hosting networks that
    /// mostly carry VPN exits.
    Vpn,
    /// Networks run for Tor relays.
    Tor,
    /// Microsoft's own networks (Azure, Entra ID, Exchange Online): service traffic, never
    /// attacker hosting.
    Microsoft,
    /// Mail and security gateways (Mimecast, Proofpoint, Zscaler...) acting for a customer.
    MailGateway,
    /// Consumer broadband.
    IspResidential,
    /// Mobile carriers.
    IspMobile,
    /// Enterprise connectivity and transit carriers.
    IspBusiness,
    /// An access network whose kind the data does not make clear.
    Isp,
    /// No data, or a private / special-purpose address.
    Unknown,
}

/// Lower-case fragments of mail/security-gateway vendors' registered names.
const MAIL_GATEWAY_VENDORS: &[&str] = &[
    "mimecast",
    "proofpoint",
    "barracuda networks",
    "ironport",
    "messagelabs",
    "zscaler",
    "hornetsecurity",
];

impl NetworkClass {
    /// True for networks that hide where a person really is: hosting, VPN and Tor.
    pub fn is_anonymising_infrastructure(self) -> bool {
        matches!(self, Self::Hosting | Self::Vpn | Self::Tor)
    }

    /// A short human-readable label for reports and the UI.
    pub fn label(self) -> &'static str {
        match self {
            Self::Hosting => "hosting / datacenter",
            Self::Vpn => "VPN",
            Self::Tor => "Tor",
            Self::Microsoft => "Microsoft",
            Self::MailGateway => "mail / security gateway",
            Self::IspResidential => "residential ISP",
            Self::IspMobile => "mobile ISP",
            Self::IspBusiness => "business ISP",
            Self::Isp => "ISP",
            Self::Unknown => "unknown",
        }
    }

    /// Parses the class names used in the curated lists (`lists/*.tsv`).
    pub(crate) fn from_list_name(name: &str) -> Option<Self> {
        Some(match name {
            "hosting" => Self::Hosting,
            "vpn" => Self::Vpn,
            "tor" => Self::Tor,
            "microsoft" => Self::Microsoft,
            "mail-gateway" => Self::MailGateway,
            "isp-residential" => Self::IspResidential,
            "isp-mobile" => Self::IspMobile,
            "isp-business" => Self::IspBusiness,
            "isp" => Self::Isp,
            _ => return None,
        })
    }

    /// The class an organisation's registered name makes clear, if any.
    ///
    /// Only for ASNs absent from the curated list. Deliberately narrow: a word must state the
    /// network's business outright ("hosting", "mobile"); vaguer words such as "cloud",
    /// "wireless" or "net" are ignored, because a false "hosting" is a false alarm. "VPN" is not
    /// used either: some access ISPs carry it in their names (e.g. AS27683, AS263097), so VPN
    /// services are curated by hand.
    pub(crate) fn from_organisation_name(name: &str) -> Option<Self> {
        let lower = name.to_ascii_lowercase();
        let words: Vec<&str> = lower
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect();
        let has = |w: &str| words.contains(&w);
        let starts = |p: &str| words.iter().any(|w| w.starts_with(p));
        // Vendors of mail/security gateways, for their ASNs not (yet) in the curated list.
        // Never done for Microsoft: that class suppresses alerts, so it is curated only.
        if MAIL_GATEWAY_VENDORS.iter().any(|v| lower.contains(v)) {
            return Some(Self::MailGateway);
        }
        if starts("hosting")
            || has("hoster")
            || has("datacenter")
            || has("datacentre")
            || lower.contains("data center")
            || lower.contains("data centre")
            || has("vps")
            || has("colocation")
            || lower.contains("dedicated server")
            || has("server")
            || has("servers")
        {
            return Some(Self::Hosting);
        }
        if has("mobile") || has("cellular") || has("mobility") || has("cellco") {
            return Some(Self::IspMobile);
        }
        if has("cable") || has("broadband") || has("residential") {
            return Some(Self::IspResidential);
        }
        if has("business") {
            return Some(Self::IspBusiness);
        }
        None
    }
}
