//! Working an incident: the remediation steps through `parapet-remediate`, recorded in the
//! incident's hash-chained action log in SQLite.

use crate::dto::{ActionView, ObjectResult, RemediationState, StepRequest, StepResult};
use crate::onboarding::tenant_client;
use crate::{ApiError, AppContext, ErrorCode};
use chrono::{DateTime, Utc};
use parapet_remediate::log::is_reopen;
use parapet_remediate::{
    current_round, reopen_entry, ActionSink, Actor, Artifact, Clients, IncidentTarget, LogRecord,
    Mode, Outcome, Phase, PlanOptions, Removal, ReopenReason, RunContext, SinkError, Step,
};
use parapet_store::{EntraLicence, SettingKey};

mod persistence;

/// Runs one step as the signed-in technician (the log names them).
pub async fn run_step_as_technician(
    context: &AppContext,
    incident_id: &str,
    request: &StepRequest,
) -> Result<StepResult, ApiError> {
    let technician = context
        .store()
        .setting(SettingKey::TechnicianUpn)?
        .unwrap_or_else(|| "technician".to_string());
    run_step(context, incident_id, request, Actor::Technician(technician)).await
}

/// Runs one step of an incident for the technician (or Automatic Response) and records it.
pub async fn run_step(
    context: &AppContext,
    incident_id: &str,
    request: &StepRequest,
    actor: Actor,
) -> Result<StepResult, ApiError> {
    let step = Step::from_number(request.step)
        .ok_or_else(|| ApiError::invalid_input(format!("there is no step {}", request.step)))?;
    let incident = context.store().incident(incident_id)?;
    let _busy = context.claim(format!("incident:{incident_id}"), "a step of this incident")?;
    if incident.status == "unpublished" && !request.dry_run {
        return Err(ApiError::invalid_input(
            "publish the incident before remediating it",
        ));
    }
    let client = tenant_client(context, &incident.tenant_id)?;
    let target = target(context, &client, &incident).await?;
    let options = PlanOptions {
        inbox_rules: removal(request.delete_inbox_rules),
        devices: removal(request.delete_devices),
        inbound_connectors: removal(request.remove_mail_flow_rules),
        transport_rules: removal(request.remove_mail_flow_rules),
        artifact_removals: persistence::chosen(&request.removals),
        confirm_remove_only_method: request.confirm_remove_only_method,
        fresh_password_reset: request.fresh_password_reset,
        ..PlanOptions::default()
    };
    let log = records(context, incident_id)?;
    if step == Step::ResetPassword && !request.override_guard {
        let unresolved = unresolved_persistence(&target.artifacts, &log);
        if unresolved > 0 {
            return Err(ApiError::new(
                ErrorCode::InvalidInput,
                format!("step 3 still has {unresolved} unresolved item(s): the attacker may keep access after the reset; remove them first or override"),
            ));
        }
    }
    if !request.override_guard && !request.dry_run {
        let done = completed_steps(&log, &target.artifacts, &target.tenant_id);
        let blocked: Vec<u8> = match step {
            // Re-enabling before the reset would hand the account back to the attacker's password.
            Step::Reenable => vec![1, 4],
            Step::MarkRemediated => vec![1, 3, 4],
            _ => Vec::new(),
        }
        .into_iter()
        .filter(|needed| !done.contains(needed))
        .collect();
        if !blocked.is_empty() {
            let steps: Vec<String> = blocked.iter().map(u8::to_string).collect();
            return Err(ApiError::invalid_input(format!(
                "finish step {} first, or override",
                steps.join(" and ")
            )));
        }
    }
    let clock = chrono::Utc::now;
    let run = RunContext {
        actor,
        mode: if request.dry_run {
            Mode::DryRun
        } else {
            Mode::Execute
        },
        clock: &clock,
    };
    if step == Step::RetractPhish && !request.messages.is_empty() {
        let objects = crate::retraction::retract_selected(context, &target, request, &run).await?;
        return Ok(StepResult {
            step: request.step,
            objects,
            new_password: None,
        });
    }
    let mut planned = parapet_remediate::plan(step, &target, &options, &log)?;
    if !request.items.is_empty() {
        planned.retain(|action| request.items.contains(&action.key));
    }
    let mut sink = StoreSink { context };
    // Microsoft allows resetPassword (writeback for synced users) only to a delegated caller:
    // the technician, through GDAP. Without a sign-in the step explains what to do instead.
    let delegated = match step {
        Step::ResetPassword => match crate::partner::delegated_client(context, &incident.tenant_id)
        {
            Ok(client) => Some(client),
            Err(e) if e.code == ErrorCode::NotSignedIn => None,
            Err(e) => return Err(e),
        },
        _ => None,
    };
    let outcome = parapet_remediate::apply(
        Clients {
            app: &client,
            delegated: delegated.as_ref(),
        },
        &target,
        &planned,
        &mut sink,
        &run,
    )
    .await?;
    if step == Step::MarkRemediated && outcome.without_failures() && !request.dry_run {
        context
            .store()
            .set_incident_status(incident_id, "remediated", chrono::Utc::now())?;
    }
    Ok(StepResult {
        step: request.step,
        objects: outcome.objects.iter().map(object_result).collect(),
        new_password: outcome
            .new_password
            .map(parapet_secrets::Sensitive::into_inner),
    })
}

