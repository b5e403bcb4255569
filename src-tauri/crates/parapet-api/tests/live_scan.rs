//! The live Scan through the api layer: collect from the simulator into SQLite, detect, record,
//! and Automatic Response on a tenant with Response on.

mod support;

use parapet_api::dto::TenantFlags;
use std::sync::Mutex;
use support::{keyring_available, signed_in};

#[tokio::test(flavor = "multi_thread")]
async fn live_scan_finds_the_attacker_and_response_contains_them() {
    if !keyring_available() {
        return;
    }
    let mut spec = parapet_tenantgen::TenantSpec::new(
        21,
        "Live Scan Test",
        "livescantest.example",
        12,
        30,
        chrono::Utc::now(),
    );
    spec.attacks = vec![parapet_tenantgen::AttackFamily::AitmInboxRulePhish];
    let generated = parapet_tenantgen::generate(&spec).unwrap();
    let victim = generated.truth.compromised[0].user_principal_name.clone();
    let rule_id = generated.truth.compromised[0].persistence[0].id.clone();
    let tenant_id = generated.snapshot.tenant.id.clone();
    let dir = tempfile::tempdir().unwrap();
    let (context, simulator) = signed_in(generated.snapshot, dir.path()).await;
    let control = simulator.control();
    parapet_api::onboarding::onboard(&context, &tenant_id)
        .await
        .unwrap();
    parapet_api::tenants::set_flags(
        &context,
        &tenant_id,
        TenantFlags {
            response_enabled: true,
            paused: false,
            scan_only: false,
        },
    )
    .unwrap();

    let ticks = Mutex::new(Vec::new());
    let summary = parapet_api::live_scan::scan_tenant(&context, &tenant_id, &|p| {
        ticks.lock().unwrap().push(p)
    })
    .await
    .unwrap();
    let ticks = ticks.into_inner().unwrap();
    assert!(ticks.len() > 3, "progress is reported as it goes");
    assert!(
        ticks.windows(2).all(|w| w[0].done <= w[1].done),
        "progress only moves forward"
    );
    assert_eq!(ticks.last().unwrap().done, ticks.last().unwrap().total);
    assert!(summary.incident_count >= 1);

    let incidents = parapet_api::incidents::list(&context, Some(&tenant_id)).unwrap();
    let incident = incidents
        .iter()
        .find(|i| i.user_principal_name == victim)
        .expect("the victim's incident");
    assert_eq!(incident.kind, "active_compromise");
    let detail = parapet_api::incidents::detail(&context, &incident.id).unwrap();
    assert!(
        detail.persistence.iter().any(|a| a.id == rule_id),
        "{:?}",
        detail.persistence
    );

    // Response was on: steps 1 and 3 (and 2, had the evidence named the phish) ran by
    // themselves and say so in the log.
    assert_eq!(incident.status, "active");
    assert_eq!(
        control.user(&tenant_id, &victim).unwrap()["accountEnabled"],
        false
    );
    let state = parapet_api::remediation::state(&context, &incident.id)
        .await
        .unwrap();
    assert!(
        state
            .actions
            .iter()
            .all(|a| a.actor == "Automatic Response"),
        "{:?}",
        state.actions
    );
    assert!(
        state.completed_steps.contains(&1) && state.completed_steps.contains(&3),
        "{:?} {:?}",
        state.completed_steps,
        state.actions
    );

    // A second scan fetches only what is new and raises nothing twice.
    let again = parapet_api::live_scan::scan_tenant(&context, &tenant_id, &|_| {})
        .await
        .unwrap();
    assert_eq!(
        parapet_api::incidents::list(&context, Some(&tenant_id))
            .unwrap()
            .len(),
        incidents.len()
    );
    assert!(again.incident_count >= 1);
    simulator.shutdown().await;
}
