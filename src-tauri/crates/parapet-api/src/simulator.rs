//! The built-in Graph simulator, for `parapet sim` and the demo workspace.

use crate::ApiError;
pub use parapet_simulator::{RetentionMode, RunningSimulator, ThrottleMode};
use std::path::PathBuf;

/// How `parapet sim` starts the simulator.
#[derive(Debug, Clone)]
pub struct SimOptions {
    /// Snapshot directories, one customer tenant each.
    pub snapshots: Vec<PathBuf>,
    /// Port on 127.0.0.1 (a free one when `None`).
    pub port: Option<u16>,
    /// Realistic Microsoft throttling, or none.
    pub throttle: ThrottleMode,
    /// Share of requests answered with 503, 0.0 to 1.0.
    pub fault_rate: f64,
    /// Licence-bound log retention, or everything in the snapshots.
    pub retention: RetentionMode,
    /// Start every customer tenant with admin consent already given.
    pub consented: bool,
}

/// Reads the snapshots (refusing any it cannot trust) and starts serving them on 127.0.0.1.
pub async fn serve(options: SimOptions) -> Result<RunningSimulator, ApiError> {
    if options.snapshots.is_empty() {
        return Err(ApiError::invalid_input(
            "give at least one --snapshot DIR to serve",
        ));
    }
    if !(0.0..=1.0).contains(&options.fault_rate) {
        return Err(ApiError::invalid_input(format!(
            "--faults must be between 0 and 1, not {}",
            options.fault_rate
        )));
    }
    let mut config = parapet_simulator::SimConfig::from_dirs(&options.snapshots)
        .map_err(|e| ApiError::invalid_input(e.to_string()))?;
    config.port = options.port;
    config.throttle = options.throttle;
    config.fault_rate = options.fault_rate;
    config.retention = options.retention;
    config.consented = options.consented;
    parapet_simulator::start(config)
        .await
        .map_err(|e| ApiError::new(crate::ErrorCode::Internal, e.to_string()))
}
