//! The tenant list.

use crate::dto::TenantSummary;
use crate::{ApiError, AppContext};

/// Every onboarded tenant, by name.
pub fn list(context: &AppContext) -> Result<Vec<TenantSummary>, ApiError> {
    let rows = context.store().tenants()?;
    Ok(rows
        .into_iter()
        .map(|row| TenantSummary {
            id: row.id,
            display_name: row.display_name,
            default_domain: row.default_domain,
            response_enabled: row.flags.response_enabled,
            paused: row.flags.paused,
            scan_only: row.flags.scan_only,
        })
        .collect())
}
