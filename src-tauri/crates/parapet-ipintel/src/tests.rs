use super::*;
use NetworkClass::*;

fn intel() -> &'static IpIntel {
    IpIntel::try_embedded().expect("embedded data loads")
}

fn ip(s: &str) -> IpAddr {
    s.parse().unwrap()
}

#[test]
fn embedded_tables_are_populated() {
    let [names, v4, v6, cc4, cc6] = intel().table_sizes();
    // Sizes of the pinned 2.3.2026061719 extract (ASNs with a name over v4 and v6); a
    // regeneration must update these on purpose.
    assert_eq!(
        (names, v4, v6, cc4, cc6),
        (91_065, 411_961, 103_197, 334_306, 216_288)
    );
}

/// Every curated ASN must exist in the vendored data under the expected organisation, so a
/// mistyped ASN cannot silently classify someone else's network.
#[test]
fn curated_asns_match_registered_organisation() {
    let intel = intel();
    let mut problems = Vec::new();
    for c in &intel.curated {
        let Some(fragment) = &c.name_contains else {
            continue;
        };
        match intel.organisation(c.asn) {
            Some(org) if org.to_lowercase().contains(&fragment.to_lowercase()) => {}
            other => problems.push(format!(
                "AS{} ({}) is registered as {other:?}",
                c.asn, c.note
            )),
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn known_asns_classify() {
    let cases = [
        (8075, Microsoft),
        (8068, Microsoft),
        (8069, Microsoft),
        (12076, Microsoft),
        (30031, MailGateway),     // Mimecast
        (13916, MailGateway),     // Proofpoint
        (15324, MailGateway),     // Barracuda
        (14618, Hosting),         // Amazon
        (14061, Hosting),         // DigitalOcean
        (24940, Hosting),         // Hetzner
        (49453, Hosting),         // Global Layer
        (9009, Vpn),              // M247
        (39351, Vpn),             // Mullvad
        (60729, Tor),             // Stiftung Erneuerbare Freiheit
        (7922, IspResidential),   // Comcast
        (701, IspResidential),    // Verizon Fios
        (22773, IspResidential),  // Cox
        (20057, IspMobile),       // AT&T Mobility
        (21928, IspMobile),       // T-Mobile
        (3356, IspBusiness),      // Lumen
        (4713, Isp),              // NTT OCN: known, kind not stated
        (4_199_999_999, Unknown), // unassigned public ASN: not in data
    ];
    for (asn, want) in cases {
        assert_eq!(intel().classify_asn(asn), want, "AS{asn}");
    }
}

#[test]
fn known_ips_resolve() {
    // (ip, asn, country, class). ASNs and countries as published in the pinned data; the
    // Microsoft, Google and Tor spot checks match detection-knowledge.md 5.2.
    let cases: &[(&str, u32, &str, NetworkClass)] = &[
        ("20.190.128.1", 8075, "US", Microsoft),
        ("40.126.0.1", 8075, "US", Microsoft),
        ("2603:1036:3000::1", 8075, "US", Microsoft),
        ("8.8.8.8", 15169, "US", Hosting),
        ("185.220.101.1", 60729, "DE", Tor),
        ("167.99.235.10", 14061, "US", Hosting),
        ("88.198.217.204", 24940, "DE", Hosting),
        ("38.132.96.22", 9009, "US", Vpn),
        ("73.42.104.24", 7922, "US", IspResidential),
        ("166.201.160.212", 20057, "US", IspMobile),
        ("2001:4860:4860::8888", 15169, "US", Hosting),
        ("2601:1c0::1", 7922, "US", IspResidential),
        ("2607:fb90::1", 21928, "US", IspMobile),
    ];
    let mut failures = Vec::new();
    for &(addr, asn, cc, class) in cases {
        let got = intel().lookup(ip(addr));
        let want = (Some(asn), Some(cc.to_string()), class);
        if (got.asn, got.country.clone(), got.class) != want {
            failures.push(format!("{addr}: got {got:?}, want {want:?}"));
        }
        assert!(got.organisation.is_some(), "{addr} has no organisation");
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn mail_gateway_ips_are_not_hosting() {
    // Outbound relay ranges of Mimecast, Proofpoint (two ASNs) and Barracuda.
    let cases = [
        ("205.139.110.1", 30031),
        ("148.163.128.1", 13916),
        ("67.231.144.1", 26211),
        ("64.235.144.1", 15324),
    ];
    for (addr, asn) in cases {
        let info = intel().lookup(ip(addr));
        assert_eq!(
            (info.asn, info.class),
            (Some(asn), MailGateway),
            "{addr}: {info:?}"
        );
        assert!(!info.class.is_anonymising_infrastructure());
    }
}

#[test]
fn range_override_beats_asn_class() {
    let warp = intel().lookup(ip("104.28.1.1"));
    assert_eq!((warp.asn, warp.class), (Some(13335), Vpn), "{warp:?}");
    let cdn = intel().lookup(ip("104.16.0.1"));
    assert_eq!((cdn.asn, cdn.class), (Some(13335), Hosting), "{cdn:?}");
}

#[test]
fn private_and_special_addresses_are_unknown_without_asn() {
    for addr in [
        "10.1.2.3",
        "192.168.0.10",
        "127.0.0.1",
        "169.254.3.4",
        "100.64.1.1",
        "::1",
        "fe80::1",
        "fd00::5",
    ] {
        assert_eq!(intel().lookup(ip(addr)), NetworkInfo::unknown(), "{addr}");
    }
}

#[test]
fn v4_mapped_v6_equals_v4() {
    assert_eq!(
        intel().lookup(ip("::ffff:20.190.128.1")),
        intel().lookup(ip("20.190.128.1"))
    );
}

#[test]
fn unannounced_public_space_is_unknown() {
    // 102.192.0.0-102.202.43.255: public space with no row in either table of the pinned data.
    assert_eq!(intel().lookup(ip("102.195.0.1")), NetworkInfo::unknown());
    // 23.26.105.0/24 is announced by private-use AS65002 in the pinned data: no ASN.
    let leaked = intel().lookup(ip("23.26.105.1"));
    assert_eq!(
        (leaked.asn, leaked.organisation, leaked.class),
        (None, None, Unknown)
    );
    assert_eq!(intel().classify_asn(65_002), Unknown);
    // 1.0.1.0/24 has a registry country but no announced ASN: country only, class Unknown.
    let info = intel().lookup(ip("1.0.2.1"));
    assert_eq!(
        (
            info.asn,
            info.organisation.as_deref(),
            info.country.as_deref(),
            info.class
        ),
        (None, None, Some("CN"), Unknown)
    );
}

#[test]
fn organisation_name_heuristics_are_narrow() {
    let cases = [
        ("Example Hosting Ltd", Some(Hosting)),
        ("Mimecast Germany GmbH", Some(MailGateway)),
        ("Zscaler Switzerland GmbH", Some(MailGateway)),
        ("Microsoft Corporation", None),
        ("Foo Data Center GmbH", Some(Hosting)),
        ("Bar VPS SRL", Some(Hosting)),
        ("Acme Servers Inc", Some(Hosting)),
        ("VPN de Mexico, S.A. de C.V.", None),
        ("Two Degrees Mobile Limited", Some(IspMobile)),
        ("Mediacom Cable", Some(IspResidential)),
        ("Verizon Business", Some(IspBusiness)),
        ("Observer Media", None),
        ("Genesis Cloud Limited", None),
        ("Mobilezone AG", None),
        ("Rural Wireless Co-op", None),
    ];
    for (name, want) in cases {
        assert_eq!(NetworkClass::from_organisation_name(name), want, "{name}");
    }
}

#[test]
fn anonymising_and_labels() {
    let all = [
        Hosting,
        Vpn,
        Tor,
        Microsoft,
        MailGateway,
        IspResidential,
        IspMobile,
        IspBusiness,
        Isp,
        Unknown,
    ];
    let anonymising: Vec<_> = all
        .iter()
        .filter(|c| c.is_anonymising_infrastructure())
        .collect();
    assert_eq!(anonymising, [&Hosting, &Vpn, &Tor]);
    let mut labels: Vec<_> = all.iter().map(|c| c.label()).collect();
    labels.sort_unstable();
    labels.dedup();
    assert_eq!(labels.len(), all.len(), "labels must be distinct");
}

#[test]
fn corrupt_blob_is_reported() {
    assert!(matches!(
        IpIntel::build(b"junk"),
        Err(IpIntelError::Inflate(_))
    ));
}

#[test]
fn debug_output_stays_small() {
    let text = format!("{:?}", intel());
    assert!(text.len() < 200 && text.contains("table_sizes"), "{text}");
}

#[test]
fn network_info_serialises_in_camel_case() {
    let info = intel().lookup(ip("20.190.128.1"));
    let json = serde_json::to_value(&info).unwrap();
    assert_eq!(json["asn"], 8075);
    assert_eq!(json["class"], "microsoft");
    assert_eq!(
        serde_json::to_value(IspResidential).unwrap(),
        "ispResidential"
    );
    let back: NetworkInfo = serde_json::from_value(json).unwrap();
    assert_eq!(back, info);
}
