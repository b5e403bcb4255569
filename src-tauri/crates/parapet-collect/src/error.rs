use parapet_graph::GraphError;
use parapet_store::StoreError;

/// Why a collection stopped. Per-user 403/404 answers do not stop it (they are listed in the
/// summary); these do.
#[derive(Debug, thiserror::Error)]
pub enum CollectError {
    /// A tenant-wide call failed after the Graph client's own retries.
    #[error("collecting {what} from tenant {tenant} failed: {error}")]
    Graph {
        tenant: String,
        /// The source being fetched, e.g. `signIns`.
        what: &'static str,
        error: Box<GraphError>,
    },
    /// Writing evidence to the database failed.
    #[error("storing {what} of tenant {tenant} failed: {error}")]
    Store {
        tenant: String,
        what: &'static str,
        error: Box<StoreError>,
    },
    /// An earlier writer panicked while holding the store.
    #[error("the evidence store of tenant {tenant} is unusable: a previous write panicked")]
    StoreLock { tenant: String },
    /// A per-user fetch task ended without a result.
    #[error("a {what} fetch for tenant {tenant} stopped unexpectedly: {message}")]
    Task {
        tenant: String,
        what: &'static str,
        message: String,
    },
}
