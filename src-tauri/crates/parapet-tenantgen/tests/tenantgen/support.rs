//! Shared specs and lookups.

use chrono::{DateTime, TimeZone, Utc};
use parapet_snapshot::Snapshot;
use parapet_tenantgen::{AttackFamily, Generated, Licences, LookalikeFamily, TenantSpec};

pub fn end() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 20, 12, 0, 0).unwrap()
}

/// A small tenant with every attack and look-alike.
pub fn everything(seed: u64) -> TenantSpec {
    TenantSpec::new(seed, "Contoso Test", "contosotest.com", 40, 150, end()).with_everything()
}

pub fn only(
    attack: Option<AttackFamily>,
    lookalike: Option<LookalikeFamily>,
    licences: Licences,
) -> TenantSpec {
    let mut spec = TenantSpec::new(11, "Fabrikam Test", "fabrikamtest.com", 20, 150, end());
    spec.attacks = attack.into_iter().collect();
    spec.benign_lookalikes = lookalike.into_iter().collect();
    spec.licences = licences;
    spec
}

pub const P1: Licences = Licences {
    entra_id_p1: true,
    entra_id_p2: false,
};
pub const FREE: Licences = Licences {
    entra_id_p1: false,
    entra_id_p2: false,
};

pub fn generate(spec: &TenantSpec) -> Generated {
    parapet_tenantgen::generate(spec)
        .unwrap_or_else(|e| panic!("generating {}: {e}", spec.display_name))
}

pub fn user_id(snapshot: &Snapshot, upn: &str) -> String {
    snapshot
        .user_by_upn(upn)
        .unwrap_or_else(|| panic!("{upn} is not a user"))
        .id
        .clone()
}

/// Every file of the snapshot as written to disk, by name.
pub fn written_files(snapshot: &Snapshot) -> Vec<(String, Vec<u8>)> {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("tenant");
    parapet_snapshot::write(snapshot, &target).unwrap();
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(&target)
        .unwrap()
        .map(|entry| {
            let entry = entry.unwrap();
            (
                entry.file_name().to_string_lossy().into_owned(),
                std::fs::read(entry.path()).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}

pub fn ipintel() -> &'static parapet_ipintel::IpIntel {
    parapet_ipintel::IpIntel::embedded()
}

pub fn is_attacker_network(ip: &str) -> bool {
    use parapet_ipintel::NetworkClass;
    let info = ipintel().lookup(ip.parse().unwrap());
    matches!(info.class, NetworkClass::Hosting | NetworkClass::Vpn)
}
