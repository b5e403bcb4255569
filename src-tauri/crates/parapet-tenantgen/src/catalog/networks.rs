//! Real networks the generator draws addresses from: residential and mobile ISPs around each
//! company's metro area here, everything else (travel, VPN, attacker hosting, mail gateways) in
//! `remote_networks`. Every block is a /16 or part of one that the offline IP data
//! (parapet-ipintel) assigns to the ASN given here, with the network class the generator
//! intends (checked by `tests/tenantgen/networks.rs`).

/// Addresses `a.b.c.d` with `c` in `c_low..=c_high` and `d` in 1..=254.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Block {
    pub a: u8,
    pub b: u8,
    pub c_low: u8,
    pub c_high: u8,
}

pub(super) const fn b16(a: u8, b: u8) -> Block {
    Block {
        a,
        b,
        c_low: 0,
        c_high: 255,
    }
}

pub(super) const fn part(a: u8, b: u8, c_low: u8, c_high: u8) -> Block {
    Block {
        a,
        b,
        c_low,
        c_high,
    }
}

pub(super) const fn b24(a: u8, b: u8, c: u8) -> Block {
    Block {
        a,
        b,
        c_low: c,
        c_high: c,
    }
}

/// What the IP data should call the network (mirrors parapet-ipintel's classes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Residential,
    Mobile,
    Hosting,
    Vpn,
    MailGateway,
}

/// One operator's address space.
#[derive(Debug, Clone, Copy)]
pub struct Network {
    pub asn: u32,
    pub name: &'static str,
    pub kind: Kind,
    pub blocks: &'static [Block],
}

/// A place as Entra's sign-in `location` reports it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Place {
    pub city: &'static str,
    pub state: &'static str,
    pub country: &'static str,
    pub latitude: f64,
    pub longitude: f64,
}

pub(super) const fn place(
    city: &'static str,
    state: &'static str,
    country: &'static str,
    latitude: f64,
    longitude: f64,
) -> Place {
    Place {
        city,
        state,
        country,
        latitude,
        longitude,
    }
}

/// A company's home region: where its staff live and which ISPs serve them.
#[derive(Debug, Clone, Copy)]
pub struct Metro {
    /// Standard-time UTC offset in hours (the generator ignores daylight saving).
    pub utc_offset_hours: i64,
    pub places: &'static [Place],
    pub home_isps: &'static [Network],
    /// Business line of the office (static address, same ISP family as homes).
    pub office_isp: Network,
}

pub const COMCAST: Network = Network {
    asn: 7922,
    name: "Comcast",
    kind: Kind::Residential,
    blocks: &[
        b16(73, 16),
        b16(73, 100),
        b16(73, 219),
        b16(24, 60),
        b16(24, 91),
        b16(98, 216),
        part(65, 96, 0, 127),
        b16(96, 76),
    ],
};
pub const VERIZON_FIOS: Network = Network {
    asn: 701,
    name: "Verizon",
    kind: Kind::Residential,
    blocks: &[
        b16(71, 162),
        b16(71, 174),
        b16(96, 230),
        b16(108, 20),
        b16(173, 48),
    ],
};
pub const COX: Network = Network {
    asn: 22773,
    name: "Cox",
    kind: Kind::Residential,
    blocks: &[
        b16(68, 96),
        b16(70, 160),
        b16(98, 160),
        part(72, 192, 0, 200),
    ],
};
pub const ATT: Network = Network {
    asn: 7018,
    name: "AT&T",
    kind: Kind::Residential,
    blocks: &[
        b16(76, 192),
        b16(104, 0),
        b16(107, 128),
        b16(99, 100),
        b16(108, 200),
        b16(23, 112),
    ],
};
pub const CHARTER: Network = Network {
    asn: 20115,
    name: "Charter",
    kind: Kind::Residential,
    blocks: &[b16(47, 32), b16(24, 176)],
};
pub const CHARTER_TX: Network = Network {
    asn: 11427,
    name: "Charter",
    kind: Kind::Residential,
    blocks: &[b16(66, 68), b16(70, 112)],
};
pub const CENTURYLINK: Network = Network {
    asn: 209,
    name: "CenturyLink",
    kind: Kind::Residential,
    blocks: &[
        b16(71, 208),
        part(75, 160, 0, 79),
        b16(184, 98),
        b16(97, 116),
        b16(174, 20),
    ],
};

