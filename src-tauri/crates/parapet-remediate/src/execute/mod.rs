//! The Microsoft calls behind each operation. Every operation first fetches the object's
//! current JSON (kept as evidence), returns AlreadyDone when the object is already in the
//! desired state or gone, and only then writes.

mod copies;
mod directory;
mod mail;
mod password;
mod retract;
pub use copies::{find_copies, CopySearch, MailboxFailure, SAME_SENDER_AND_SUBJECT_WINDOW};

use parapet_graph::{ApiVersion, BatchRequest, GraphError, TenantClient};
use parapet_secrets::Sensitive;
use serde_json::Value;

use crate::apply::Clients;
use crate::model::IncidentTarget;
use crate::outcome::Outcome;
use crate::plan::Operation;

/// What one operation did.
pub(crate) struct Executed {
    pub outcome: Outcome,
    pub evidence: Option<Value>,
    pub detail: Option<Value>,
    pub guidance: Option<String>,
    /// Only from a password reset; goes to the caller, never to the log.
    pub password: Option<Sensitive<String>>,
}

impl Executed {
    pub fn new(outcome: Outcome) -> Self {
        Executed {
            outcome,
            evidence: None,
            detail: None,
            guidance: None,
            password: None,
        }
    }

    pub fn succeeded() -> Self {
        Executed::new(Outcome::Succeeded)
    }

    pub fn already(why: &str) -> Self {
        Executed::new(Outcome::AlreadyDone { why: why.into() })
    }

    pub fn failed(error: &GraphError) -> Self {
        Executed::new(failure(error))
    }

    pub fn evidence(mut self, evidence: Option<Value>) -> Self {
        self.evidence = evidence;
        self
    }

    pub fn detail(mut self, detail: Value) -> Self {
        self.detail = Some(detail);
        self
    }

    pub fn guidance(mut self, guidance: impl Into<String>) -> Self {
        self.guidance = Some(guidance.into());
        self
    }

    /// The result of a write: Succeeded, AlreadyDone when the object vanished meanwhile,
    /// otherwise Failed with Microsoft's code and message.
    pub fn from_write(result: Result<(), GraphError>, evidence: Option<Value>) -> Self {
        match result {
            Ok(()) => Executed::succeeded(),
            Err(e) if is_not_found(&e) => Executed::already("the object no longer exists"),
            Err(e) => Executed::failed(&e),
        }
        .evidence(evidence)
    }
}

pub(crate) async fn execute(
    clients: Clients<'_>,
    target: &IncidentTarget,
    operation: &Operation,
) -> Executed {
    let app = clients.app;
    match operation {
        Operation::RevokeSessions { user_id } => directory::revoke(app, user_id).await,
        Operation::DisableAccount { user_id } => directory::set_enabled(app, user_id, false).await,
        Operation::EnableAccount { user_id } => directory::set_enabled(app, user_id, true).await,
        Operation::CreateBlockPolicy {
            user_id,
            exclude,
            display_name,
        } => directory::create_block(app, user_id, exclude, display_name).await,
        Operation::DeleteBlockPolicy {
            policy_id,
            display_name,
        } => directory::delete_block(app, policy_id.as_deref(), display_name).await,
        Operation::Manual { instruction } => Executed::new(Outcome::Skipped {
            why: instruction.clone(),
        }),
        Operation::InboxRule {
            user_id,
            rule_id,
            removal,
        } => mail::inbox_rule(app, user_id, rule_id, *removal).await,
        Operation::ClearForwarding { mailbox } => mail::clear_forwarding(app, mailbox).await,
        Operation::DeleteOauthGrant { grant_id } => directory::delete_grant(app, grant_id).await,
        Operation::DisableServicePrincipal {
            service_principal_id,
        } => directory::disable_service_principal(app, service_principal_id).await,
        Operation::RemoveApplicationCredential {
            application_id,
            key_id,
        } => directory::remove_app_credential(app, application_id, key_id.as_deref()).await,
        Operation::Device { object_id, removal } => {
            directory::device(app, object_id, *removal).await
        }
        Operation::DeleteAuthMethod {
            user_id,
            method_id,
            confirmed_only_method,
        } => directory::delete_method(app, user_id, method_id, *confirmed_only_method).await,
        Operation::InboundConnector { identity, removal } => {
            mail::inbound_connector(app, identity, *removal).await
        }
        Operation::TransportRule { identity, removal } => {
            mail::transport_rule(app, identity, *removal).await
        }
        Operation::RemoveMailboxPermission { identity, trustee } => {
            mail::remove_permission(app, identity, trustee).await
        }
        Operation::ResetPassword {
            user_id, synced, ..
        } => password::reset(clients, target, user_id, *synced).await,
        Operation::RetractPhish { phish } => retract::retract(app, phish).await,
        Operation::MoveMessage {
            mailbox_id,
            message_id,
        } => retract::move_copy(app, mailbox_id, message_id).await,
        Operation::MarkRemediated => Executed::succeeded().detail(serde_json::json!({
            "state": "remediated",
        })),
    }
}

/// `GET` of one Graph object (through `$batch`, the client's generic request path);
/// `Ok(None)` when Microsoft says it does not exist.
pub(crate) async fn get_object(
    client: &TenantClient,
    relative_url: String,
) -> Result<Option<Value>, GraphError> {
    let mut answers = client
        .batch(
            ApiVersion::V1,
            vec![BatchRequest::get("object", relative_url)],
        )
        .await?;
    match answers.pop() {
        Some(Ok(item)) => Ok(Some(item.body.unwrap_or(Value::Null))),
        Some(Err(e)) if is_not_found(&e) => Ok(None),
        Some(Err(e)) => Err(e),
        None => Ok(None),
    }
}

/// Microsoft's "no such object", from Graph (404) or Exchange (a NotFound cmdlet error).
pub(crate) fn is_not_found(error: &GraphError) -> bool {
    match error {
        GraphError::NotFound { .. } => true,
        GraphError::BadRequest { code, message, .. } | GraphError::Api { code, message, .. } => {
            code.eq_ignore_ascii_case("NotFound")
                || code == "Request_ResourceNotFound"
                || code == "ErrorItemNotFound"
                || message.contains("couldn't be found")
        }
        _ => false,
    }
}

/// Microsoft's error code and message, kept verbatim for the technician.
pub(crate) fn failure(error: &GraphError) -> Outcome {
    let (code, message) = match error {
        GraphError::Unauthorized { code, message, .. }
        | GraphError::NoPremiumLicence { code, message, .. }
        | GraphError::Forbidden { code, message, .. }
        | GraphError::NotFound { code, message, .. }
        | GraphError::BadRequest { code, message, .. }
        | GraphError::Api { code, message, .. } => (code.clone(), message.clone()),
        GraphError::Throttled { .. } => ("TooManyRequests".into(), error.to_string()),
        GraphError::RetriesExhausted { status, .. } => (status.to_string(), error.to_string()),
        GraphError::Timeout { .. } => ("Timeout".into(), error.to_string()),
        GraphError::Transport { .. } => ("Transport".into(), error.to_string()),
        other => (String::new(), other.to_string()),
    };
    Outcome::Failed { code, message }
}

/// Percent-encodes one path segment.
pub(crate) fn seg(value: &str) -> String {
    parapet_graph::graph::query::segment(value)
}
