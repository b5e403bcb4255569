//! Scans: the detection engine over a tenant's evidence.

use crate::ApiError;
use parapet_detect::ScanReport;
use std::path::Path;

/// Scans a tenant snapshot directory offline: no network, no keyring, no data directory.
///
/// The snapshot's own `snapshotTime` is "now" for the scan, so a snapshot scanned today and
/// next year gives the same incidents with the same ids.
pub fn scan_snapshot_dir(dir: &Path) -> Result<ScanReport, ApiError> {
    let snapshot = parapet_snapshot::read(dir)?;
    let now = snapshot.tenant.snapshot_time;
    Ok(parapet_detect::scan(
        &snapshot,
        parapet_ipintel::IpIntel::embedded(),
        now,
    ))
}
