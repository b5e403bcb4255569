//! Networks away from the company's metro: foreign consumer ISPs for travellers, the VPN a
//! daily-VPN user connects through, hosting and VPN providers attackers rent, and mail-security
//! gateways' sending ranges.

use super::networks::{
    b16, b24, place, Kind, Network, Place, ATT, CENTURYLINK, CHARTER, CHARTER_TX, COMCAST, COX,
    MOBILE_CARRIERS, VERIZON_FIOS,
};

/// Consumer ISPs abroad with the city a traveller would be in.
pub const TRAVEL: &[(Network, Place)] = &[
    (
        Network {
            asn: 2856,
            name: "BT",
            kind: Kind::Residential,
            blocks: &[b16(86, 128)],
        },
        place("London", "England", "GB", 51.5074, -0.1278),
    ),
    (
        Network {
            asn: 3215,
            name: "Orange",
            kind: Kind::Residential,
            blocks: &[b16(90, 10)],
        },
        place("Paris", "Ile-de-France", "FR", 48.8566, 2.3522),
    ),
    (
        Network {
            asn: 3320,
            name: "Deutsche Telekom",
            kind: Kind::Residential,
            blocks: &[b16(84, 128), b16(79, 192)],
        },
        place("Munich", "Bavaria", "DE", 48.1351, 11.582),
    ),
    (
        Network {
            asn: 3352,
            name: "Telefonica",
            kind: Kind::Residential,
            blocks: &[b16(83, 32)],
        },
        place("Madrid", "Madrid", "ES", 40.4168, -3.7038),
    ),
];

/// The commercial VPN a daily-VPN user connects through (M247 carries NordVPN/Surfshark exits).
pub const DAILY_VPN: (Network, Place) = (
    Network {
        asn: 9009,
        name: "M247",
        kind: Kind::Vpn,
        blocks: &[b24(146, 70, 10), b24(37, 120, 200)],
    },
    place("Bucharest", "Bucuresti", "RO", 44.4268, 26.1025),
);

/// Hosting and VPN networks attackers rent, each with the place Entra geolocates it to.
pub const ATTACKER_INFRA: &[(Network, Place)] = &[
    (
        Network {
            asn: 14618,
            name: "Amazon",
            kind: Kind::Hosting,
            blocks: &[b16(44, 202), b16(3, 85), b16(18, 208)],
        },
        place("Ashburn", "Virginia", "US", 39.0438, -77.4874),
    ),
    (
        Network {
            asn: 16509,
            name: "Amazon",
            kind: Kind::Hosting,
            blocks: &[b16(13, 58), b16(52, 14)],
        },
        place("Dublin", "Ohio", "US", 40.0992, -83.1141),
    ),
    (
        Network {
            asn: 14061,
            name: "DigitalOcean",
            kind: Kind::Hosting,
            blocks: &[b16(167, 99), super::networks::part(138, 68, 40, 255)],
        },
        place("North Bergen", "New Jersey", "US", 40.8043, -74.0121),
    ),
    (
        Network {
            asn: 24940,
            name: "Hetzner",
            kind: Kind::Hosting,
            blocks: &[b16(88, 198), b16(116, 203)],
        },
        place("Falkenstein", "Saxony", "DE", 50.4779, 12.3713),
    ),
    (
        Network {
            asn: 24940,
            name: "Hetzner",
            kind: Kind::Hosting,
            blocks: &[b16(95, 216)],
        },
        place("Helsinki", "Uusimaa", "FI", 60.1699, 24.9384),
    ),
    (
        Network {
            asn: 212238,
            name: "Datacamp",
            kind: Kind::Vpn,
            blocks: &[b24(185, 156, 46)],
        },
        place("New York", "New York", "US", 40.7128, -74.006),
    ),
    (
        Network {
            asn: 212238,
            name: "Datacamp",
            kind: Kind::Vpn,
            blocks: &[b24(149, 102, 240)],
        },
        place("Frankfurt am Main", "Hesse", "DE", 50.1109, 8.6821),
    ),
    (
        Network {
            asn: 212238,
            name: "Datacamp",
            kind: Kind::Vpn,
            blocks: &[b24(138, 199, 30)],
        },
        place("London", "England", "GB", 51.5074, -0.1278),
    ),
    (
        Network {
            asn: 20473,
            name: "Vultr",
            kind: Kind::Hosting,
            blocks: &[super::networks::part(108, 61, 0, 100)],
        },
        place("Piscataway", "New Jersey", "US", 40.5549, -74.4643),
    ),
];

/// A mail-security gateway's published sending ranges, for an inbound connector.
pub const MAIL_GATEWAYS: &[(Network, &[&str])] = &[
    (
        Network {
            asn: 30031,
            name: "Mimecast",
            kind: Kind::MailGateway,
            blocks: &[b24(170, 10, 128), b24(170, 10, 129), b24(170, 10, 133)],
        },
        &["170.10.128.0/24", "170.10.129.0/24", "170.10.133.0/24"],
    ),
    (
        Network {
            asn: 13916,
            name: "Proofpoint",
            kind: Kind::MailGateway,
            blocks: &[b24(148, 163, 130)],
        },
        &["148.163.128.0/19"],
    ),
];

/// Every network the generator may use, for the classification test.
pub fn all_networks() -> Vec<Network> {
    let mut all = vec![
        COMCAST,
        VERIZON_FIOS,
        COX,
        ATT,
        CHARTER,
        CHARTER_TX,
        CENTURYLINK,
    ];
    all.extend_from_slice(MOBILE_CARRIERS);
    all.extend(TRAVEL.iter().map(|(network, _)| *network));
    all.push(DAILY_VPN.0);
    all.extend(ATTACKER_INFRA.iter().map(|(network, _)| *network));
    all.extend(MAIL_GATEWAYS.iter().map(|(network, _)| *network));
    all
}
