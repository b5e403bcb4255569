//! Scans: the detection engine over a tenant's evidence.

use crate::dto::{ScanSummary, TargetedUserView};
use crate::{ApiError, AppContext, ErrorCode};
use chrono::Utc;
use parapet_detect::ScanReport;
use std::path::Path;

/// Scans a tenant snapshot directory offline: no network, no keyring, no data directory.
///
/// The snapshot's own `snapshotTime` is "now" for the scan, so a snapshot scanned today and
/// next year gives the same incidents with the same ids.
pub fn scan_snapshot_dir(dir: &Path) -> Result<ScanReport, ApiError> {
    let snapshot = parapet_snapshot::read(dir)?;
    let now = snapshot.tenant.snapshot_time;
    Ok(parapet_detect::scan(
        &snapshot,
        parapet_ipintel::IpIntel::embedded(),
        now,
    ))
}

/// Imports a snapshot directory into the workspace as a tenant for offline review: the tenant
/// is added (Response off, paused: nothing is polled) and its evidence scanned; incidents land
/// in the incident list. Returns the scan's summary.
pub fn import_snapshot_dir(context: &AppContext, dir: &Path) -> Result<ScanSummary, ApiError> {
    let snapshot = parapet_snapshot::read(dir)?;
    let facts = crate::onboarding::facts_from_snapshot(&snapshot);
    let tenant = &snapshot.tenant;
    {
        let store = context.store();
        let existing = store.tenant(&tenant.id).ok();
        // An offline snapshot must never drive live remediation of an onboarded tenant: its
        // incidents would name objects from the file, acted on with the tenant's credentials.
        if existing
            .as_ref()
            .is_some_and(|t| t.facts.last_verified_at.is_some())
        {
            return Err(ApiError::invalid_input(format!(
                "{} is onboarded live; scan it instead of importing a snapshot of it",
                tenant.display_name
            )));
        }
        store.upsert_tenant(&parapet_store::TenantRow {
            id: tenant.id.clone(),
            display_name: tenant.display_name.clone(),
            default_domain: tenant.default_domain_name.clone(),
            onboarded_at: Utc::now(),
            flags: existing.map_or(
                parapet_store::TenantFlags {
                    paused: true,
                    ..Default::default()
                },
                |t| t.flags,
            ),
            facts,
        })?;
    }
    let report = parapet_detect::scan(
        &snapshot,
        parapet_ipintel::IpIntel::embedded(),
        tenant.snapshot_time,
    );
    record_report(context, &tenant.id, &report, &snapshot).map(|(summary, _)| summary)
}

/// Stores a scan's report: incidents and the scan summary; also returns the new incidents' ids.
pub(crate) fn record_report(
    context: &AppContext,
    tenant_id: &str,
    report: &ScanReport,
    snapshot: &parapet_snapshot::Snapshot,
) -> Result<(ScanSummary, Vec<String>), ApiError> {
    let now = Utc::now();
    let raised = crate::incidents::record(context, tenant_id, report, snapshot, now)?;
    let summary = ScanSummary {
        tenant_id: tenant_id.to_string(),
        finished_at: now.to_rfc3339(),
        coverage_from: report.tenant.coverage.from.map(|t| t.to_rfc3339()),
        coverage_to: report.tenant.coverage.to.map(|t| t.to_rfc3339()),
        sources: report.tenant.coverage.sources.clone(),
        incident_count: u32::try_from(report.incidents.len()).unwrap_or(u32::MAX),
        targeted_users: report
            .targeted_users
            .iter()
            .map(|t| TargetedUserView {
                user_principal_name: t.user_principal_name.clone(),
                failed_attempts: u32::try_from(t.failed_attempts).unwrap_or(u32::MAX),
            })
            .collect(),
    };
    let json = serde_json::to_string(&summary)
        .map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))?;
    context.store().record_scan(tenant_id, now, &json)?;
    Ok((summary, raised))
}

/// The latest scan of a tenant, if it was scanned.
pub fn last(context: &AppContext, tenant_id: &str) -> Result<Option<ScanSummary>, ApiError> {
    let Some((_, json)) = context.store().last_scan(tenant_id)? else {
        return Ok(None);
    };
    // The stored summary is this same type, written by `record_report`.
    serde_json::from_str(&json)
        .map(Some)
        .map_err(|e| ApiError::storage(format!("the stored scan of {tenant_id} is corrupt: {e}")))
}
