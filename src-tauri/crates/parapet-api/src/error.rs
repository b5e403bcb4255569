use serde::Serialize;
use ts_rs::TS;

/// A failure as the UI sees it: a code it may branch on and a message it shows as text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS, thiserror::Error)]
#[error("{message}")]
pub struct ApiError {
    /// What kind of failure, for the UI to branch on.
    pub code: ErrorCode,
    /// A sentence for the technician; never contains a secret.
    pub message: String,
}

/// The failure kinds the UI handles differently. Add a variant only when a caller branches on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The request named something that does not exist.
    NotFound,
    /// The request itself was invalid (bad value, malformed file).
    InvalidInput,
    /// The data directory or database failed.
    Storage,
    /// The OS keyring is missing, locked or refused access.
    KeyringUnavailable,
    /// The technician must sign in (again) to the partner tenant.
    NotSignedIn,
    /// The tenant has not (or no longer) consented to the MSP's app.
    NotConsented,
    /// Microsoft refused for lack of a permission, role or licence.
    PermissionMissing,
    /// Microsoft kept throttling; try again later.
    Throttled,
    /// Microsoft could not be reached, or answered with an error it explains in the message.
    Microsoft,
    /// A wait ran out (e.g. nobody completed the consent page).
    Timeout,
    /// The same scan or remediation step is already running.
    Busy,
    /// A bug or an unexpected state.
    Internal,
}

impl ApiError {
    /// An error with a code and message.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }

    /// The request was invalid.
    pub fn invalid_input(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::InvalidInput, message)
    }

    /// Storage failed.
    pub fn storage(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::Storage, message)
    }
}

impl From<parapet_store::StoreError> for ApiError {
    fn from(error: parapet_store::StoreError) -> Self {
        let code = match error {
            parapet_store::StoreError::NotFound { .. } => ErrorCode::NotFound,
            _ => ErrorCode::Storage,
        };
        Self::new(code, error.to_string())
    }
}

impl From<parapet_secrets::SecretsError> for ApiError {
    fn from(error: parapet_secrets::SecretsError) -> Self {
        Self::new(ErrorCode::KeyringUnavailable, error.to_string())
    }
}

impl From<parapet_snapshot::SnapshotError> for ApiError {
    fn from(error: parapet_snapshot::SnapshotError) -> Self {
        Self::new(ErrorCode::InvalidInput, error.to_string())
    }
}

impl From<parapet_graph::GraphError> for ApiError {
    fn from(error: parapet_graph::GraphError) -> Self {
        use parapet_graph::GraphError as G;
        let code = match &error {
            G::NotConsented { .. } => ErrorCode::NotConsented,
            G::SignInExpired { .. } | G::InteractionRequired { .. } | G::Unauthorized { .. } => {
                ErrorCode::NotSignedIn
            }
            G::Forbidden { .. } | G::NoPremiumLicence { .. } => ErrorCode::PermissionMissing,
            G::Throttled { .. } => ErrorCode::Throttled,
            G::TenantNotFound { .. } | G::BadRequest { .. } | G::Config { .. } => {
                ErrorCode::InvalidInput
            }
            G::NotFound { .. } => ErrorCode::NotFound,
            G::Timeout { .. } => ErrorCode::Timeout,
            _ => ErrorCode::Microsoft,
        };
        // GraphError messages carry Microsoft's own error text and never a token or secret.
        Self::new(code, error.to_string())
    }
}

impl From<parapet_collect::CollectError> for ApiError {
    fn from(error: parapet_collect::CollectError) -> Self {
        use parapet_collect::CollectError as C;
        let message = error.to_string();
        match error {
            // Microsoft's failure decides the code (consent, sign-in, permission, throttling);
            // the message keeps which source of which tenant it was.
            C::Graph { error, .. } => Self::new(ApiError::from(*error).code, message),
            C::Store { .. } | C::StoreLock { .. } => Self::storage(message),
            C::Task { .. } => Self::new(ErrorCode::Internal, message),
        }
    }
}

impl From<parapet_remediate::RemediateError> for ApiError {
    fn from(error: parapet_remediate::RemediateError) -> Self {
        use parapet_remediate::RemediateError as R;
        let code = match &error {
            R::StepNotAvailable { .. } | R::UnknownArtifactKind { .. } => ErrorCode::InvalidInput,
            // The technician's step-3 choices name an artifact or removal that does not apply.
            R::UnknownArtifact { .. } | R::RemovalNotOffered { .. } => ErrorCode::InvalidInput,
            R::Log { .. } => ErrorCode::Storage,
            // Refused before any request: a bug, never something the technician caused.
            R::TenantMismatch { .. } | R::ForeignAction { .. } => ErrorCode::Internal,
        };
        Self::new(code, error.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn engine_errors_keep_a_code_the_ui_can_act_on() {
        let not_consented = parapet_collect::CollectError::Graph {
            tenant: "t".into(),
            what: "signIns",
            error: Box::new(parapet_graph::GraphError::NotConsented {
                tenant: "t".into(),
                description: "AADSTS65001".into(),
            }),
        };
        let error = ApiError::from(not_consented);
        assert_eq!(error.code, ErrorCode::NotConsented);
        assert!(error.message.contains("signIns"), "{}", error.message);
        let lock = parapet_collect::CollectError::StoreLock { tenant: "t".into() };
        assert_eq!(ApiError::from(lock).code, ErrorCode::Storage);
        let early = parapet_remediate::RemediateError::StepNotAvailable {
            step: 2,
            reason: "no phish".into(),
        };
        assert_eq!(ApiError::from(early).code, ErrorCode::InvalidInput);
        let mismatch = parapet_remediate::RemediateError::TenantMismatch {
            incident: "i".into(),
            target_tenant: "a".into(),
            client_tenant: "b".into(),
        };
        assert_eq!(ApiError::from(mismatch).code, ErrorCode::Internal);
    }
}
