/// Why the keyring could not store or return a secret.
#[derive(Debug, thiserror::Error)]
pub enum SecretsError {
    /// No OS keyring is reachable (on Linux: no Secret Service on the session bus).
    #[error("the OS keyring is not available: {0}")]
    Unavailable(String),
    /// The keyring is there but locked or refused access.
    #[error("the OS keyring refused access: {0}")]
    AccessDenied(String),
    /// Any other keyring failure; the message never contains the secret.
    #[error("keyring error for {key}: {reason}")]
    Keyring {
        /// Which entry, by its non-secret name.
        key: String,
        /// The keyring's own description.
        reason: String,
    },
}
