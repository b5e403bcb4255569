//! Scans a snapshot directory and prints the report.
//!
//!     cargo run -p parapet-detect --example scan -- DIR [--format json|table]

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let Some(dir) = args.next().map(PathBuf::from) else {
        eprintln!("usage: scan SNAPSHOT_DIR [--format json|table]");
        return ExitCode::from(2);
    };
    let table = args.collect::<Vec<_>>().join(" ").contains("table");
    let snapshot = match parapet_snapshot::read(&dir) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let now = snapshot.tenant.snapshot_time;
    let report = parapet_detect::scan(&snapshot, parapet_ipintel::IpIntel::embedded(), now);
    if table {
        print!("{}", parapet_detect::format_table(&report));
    } else {
        match serde_json::to_string_pretty(&report) {
            Ok(json) => println!("{json}"),
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::FAILURE;
            }
        }
    }
    ExitCode::SUCCESS
}
