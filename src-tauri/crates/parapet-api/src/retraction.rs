//! Step 2 copy by copy: finding the phish in the incident's tenant or in every other onboarded
//! tenant (the Cross-Tenant Phish panel), and moving the copies the technician selected.
//!
//! Each tenant is searched and changed with its own client only. A selection can only name
//! copies the search finds again for this incident's phish, so a crafted request cannot move
//! an arbitrary message. Every move is an action in the incident's log, under the tenant it
//! touched.

use std::collections::BTreeMap;

use crate::dto::{MessageRef, ObjectResult, PhishCopy, PhishScope, StepRequest, TenantCopies};
use crate::onboarding::tenant_client;
use crate::remediation::{object_result, remediate_error, StoreSink};
use crate::{ApiError, AppContext};
use parapet_remediate::{
    Clients, IncidentTarget, MessageCopy, PhishMessage, PlanOptions, RunContext, Step,
};
use parapet_store::{IncidentRow, TenantRow};

/// The copies of the incident's phish outside Deleted Items and Sent Items, per tenant.
pub async fn find_copies(
    context: &AppContext,
    incident_id: &str,
    scope: PhishScope,
) -> Result<Vec<TenantCopies>, ApiError> {
    let incident = context.store().incident(incident_id)?;
    let phish = known_phish(context, &incident)?;
    let tenants: Vec<TenantRow> = context
        .store()
        .tenants()?
        .into_iter()
        .filter(|t| (t.id == incident.tenant_id) == (scope == PhishScope::Home))
        .collect();
    let mut searches = tokio::task::JoinSet::new();
    for (index, tenant) in tenants.iter().enumerate() {
        let client = tenant_client(context, &tenant.id)?;
        let phish = phish.clone();
        searches.spawn(async move {
            let found = parapet_remediate::find_copies(&client, &phish).await;
            (index, found)
        });
    }
    let mut results: BTreeMap<usize, TenantCopies> = BTreeMap::new();
    while let Some(joined) = searches.join_next().await {
        let (index, found) =
            joined.map_err(|e| ApiError::new(crate::ErrorCode::Internal, e.to_string()))?;
        let tenant = &tenants[index];
        let (copies, error) = match found {
            Ok(copies) => (copies, None),
            Err(e) => (Vec::new(), Some(ApiError::from(e).message)),
        };
        results.insert(
            index,
            TenantCopies {
                tenant_id: tenant.id.clone(),
                tenant_name: tenant.display_name.clone(),
                home: tenant.id == incident.tenant_id,
                copies: copies.iter().map(|c| view(&tenant.id, c)).collect(),
                error,
            },
        );
    }
    Ok(results.into_values().collect())
}

/// Moves the selected copies, tenant by tenant, each with that tenant's client.
pub(crate) async fn retract_selected(
    context: &AppContext,
    home: &IncidentTarget,
    request: &StepRequest,
    run: &RunContext<'_>,
) -> Result<Vec<ObjectResult>, ApiError> {
    let phish = home.phish.clone().ok_or_else(|| {
        ApiError::invalid_input(
            "no phishing mail is known for this incident: tag it with Mark as Phish first",
        )
    })?;
    let mut by_tenant: BTreeMap<&str, Vec<&MessageRef>> = BTreeMap::new();
    for reference in &request.messages {
        by_tenant
            .entry(reference.tenant_id.as_str())
            .or_default()
            .push(reference);
    }
    let mut objects = Vec::new();
    for (tenant_id, wanted) in by_tenant {
        let tenant = context.store().tenant(tenant_id)?;
        let client = tenant_client(context, tenant_id)?;
        let found = parapet_remediate::find_copies(&client, &phish).await?;
        let selected: Vec<MessageCopy> = found
            .into_iter()
            .filter(|copy| {
                wanted
                    .iter()
                    .any(|w| w.mailbox_id == copy.mailbox_id && w.message_id == copy.message_id)
            })
            .collect();
        for missing in wanted.iter().filter(|w| {
            !selected
                .iter()
                .any(|c| w.mailbox_id == c.mailbox_id && w.message_id == c.message_id)
        }) {
            objects.push(ObjectResult {
                key: format!("2:message:{}:{}", missing.mailbox_id, missing.message_id),
                target: format!("message in mailbox {} ({})", missing.mailbox_id, tenant.display_name),
                request: "none".into(),
                outcome: "already_done".into(),
                message: Some(
                    "no longer outside Deleted Items (or not a copy of this phish): nothing to move"
                        .into(),
                ),
                guidance: None,
            });
        }
        if selected.is_empty() {
            continue;
        }
        let target = if tenant_id == home.tenant_id {
            home.clone()
        } else {
            elsewhere(home, tenant_id, phish.clone())
        };
        let options = PlanOptions {
            phish_copies: selected,
            ..PlanOptions::default()
        };
        let log = crate::remediation::records(context, &home.incident_id)?;
        let planned = parapet_remediate::plan(Step::RetractPhish, &target, &options, &log)
            .map_err(remediate_error)?;
        let mut sink = StoreSink { context };
        let outcome = parapet_remediate::apply(
            Clients {
                app: &client,
                delegated: None,
            },
            &target,
            &planned,
            &mut sink,
            run,
        )
        .await
        .map_err(remediate_error)?;
        objects.extend(outcome.objects.iter().map(|object| {
            let mut result = object_result(object);
            if tenant_id != home.tenant_id {
                result.target = format!("{} ({})", result.target, tenant.display_name);
            }
            result
        }));
    }
    Ok(objects)
}

/// The incident as seen from another tenant: only its phish and its log belong there.
fn elsewhere(home: &IncidentTarget, tenant_id: &str, phish: PhishMessage) -> IncidentTarget {
    IncidentTarget {
        tenant_id: tenant_id.to_string(),
        incident_id: home.incident_id.clone(),
        user_id: String::new(),
        upn: home.upn.clone(),
        on_premises_synced: false,
        entra_p1: false,
        break_glass: Vec::new(),
        artifacts: Vec::new(),
        phish: Some(phish),
    }
}

fn known_phish(context: &AppContext, incident: &IncidentRow) -> Result<PhishMessage, ApiError> {
    crate::remediation::phish(context, incident)?.ok_or_else(|| {
        ApiError::invalid_input(
            "no phishing mail is known for this incident: tag it with Mark as Phish first",
        )
    })
}

fn view(tenant_id: &str, copy: &MessageCopy) -> PhishCopy {
    PhishCopy {
        reference: MessageRef {
            tenant_id: tenant_id.to_string(),
            mailbox_id: copy.mailbox_id.clone(),
            message_id: copy.message_id.clone(),
        },
        mailbox: copy.mailbox.clone(),
        sender: copy.sender.clone().unwrap_or_default(),
        subject: copy.subject.clone().unwrap_or_default(),
        received: copy.received.map(|t| t.to_rfc3339()),
        folder: copy.folder.clone(),
    }
}
