//! Applying planned actions: resumable, idempotent, logged before and after every call.

use chrono::{DateTime, Utc};
use parapet_graph::TenantClient;

use crate::error::RemediateError;
use crate::execute::{execute, Executed};
use crate::isolation::check_tenant;
use crate::log::{key_state, ActionSink, KeyState, LogEntry, LogRecord, Phase};
use crate::model::{Actor, IncidentTarget, Step};
use crate::outcome::{ObjectOutcome, Outcome, StepOutcome};
use crate::plan::{Operation, PlannedAction};

/// Whether writes are sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Nothing is sent and nothing is logged; every pending action reports what it would do.
    DryRun,
    Execute,
}

/// The clients an incident's tenant is reached with.
#[derive(Debug, Clone, Copy)]
pub struct Clients<'a> {
    /// The app-only client (client credentials) of the incident's tenant.
    pub app: &'a TenantClient,
    /// A delegated (partner/GDAP) client of the same tenant, needed for `resetPassword` of
    /// synced users; `None` when the technician has not signed in.
    pub delegated: Option<&'a TenantClient>,
}

/// Who acts, when, and whether for real.
pub struct RunContext<'a> {
    pub actor: Actor,
    pub mode: Mode,
    /// The time written into each record.
    pub clock: &'a (dyn Fn() -> DateTime<Utc> + Send + Sync),
}

/// Applies `planned` (one step's actions from [`crate::plan()`]) to `target`'s tenant.
///
/// Refuses before any request when a client or action belongs to another tenant. Actions the
/// log's current round (after the last reopen marker) shows as finished are reported
/// AlreadyDone without a request; every other action gets
/// a `Started` record before its call and a `Finished` record after it. An action a previous
/// run started but never finished is re-checked against the tenant, except a password reset,
/// which is reported as possibly done (offer a fresh reset).
pub async fn apply(
    clients: Clients<'_>,
    target: &IncidentTarget,
    planned: &[PlannedAction],
    sink: &mut dyn ActionSink,
    run: &RunContext<'_>,
) -> Result<StepOutcome, RemediateError> {
    let mut all_clients = vec![clients.app];
    all_clients.extend(clients.delegated);
    check_tenant(target, planned, &all_clients)?;
    let step = planned.first().map_or(Step::MarkRemediated, |a| a.step);
    let mut outcome = StepOutcome {
        step,
        objects: Vec::new(),
        new_password: None,
    };
    for action in planned {
        let records = read(sink, target)?;
        let line = |outcome: Outcome, guidance: Option<String>| ObjectOutcome {
            key: action.key.clone(),
            target: action.target.clone(),
            request: action.request.clone(),
            outcome,
            guidance,
        };
        let state = key_state(&records, &action.key);
        match (&state, action.operation.repeats()) {
            (KeyState::Finished(done), false) if done.is_done() => {
                outcome.objects.push(line(
                    Outcome::AlreadyDone {
                        why: "finished in an earlier run".into(),
                    },
                    None,
                ));
                continue;
            }
            (KeyState::Interrupted, false)
                if matches!(action.operation, Operation::ResetPassword { .. }) =>
            {
                outcome.objects.push(line(
                    Outcome::Skipped {
                        why: "an earlier run was interrupted during the reset: a password may have been set; offer a fresh reset".into(),
                    },
                    None,
                ));
                continue;
            }
            // Guidance already given is not logged again on every re-run.
            (KeyState::Finished(given @ Outcome::Skipped { .. }), _)
                if matches!(action.operation, Operation::Manual { .. }) =>
            {
                outcome.objects.push(line(given.clone(), None));
                continue;
            }
            _ => {}
        }
        if run.mode == Mode::DryRun {
            let would = match &action.operation {
                Operation::Manual { instruction } => Outcome::Skipped {
                    why: instruction.clone(),
                },
                _ => Outcome::DryRun {
                    would: action.request.clone(),
                },
            };
            outcome.objects.push(line(would, None));
            continue;
        }
        let entry = |phase: Phase, executed: Option<&Executed>| LogEntry {
            time: (run.clock)(),
            actor: run.actor.to_string(),
            tenant_id: target.tenant_id.clone(),
            incident_id: target.incident_id.clone(),
            step: action.step.number(),
            action_key: action.key.clone(),
            target: action.target.clone(),
            request: action.request.clone(),
            phase,
            result: executed.map(|e| e.outcome.clone()),
            evidence: executed.and_then(|e| e.evidence.clone()),
            detail: executed.and_then(|e| e.detail.clone()),
        };
        // Guidance makes no call, so there is nothing to be interrupted: one record.
        let manual = matches!(action.operation, Operation::Manual { .. });
        if !manual {
            append(sink, target, entry(Phase::Started, None))?;
        }
        let executed = execute(clients, target, &action.operation).await;
        append(sink, target, entry(Phase::Finished, Some(&executed)))?;
        tracing::info!(
            incident = %target.incident_id,
            key = %action.key,
            outcome = outcome_name(&executed.outcome),
            "remediation action finished"
        );
        if executed.password.is_some() {
            outcome.new_password = executed.password;
        }
        outcome
            .objects
            .push(line(executed.outcome, executed.guidance));
    }
    Ok(outcome)
}

fn read(sink: &dyn ActionSink, target: &IncidentTarget) -> Result<Vec<LogRecord>, RemediateError> {
    sink.records(&target.incident_id)
        .map_err(|source| RemediateError::Log {
            incident: target.incident_id.clone(),
            source,
        })
}

fn append(
    sink: &mut dyn ActionSink,
    target: &IncidentTarget,
    entry: LogEntry,
) -> Result<(), RemediateError> {
    let records = read(sink, target)?;
    sink.append(entry.seal(records.last()))
        .map_err(|source| RemediateError::Log {
            incident: target.incident_id.clone(),
            source,
        })
}

fn outcome_name(outcome: &Outcome) -> &'static str {
    match outcome {
        Outcome::Succeeded => "succeeded",
        Outcome::AlreadyDone { .. } => "already done",
        Outcome::Failed { .. } => "failed",
        Outcome::Skipped { .. } => "skipped",
        Outcome::DryRun { .. } => "dry run",
    }
}
