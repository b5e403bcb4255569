use thiserror::Error;

/// Why remediation could not run at all (per-object failures are [`crate::Outcome::Failed`]).
#[derive(Debug, Error)]
pub enum RemediateError {
    #[error("refusing to act on tenant {target_tenant} with the credentials of tenant {client_tenant} (incident {incident})")]
    TenantMismatch {
        incident: String,
        target_tenant: String,
        client_tenant: String,
    },
    #[error("step {step} is not available yet: {reason}")]
    StepNotAvailable { step: u8, reason: String },
    #[error("unknown persistence artifact type {kind:?}")]
    UnknownArtifactKind { kind: String },
    #[error("the incident has no persistence artifact {id:?} to choose a removal for")]
    UnknownArtifact { id: String },
    #[error("the {kind} {id:?} cannot be {removal}d: Parapet only {offered}s it")]
    RemovalNotOffered {
        kind: String,
        id: String,
        removal: &'static str,
        offered: &'static str,
    },
    #[error("the planned action {key} belongs to incident {planned_incident}, not {incident}")]
    ForeignAction {
        key: String,
        planned_incident: String,
        incident: String,
    },
    #[error("the action log of incident {incident} could not be written or read: {source}")]
    Log {
        incident: String,
        #[source]
        source: SinkError,
    },
}

/// A failure of an [`crate::ActionSink`].
#[derive(Debug, Error)]
pub enum SinkError {
    #[error("record {sequence} does not extend the action log of incident {incident}")]
    NotNext { incident: String, sequence: u64 },
    #[error("the action log store failed: {message}")]
    Store { message: String },
}
