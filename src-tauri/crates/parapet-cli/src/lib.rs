//! The `parapet` command line. Without a subcommand the binary opens the desktop app; with
//! one it runs headless (no display, no window) over the same [`parapet_api`] functions the
//! app uses, so a scripted job and a click do exactly the same thing.
//!
//! Everything printed passes through [`terminal`]: attacker-controlled text (rule names,
//! subjects) reaches the terminal with its control and bidi characters escaped.

mod args;
mod jobs;
mod terminal;

pub use args::{Cli, Command, Format, Retention, Throttle};

use parapet_api::ContextOptions;
use std::io::Write;
use std::process::ExitCode;

/// Runs a headless job and returns the process exit code; errors go to stderr as one line.
pub fn run(command: &Command, options: &ContextOptions) -> ExitCode {
    match execute(command, options, &mut std::io::stdout().lock()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("parapet: {}", terminal::inert_for_terminal(&message));
            ExitCode::FAILURE
        }
    }
}

fn execute(command: &Command, options: &ContextOptions, out: &mut dyn Write) -> Result<(), String> {
    match command {
        Command::Sim {
            snapshots,
            port,
            throttle,
            fault_rate,
            retention,
            consented,
        } => jobs::sim::serve(
            jobs::sim::SimArgs {
                snapshots,
                port: *port,
                throttle: *throttle,
                fault_rate: *fault_rate,
                retention: *retention,
                consented: *consented,
            },
            out,
        ),
        Command::Scan {
            tenant: Some(tenant),
            format,
            ..
        } => jobs::scan::live(tenant, *format, options, out),
        Command::Scan {
            snapshot, format, ..
        } => {
            let snapshot = snapshot
                .as_deref()
                .ok_or("give --snapshot DIR or --tenant ID")?;
            jobs::scan::offline(snapshot, *format, out)
        }
        Command::Import { snapshot } => jobs::scan::import(snapshot, options, out),
        Command::Tenants { format } => jobs::listing::tenants(*format, options, out),
        Command::Incidents { tenant, format } => {
            jobs::listing::incidents(tenant.as_deref(), *format, options, out)
        }
        Command::Remediate {
            incident,
            step,
            items,
            delete,
            delete_artifacts,
            disable_artifacts,
            messages,
            override_guard,
            fresh,
            dry_run,
            show_password,
        } => jobs::remediate::step(
            jobs::remediate::StepArgs {
                incident,
                step: *step,
                items,
                delete: *delete,
                delete_artifacts,
                disable_artifacts,
                messages,
                override_guard: *override_guard,
                fresh: *fresh,
                dry_run: *dry_run,
                show_password: *show_password,
            },
            options,
            out,
        ),
        Command::Phish {
            incident,
            other_tenants,
            format,
        } => jobs::remediate::phish(incident, *other_tenants, *format, options, out),
    }
}
