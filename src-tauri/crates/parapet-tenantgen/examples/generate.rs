//! Writes a generated tenant snapshot (and its `expected.json`) to a directory, for benchmarks
//! and manual inspection.
//!
//! `cargo run --release -p parapet-tenantgen --example generate -- --users 1000 --days 180 --seed 1 --out /tmp/tenant`
//! Prints generation and write times, record counts and the size on disk. `--demo DIR` writes
//! the three demo tenants under DIR instead.

use std::path::{Path, PathBuf};
use std::time::Instant;

use chrono::{TimeZone, Utc};
use clap::Parser;
use parapet_tenantgen::{demo_tenants, generate, Generated, TenantSpec};

#[derive(Parser)]
struct Args {
    #[arg(long, default_value_t = 1000)]
    users: usize,
    #[arg(long, default_value_t = 180)]
    days: u32,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Sampled background sign-ins per user-week.
    #[arg(long, default_value_t = 1.5)]
    rate: f64,
    /// Target directory (must not exist or be empty).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Write the three demo tenants under this directory instead.
    #[arg(long)]
    demo: Option<PathBuf>,
}

fn main() {
    let args = Args::parse();
    let end = Utc
        .with_ymd_and_hms(2026, 11, 20, 12, 0, 0)
        .single()
        .unwrap_or_else(Utc::now);
    if let Some(dir) = &args.demo {
        let started = Instant::now();
        let tenants = demo_tenants(end).unwrap_or_else(|e| fail(&e.to_string()));
        println!(
            "generated {} demo tenants in {:.2?}",
            tenants.len(),
            started.elapsed()
        );
        for tenant in &tenants {
            let name = tenant.snapshot.tenant.default_domain_name.clone();
            write(tenant, &dir.join(name));
        }
        return;
    }
    let Some(out) = &args.out else {
        fail("give --out DIR or --demo DIR")
    };
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
    let started = Instant::now();
    let tenant = generate(&spec).unwrap_or_else(|e| fail(&e.to_string()));
    println!(
        "generated {} users x {} days in {:.2?}",
        args.users,
        args.days,
        started.elapsed()
    );
    write(&tenant, out);
}

fn write(tenant: &Generated, dir: &Path) {
    let started = Instant::now();
    parapet_snapshot::write(&tenant.snapshot, dir).unwrap_or_else(|e| fail(&e.to_string()));
    std::fs::write(dir.join("expected.json"), tenant.truth.to_json() + "\n")
        .unwrap_or_else(|e| fail(&e.to_string()));
    let bytes: u64 = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .filter_map(|e| e.metadata().ok())
                .map(|m| m.len())
                .sum()
        })
        .unwrap_or(0);
    println!(
        "wrote {} in {:.2?}: {:.1} MB",
        dir.display(),
        started.elapsed(),
        bytes as f64 / 1e6
    );
    println!("{}", tenant.snapshot.record_count());
}

fn fail(message: &str) -> ! {
    eprintln!("generate: {message}");
    std::process::exit(1);
}