/// The incident's remediation progress and action log, with the chain verified.
pub async fn state(context: &AppContext, incident_id: &str) -> Result<RemediationState, ApiError> {
    let incident = context.store().incident(incident_id)?;
    let log = records(context, incident_id)?;
    let tampered = parapet_remediate::verify_chain(&log)
        .err()
        .map(|e| e.to_string());
    let artifacts = artifacts(&incident.detail)?;
    let completed_steps = completed_steps(&log, &artifacts, &incident.tenant_id);
    let unresolved = unresolved_persistence(&artifacts, &log);
    Ok(RemediationState {
        completed_steps,
        unresolved_persistence: u32::try_from(unresolved).unwrap_or(u32::MAX),
        actions: log.iter().map(action_view).collect(),
        tampered,
        persistence: persistence::steps(&artifacts, current_round(&log)),
    })
}

/// Who the reopen marker names as its actor.
const REOPENED_BY: &str = "Parapet scan";

/// Appends the marker that starts a new remediation round to `incident`'s action log, sealed
/// against its last record, through the same sink the steps write with. A log that already
/// ends in a marker (a reopen whose status change failed and is retried) gets no second one.
pub(crate) fn record_reopen(
    context: &AppContext,
    incident: &parapet_store::IncidentRow,
    reason: &ReopenReason,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    let log = records(context, &incident.id)?;
    if log.last().is_some_and(is_reopen) {
        return Ok(());
    }
    let marker = reopen_entry(now, REOPENED_BY, &incident.tenant_id, &incident.id, reason);
    let mut sink = StoreSink { context };
    sink.append(marker.seal(log.last())).map_err(|e| {
        ApiError::storage(format!(
            "the reopen marker could not be added to the action log of incident {}: {e}",
            incident.id
        ))
    })?;
    Ok(())
}

/// When the current round marked the incident remediated (step 6), if it did.
pub(crate) fn remediated_at(
    context: &AppContext,
    incident_id: &str,
) -> Result<Option<DateTime<Utc>>, ApiError> {
    let log = records(context, incident_id)?;
    Ok(current_round(&log)
        .iter()
        .rev()
        .find(|r| {
            r.step == Step::MarkRemediated.number()
                && r.phase == Phase::Finished
                && r.result.as_ref().is_some_and(Outcome::is_done)
        })
        .map(|r| r.time))
}

/// Steps whose every action finished (succeeded, already done, or skipped with guidance) in
/// the current round and the incident's own tenant: after a reopen, actions of earlier rounds
/// count for nothing. Step 3 of
/// an incident with no persistence left has nothing to do, so it counts as complete (a
/// reopened incident whose artifacts an earlier round removed can be closed again).
fn completed_steps(log: &[LogRecord], artifacts: &[Artifact], tenant_id: &str) -> Vec<u8> {
    let log = current_round(log);
    let mut completed_steps = Vec::new();
    for number in 1..=6u8 {
        let prefix = format!("{number}:");
        // Moves in the technician's other tenants do not finish this incident's step 2.
        let keys: std::collections::BTreeSet<&str> = log
            .iter()
            .filter(|r| r.action_key.starts_with(&prefix) && r.tenant_id == tenant_id)
            .map(|r| r.action_key.as_str())
            .collect();
        let nothing_to_do = number == Step::RemovePersistence.number() && artifacts.is_empty();
        // Moving selected copies leaves the rest: only the tenant-wide search-and-move
        // (`2:phish:…`) can say no copy is left.
        let tenant_wide = number != Step::RetractPhish.number()
            || keys.iter().any(|key| key.starts_with("2:phish:"));
        let all_done = (!keys.is_empty() || nothing_to_do)
            && tenant_wide
            && keys.iter().all(|key| {
                log.iter()
                    .rev()
                    .find(|r| r.action_key == *key && r.result.is_some())
                    .and_then(|r| r.result.as_ref())
                    // A skipped action is one Parapet cannot do (e.g. on-premises): its
                    // guidance is shown, and it does not hold the step open.
                    .is_some_and(|o| o.is_done() || matches!(o, Outcome::Skipped { .. }))
            });
        if all_done {
            completed_steps.push(number);
        }
    }
    completed_steps
}

async fn target(
    context: &AppContext,
    client: &parapet_graph::TenantClient,
    incident: &parapet_store::IncidentRow,
) -> Result<IncidentTarget, ApiError> {
    let user = client
        .user(
            &incident.user_principal_name,
            &["id", "userPrincipalName", "onPremisesSyncEnabled"],
        )
        .await?;
    let tenant = context.store().tenant(&incident.tenant_id)?;
    let break_glass = context
        .store()
        .setting(SettingKey::BreakGlassAccounts)?
        .map(|list| {
            list.split(',')
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect()
        })
        .unwrap_or_default();
    Ok(IncidentTarget {
        tenant_id: incident.tenant_id.clone(),
        incident_id: incident.id.clone(),
        user_id: user.id.clone().unwrap_or_default(),
        upn: incident.user_principal_name.clone(),
        on_premises_synced: user.on_premises_sync_enabled == Some(true),
        entra_p1: tenant.facts.entra_licence != EntraLicence::None,
        break_glass,
        artifacts: artifacts(&incident.detail)?,
        phish: phish(context, incident)?,
    })
}

