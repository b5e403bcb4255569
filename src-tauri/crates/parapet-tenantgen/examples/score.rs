//! Generates a tenant with every attack and look-alike, scans it with parapet-detect and scores
//! the report against the ground truth (as `score-scan.py` does), with timings.
//!
//! `cargo run --release -p parapet-tenantgen --example score -- --users 1000 --days 180 --seed 1 --licence p1`

use std::collections::BTreeSet;
use std::time::Instant;

use chrono::{TimeZone, Utc};
use clap::Parser;
use parapet_detect::{scan, IncidentKind};
use parapet_tenantgen::{generate, CompromiseState, Licences, TenantSpec};

#[derive(Parser)]
struct Args {
    #[arg(long, default_value_t = 1000)]
    users: usize,
    #[arg(long, default_value_t = 180)]
    days: u32,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// `free`, `p1` or `p2`.
    #[arg(long, default_value = "p1")]
    licence: String,
    #[arg(long, default_value_t = 1.5)]
    rate: f64,
}

fn main() {
    let args = Args::parse();
    let end = Utc
        .with_ymd_and_hms(2026, 11, 20, 12, 0, 0)
        .single()
        .unwrap_or_else(Utc::now);
    let mut spec = TenantSpec::new(
        args.seed,
        "Northwind Traders",
        "northwindtraders.com",
        args.users,
        args.days,
        end,
    )
    .with_everything();
    spec.sign_ins_per_user_week = args.rate;
    spec.licences = match args.licence.as_str() {
        "free" => Licences {
            entra_id_p1: false,
            entra_id_p2: false,
        },
        "p2" => Licences {
            entra_id_p1: true,
            entra_id_p2: true,
        },
        _ => Licences {
            entra_id_p1: true,
            entra_id_p2: false,
        },
    };
    let started = Instant::now();
    let generated = match generate(&spec) {
        Ok(generated) => generated,
        Err(error) => {
            eprintln!("score: {error}");
            std::process::exit(1);
        }
    };
    println!("generated in {:.2?}", started.elapsed());
    let intel = parapet_ipintel::IpIntel::embedded();
    let started = Instant::now();
    let report = scan(&generated.snapshot, intel, end);
    println!(
        "scanned in {:.2?}: {} incidents, {} targeted users",
        started.elapsed(),
        report.incidents.len(),
        report.targeted_users.len()
    );
    let truth = &generated.truth;
    let compromised: BTreeSet<String> = truth
        .compromised
        .iter()
        .map(|c| c.user_principal_name.to_lowercase())
        .collect();
    for c in &truth.compromised {
        let kinds: Vec<IncidentKind> = report
            .incidents
            .iter()
            .filter(|i| {
                i.user_principal_name
                    .eq_ignore_ascii_case(&c.user_principal_name)
            })
            .map(|i| i.kind)
            .collect();
        let ok = match c.state {
            CompromiseState::Active => kinds.contains(&IncidentKind::ActiveCompromise),
            CompromiseState::Remediated => {
                kinds.iter().any(|k| *k != IncidentKind::ActiveCompromise)
            }
        };
        println!(
            "{} {:?}: {} {:?}",
            if ok { "HIT " } else { "MISS" },
            c.state,
            c.user_principal_name,
            kinds
        );
    }
    for incident in report
        .incidents
        .iter()
        .filter(|i| !compromised.contains(&i.user_principal_name.to_lowercase()))
    {
        let benign = truth
            .benign
            .iter()
            .any(|b| b.eq_ignore_ascii_case(&incident.user_principal_name));
        println!(
            "FALSE {:?} {}{}: {:?}",
            incident.kind,
            incident.user_principal_name,
            if benign { " (benign look-alike)" } else { "" },
            incident.reasons
        );
    }
    for targeted in &truth.targeted {
        let found = report
            .targeted_users
            .iter()
            .any(|t| t.user_principal_name.eq_ignore_ascii_case(targeted));
        println!(
            "{} targeted {targeted}",
            if found { "HIT " } else { "MISS" }
        );
    }
}
