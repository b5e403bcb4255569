//! How a simulator run is configured.

use chrono::{DateTime, Utc};
use parapet_snapshot::Snapshot;

/// Everything [`crate::start`] needs. `Default` gives an empty, unconsented, unthrottled-free
/// configuration: realistic throttling, no faults, all retention, a free port.
pub struct SimConfig {
    /// The customer tenants, one snapshot each.
    pub snapshots: Vec<Snapshot>,
    /// Port on 127.0.0.1; `None` or `Some(0)` picks a free one.
    pub port: Option<u16>,
    pub throttle: ThrottleMode,
    /// Share of Microsoft-prefixed requests answered with 503 (0.0 to 1.0), deterministic by seed.
    pub fault_rate: f64,
    pub retention: RetentionMode,
    /// When true every customer tenant starts with admin consent for every partner app.
    pub consented: bool,
    /// Start of the simulated clock; defaults to the latest `snapshotTime` of the loaded tenants.
    pub clock_start: Option<DateTime<Utc>>,
    /// Seed for ids, tokens' fault decisions and generated data, so runs are reproducible.
    pub seed: u64,
}

impl Default for SimConfig {
    fn default() -> Self {
        SimConfig {
            snapshots: Vec::new(),
            port: None,
            throttle: ThrottleMode::Realistic,
            fault_rate: 0.0,
            retention: RetentionMode::All,
            consented: false,
            clock_start: None,
            seed: 1,
        }
    }
}

impl SimConfig {
    /// Reads every directory with `parapet_snapshot::read` into a configuration with defaults.
    pub fn from_dirs<P: AsRef<std::path::Path>>(dirs: &[P]) -> Result<SimConfig, crate::SimError> {
        let mut snapshots = Vec::new();
        for dir in dirs {
            let dir = dir.as_ref();
            let snapshot =
                parapet_snapshot::read(dir).map_err(|source| crate::SimError::Snapshot {
                    dir: dir.display().to_string(),
                    message: source.to_string(),
                })?;
            snapshots.push(snapshot);
        }
        Ok(SimConfig {
            snapshots,
            ..SimConfig::default()
        })
    }
}

/// Whether the documented service limits (§12 of the API reference) are enforced.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ThrottleMode {
    Realistic,
    Off,
}

/// How far back sign-ins and audit logs are served.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RetentionMode {
    /// As far back as the tenant's licence keeps them (7 days free, 30 days P1; audit 180 days).
    Realistic,
    /// Everything in the snapshot.
    All,
}

impl std::str::FromStr for ThrottleMode {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "realistic" => Ok(ThrottleMode::Realistic),
            "off" => Ok(ThrottleMode::Off),
            other => Err(format!(
                "unknown throttle mode '{other}' (expected realistic or off)"
            )),
        }
    }
}

impl std::str::FromStr for RetentionMode {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "realistic" => Ok(RetentionMode::Realistic),
            "all" => Ok(RetentionMode::All),
            other => Err(format!(
                "unknown retention mode '{other}' (expected realistic or all)"
            )),
        }
    }
}
