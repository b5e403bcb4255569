//! Tenant isolation: an action for tenant A runs only with tenant A's client.

use parapet_graph::{TenantClient, TenantId};

use crate::error::RemediateError;
use crate::model::IncidentTarget;
use crate::plan::PlannedAction;

/// Refuses, before any request, unless the target, every planned action and every client
/// belong to the same tenant and every action to the target's incident. Tenant ids compare
/// as [`TenantId`]s (case-insensitive): the target must name its tenant in the form the
/// client was built with (a GUID and a domain of the same tenant do not match).
pub fn check_tenant(
    target: &IncidentTarget,
    planned: &[PlannedAction],
    clients: &[&TenantClient],
) -> Result<(), RemediateError> {
    let mismatch = |client_tenant: String, target_tenant: &str| RemediateError::TenantMismatch {
        incident: target.incident_id.clone(),
        target_tenant: target_tenant.to_string(),
        client_tenant,
    };
    let wanted =
        TenantId::new(&target.tenant_id).map_err(|_| mismatch(String::new(), &target.tenant_id))?;
    for client in clients {
        if client.tenant() != &wanted {
            return Err(mismatch(client.tenant().to_string(), &target.tenant_id));
        }
    }
    for action in planned {
        let same = TenantId::new(&action.tenant_id).is_ok_and(|t| t == wanted);
        if !same {
            return Err(mismatch(wanted.to_string(), &action.tenant_id));
        }
        if action.incident_id != target.incident_id {
            return Err(RemediateError::ForeignAction {
                key: action.key.clone(),
                planned_incident: action.incident_id.clone(),
                incident: target.incident_id.clone(),
            });
        }
    }
    Ok(())
}
