//! A tenant without Entra ID P1 (realistic retention): the sign-in log API answers 403, the
//! summary says sign-in evidence came from the audit log, and detection still runs on it.

use parapet_collect::SourceStatus;
use parapet_simulator::{RetentionMode, ThrottleMode};
use parapet_store::EntraLicence;

use crate::support::{generated, rebuilt, store_for, Sim};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_p1_sign_in_evidence_comes_from_the_audit_log() {
    let snapshot = generated(5, 20, 21, false);
    assert!(!snapshot.tenant.licenses.entra_id_p1);
    let tenant = snapshot.tenant.id.clone();
    let sim = Sim::start(
        vec![snapshot.clone()],
        RetentionMode::Realistic,
        ThrottleMode::Off,
        0.0,
    )
    .await;

    // The stored licence may be stale (P1 lapsed): the 403 itself decides.
    for (licence, asks) in [(EntraLicence::P1, true), (EntraLicence::None, false)] {
        let dir = tempfile::tempdir().unwrap();
        let store = store_for(dir.path(), &snapshot);
        let mut options = sim.options(&snapshot);
        options.licence = licence;
        let (summary, _) = sim.collect(&store, &tenant, &options).await;

        let sign_ins = summary.source("signIns").unwrap();
        assert!(
            matches!(&sign_ins.status, SourceStatus::Unavailable(why) if why.contains("audit log")),
            "{sign_ins:?}"
        );
        assert!(summary.sign_ins_from_audit_log());
        assert!(
            summary
                .notes
                .iter()
                .any(|n| n.contains("sign-in evidence from the audit log")),
            "{:?}",
            summary.notes
        );
        // Only the asking run saw Microsoft's refusal.
        assert_eq!(
            summary
                .notes
                .iter()
                .any(|n| n.contains("P1") && n.contains("needs")),
            asks,
            "{:?}",
            summary.notes
        );

        let collected = rebuilt(&store, &snapshot);
        assert!(collected.sign_ins.is_empty());
        let logons = collected
            .audit_records
            .iter()
            .filter(|r| r.operation == "UserLoggedIn" || r.operation == "UserLoginFailed")
            .count();
        assert!(logons > 0, "the audit log carries the sign-ins");
        assert_eq!(collected.audit_records.len(), snapshot.audit_records.len());

        let report = parapet_detect::scan(
            &collected,
            parapet_ipintel::IpIntel::embedded(),
            snapshot.tenant.snapshot_time,
        );
        assert_eq!(report.tenant.id, tenant);
        let direct = parapet_detect::scan(
            &snapshot,
            parapet_ipintel::IpIntel::embedded(),
            snapshot.tenant.snapshot_time,
        );
        eprintln!(
            "non-P1: {} incidents from collected evidence, {} from the snapshot",
            report.incidents.len(),
            direct.incidents.len()
        );
        assert!(
            !report.incidents.is_empty(),
            "detection runs on audit-log sign-ins"
        );
    }
}