fn artifacts(detail: &str) -> Result<Vec<Artifact>, ApiError> {
    let detail: serde_json::Value = serde_json::from_str(detail)
        .map_err(|e| ApiError::storage(format!("stored incident is corrupt: {e}")))?;
    Ok(detail["persistence"]
        .as_array()
        .map(|items| {
            items
                .iter()
                .filter_map(|item| serde_json::from_value(item.clone()).ok())
                .collect()
        })
        .unwrap_or_default())
}

/// Artifacts that no finished step-3 action of the current round has dealt with (whichever
/// removal was chosen).
fn unresolved_persistence(artifacts: &[Artifact], log: &[LogRecord]) -> usize {
    let log = current_round(log);
    artifacts
        .iter()
        .filter(|artifact| {
            !artifact.kind.removals().iter().any(|removal| {
                parapet_remediate::log::key_done(
                    log,
                    &parapet_remediate::persistence_key(artifact, *removal),
                )
            })
        })
        .count()
}

pub(crate) fn records(context: &AppContext, incident_id: &str) -> Result<Vec<LogRecord>, ApiError> {
    context
        .store()
        .actions(incident_id)?
        .iter()
        .map(|json| {
            serde_json::from_str(json).map_err(|e| {
                ApiError::storage(format!("action log of {incident_id} is corrupt: {e}"))
            })
        })
        .collect()
}

/// The action log on SQLite.
pub(crate) struct StoreSink<'a> {
    pub(crate) context: &'a AppContext,
}

impl ActionSink for StoreSink<'_> {
    fn append(&mut self, record: LogRecord) -> Result<(), SinkError> {
        let json = serde_json::to_string(&record).map_err(|e| SinkError::Store {
            message: e.to_string(),
        })?;
        self.context
            .store()
            .append_action(&record.incident_id, record.sequence, &json)
            .map_err(|e| SinkError::Store {
                message: e.to_string(),
            })
    }

    fn records(&self, incident_id: &str) -> Result<Vec<LogRecord>, SinkError> {
        records(self.context, incident_id).map_err(|e| SinkError::Store { message: e.message })
    }
}

fn removal(delete: bool) -> Removal {
    if delete {
        Removal::Delete
    } else {
        Removal::Disable
    }
}

pub(crate) fn object_result(object: &parapet_remediate::ObjectOutcome) -> ObjectResult {
    let (outcome, message) = outcome_text(&object.outcome);
    ObjectResult {
        key: object.key.clone(),
        target: object.target.clone(),
        request: object.request.clone(),
        outcome: outcome.to_string(),
        message,
        guidance: object.guidance.clone(),
    }
}

fn outcome_text(outcome: &Outcome) -> (&'static str, Option<String>) {
    match outcome {
        Outcome::Succeeded => ("succeeded", None),
        Outcome::AlreadyDone { why } => ("already_done", Some(why.clone())),
        Outcome::Failed { code, message } => ("failed", Some(format!("{code}: {message}"))),
        Outcome::Skipped { why } => ("skipped", Some(why.clone())),
        Outcome::DryRun { would } => ("dry_run", Some(would.clone())),
    }
}

fn action_view(record: &LogRecord) -> ActionView {
    ActionView {
        sequence: u32::try_from(record.sequence).unwrap_or(u32::MAX),
        time: record.time.to_rfc3339(),
        actor: record.actor.clone(),
        tenant_id: record.tenant_id.clone(),
        step: record.step,
        target: record.target.clone(),
        request: record.request.clone(),
        result: if is_reopen(record) {
            "reopened".to_string()
        } else {
            record
                .result
                .as_ref()
                .map_or("started".to_string(), |o| outcome_text(o).0.to_string())
        },
    }
}

/// The phish step 2 retracts: the technician's tag, else the one the evidence shows.
pub(crate) fn phish(
    context: &AppContext,
    incident: &parapet_store::IncidentRow,
) -> Result<Option<parapet_remediate::PhishMessage>, ApiError> {
    let detail: serde_json::Value = serde_json::from_str(&incident.detail)
        .map_err(|e| ApiError::storage(format!("stored incident is corrupt: {e}")))?;
    let tag = context.store().phish_tag(&incident.id)?;
    Ok(
        crate::phish::phish_view(&detail, tag.as_deref()).map(|view| {
            parapet_remediate::PhishMessage {
                internet_message_id: view.internet_message_id,
                sender: Some(view.sender),
                subject: Some(view.subject),
                sent: view
                    .sent
                    .as_deref()
                    .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
                    .map(|t| t.with_timezone(&chrono::Utc)),
            }
        }),
    )
}
