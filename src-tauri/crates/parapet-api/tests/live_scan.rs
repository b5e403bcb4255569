//! The live Scan through the api layer: collect from the simulator into SQLite, detect, record,
//! and Automatic Response on a tenant with Response on.

use parapet_api::dto::TenantFlags;
use parapet_api::{AppContext, ContextOptions, UrlOpener, Workspace};
use std::sync::Mutex;

fn keyring_available() -> bool {
    let probe = parapet_secrets::Keyring::open(format!("app.parapet.probe.{}", std::process::id()));
    match probe.check() {
        Ok(()) => true,
        Err(error) => {
            let ci = matches!(std::env::var("CI").as_deref(), Ok(v) if !v.is_empty() && v != "false" && v != "0");
            assert!(!ci, "the OS keyring is required in CI: {error}");
            eprintln!("LIVE SCAN TEST NOT RUN (outside CI): {error}; run ./dev test");
            false
        }
    }
}

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
    let simulator = parapet_simulator::start(parapet_simulator::SimConfig {
        snapshots: vec![generated.snapshot],
        consented: true,
        ..Default::default()
    })
    .await
    .unwrap();
    let control = simulator.control();
    let origin = simulator
        .base_urls()
        .login
        .trim_end_matches("/login")
        .to_string();
    let dir = tempfile::tempdir().unwrap();
    let context = AppContext::open(&ContextOptions {
        data_dir: Some(dir.path().to_path_buf()),
        workspace: Workspace::Real,
        microsoft_base: Some(origin),
        opener: UrlOpener::FollowInProcess,
    })
    .unwrap();
    parapet_api::partner::sign_in(&context).await.unwrap();
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

    // Response was on: steps 1 and 3 ran by themselves and say so in the log.
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
