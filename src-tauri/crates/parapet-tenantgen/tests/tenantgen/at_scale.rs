//! The quality bar at the size of a real client (1,000 users, six months) for every licence
//! level, plus the demo tenants: every victim found in the right state, every artifact
//! reported, no incident for anyone else. Slow in debug builds, so ignored by default:
//! `cargo test --release -p parapet-tenantgen --test tenantgen at_scale -- --ignored --nocapture`.

use parapet_detect::scan;
use parapet_tenantgen::{demo_tenants, Licences, TenantSpec};

use crate::detect::score;
use crate::support::{end, generate, ipintel, FREE, P1};

const P2: Licences = Licences {
    entra_id_p1: true,
    entra_id_p2: true,
};

#[test]
#[ignore = "1,000-user tenants: run in release"]
fn at_scale_every_licence_is_perfect() {
    let mut failures = Vec::new();
    let mut tenants: Vec<(String, parapet_tenantgen::Generated)> = Vec::new();
    for (label, licences) in [("free", FREE), ("p1", P1), ("p2", P2)] {
        let mut spec = TenantSpec::new(
            1,
            "Northwind Traders",
            "northwindtraders.com",
            1000,
            180,
            end(),
        )
        .with_everything();
        spec.sign_ins_per_user_week = 1.5;
        spec.licences = licences;
        tenants.push((format!("1000 users {label}"), generate(&spec)));
    }
    for generated in demo_tenants(end()).unwrap() {
        tenants.push((generated.snapshot.tenant.display_name.clone(), generated));
    }
    for (name, generated) in &tenants {
        let report = scan(&generated.snapshot, ipintel(), end());
        let s = score(generated, &report);
        let incidents = report.incidents.len();
        println!(
            "{name}: incidents={incidents} recall={:.2} precision={:.2} persistence_recall={:.2} fp_benign={} targeted_recall={:.2} missed={:?} missed_artifacts={:?} false_alarms={}",
            s.recall, s.precision, s.persistence_recall, s.fp_benign, s.targeted_recall, s.missed, s.missed_artifacts, s.false_alarms.len()
        );
        if s.recall < 1.0
            || s.precision < 1.0
            || s.persistence_recall < 1.0
            || s.targeted_recall < 1.0
        {
            failures.push(format!(
                "{name}: missed {:?}, missed artifacts {:?}, false alarms {:?}",
                s.missed,
                s.missed_artifacts,
                s.false_alarms.iter().take(10).collect::<Vec<_>>()
            ));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}
