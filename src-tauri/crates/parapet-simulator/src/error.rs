//! Errors of starting and driving the simulator.

/// What can go wrong outside the HTTP protocol (protocol errors are HTTP answers, not these).
#[derive(Debug, thiserror::Error)]
pub enum SimError {
    #[error("cannot read tenant snapshot {dir}: {message}")]
    Snapshot { dir: String, message: String },
    #[error("tenant {tenant_id} is loaded twice (snapshots must describe different tenants)")]
    DuplicateTenant { tenant_id: String },
    #[error("snapshot of tenant {tenant_id} cannot be served: {message}")]
    BadSnapshot { tenant_id: String, message: String },
    #[error("cannot listen on 127.0.0.1:{port}: {source}")]
    Bind {
        port: u16,
        #[source]
        source: std::io::Error,
    },
    #[error("unknown tenant {tenant}")]
    UnknownTenant { tenant: String },
    #[error("invalid event for tenant {tenant}: {message}")]
    BadEvent { tenant: String, message: String },
}
