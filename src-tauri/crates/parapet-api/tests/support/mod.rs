//! What the api tests share: the keyring rule and a workspace signed in to a simulator.

use parapet_api::{AppContext, ContextOptions, UrlOpener, Workspace};
use parapet_simulator::RunningSimulator;

/// Whether the real OS keyring works here; under CI its absence fails the test.
pub fn keyring_available() -> bool {
    let probe = parapet_secrets::Keyring::open(format!("app.parapet.probe.{}", std::process::id()));
    match probe.check() {
        Ok(()) => true,
        Err(error) => {
            let ci = matches!(std::env::var("CI").as_deref(), Ok(v) if !v.is_empty() && v != "false" && v != "0");
            assert!(!ci, "the OS keyring is required in CI: {error}");
            eprintln!("KEYRING TEST NOT RUN (outside CI): {error}; run ./dev test");
            false
        }
    }
}

/// A simulator serving `snapshot` (consented), and a workspace in `dir` whose technician
/// signed in to it (which also created the MSP app).
#[allow(dead_code)] // not every test binary uses every helper
pub async fn signed_in(
    snapshot: parapet_snapshot::Snapshot,
    dir: &std::path::Path,
) -> (AppContext, RunningSimulator) {
    signed_in_to_all(vec![snapshot], dir).await
}

/// As [`signed_in`], with several customer tenants.
pub async fn signed_in_to_all(
    snapshots: Vec<parapet_snapshot::Snapshot>,
    dir: &std::path::Path,
) -> (AppContext, RunningSimulator) {
    let simulator = parapet_simulator::start(parapet_simulator::SimConfig {
        snapshots,
        consented: true,
        ..Default::default()
    })
    .await
    .unwrap();
    let origin = simulator.origin().to_string();
    let context = AppContext::open(&ContextOptions {
        data_dir: Some(dir.to_path_buf()),
        workspace: Workspace::Real,
        microsoft_base: Some(origin),
        opener: UrlOpener::FollowInProcess,
    })
    .unwrap();
    parapet_api::partner::sign_in(&context).await.unwrap();
    (context, simulator)
}

/// A small tenant (10 users, the 30 days up to now) whose one attack is AiTM phishing that
/// leaves an inbox rule: the incident most remediation tests work.
#[allow(dead_code)] // not every test binary uses every helper
pub fn aitm_tenant(seed: u64, name: &str, domain: &str) -> parapet_tenantgen::Generated {
    let mut spec =
        parapet_tenantgen::TenantSpec::new(seed, name, domain, 10, 30, chrono::Utc::now());
    spec.attacks = vec![parapet_tenantgen::AttackFamily::AitmInboxRulePhish];
    parapet_tenantgen::generate(&spec).unwrap()
}

/// Onboards `tenant_id`, scans it live, and returns `victim`'s incident.
#[allow(dead_code)]
pub async fn onboard_and_scan(
    context: &AppContext,
    tenant_id: &str,
    victim: &str,
) -> parapet_api::dto::IncidentSummary {
    parapet_api::onboarding::onboard(context, tenant_id)
        .await
        .unwrap();
    parapet_api::live_scan::scan_tenant(context, tenant_id, &|_| {})
        .await
        .unwrap();
    parapet_api::incidents::list(context, Some(tenant_id))
        .unwrap()
        .into_iter()
        .find(|i| i.user_principal_name == victim)
        .expect("an incident for the victim")
}
