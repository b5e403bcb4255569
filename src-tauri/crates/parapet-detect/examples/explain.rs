//! Prints every sign-in the engine found unusual (score >= 2) with its factors, per user: a
//! tuning aid for seeing how close benign users come to the attacker threshold.
//!
//!     cargo run -p parapet-detect --example explain -- SNAPSHOT_DIR [MIN_SCORE]

use std::path::PathBuf;
use std::process::ExitCode;

use parapet_detect::rules::{promotion, signin, spray};

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let Some(dir) = args.next().map(PathBuf::from) else {
        eprintln!("usage: explain SNAPSHOT_DIR [MIN_SCORE]");
        return ExitCode::from(2);
    };
    let min: u32 = args.next().and_then(|a| a.parse().ok()).unwrap_or(2);
    let snapshot = match parapet_snapshot::read(&dir) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let evidence =
        parapet_detect::evidence_from_snapshot(&snapshot, parapet_ipintel::IpIntel::embedded());
    let sources = spray::spray_sources(&evidence.sign_ins);
    let mut access = signin::assess(&evidence, &sources);
    promotion::promote(&evidence, &mut access);
    let mut rows: Vec<(String, String)> = Vec::new();
    for (i, v) in access.verdicts.iter().enumerate() {
        let Some(v) = v else { continue };
        if v.score < min && !v.attacker {
            continue;
        }
        let s = &evidence.sign_ins[i];
        let factors: Vec<String> = v
            .factors
            .iter()
            .map(|f| format!("+{} {}", f.points, f.kind.as_str()))
            .collect();
        rows.push((
            s.upn.clone(),
            format!(
                "{} score={} attacker={}{} {} {} [{}]",
                s.time.format("%Y-%m-%d %H:%M"),
                v.score,
                v.attacker,
                if v.by_association { "(assoc)" } else { "" },
                s.ip_text,
                s.app_name,
                factors.join(", ")
            ),
        ));
    }
    rows.sort();
    let mut last = String::new();
    for (user, row) in rows {
        if user != last {
            println!("{user}");
            last = user;
        }
        println!("  {row}");
    }
    ExitCode::SUCCESS
}
