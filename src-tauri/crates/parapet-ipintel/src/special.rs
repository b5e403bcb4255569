//! Addresses that are not routed on the public internet and so have no owner to look up.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// Unwraps IPv4-mapped IPv6 addresses (`::ffff:a.b.c.d`) so a sign-in logged in either notation
/// gets the same answer.
pub(crate) fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => ip,
        },
        v4 => v4,
    }
}

/// True for private, loopback, link-local, shared (CGNAT), documentation, multicast and other
/// special-purpose ranges.
pub(crate) fn is_special(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(a) => is_special_v4(a),
        IpAddr::V6(a) => is_special_v6(a),
    }
}

fn is_special_v4(a: Ipv4Addr) -> bool {
    let [o1, o2, o3, _] = a.octets();
    a.is_private()
        || a.is_loopback()
        || a.is_link_local()
        || a.is_broadcast()
        || a.is_documentation()
        || a.is_unspecified()
        || a.is_multicast()
        || o1 == 0
        || (o1 == 100 && (64..128).contains(&o2)) // 100.64.0.0/10 shared address space (CGNAT)
        || (o1 == 192 && o2 == 0 && o3 == 0) // 192.0.0.0/24 protocol assignments
        || (o1 == 198 && (o2 == 18 || o2 == 19)) // 198.18.0.0/15 benchmarking
        || o1 >= 240 // reserved
}

fn is_special_v6(a: Ipv6Addr) -> bool {
    let first = a.segments()[0];
    a.is_loopback()
        || a.is_unspecified()
        || a.is_multicast()
        || (first & 0xfe00) == 0xfc00 // fc00::/7 unique local
        || (first & 0xffc0) == 0xfe80 // fe80::/10 link-local
        || (first == 0x2001 && a.segments()[1] == 0x0db8) // 2001:db8::/32 documentation
        || (first == 0x3fff && a.segments()[1] >> 12 == 0) // 3fff::/20 documentation (RFC 9637)
        || first == 0x0064 && a.segments()[1] == 0xff9b && a.segments()[2] == 1 // 64:ff9b:1::/48 local NAT64
}

/// False for ASNs that never identify a public network: AS0, AS_TRANS (23456), the
/// documentation, private-use and reserved blocks (64496-131071, 4200000000-4294967295).
/// A few such ASNs leak into the published tables from misconfigured announcements.
pub(crate) fn is_public_asn(asn: u32) -> bool {
    !(asn == 0 || asn == 23_456 || (64_496..=131_071).contains(&asn) || asn >= 4_200_000_000)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn special_ranges() {
        let special = [
            "10.0.0.1",
            "172.16.5.4",
            "192.168.1.1",
            "127.0.0.1",
            "169.254.1.1",
            "100.64.0.1",
            "100.127.255.255",
            "0.0.0.0",
            "255.255.255.255",
            "224.0.0.1",
            "192.0.2.7",
            "198.51.100.1",
            "203.0.113.9",
            "198.18.0.1",
            "240.0.0.1",
            "::1",
            "::",
            "fe80::1",
            "fd12:3456::1",
            "fc00::1",
            "ff02::1",
            "2001:db8::1",
        ];
        for s in special {
            assert!(is_special(s.parse().unwrap()), "{s} should be special");
        }
        let public = [
            "8.8.8.8",
            "100.128.0.1",
            "172.32.0.1",
            "20.190.128.1",
            "2603:1000::1",
            "2a00:1450::1",
        ];
        for s in public {
            assert!(!is_special(s.parse().unwrap()), "{s} should be public");
        }
    }

    #[test]
    fn public_asns() {
        for asn in [
            0,
            23_456,
            64_496,
            64_512,
            65_535,
            131_071,
            4_200_000_000,
            u32::MAX,
        ] {
            assert!(!is_public_asn(asn), "AS{asn}");
        }
        for asn in [1, 8075, 64_495, 131_072, 212_238, 4_199_999_999] {
            assert!(is_public_asn(asn), "AS{asn}");
        }
    }

    #[test]
    fn mapped_v6_becomes_v4() {
        let ip: IpAddr = "::ffff:8.8.8.8".parse().unwrap();
        assert_eq!(canonical(ip), "8.8.8.8".parse::<IpAddr>().unwrap());
        let v6: IpAddr = "2001:4860::8888".parse().unwrap();
        assert_eq!(canonical(v6), v6);
    }
}
