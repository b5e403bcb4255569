//! The tenant list and the technician's per-tenant switches.

use crate::billing::volume_tier;
use crate::dto::{EntraLicence, TenantFlags, TenantOverview, TenantSummary};
use crate::{ApiError, AppContext};

/// Every onboarded tenant with the billable total and its volume tier.
pub fn list(context: &AppContext) -> Result<TenantOverview, ApiError> {
    let rows = context.store().tenants()?;
    let tenants: Vec<TenantSummary> = rows.into_iter().map(summary).collect();
    let billable_users = tenants.iter().map(|t| t.billable_users).sum::<u32>();
    let bounds = crate::settings::get(context)?.volume_tier_bounds;
    let tier = volume_tier(billable_users as usize, &bounds);
    Ok(TenantOverview {
        tenants,
        billable_users,
        volume_tier: u32::try_from(tier).unwrap_or(u32::MAX),
    })
}

/// Sets a tenant's Response, pause and Scan-only switches.
pub fn set_flags(
    context: &AppContext,
    tenant_id: &str,
    flags: TenantFlags,
) -> Result<TenantSummary, ApiError> {
    let store = context.store();
    store.set_tenant_flags(
        tenant_id,
        parapet_store::TenantFlags {
            response_enabled: flags.response_enabled,
            paused: flags.paused,
            scan_only: flags.scan_only,
        },
    )?;
    Ok(summary(store.tenant(tenant_id)?))
}

/// Removes a tenant and deletes everything Parapet recorded about it. The UI asks the
/// technician to confirm first; this is not undoable.
pub fn remove(context: &AppContext, tenant_id: &str) -> Result<(), ApiError> {
    context.store().remove_tenant(tenant_id)?;
    Ok(())
}

pub(crate) fn summary(row: parapet_store::TenantRow) -> TenantSummary {
    TenantSummary {
        id: row.id,
        display_name: row.display_name,
        default_domain: row.default_domain,
        flags: TenantFlags {
            response_enabled: row.flags.response_enabled,
            paused: row.flags.paused,
            scan_only: row.flags.scan_only,
        },
        entra_licence: match row.facts.entra_licence {
            parapet_store::EntraLicence::None => EntraLicence::None,
            parapet_store::EntraLicence::P1 => EntraLicence::P1,
            parapet_store::EntraLicence::P2 => EntraLicence::P2,
        },
        member_users: row.facts.member_users,
        billable_users: row.facts.billable_users,
        last_verified_at: row.facts.last_verified_at.map(|t| t.to_rfc3339()),
    }
}

/// How long a Scan-only tenant is monitored after onboarding before it pauses by itself.
pub const SCAN_ONLY_MONITORING_DAYS: i64 = 14;

/// Pauses every Scan-only tenant whose 14 days of monitoring are over; returns their ids.
/// Runs when a workspace opens and before each round of scans.
pub fn pause_expired_scan_only(
    context: &AppContext,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Vec<String>, ApiError> {
    let store = context.store();
    let mut paused = Vec::new();
    for tenant in store.tenants()? {
        let expired =
            now - tenant.onboarded_at >= chrono::Duration::days(SCAN_ONLY_MONITORING_DAYS);
        if tenant.flags.scan_only && !tenant.flags.paused && expired {
            store.set_tenant_flags(
                &tenant.id,
                parapet_store::TenantFlags {
                    paused: true,
                    ..tenant.flags
                },
            )?;
            paused.push(tenant.id);
        }
    }
    Ok(paused)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn scan_only_tenants_pause_after_fourteen_days_of_monitoring() {
        let dir = tempfile::tempdir().unwrap();
        let context = AppContext::open(&crate::ContextOptions::new(
            Some(dir.path().to_path_buf()),
            crate::Workspace::Real,
        ))
        .unwrap();
        let onboarded = chrono::Utc.with_ymd_and_hms(2026, 11, 1, 0, 0, 0).unwrap();
        for (id, scan_only) in [("scan-only", true), ("monitored", false)] {
            context
                .store()
                .upsert_tenant(&parapet_store::TenantRow {
                    id: id.into(),
                    display_name: id.into(),
                    default_domain: format!("{id}.example"),
                    onboarded_at: onboarded,
                    flags: parapet_store::TenantFlags {
                        scan_only,
                        ..Default::default()
                    },
                    facts: parapet_store::TenantFacts::default(),
                })
                .unwrap();
        }
        let day_13 = onboarded + chrono::Duration::days(13);
        assert!(pause_expired_scan_only(&context, day_13)
            .unwrap()
            .is_empty());
        let day_14 = onboarded + chrono::Duration::days(14);
        assert_eq!(
            pause_expired_scan_only(&context, day_14).unwrap(),
            ["scan-only"]
        );
        let listed = list(&context).unwrap().tenants;
        let flags = |id: &str| listed.iter().find(|t| t.id == id).unwrap().flags;
        assert!(flags("scan-only").paused);
        assert!(!flags("monitored").paused);
        assert!(pause_expired_scan_only(&context, day_14)
            .unwrap()
            .is_empty());
    }
}
