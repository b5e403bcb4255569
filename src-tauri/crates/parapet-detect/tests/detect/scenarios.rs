//! The quality bar over every example tenant in `shared/scenarios`: each compromised user has
//! an incident of the right kind, every expected artifact is reported with its type and id, no
//! benign user has an incident, and targeted users are listed.

use std::path::PathBuf;

use serde_json::Value;

fn shared_dir() -> Option<PathBuf> {
    parapet_testkit::shared_dir("the scenario quality test")
}

fn upns(v: &Value, key: &str) -> Vec<String> {
    v[key]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|x| x.as_str().map(str::to_lowercase))
        .collect()
}

#[test]
fn every_example_tenant_meets_the_quality_bar() {
    let Some(shared) = shared_dir() else { return };
    let mut tenants: Vec<PathBuf> = std::fs::read_dir(shared.join("scenarios"))
        .map(|rd| {
            rd.filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.join("expected.json").is_file())
                .collect()
        })
        .unwrap_or_default();
    tenants.sort();
    assert!(
        !tenants.is_empty(),
        "no scenarios with expected.json under {}",
        shared.display()
    );
    let mut failures = Vec::new();
    for dir in &tenants {
        let name = dir
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        let snapshot = parapet_snapshot::read(dir).unwrap_or_else(|e| panic!("{name}: {e}"));
        let report = parapet_detect::scan(
            &snapshot,
            parapet_ipintel::IpIntel::embedded(),
            snapshot.tenant.snapshot_time,
        );
        let text = std::fs::read_to_string(dir.join("expected.json")).unwrap_or_default();
        let expected: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
        let incident_of = |upn: &str| {
            report
                .incidents
                .iter()
                .filter(|i| i.user_principal_name.eq_ignore_ascii_case(upn))
                .collect::<Vec<_>>()
        };
        let reported = |kind: &str, id: &str| {
            report
                .incidents
                .iter()
                .flat_map(|i| i.persistence.iter())
                .any(|p| {
                    serde_json::to_value(p.kind)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_string))
                        .as_deref()
                        == Some(kind)
                        && p.id == id
                })
        };
        for c in expected["compromised"].as_array().into_iter().flatten() {
            let upn = c["userPrincipalName"].as_str().unwrap_or_default();
            let want: &[&str] = if c["state"] == "active" {
                &["active_compromise"]
            } else {
                &["past_compromise", "leftover_persistence"]
            };
            let got: Vec<&str> = incident_of(upn).iter().map(|i| i.kind.as_str()).collect();
            if !got.iter().any(|k| want.contains(k)) {
                failures.push(format!("{name}: {upn} should have {want:?}, got {got:?}"));
            }
        }
        let artifacts = expected["compromised"]
            .as_array()
            .into_iter()
            .flatten()
            .flat_map(|c| c["persistence"].as_array().into_iter().flatten())
            .chain(
                expected["leftoverPersistence"]
                    .as_array()
                    .into_iter()
                    .flatten(),
            );
        for a in artifacts {
            let (kind, id) = (
                a["type"].as_str().unwrap_or_default(),
                a["id"].as_str().unwrap_or_default(),
            );
            if !reported(kind, id) {
                failures.push(format!("{name}: artifact {kind} {id} not reported"));
            }
        }
        for upn in upns(&expected, "benign") {
            if !incident_of(&upn).is_empty() {
                failures.push(format!("{name}: benign user {upn} has an incident"));
            }
        }
        let targeted: Vec<String> = report
            .targeted_users
            .iter()
            .map(|t| t.user_principal_name.to_lowercase())
            .collect();
        for upn in upns(&expected, "targeted") {
            if !targeted.contains(&upn) {
                failures.push(format!("{name}: targeted user {upn} not listed"));
            }
            if !incident_of(&upn).is_empty() {
                failures.push(format!("{name}: targeted-only user {upn} has an incident"));
            }
        }
        let compromised: Vec<String> = expected["compromised"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|c| c["userPrincipalName"].as_str().map(str::to_lowercase))
            .collect();
        for i in &report.incidents {
            if !compromised.contains(&i.user_principal_name.to_lowercase()) {
                failures.push(format!(
                    "{name}: unexpected incident for {}",
                    i.user_principal_name
                ));
            }
            assert!(
                !i.signals.is_empty() && !i.reasons.is_empty(),
                "{name}: incident {} must explain itself",
                i.id
            );
            assert!(
                i.signals.iter().all(|s| !s.evidence.is_empty()),
                "{name}: every signal cites records"
            );
        }
    }
    assert!(
        failures.is_empty(),
        "quality bar not met:\n{}",
        failures.join("\n")
    );
}
