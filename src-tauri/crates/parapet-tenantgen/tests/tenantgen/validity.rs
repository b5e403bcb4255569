use parapet_tenantgen::{demo_tenants, Licences, TenantSpec};

use crate::support::{end, everything, generate, FREE};

#[test]
fn generated_snapshots_validate_and_round_trip() {
    let mut free = everything(3);
    free.licences = FREE;
    let mut p2 = everything(4);
    p2.licences = Licences {
        entra_id_p1: true,
        entra_id_p2: true,
    };
    for spec in [everything(2), free, p2] {
        let generated = generate(&spec);
        parapet_snapshot::validate(&generated.snapshot).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("tenant");
        parapet_snapshot::write(&generated.snapshot, &target).unwrap();
        let read = parapet_snapshot::read(&target).unwrap();
        assert!(
            read == generated.snapshot,
            "{}: read(write(x)) != x",
            spec.display_name
        );
    }
}

#[test]
fn demo_tenants_are_varied_and_valid() {
    let demos = demo_tenants(end()).unwrap();
    assert_eq!(demos.len(), 3);
    let licences: Vec<(bool, bool)> = demos
        .iter()
        .map(|d| {
            (
                d.snapshot.tenant.licenses.entra_id_p1,
                d.snapshot.tenant.licenses.entra_id_p2,
            )
        })
        .collect();
    assert!(
        licences.contains(&(false, false))
            && licences.contains(&(true, false))
            && licences.contains(&(true, true))
    );
    for demo in &demos {
        let users = demo.snapshot.users.len();
        assert!((15..=70).contains(&users), "{users} users");
        let attacks = demo.truth.compromised.len() + demo.truth.targeted.len();
        assert!(
            (1..=2).contains(&attacks),
            "{} has {attacks} attacks",
            demo.snapshot.tenant.display_name
        );
        assert!(!demo.truth.benign.is_empty());
        parapet_snapshot::validate(&demo.snapshot).unwrap();
    }
    let domains: std::collections::BTreeSet<_> = demos
        .iter()
        .map(|d| d.snapshot.tenant.default_domain_name.clone())
        .collect();
    assert_eq!(domains.len(), 3);
}

#[test]
fn specs_the_generator_cannot_honour_are_errors() {
    let mut tiny = everything(1);
    tiny.users = 5;
    let error = parapet_tenantgen::generate(&tiny).unwrap_err().to_string();
    assert!(
        error.contains("Contoso Test") && error.contains("users"),
        "{error}"
    );
    let short = TenantSpec::new(1, "Short", "short.com", 10, 3, end());
    assert!(parapet_tenantgen::generate(&short)
        .unwrap_err()
        .to_string()
        .contains("days"));
    let bad_domain = TenantSpec::new(1, "Bad", "not a domain", 10, 30, end());
    assert!(parapet_tenantgen::generate(&bad_domain)
        .unwrap_err()
        .to_string()
        .contains("domain"));
}

#[test]
fn logs_are_newest_first_and_inside_the_window() {
    let generated = generate(&everything(5));
    let snapshot = &generated.snapshot;
    let start = end() - chrono::Duration::days(150);
    let sign_ins: Vec<_> = snapshot
        .sign_ins
        .iter()
        .map(|s| s.created_date_time)
        .collect();
    let audits: Vec<_> = snapshot
        .audit_records
        .iter()
        .map(|r| r.creation_time)
        .collect();
    let directory: Vec<_> = snapshot
        .directory_audits
        .iter()
        .map(|d| d.activity_date_time)
        .collect();
    for (name, times) in [
        ("signIns", &sign_ins),
        ("auditRecords", &audits),
        ("directoryAudits", &directory),
    ] {
        assert!(
            times.windows(2).all(|w| w[0] >= w[1]),
            "{name} not newest first"
        );
        assert!(
            times.iter().all(|t| *t <= end() && *t >= start),
            "{name} outside the window"
        );
    }
}

/// The dental group's compromised account mailed its phish to the landscaping firm too: the
/// demo's Cross-Tenant Phish panel has copies to find.
#[test]
fn the_demo_phish_reached_a_second_tenant() {
    let demos = demo_tenants(end()).unwrap();
    let dental = &demos[0];
    let senders: Vec<&str> = dental
        .truth
        .compromised
        .iter()
        .map(|c| c.user_principal_name.as_str())
        .collect();
    let landscaping = &demos[1];
    let received: Vec<_> = landscaping
        .snapshot
        .messages
        .values()
        .flatten()
        .filter(|m| {
            m.from
                .as_ref()
                .and_then(|f| f.address())
                .is_some_and(|a| senders.contains(&a))
        })
        .collect();
    assert_eq!(received.len(), 3, "{received:?}");
    let id = received[0].internet_message_id.as_deref().unwrap();
    let home_copies = dental
        .snapshot
        .messages
        .values()
        .flatten()
        .filter(|m| m.internet_message_id.as_deref() == Some(id))
        .count();
    assert!(
        home_copies >= 5,
        "the phish, not everyday mail: {home_copies} copies at home"
    );
    assert!(received
        .iter()
        .all(|m| m.internet_message_id.as_deref() == Some(id)));
}
