use std::time::Duration;

/// Everything that can go wrong talking to Microsoft.
///
/// Messages name the request (`what`, e.g. `GET /v1.0/users`) and keep Microsoft's own error code
/// and message, which the UI shows verbatim. They never contain a token, secret or password:
/// values that went out in a request are scrubbed from anything Microsoft echoes back.
#[derive(Debug, thiserror::Error)]
pub enum GraphError {
    #[error("Microsoft kept throttling {what} after {attempts} attempts (last Retry-After {retry_after:?}); try again later")]
    Throttled {
        what: String,
        retry_after: Option<Duration>,
        attempts: u32,
    },
    #[error("{what} still failed with HTTP {status} after {attempts} attempts")]
    RetriesExhausted {
        what: String,
        status: u16,
        attempts: u32,
    },
    #[error("Microsoft rejected the access token for {what}: {code}: {message}")]
    Unauthorized {
        what: String,
        code: String,
        message: String,
    },
    #[error("{what} needs an Entra ID P1 or P2 licence in this tenant: {code}: {message}")]
    NoPremiumLicence {
        what: String,
        code: String,
        message: String,
    },
    #[error("{what} was refused (insufficient permissions or roles): {code}: {message}")]
    Forbidden {
        what: String,
        code: String,
        message: String,
    },
    #[error("{what} found nothing: {code}: {message}")]
    NotFound {
        what: String,
        code: String,
        message: String,
    },
    #[error("{what} was rejected as invalid: {code}: {message}")]
    BadRequest {
        what: String,
        code: String,
        message: String,
    },
    #[error("{what} failed with HTTP {status}: {code}: {message}")]
    Api {
        what: String,
        status: u16,
        code: String,
        message: String,
    },
    #[error("the Parapet app is not consented in tenant {tenant} (AADSTS700016): {description}")]
    NotConsented { tenant: String, description: String },
    #[error(
        "the client secret for tenant {tenant} is wrong or expired (AADSTS7000215): {description}"
    )]
    InvalidClient { tenant: String, description: String },
    #[error("tenant {tenant} does not exist (AADSTS90002): {description}")]
    TenantNotFound { tenant: String, description: String },
    #[error(
        "the sign-in for tenant {tenant} has expired or was revoked; sign in again: {description}"
    )]
    SignInExpired { tenant: String, description: String },
    #[error("sign-in to tenant {tenant} needs user interaction (MFA or consent): {description}")]
    InteractionRequired { tenant: String, description: String },
    #[error("the token endpoint for tenant {tenant} refused the request: {error}: {description}")]
    TokenRejected {
        tenant: String,
        error: String,
        description: String,
    },
    #[error("the sign-in redirect was rejected: {reason}")]
    SignInRedirect { reason: String },
    #[error("{what} could not reach Microsoft: {message}")]
    Transport { what: String, message: String },
    #[error("{what} timed out after {after:?}")]
    Timeout { what: String, after: Duration },
    #[error("the response to {what} could not be read: {message}")]
    Decode { what: String, message: String },
    #[error("refusing to send the token for tenant {tenant} to {url}: it is not a {resource} URL of that tenant")]
    TenantMismatch {
        tenant: String,
        resource: &'static str,
        url: String,
    },
    #[error("invalid configuration: {what}")]
    Config { what: String },
    #[error("{what} did not finish: {detail}")]
    OperationFailed { what: String, detail: String },
}

impl GraphError {
    /// True when the error is Microsoft telling us to slow down rather than a real failure.
    pub fn is_throttling(&self) -> bool {
        matches!(self, GraphError::Throttled { .. })
    }
}

/// Replaces every occurrence of each secret in `text` with `<redacted>`.
pub(crate) fn scrub(text: &str, secrets: &[&str]) -> String {
    let mut out = text.to_string();
    for secret in secrets {
        // Very short values would redact ordinary words; real secrets are long.
        if secret.len() >= 6 {
            out = out.replace(secret, "<redacted>");
        }
    }
    out
}

impl GraphError {
    /// The same error with `secrets` removed from every free-text field, for errors of
    /// requests whose body carried a secret (a password, a client secret).
    pub(crate) fn scrubbed(self, secrets: &[&str]) -> GraphError {
        let s = |t: String| scrub(&t, secrets);
        match self {
            GraphError::Unauthorized {
                what,
                code,
                message,
            } => GraphError::Unauthorized {
                what,
                code,
                message: s(message),
            },
            GraphError::NoPremiumLicence {
                what,
                code,
                message,
            } => GraphError::NoPremiumLicence {
                what,
                code,
                message: s(message),
            },
            GraphError::Forbidden {
                what,
                code,
                message,
            } => GraphError::Forbidden {
                what,
                code,
                message: s(message),
            },
            GraphError::NotFound {
                what,
                code,
                message,
            } => GraphError::NotFound {
                what,
                code,
                message: s(message),
            },
            GraphError::BadRequest {
                what,
                code,
                message,
            } => GraphError::BadRequest {
                what,
                code,
                message: s(message),
            },
            GraphError::Api {
                what,
                status,
                code,
                message,
            } => GraphError::Api {
                what,
                status,
                code,
                message: s(message),
            },
            GraphError::Decode { what, message } => GraphError::Decode {
                what,
                message: s(message),
            },
            GraphError::OperationFailed { what, detail } => GraphError::OperationFailed {
                what,
                detail: s(detail),
            },
            other => other,
        }
    }
}
