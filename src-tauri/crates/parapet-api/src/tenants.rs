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
