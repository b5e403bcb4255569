//! The IPC contract: every type the UI sends or receives. Generated into
//! `ui/src/lib/bindings/` by `cargo test` (see `tests/bindings.rs`).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// What the app shows about itself (Settings view, demo banner).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AppInfo {
    /// Parapet's version.
    pub version: String,
    /// The workspace's data directory.
    pub data_dir: String,
    /// True on the demo workspace, which the UI marks with a banner.
    pub demo: bool,
}

/// One onboarded tenant in the tenant list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TenantSummary {
    /// Entra tenant id.
    pub id: String,
    /// Organisation name.
    pub display_name: String,
    /// Default domain.
    pub default_domain: String,
    /// Automatic Response on.
    pub response_enabled: bool,
    /// Monitoring paused.
    pub paused: bool,
    /// Scan-only onboarding.
    pub scan_only: bool,
}

/// The settings the technician edits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Settings {
    /// The MSP's name on white-labeled reports; empty when not set.
    pub msp_display_name: String,
    /// Upper bounds of the billable-user volume tiers, ascending.
    pub volume_tier_bounds: Vec<u32>,
}
