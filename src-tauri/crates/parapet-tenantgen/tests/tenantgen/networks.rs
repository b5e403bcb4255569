use parapet_ipintel::NetworkClass;
use parapet_tenantgen::{all_networks, NetworkKind};

use crate::support::{everything, generate, ipintel};

fn expected_class(kind: NetworkKind) -> NetworkClass {
    match kind {
        NetworkKind::Residential => NetworkClass::IspResidential,
        NetworkKind::Mobile => NetworkClass::IspMobile,
        NetworkKind::Hosting => NetworkClass::Hosting,
        NetworkKind::Vpn => NetworkClass::Vpn,
        NetworkKind::MailGateway => NetworkClass::MailGateway,
    }
}

#[test]
fn every_block_belongs_to_its_asn_and_class() {
    let mut wrong = Vec::new();
    for network in all_networks() {
        for block in network.blocks {
            // Every /24 the generator may draw from, at both ends.
            for c in block.c_low..=block.c_high {
                for d in [1u8, 254] {
                    let ip = std::net::IpAddr::from([block.a, block.b, c, d]);
                    let info = ipintel().lookup(ip);
                    if info.asn != Some(network.asn) || info.class != expected_class(network.kind) {
                        wrong.push(format!(
                            "{ip}: {:?} {:?}, want AS{} ({})",
                            info.asn, info.class, network.asn, network.name
                        ));
                    }
                }
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "{} addresses misclassified, e.g. {:?}",
        wrong.len(),
        &wrong[..wrong.len().min(20)]
    );
}

#[test]
fn sign_in_asns_agree_with_the_ip_data() {
    let generated = generate(&everything(31));
    for sign_in in &generated.snapshot.sign_ins {
        let ip = sign_in.ip_address.as_deref().unwrap();
        let info = ipintel().lookup(ip.parse().unwrap());
        assert_eq!(
            info.asn,
            sign_in.autonomous_system_number.map(|a| a as u32),
            "{ip} in sign-in {}",
            sign_in.id
        );
    }
}
