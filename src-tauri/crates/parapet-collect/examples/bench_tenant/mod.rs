//! The tenant the collect benchmarks page through, and the simulator serving it (shared by
//! `collect_bench` and `log_paging_bench`, so their figures describe the same tenant).

use chrono::{TimeZone, Utc};
use parapet_simulator::{RetentionMode, SimConfig, ThrottleMode};
use parapet_snapshot::Snapshot;

/// A generated tenant with every attack and look-alike, ending at a fixed time.
pub fn generate(users: usize, days: u32) -> Snapshot {
    let end = Utc.with_ymd_and_hms(2026, 11, 20, 17, 0, 0).unwrap();
    let spec = parapet_tenantgen::TenantSpec::new(
        42,
        "Northwind Traders",
        "northwindtraders.com",
        users,
        days,
        end,
    )
    .with_everything();
    parapet_tenantgen::generate(&spec)
        .expect("tenant generates")
        .snapshot
}

/// A consented simulator serving `snapshot` without throttling or background activity:
/// the simulator, the partner app's id and its secret.
pub async fn serve(snapshot: Snapshot) -> (parapet_simulator::RunningSimulator, String, String) {
    let tenant = snapshot.tenant.id.clone();
    let sim = parapet_simulator::start(SimConfig {
        snapshots: vec![snapshot],
        consented: true,
        throttle: ThrottleMode::Off,
        retention: RetentionMode::All,
        ..SimConfig::default()
    })
    .await
    .expect("simulator starts");
    sim.control().set_background_activity(false);
    let (client_id, secret) = sim.control().register_partner_app("Parapet bench");
    sim.control().set_consent(&tenant, true).expect("consent");
    (sim, client_id, secret)
}
