//! Opening a workspace: the real one as it is, or the demo workspace with its simulator.
//!
//! The demo workspace is rebuilt at every start: its tenants come from Parapet's own seeded
//! tenant generator (never from test scenarios), served by the built-in Graph simulator on
//! 127.0.0.1, and onboarded through the same sign-in and consent code a real tenant goes
//! through. Its data directory and keyring namespace are its own.

use crate::connection::UrlOpener;
use crate::{ApiError, AppContext, ContextOptions, ErrorCode, Workspace};
use chrono::{DurationRound, Utc};

/// Opens the workspace the options select, ready for use.
pub async fn open(options: &ContextOptions) -> Result<AppContext, ApiError> {
    let context = match options.workspace {
        Workspace::Real => AppContext::open(options)?,
        Workspace::Demo => open_demo(options).await?,
    };
    crate::tenants::pause_expired_scan_only(&context, Utc::now())?;
    Ok(context)
}

async fn open_demo(options: &ContextOptions) -> Result<AppContext, ApiError> {
    let data_dir = match &options.data_dir {
        Some(dir) => dir.clone(),
        None => crate::default_data_dir(Workspace::Demo)?,
    };
    // A fresh demo each start: the simulated Microsoft starts fresh too, so yesterday's
    // app registration and tokens would not exist there.
    for file in ["parapet.db", "parapet.db-wal", "parapet.db-shm"] {
        let path = data_dir.join(file);
        if path.exists() {
            std::fs::remove_file(&path).map_err(|e| {
                ApiError::storage(format!(
                    "cannot reset the demo workspace {}: {e}",
                    path.display()
                ))
            })?;
        }
    }
    // Whole hours keep the demo's data identical within an hour, whatever the start second.
    let end = Utc::now()
        .duration_trunc(chrono::Duration::hours(1))
        .map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))?;
    let tenants = parapet_tenantgen::demo_tenants(end).map_err(|e| {
        ApiError::new(
            ErrorCode::Internal,
            format!("cannot generate the demo tenants: {e}"),
        )
    })?;
    let simulator = parapet_simulator::start(parapet_simulator::SimConfig {
        snapshots: tenants
            .into_iter()
            .map(|generated| generated.snapshot)
            .collect(),
        consented: true,
        retention: parapet_simulator::RetentionMode::Realistic,
        ..parapet_simulator::SimConfig::default()
    })
    .await
    .map_err(|e| {
        ApiError::new(
            ErrorCode::Internal,
            format!("cannot start the demo's simulator: {e}"),
        )
    })?;
    let origin = simulator.origin().to_string();
    let context = AppContext::open(&ContextOptions {
        data_dir: Some(data_dir),
        workspace: Workspace::Demo,
        microsoft_base: Some(origin),
        opener: UrlOpener::FollowInProcess,
    })?
    .with_simulator(simulator);
    crate::partner::sign_in(&context).await?;
    for customer in crate::partner::customers(&context).await? {
        crate::onboarding::onboard(&context, &customer.tenant_id).await?;
    }
    Ok(context)
}

/// Scans every tenant that is not paused, one after another; returns the failures as
/// `(tenant id, message)` so one tenant's trouble does not stop the others.
pub async fn scan_all(context: &AppContext) -> Vec<(String, String)> {
    if let Err(error) = crate::tenants::pause_expired_scan_only(context, Utc::now()) {
        return vec![(String::new(), error.message)];
    }
    let tenants = match context.store().tenants() {
        Ok(tenants) => tenants,
        Err(error) => return vec![(String::new(), error.to_string())],
    };
    let mut failures = Vec::new();
    for tenant in tenants.into_iter().filter(|t| !t.flags.paused) {
        if let Err(error) = crate::live_scan::scan_tenant(context, &tenant.id, &|_| {}).await {
            failures.push((tenant.id, error.message));
        }
    }
    failures
}

/// How often monitoring scans every active tenant (each scan fetches only what is new).
pub const MONITOR_INTERVAL: std::time::Duration = std::time::Duration::from_secs(10 * 60);

/// Monitoring: scans every tenant that is not paused, then again every [`MONITOR_INTERVAL`],
/// for as long as the app runs. `report` hears of each tenant whose scan failed.
pub async fn monitor(context: &AppContext, report: &(dyn Fn(&str, &str) + Sync)) {
    loop {
        for (tenant, message) in scan_all(context).await {
            report(&tenant, &message);
        }
        tokio::time::sleep(MONITOR_INTERVAL).await;
    }
}