/// US mobile carriers (phones off Wi-Fi).
pub const MOBILE_CARRIERS: &[Network] = &[
    Network {
        asn: 21928,
        name: "T-Mobile",
        kind: Kind::Mobile,
        blocks: &[b16(172, 56), b16(172, 58), b16(172, 32), b16(172, 59)],
    },
    Network {
        asn: 6167,
        name: "Verizon Wireless",
        kind: Kind::Mobile,
        blocks: &[
            part(174, 224, 0, 37),
            part(174, 240, 96, 255),
            b16(174, 208),
        ],
    },
    Network {
        asn: 20057,
        name: "AT&T Mobility",
        kind: Kind::Mobile,
        blocks: &[
            b16(166, 170),
            b16(166, 171),
            b24(107, 77, 64),
            b24(107, 77, 200),
        ],
    },
];

pub const METROS: &[Metro] = &[
    Metro {
        utc_offset_hours: -5,
        places: &[
            place("Boston", "Massachusetts", "US", 42.3601, -71.0589),
            place("Cambridge", "Massachusetts", "US", 42.3736, -71.1097),
            place("Quincy", "Massachusetts", "US", 42.2529, -71.0023),
            place("Newton", "Massachusetts", "US", 42.337, -71.2092),
            place("Framingham", "Massachusetts", "US", 42.2793, -71.4162),
            place("Providence", "Rhode Island", "US", 41.824, -71.4128),
        ],
        home_isps: &[COMCAST, VERIZON_FIOS],
        office_isp: VERIZON_FIOS,
    },
    Metro {
        utc_offset_hours: -6,
        places: &[
            place("Dallas", "Texas", "US", 32.7767, -96.797),
            place("Plano", "Texas", "US", 33.0198, -96.6989),
            place("Irving", "Texas", "US", 32.814, -96.9489),
            place("Garland", "Texas", "US", 32.9126, -96.6389),
            place("Frisco", "Texas", "US", 33.1507, -96.8236),
            place("Fort Worth", "Texas", "US", 32.7555, -97.3308),
        ],
        home_isps: &[ATT, CHARTER_TX],
        office_isp: ATT,
    },
    Metro {
        utc_offset_hours: -7,
        places: &[
            place("Phoenix", "Arizona", "US", 33.4484, -112.074),
            place("Mesa", "Arizona", "US", 33.4152, -111.8315),
            place("Tempe", "Arizona", "US", 33.4255, -111.94),
            place("Scottsdale", "Arizona", "US", 33.4942, -111.9261),
            place("Chandler", "Arizona", "US", 33.3062, -111.8413),
            place("Glendale", "Arizona", "US", 33.5387, -112.186),
        ],
        home_isps: &[COX, CENTURYLINK],
        office_isp: COX,
    },
    Metro {
        utc_offset_hours: -5,
        places: &[
            place("Charlotte", "North Carolina", "US", 35.2271, -80.8431),
            place("Concord", "North Carolina", "US", 35.4088, -80.5795),
            place("Gastonia", "North Carolina", "US", 35.2621, -81.1873),
            place("Matthews", "North Carolina", "US", 35.1168, -80.7237),
            place("Huntersville", "North Carolina", "US", 35.4107, -80.8429),
        ],
        home_isps: &[CHARTER, ATT],
        office_isp: CHARTER,
    },
];

pub use super::remote_networks::{all_networks, ATTACKER_INFRA, DAILY_VPN, MAIL_GATEWAYS, TRAVEL};
