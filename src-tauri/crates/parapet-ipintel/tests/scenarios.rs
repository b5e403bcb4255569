//! Checks the embedded data against the sign-ins of the example tenants in `<repo>/../shared`:
//! for every distinct sign-in IP that carries `autonomousSystemNumber`, our ASN must agree.

use std::collections::BTreeMap;
use std::net::IpAddr;
use std::path::{Path, PathBuf};

use parapet_ipintel::{IpIntel, NetworkClass};

fn shared_dir() -> Option<PathBuf> {
    parapet_testkit::shared_dir("the scenario checks")
}

struct SignInIp {
    asn: Option<u32>,
    /// `location.countryOrRegion` as logged by Entra ID.
    logged_country: Option<String>,
}

/// Distinct sign-in IPs over every scenario's signIns.json.
fn scenario_sign_in_ips(shared: &Path) -> BTreeMap<IpAddr, SignInIp> {
    let mut out = BTreeMap::new();
    let mut scenarios: Vec<_> = std::fs::read_dir(shared.join("scenarios"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("signIns.json").is_file())
        .collect();
    scenarios.sort();
    assert!(
        scenarios.len() >= 2,
        "expected both example tenants, found {scenarios:?}"
    );
    for dir in scenarios {
        let path = dir.join("signIns.json");
        let text = std::fs::read_to_string(&path).unwrap();
        let records: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap();
        for record in records {
            let Some(ip) = record["ipAddress"].as_str() else {
                continue;
            };
            let ip: IpAddr = ip
                .parse()
                .unwrap_or_else(|e| panic!("{}: {ip:?}: {e}", path.display()));
            let asn = record["autonomousSystemNumber"]
                .as_u64()
                .map(|a| u32::try_from(a).unwrap());
            let logged_country = record["location"]["countryOrRegion"]
                .as_str()
                .map(str::to_string);
            out.insert(
                ip,
                SignInIp {
                    asn,
                    logged_country,
                },
            );
        }
    }
    out
}

#[test]
fn lookup_asn_agrees_with_sign_in_records() {
    let Some(shared) = shared_dir() else { return };
    let intel = IpIntel::try_embedded().unwrap();
    let ips = scenario_sign_in_ips(&shared);
    let mut compared = 0usize;
    let mut mismatches = Vec::new();
    let (mut with_country, mut same_country) = (0usize, 0usize);
    for (&ip, record) in &ips {
        let info = intel.lookup(ip);
        if let Some(logged) = &record.logged_country {
            with_country += 1;
            same_country += usize::from(info.country.as_deref() == Some(logged.as_str()));
        }
        let Some(record_asn) = record.asn else {
            continue;
        };
        compared += 1;
        if info.asn != Some(record_asn) {
            mismatches.push(format!(
                "{ip}: record AS{record_asn}, lookup {:?} {:?}",
                info.asn, info.organisation
            ));
        }
    }
    let agreed = compared - mismatches.len();
    println!(
        "scenario sign-in IPs: {} distinct, {compared} with an ASN, {agreed} agree ({:.1}%)",
        ips.len(),
        100.0 * agreed as f64 / compared.max(1) as f64
    );
    // Informational only: a logged location may differ from the registry country on purpose
    // (travellers, VPN exits), so this is not asserted.
    println!("registry country equals logged country for {same_country} of {with_country}");
    assert!(compared > 0, "no sign-in carried autonomousSystemNumber");
    assert!(
        mismatches.is_empty(),
        "{} of {compared} disagree:\n{}",
        mismatches.len(),
        mismatches.join("\n")
    );
}

/// Every ASN a scenario sign-in carries is known, and the ones the scenarios use for attacker
/// infrastructure and for ordinary users land on the right side of `is_anonymising_infrastructure`.
#[test]
fn scenario_asns_classify_sensibly() {
    let Some(shared) = shared_dir() else { return };
    let intel = IpIntel::embedded();
    let ips = scenario_sign_in_ips(&shared);
    let mut asns: Vec<u32> = ips.values().filter_map(|r| r.asn).collect();
    asns.sort_unstable();
    asns.dedup();
    let mut report = Vec::new();
    for &asn in &asns {
        let class = intel.classify_asn(asn);
        report.push(format!(
            "AS{asn} {:?}: {}",
            intel.organisation(asn),
            class.label()
        ));
        assert_ne!(class, NetworkClass::Unknown, "AS{asn} unknown");
    }
    println!("{}", report.join("\n"));
    let anonymising = [
        14618, 14061, 9009, 24940, 49453, 16276, 20473, 63949, 47583, 49981, 53667, 60068, 212238,
    ];
    let ordinary = [7922, 701, 22773, 4713, 11427, 20057, 21928, 6167];
    for asn in anonymising.iter().filter(|a| asns.contains(a)) {
        assert!(
            intel.classify_asn(*asn).is_anonymising_infrastructure(),
            "AS{asn}"
        );
    }
    for asn in ordinary.iter().filter(|a| asns.contains(a)) {
        assert!(
            !intel.classify_asn(*asn).is_anonymising_infrastructure(),
            "AS{asn}"
        );
    }
}
