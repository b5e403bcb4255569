//! Why a tenant cannot be generated.

/// Errors of [`crate::generate`].
#[derive(Debug, thiserror::Error)]
pub enum TenantGenError {
    /// The spec asks for more attack victims and look-alikes than the tenant has staff.
    #[error("tenant spec {tenant:?}: {needed} attack victims and look-alike users need at least {minimum} users, but the spec has {users}")]
    TooFewUsers {
        tenant: String,
        needed: usize,
        minimum: usize,
        users: usize,
    },
    /// A spec value is outside what the generator supports.
    #[error("tenant spec {tenant:?}: {field} {problem}")]
    InvalidSpec {
        tenant: String,
        field: &'static str,
        problem: String,
    },
    /// A generated record does not fit its snapshot type (a generator bug).
    #[error("generated {file} record does not match its snapshot type: {source}")]
    Record {
        file: &'static str,
        #[source]
        source: serde_json::Error,
    },
    /// The generated snapshot failed `parapet_snapshot::validate` (a generator bug).
    #[error("generated snapshot is inconsistent: {0}")]
    Invalid(#[from] parapet_snapshot::SnapshotError),
}
