//! Scans generated tenants with the detection engine and scores the report against the ground
//! truth, as `score-scan.py` does. Prints the scores; the demo and every-family tenants must be
//! perfect, single-family tenants must surface their victim and raise nothing for look-alikes.

use std::collections::BTreeSet;

use parapet_detect::{scan, IncidentKind, ScanReport};
use parapet_tenantgen::{demo_tenants, CompromiseState, Generated};

use crate::support::{end, everything, generate, ipintel};

pub struct Score {
    pub recall: f64,
    pub precision: f64,
    pub persistence_recall: f64,
    pub fp_benign: usize,
    pub targeted_recall: f64,
    pub missed: Vec<String>,
    pub missed_artifacts: Vec<String>,
    pub false_alarms: Vec<String>,
}

pub fn score(generated: &Generated, report: &ScanReport) -> Score {
    let lower = |s: &str| s.to_ascii_lowercase();
    let truth = &generated.truth;
    let mut hits = 0;
    let mut missed = Vec::new();
    for compromised in &truth.compromised {
        let upn = lower(&compromised.user_principal_name);
        let found = report.incidents.iter().any(|i| {
            lower(&i.user_principal_name) == upn
                && match compromised.state {
                    CompromiseState::Active => i.kind == IncidentKind::ActiveCompromise,
                    CompromiseState::Remediated => matches!(
                        i.kind,
                        IncidentKind::PastCompromise | IncidentKind::LeftoverPersistence
                    ),
                }
        });
        if found {
            hits += 1;
        } else {
            missed.push(format!(
                "{} ({:?})",
                compromised.user_principal_name, compromised.state
            ));
        }
    }
    let compromised: BTreeSet<String> = truth
        .compromised
        .iter()
        .map(|c| lower(&c.user_principal_name))
        .collect();
    let benign: BTreeSet<String> = truth.benign.iter().map(|b| lower(b)).collect();
    let false_alarms: Vec<String> = report
        .incidents
        .iter()
        .filter(|i| !compromised.contains(&lower(&i.user_principal_name)))
        .map(|i| format!("{} {:?}", i.user_principal_name, i.kind))
        .collect();
    let fp_benign = report
        .incidents
        .iter()
        .filter(|i| benign.contains(&lower(&i.user_principal_name)))
        .count();
    let mut expected: BTreeSet<(String, String)> = BTreeSet::new();
    for c in &truth.compromised {
        expected.extend(c.persistence.iter().map(|a| (a.kind.clone(), a.id.clone())));
    }
    let reported: BTreeSet<(String, String)> = report
        .incidents
        .iter()
        .flat_map(|i| i.persistence.iter())
        .map(|p| {
            let kind = serde_json::to_value(p.kind)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default();
            (kind, p.id.clone())
        })
        .collect();
    let found_artifacts = expected.iter().filter(|a| reported.contains(*a)).count();
    let missed_artifacts = expected
        .iter()
        .filter(|a| !reported.contains(*a))
        .map(|(k, id)| format!("{k} {id}"))
        .collect();
    let targeted: BTreeSet<String> = truth.targeted.iter().map(|t| lower(t)).collect();
    let reported_targeted: BTreeSet<String> = report
        .targeted_users
        .iter()
        .map(|t| lower(&t.user_principal_name))
        .collect();
    let ratio = |n: usize, d: usize| if d == 0 { 1.0 } else { n as f64 / d as f64 };
    Score {
        recall: ratio(hits, truth.compromised.len()),
        precision: ratio(
            report.incidents.len() - false_alarms.len(),
            report.incidents.len(),
        ),
        persistence_recall: ratio(found_artifacts, expected.len()),
        fp_benign,
        targeted_recall: ratio(
            targeted.intersection(&reported_targeted).count(),
            targeted.len(),
        ),
        missed,
        missed_artifacts,
        false_alarms,
    }
}

fn scan_and_print(name: &str, generated: &Generated) -> Score {
    let report = scan(
        &generated.snapshot,
        ipintel(),
        generated.snapshot.tenant.snapshot_time,
    );
    let s = score(generated, &report);
    println!(
        "{name}: recall={:.2} precision={:.2} persistence_recall={:.2} fp_benign={} targeted_recall={:.2} missed={:?} missed_artifacts={:?} false_alarms={:?}",
        s.recall, s.precision, s.persistence_recall, s.fp_benign, s.targeted_recall, s.missed, s.missed_artifacts, s.false_alarms
    );
    s
}

/// The demo workspace must show exactly its staged incidents: a new user's first impression.
#[test]
fn detection_engine_on_demo_tenants() {
    for generated in demo_tenants(end()).unwrap() {
        let name = generated.snapshot.tenant.display_name.clone();
        let s = scan_and_print(&name, &generated);
        assert_eq!(s.recall, 1.0, "{name}: missed {:?}", s.missed);
        assert_eq!(s.fp_benign, 0, "{name}: false alarms {:?}", s.false_alarms);
        assert_eq!(s.targeted_recall, 1.0, "{name}");
    }
}

/// Larger tenants with every family, per licence level: every victim found in the right state
/// with every artifact, nobody else raising an incident, every targeted user listed.
#[test]
fn detection_engine_on_everything_tenants() {
    for seed in [41, 42, 43] {
        let mut free = everything(seed);
        free.licences = crate::support::FREE;
        let mut p2 = everything(seed);
        p2.licences = parapet_tenantgen::Licences {
            entra_id_p1: true,
            entra_id_p2: true,
        };
        for (label, spec) in [("P1", everything(seed)), ("free", free), ("P2", p2)] {
            let generated = generate(&spec);
            let name = format!("everything {label} seed {seed}");
            let s = scan_and_print(&name, &generated);
            surfaces_every_victim(&generated);
            assert_eq!(s.recall, 1.0, "{name}: missed {:?}", s.missed);
            assert_eq!(
                s.persistence_recall, 1.0,
                "{name}: missed artifacts {:?}",
                s.missed_artifacts
            );
            assert_eq!(
                s.precision, 1.0,
                "{name}: false alarms {:?}",
                s.false_alarms
            );
            assert_eq!(s.targeted_recall, 1.0, "{name}");
        }
    }
}

fn surfaces_every_victim(generated: &Generated) {
    let report = scan(
        &generated.snapshot,
        ipintel(),
        generated.snapshot.tenant.snapshot_time,
    );
    for compromised in &generated.truth.compromised {
        assert!(
            report.incidents.iter().any(|i| i
                .user_principal_name
                .eq_ignore_ascii_case(&compromised.user_principal_name)),
            "{} raised no incident at all",
            compromised.user_principal_name
        );
    }
}

/// One family per tenant: every victim surfaces, and no look-alike alone raises an incident.
#[test]
fn detection_engine_per_family() {
    use crate::support::{only, FREE, P1};
    use parapet_tenantgen::{AttackFamily, LookalikeFamily};
    for licences in [P1, FREE] {
        for family in AttackFamily::ALL {
            let generated = generate(&only(Some(*family), None, licences));
            scan_and_print(
                &format!("{family:?} p1={}", licences.entra_id_p1),
                &generated,
            );
            surfaces_every_victim(&generated);
        }
        for family in LookalikeFamily::ALL {
            let s = scan_and_print(
                &format!("{family:?} p1={}", licences.entra_id_p1),
                &generate(&only(None, Some(*family), licences)),
            );
            assert_eq!(s.fp_benign, 0, "{family:?}: {:?}", s.false_alarms);
        }
    }
}
