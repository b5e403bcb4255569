//! Where a scan's memory goes: peak and current resident memory after each phase of an offline
//! scan (reading the snapshot, normalizing it to evidence, detection). Linux only (reads
//! `/proc/self/status`; the peak is reset between phases through `/proc/self/clear_refs`).
//! Release build only:
//!
//!     cargo build --release -p parapet-detect --example memory
//!     target/release/examples/memory SNAPSHOT_DIR

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let Some(dir) = std::env::args().nth(1).map(PathBuf::from) else {
        eprintln!("usage: memory SNAPSHOT_DIR");
        return ExitCode::from(2);
    };
    let mut phases = Phases::start();
    let snapshot = match parapet_snapshot::read(&dir) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    phases.end(&format!(
        "read ({} records)",
        snapshot.record_count().total()
    ));
    let evidence =
        parapet_detect::evidence_from_snapshot(&snapshot, parapet_ipintel::IpIntel::embedded());
    phases.end("normalize to evidence");
    let report = parapet_detect::detect(&evidence, snapshot.tenant.snapshot_time);
    phases.end(&format!("detect ({} incidents)", report.incidents.len()));
    println!(
        "process peak (VmHWM over all phases): {} MB",
        phases.overall_peak
    );
    ExitCode::SUCCESS
}

struct Phases {
    overall_peak: u64,
}

impl Phases {
    fn start() -> Self {
        reset_peak();
        Phases { overall_peak: 0 }
    }

    /// Prints the peak resident memory during the phase that just ended and what is resident at
    /// its end, then starts the next phase.
    fn end(&mut self, phase: &str) {
        let peak = status_mb("VmHWM:");
        self.overall_peak = self.overall_peak.max(peak);
        println!(
            "{phase:32} peak {peak:6} MB   resident after {:6} MB",
            status_mb("VmRSS:")
        );
        reset_peak();
    }
}

/// A `/proc/self/status` figure in MB (0 where unavailable).
fn status_mb(key: &str) -> u64 {
    let kb = std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|line| line.strip_prefix(key))
                .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0u64);
    kb / 1024
}

/// Writing 5 to `clear_refs` resets `VmHWM` to the current resident size (Linux 4.0+).
fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}
