//! Pure planning: which actions a step consists of, given the incident and the action log so
//! far. No I/O and no clock.

mod containment;
mod password;
pub use password::PASSWORD_METHOD_ID;
mod persistence;
pub use persistence::persistence_key;

use serde::{Deserialize, Serialize};

use crate::error::RemediateError;
use crate::log::{key_done, LogRecord};
use crate::model::{IncidentTarget, MessageCopy, PhishMessage, PlanOptions, Removal, Step};

/// One action of a step, with its stable key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlannedAction {
    /// Stable across runs: `{step}:{object}`, e.g. `3:oauth_grant:AVs6JuUD`.
    pub key: String,
    pub step: Step,
    pub tenant_id: String,
    pub incident_id: String,
    /// The object, for people: `inbox rule AQAAAJ5dZqA= of jane@contoso.com`.
    pub target: String,
    /// Method and path of the write (no body).
    pub request: String,
    pub operation: Operation,
    /// The current round of the log (after the last reopen marker) shows this action finished
    /// successfully.
    pub already_done: bool,
}

/// What an action does. Ids are Microsoft object ids unless named otherwise.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Operation {
    RevokeSessions {
        user_id: String,
    },
    DisableAccount {
        user_id: String,
    },
    EnableAccount {
        user_id: String,
    },
    /// A CA policy blocking exactly `user_id`, sparing `exclude` (break-glass accounts).
    CreateBlockPolicy {
        user_id: String,
        exclude: Vec<String>,
        display_name: String,
    },
    /// Deletes the step-1 policy: by id when the log has it, else by display name.
    DeleteBlockPolicy {
        policy_id: Option<String>,
        display_name: String,
    },
    /// Something Parapet cannot do; reported as Skipped with this instruction.
    Manual {
        instruction: String,
    },
    InboxRule {
        user_id: String,
        rule_id: String,
        removal: Removal,
    },
    ClearForwarding {
        mailbox: String,
    },
    DeleteOauthGrant {
        grant_id: String,
    },
    DisableServicePrincipal {
        service_principal_id: String,
    },
    /// `key_id` None: every password credential of the application.
    RemoveApplicationCredential {
        application_id: String,
        key_id: Option<String>,
    },
    Device {
        object_id: String,
        removal: Removal,
    },
    DeleteAuthMethod {
        user_id: String,
        method_id: String,
        /// The technician confirmed removal even if it is the user's only MFA method.
        confirmed_only_method: bool,
    },
    InboundConnector {
        identity: String,
        removal: Removal,
    },
    TransportRule {
        identity: String,
        removal: Removal,
    },
    RemoveMailboxPermission {
        identity: String,
        trustee: String,
    },
    ResetPassword {
        user_id: String,
        /// Synced users need `resetPassword` (writeback) with a delegated client.
        synced: bool,
        /// Reset although an earlier reset succeeded or may have happened.
        fresh: bool,
    },
    /// Moves every copy of the mail outside Deleted Items and Sent Items to Deleted Items.
    RetractPhish {
        phish: PhishMessage,
    },
    /// Moves one selected copy of the mail to Deleted Items.
    MoveMessage {
        mailbox_id: String,
        message_id: String,
    },
    MarkRemediated,
}

impl Operation {
    /// Run again even when the log shows it finished: a fresh password reset (asked for), and
    /// the whole-tenant retraction, which moves only what is left and so finds copies that
    /// arrived or were restored since.
    pub fn repeats(&self) -> bool {
        matches!(
            self,
            Operation::ResetPassword { fresh: true, .. } | Operation::RetractPhish { .. }
        )
    }
}

/// The actions of `step` for `target`; `log` is the incident's action log so far.
pub fn plan(
    step: Step,
    target: &IncidentTarget,
    options: &PlanOptions,
    log: &[LogRecord],
) -> Result<Vec<PlannedAction>, RemediateError> {
    let drafts = match step {
        Step::Contain => containment::contain(target),
        Step::RetractPhish if !options.phish_copies.is_empty() => {
            options.phish_copies.iter().map(move_copy).collect()
        }
        Step::RetractPhish => vec![retract(target)?],
        Step::RemovePersistence => persistence::remove(target, options)?,
        Step::ResetPassword => vec![password::reset(target, options)],
        Step::Reenable => containment::reenable(target, log),
        Step::MarkRemediated => vec![Draft {
            object: "remediated".into(),
            target: format!("incident {}", target.incident_id),
            request: "mark the incident remediated (no Microsoft call)".into(),
            operation: Operation::MarkRemediated,
        }],
    };
    Ok(drafts
        .into_iter()
        .map(|d| {
            let key = format!("{}:{}", step.number(), d.object);
            PlannedAction {
                already_done: !d.operation.repeats() && key_done(log, &key),
                key,
                step,
                tenant_id: target.tenant_id.clone(),
                incident_id: target.incident_id.clone(),
                target: d.target,
                request: d.request,
                operation: d.operation,
            }
        })
        .collect())
}

/// An action before it gets its key and incident fields.
struct Draft {
    /// The object part of the key.
    object: String,
    target: String,
    request: String,
    operation: Operation,
}

/// The display name of the step-1 block policy: found again by it after an interrupted run.
pub fn block_policy_name(target: &IncidentTarget) -> String {
    format!(
        "Parapet lockout {} (incident {})",
        target.upn, target.incident_id
    )
}

fn retract(target: &IncidentTarget) -> Result<Draft, RemediateError> {
    let unavailable = || RemediateError::StepNotAvailable {
        step: Step::RetractPhish.number(),
        reason:
            "the incident names no phishing message: give its Message-ID, or its sender and subject"
                .into(),
    };
    let phish = target.phish.clone().ok_or_else(unavailable)?;
    let object = match (&phish.internet_message_id, &phish.sender, &phish.subject) {
        (Some(id), ..) if !id.trim().is_empty() => format!("phish:{}", id.trim()),
        (_, Some(sender), Some(subject)) if !sender.trim().is_empty() => {
            format!("phish:{}|{}", sender.trim(), subject.trim())
        }
        _ => return Err(unavailable()),
    };
    Ok(Draft {
        object,
        target: "the phishing message in every mailbox".into(),
        request: "GET /v1.0/users/{id}/messages?$filter=…, POST /v1.0/users/{id}/messages/{id}/move deleteditems".into(),
        operation: Operation::RetractPhish { phish },
    })
}

fn move_copy(copy: &MessageCopy) -> Draft {
    Draft {
        object: format!("message:{}:{}", copy.mailbox_id, copy.message_id),
        target: format!(
            "message \"{}\" in {} ({})",
            copy.subject.as_deref().unwrap_or("(no subject)"),
            copy.mailbox,
            copy.folder
        ),
        request: "POST /v1.0/users/{id}/messages/{id}/move deleteditems".into(),
        operation: Operation::MoveMessage {
            mailbox_id: copy.mailbox_id.clone(),
            message_id: copy.message_id.clone(),
        },
    }
}
