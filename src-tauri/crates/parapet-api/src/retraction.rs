//! Step 2 copy by copy: finding the phish in the incident's tenant or in every other onboarded
//! tenant (the Cross-Tenant Phish panel), and moving the copies the technician selected.
//!
//! Each tenant is searched and changed with its own client only. A selection can only name
//! copies the search finds again for this incident's phish, so a crafted request cannot move
//! an arbitrary message. Every move is an action in the incident's log, under the tenant it
//! touched. One tenant failing never hides what happened in the others: its copies come back
//! as failed, with Microsoft's error.

use std::collections::BTreeMap;

use crate::dto::{
    CopyMatch, MessageRef, ObjectResult, PhishCopy, PhishScope, StepRequest, TenantCopies,
};
use crate::onboarding::tenant_client;
use crate::remediation::{object_result, records, StoreSink};
use crate::{ApiError, AppContext};
use parapet_remediate::log::{key_state, KeyState};
use parapet_remediate::{
    Clients, CopySearch, IncidentTarget, MatchedBy, MessageCopy, PhishMessage, PlanOptions,
    RunContext, Step,
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
            Ok(search) => {
                let error = partial(&search);
                (search.copies, error)
            }
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
    let phish = home.phish.clone().ok_or_else(no_phish)?;
    let mut by_tenant: BTreeMap<&str, Vec<&MessageRef>> = BTreeMap::new();
    for reference in &request.messages {
        by_tenant
            .entry(reference.tenant_id.as_str())
            .or_default()
            .push(reference);
    }
    let mut objects = Vec::new();
    for (tenant_id, wanted) in by_tenant {
        match retract_in(context, home, &phish, tenant_id, &wanted, run).await {
            Ok(done) => objects.extend(done),
            Err(error) => objects.extend(wanted.iter().map(|w| {
                unmoved(
                    w,
                    tenant_id,
                    "failed",
                    format!("nothing was moved in this tenant: {}", error.message),
                )
            })),
        }
    }
    Ok(objects)
}

async fn retract_in(
    context: &AppContext,
    home: &IncidentTarget,
    phish: &PhishMessage,
    tenant_id: &str,
    wanted: &[&MessageRef],
    run: &RunContext<'_>,
) -> Result<Vec<ObjectResult>, ApiError> {
    let tenant = context.store().tenant(tenant_id)?;
    let client = tenant_client(context, tenant_id)?;
    let search = parapet_remediate::find_copies(&client, phish).await?;
    let log = records(context, &home.incident_id)?;
    let same = |w: &MessageRef, mailbox: &str, message: &str| {
        w.mailbox_id == mailbox && w.message_id == message
    };
    let mut selected: Vec<MessageCopy> = search
        .copies
        .iter()
        .filter(|c| wanted.iter().any(|w| same(w, &c.mailbox_id, &c.message_id)))
        .cloned()
        .collect();
    let mut objects = Vec::new();
    for w in wanted {
        if selected
            .iter()
            .any(|c| same(w, &c.mailbox_id, &c.message_id))
        {
            continue;
        }
        let key = format!("2:message:{}:{}", w.mailbox_id, w.message_id);
        if let Some(failure) = search
            .failures
            .iter()
            .find(|f| f.mailbox_id == w.mailbox_id)
        {
            // Not found because the mailbox could not be searched: say so, never "done".
            objects.push(unmoved(
                w,
                &tenant.display_name,
                "failed",
                format!(
                    "the mailbox {} could not be searched: {}; run the step again",
                    failure.mailbox, failure.error
                ),
            ));
        } else if key_state(&log, &key) == KeyState::Interrupted {
            // A move that stopped mid-call: resume it, so the log records how it ended.
            selected.push(MessageCopy {
                mailbox_id: w.mailbox_id.clone(),
                mailbox: w.mailbox_id.clone(),
                message_id: w.message_id.clone(),
                internet_message_id: None,
                sender: None,
                subject: None,
                received: None,
                folder: "unknown folder".into(),
                matched_by: MatchedBy::MessageId,
            });
        } else {
            objects.push(unmoved(
                w,
                &tenant.display_name,
                "already_done",
                "no longer outside Deleted Items (or not a copy of this phish): nothing to move"
                    .into(),
            ));
        }
    }
    if selected.is_empty() {
        return Ok(objects);
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
    let planned = parapet_remediate::plan(Step::RetractPhish, &target, &options, &log)?;
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
    .await?;
    objects.extend(outcome.objects.iter().map(|object| {
        let mut result = object_result(object);
        if tenant_id != home.tenant_id {
            result.target = format!("{} ({})", result.target, tenant.display_name);
        }
        result
    }));
    Ok(objects)
}

/// A selected copy that was not moved, and why.
fn unmoved(w: &MessageRef, tenant: &str, outcome: &str, message: String) -> ObjectResult {
    ObjectResult {
        key: format!("2:message:{}:{}", w.mailbox_id, w.message_id),
        target: format!("message in mailbox {} ({tenant})", w.mailbox_id),
        request: "none".into(),
        outcome: outcome.into(),
        message: Some(message),
        guidance: None,
    }
}

/// Mailboxes a search could not look into, for the panel.
fn partial(search: &CopySearch) -> Option<String> {
    let first = search.failures.first()?;
    Some(format!(
        "{} mailbox(es) could not be searched, first {}: {}",
        search.failures.len(),
        first.mailbox,
        first.error
    ))
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

fn no_phish() -> ApiError {
    ApiError::invalid_input(
        "no phishing mail is known for this incident: tag it with Mark as Phish first",
    )
}

fn known_phish(context: &AppContext, incident: &IncidentRow) -> Result<PhishMessage, ApiError> {
    crate::remediation::phish(context, incident)?.ok_or_else(no_phish)
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
        matched_by: match copy.matched_by {
            MatchedBy::MessageId => CopyMatch::MessageId,
            MatchedBy::SenderAndSubject => CopyMatch::SenderAndSubject,
        },
    }
}
