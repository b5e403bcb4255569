//! The `parapet` command line. Without a subcommand the binary opens the desktop app; with
//! one it runs headless (no display, no window) over the same [`parapet_api`] functions the
//! app uses, so a scripted job and a click do exactly the same thing.

use clap::{Parser, Subcommand, ValueEnum};
use parapet_api::simulator::{RetentionMode, SimOptions, ThrottleMode};
use parapet_api::{ContextOptions, UrlOpener, Workspace};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// Parapet: finds and evicts attackers in Microsoft 365 tenants.
///
/// Without a command, opens the desktop app.
#[derive(Debug, Parser)]
#[command(name = "parapet", version, about, long_about = None)]
pub struct Cli {
    /// Data directory of the workspace (default: the platform's per-user data directory).
    #[arg(long, env = "PARAPET_DATA_DIR", global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,

    /// Open the demo workspace (demo tenants served by the built-in Graph simulator).
    #[arg(long, global = true)]
    pub demo: bool,

    /// Reach Microsoft (login, Graph, Exchange, Management) under this base URL instead of
    /// Microsoft's hosts, e.g. a `parapet sim` at http://127.0.0.1:PORT.
    #[arg(
        long,
        env = "PARAPET_MICROSOFT_BASE",
        global = true,
        value_name = "URL"
    )]
    pub microsoft_base: Option<String>,

    /// Write sign-in and consent links to this file instead of opening a browser (tests).
    #[arg(
        long,
        env = "PARAPET_OPEN_URLS_TO",
        global = true,
        value_name = "FILE",
        hide = true
    )]
    pub open_urls_to: Option<PathBuf>,

    /// A headless job; omit to open the app.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The headless jobs.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// List the onboarded tenants of the workspace.
    Tenants {
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Scan a tenant snapshot directory offline (no display, keyring or network), or an
    /// onboarded tenant live, and print the incidents found.
    ///
    /// Exits 0 when the scan ran, whether or not it found incidents, and non-zero with a
    /// message when it could not.
    Scan {
        /// The snapshot directory (the format of spec/tenant-snapshot.md).
        #[arg(
            long,
            value_name = "DIR",
            required_unless_present = "tenant",
            conflicts_with = "tenant"
        )]
        snapshot: Option<PathBuf>,
        /// An onboarded tenant's id: collect its evidence from Microsoft and scan it; its
        /// incidents are recorded in the workspace.
        #[arg(long, value_name = "TENANT_ID")]
        tenant: Option<String>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Import a tenant snapshot into the workspace for offline review: the tenant is added
    /// (paused, so nothing is polled) and scanned, and its incidents join the incident list.
    Import {
        /// The snapshot directory.
        #[arg(long, value_name = "DIR")]
        snapshot: PathBuf,
    },
    /// List the workspace's incidents.
    Incidents {
        /// Only this tenant's.
        #[arg(long, value_name = "TENANT_ID")]
        tenant: Option<String>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Run one remediation step of an incident (the same code as the app's stepper).
    ///
    /// A generated password (step 4) reaches stdout only with --show-password.
    Remediate {
        /// The incident id.
        #[arg(long)]
        incident: String,
        /// 1 revoke and lock, 3 remove persistence, 4 reset password, 5 re-enable, 6 mark
        /// remediated.
        #[arg(long)]
        step: u8,
        /// Only these action keys (repeatable); default: every action of the step.
        #[arg(long = "item", value_name = "KEY")]
        items: Vec<String>,
        /// Delete inbox rules and devices, remove mail-flow rules (default: disable them).
        #[arg(long)]
        delete: bool,
        /// Step 3: delete (remove) this artifact, whatever --delete says (repeatable).
        #[arg(long = "delete-artifact", value_name = "ARTIFACT_ID")]
        delete_artifacts: Vec<String>,
        /// Step 3: disable this artifact, whatever --delete says (repeatable).
        #[arg(long = "disable-artifact", value_name = "ARTIFACT_ID")]
        disable_artifacts: Vec<String>,
        /// Reset the password although step 3 has unresolved items.
        #[arg(long)]
        override_guard: bool,
        /// Show what would be done; send nothing.
        #[arg(long)]
        dry_run: bool,
        /// Print the new password of step 4 (otherwise it is withheld).
        #[arg(long)]
        show_password: bool,
    },
    /// Serve tenant snapshots as Microsoft would (login, Graph, Exchange, Management Activity)
    /// on 127.0.0.1 until interrupted.
    Sim {
        /// A snapshot directory to serve as a customer tenant; repeat for more tenants.
        #[arg(long = "snapshot", value_name = "DIR", required = true)]
        snapshots: Vec<PathBuf>,
        /// Port on 127.0.0.1 (default: a free one).
        #[arg(long)]
        port: Option<u16>,
        /// Microsoft's documented throttling, or none.
        #[arg(long, value_enum, default_value_t = Throttle::Realistic)]
        throttle: Throttle,
        /// Share of requests answered with 503 Service Unavailable, 0.0 to 1.0.
        #[arg(long = "faults", value_name = "RATE", default_value_t = 0.0)]
        fault_rate: f64,
        /// Serve logs only as far back as each tenant's licence keeps them, or everything.
        #[arg(long, value_enum, default_value_t = Retention::All)]
        retention: Retention,
        /// Start every customer tenant with admin consent already given.
        #[arg(long)]
        consented: bool,
    },
}

/// `--throttle` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Throttle {
    /// Microsoft's documented limits, answered with 429 and Retry-After.
    Realistic,
    /// No limits.
    Off,
}

/// `--retention` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Retention {
    /// 7 days of sign-ins without Entra ID P1, 30 with it; 180 days of audit log.
    Realistic,
    /// Everything in the snapshot.
    All,
}

/// Output formats of headless jobs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Machine-readable JSON.
    Json,
    /// A readable table.
    Table,
}

impl Cli {
    /// The context options that `--data-dir`, `PARAPET_DATA_DIR` and `--demo` select.
    pub fn context_options(&self) -> ContextOptions {
        ContextOptions {
            data_dir: self.data_dir.clone(),
            workspace: if self.demo {
                Workspace::Demo
            } else {
                Workspace::Real
            },
            microsoft_base: self.microsoft_base.clone(),
            opener: match &self.open_urls_to {
                Some(path) => UrlOpener::RecordTo(path.clone()),
                None => UrlOpener::SystemBrowser,
            },
        }
    }
}

/// Runs a headless job and returns the process exit code; errors go to stderr as one line.
pub fn run(command: &Command, options: &ContextOptions) -> ExitCode {
    match execute(command, options, &mut std::io::stdout().lock()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("parapet: {}", inert_for_terminal(&message));
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
        } => {
            let options = SimOptions {
                snapshots: snapshots.clone(),
                port: *port,
                throttle: match throttle {
                    Throttle::Realistic => ThrottleMode::Realistic,
                    Throttle::Off => ThrottleMode::Off,
                },
                fault_rate: *fault_rate,
                retention: match retention {
                    Retention::Realistic => RetentionMode::Realistic,
                    Retention::All => RetentionMode::All,
                },
                consented: *consented,
            };
            serve_until_interrupted(options, out)
        }
        Command::Scan {
            tenant: Some(tenant),
            format,
            ..
        } => {
            let runtime = tokio::runtime::Runtime::new().map_err(|e| e.to_string())?;
            let summary = runtime.block_on(async {
                let context = parapet_api::workspace::open(options)
                    .await
                    .map_err(|e| e.message)?;
                let show = |p: parapet_api::dto::ScanProgress| {
                    eprintln!(
                        "[{}/{}] {} ({} records)",
                        p.done, p.total, p.phase, p.records
                    );
                };
                parapet_api::live_scan::scan_tenant(&context, tenant, &show)
                    .await
                    .map_err(|e| e.message)
            })?;
            let text = match format {
                Format::Json => {
                    serde_json::to_string_pretty(&summary).map_err(|e| e.to_string())? + "\n"
                }
                Format::Table => format!(
                    "Scanned {}: {} incident(s); sources: {}\n",
                    summary.tenant_id,
                    summary.incident_count,
                    summary.sources.join(", ")
                ),
            };
            out.write_all(inert_for_terminal(&text).as_bytes())
                .map_err(|e| e.to_string())
        }
        Command::Scan {
            snapshot, format, ..
        } => {
            let snapshot = snapshot
                .as_deref()
                .ok_or("give --snapshot DIR or --tenant ID")?;
            let report = parapet_api::scan::scan_snapshot_dir(snapshot).map_err(|e| e.message)?;
            let text = match format {
                Format::Json => {
                    serde_json::to_string_pretty(&report).map_err(|e| e.to_string())? + "\n"
                }
                Format::Table => inert_for_terminal(&parapet_detect::format_table(&report)),
            };
            out.write_all(text.as_bytes()).map_err(|e| e.to_string())
        }
        Command::Remediate {
            incident,
            step,
            items,
            delete,
            delete_artifacts,
            disable_artifacts,
            override_guard,
            dry_run,
            show_password,
        } => {
            // Without --show-password a reset would set a password nobody ever sees, locking
            // the user out: refuse before anything is sent.
            if *step == 4 && !*dry_run && !*show_password {
                return Err("step 4 sets a new password that is shown only once: add --show-password (and give it to the user by phone)".into());
            }
            let request = parapet_api::dto::StepRequest {
                step: *step,
                items: items.clone(),
                delete_inbox_rules: *delete,
                delete_devices: *delete,
                remove_mail_flow_rules: *delete,
                removals: artifact_removals(delete_artifacts, disable_artifacts)?,
                override_guard: *override_guard,
                dry_run: *dry_run,
                ..Default::default()
            };
            let runtime = tokio::runtime::Runtime::new().map_err(|e| e.to_string())?;
            let result = runtime.block_on(async {
                let context = parapet_api::workspace::open(options)
                    .await
                    .map_err(|e| e.message)?;
                parapet_api::remediation::run_step_as_technician(&context, incident, &request)
                    .await
                    .map_err(|e| e.message)
            })?;
            let mut text = format!("Step {}:\n", result.step);
            for object in &result.objects {
                text.push_str(&format!("  {} [{}]", object.target, object.outcome));
                if let Some(message) = &object.message {
                    text.push_str(&format!(": {message}"));
                }
                text.push('\n');
                if let Some(guidance) = &object.guidance {
                    text.push_str(&format!("    {guidance}\n"));
                }
            }
            match (&result.new_password, show_password) {
                (Some(password), true) => text.push_str(&format!(
                    "New password: {password}\nCall the user and give it to them by phone.\n"
                )),
                (Some(_), false) => text
                    .push_str("A new password was set; it is not shown without --show-password.\n"),
                (None, _) => {}
            }
            out.write_all(inert_for_terminal(&text).as_bytes())
                .map_err(|e| e.to_string())
        }
        Command::Import { snapshot } => {
            let context = open_workspace(options)?;
            let summary = parapet_api::scan::import_snapshot_dir(&context, snapshot)
                .map_err(|e| e.message)?;
            let text = format!(
                "Imported {} and found {} incident(s)\n",
                summary.tenant_id, summary.incident_count
            );
            out.write_all(inert_for_terminal(&text).as_bytes())
                .map_err(|e| e.to_string())
        }
        Command::Incidents { tenant, format } => {
            let context = open_workspace(options)?;
            let incidents =
                parapet_api::incidents::list(&context, tenant.as_deref()).map_err(|e| e.message)?;
            let text = match format {
                Format::Json => {
                    serde_json::to_string_pretty(&incidents).map_err(|e| e.to_string())? + "\n"
                }
                Format::Table if incidents.is_empty() => "No incidents.\n".to_string(),
                Format::Table => incidents
                    .iter()
                    .map(|i| {
                        format!(
                            "{:<22}  {:<12}  {:<20}  {:<8}  {:<40}  {}\n",
                            i.id,
                            i.status,
                            i.kind,
                            i.severity,
                            i.user_principal_name,
                            i.tenant_name
                        )
                    })
                    .collect(),
            };
            out.write_all(inert_for_terminal(&text).as_bytes())
                .map_err(|e| e.to_string())
        }
        Command::Tenants { format } => {
            let context = open_workspace(options)?;
            let tenants = parapet_api::tenants::list(&context)
                .map_err(|e| e.message)?
                .tenants;
            let text = match format {
                Format::Json => {
                    serde_json::to_string_pretty(&tenants).map_err(|e| e.to_string())? + "\n"
                }
                Format::Table if tenants.is_empty() => "No tenants onboarded yet.\n".to_string(),
                Format::Table => tenants
                    .iter()
                    .map(|t| {
                        format!(
                            "{:<36}  {:<30}  {}{}{}\n",
                            t.id,
                            t.display_name,
                            t.default_domain,
                            if t.flags.response_enabled {
                                "  [response]"
                            } else {
                                ""
                            },
                            if t.flags.paused { "  [paused]" } else { "" }
                        )
                    })
                    .collect(),
            };
            out.write_all(inert_for_terminal(&text).as_bytes())
                .map_err(|e| e.to_string())
        }
    }
}

/// `--delete-artifact` and `--disable-artifact` as the api's per-artifact choices; an id given
/// to both is refused rather than guessed.
fn artifact_removals(
    delete: &[String],
    disable: &[String],
) -> Result<Vec<parapet_api::dto::ArtifactRemoval>, String> {
    use parapet_api::dto::{ArtifactRemoval, RemovalChoice};
    if let Some(both) = delete.iter().find(|id| disable.contains(id)) {
        return Err(format!(
            "artifact {} is given to both --delete-artifact and --disable-artifact",
            inert_for_terminal(both)
        ));
    }
    let choose = |ids: &[String], removal: RemovalChoice| {
        ids.iter()
            .map(|id| ArtifactRemoval {
                artifact_id: id.clone(),
                removal,
            })
            .collect::<Vec<_>>()
    };
    let mut removals = choose(delete, RemovalChoice::Delete);
    removals.extend(choose(disable, RemovalChoice::Disable));
    Ok(removals)
}

fn open_workspace(options: &ContextOptions) -> Result<parapet_api::AppContext, String> {
    let runtime = tokio::runtime::Runtime::new().map_err(|e| e.to_string())?;
    runtime
        .block_on(parapet_api::workspace::open(options))
        .map_err(|e| e.message)
}

fn serve_until_interrupted(options: SimOptions, out: &mut dyn Write) -> Result<(), String> {
    let runtime = tokio::runtime::Runtime::new().map_err(|e| e.to_string())?;
    runtime.block_on(async {
        let simulator = parapet_api::simulator::serve(options)
            .await
            .map_err(|e| e.message)?;
        writeln!(out, "{}", simulator.describe()).map_err(|e| e.to_string())?;
        writeln!(out, "Press Ctrl-C to stop.").map_err(|e| e.to_string())?;
        out.flush().map_err(|e| e.to_string())?;
        tokio::signal::ctrl_c().await.map_err(|e| e.to_string())?;
        simulator.shutdown().await;
        Ok(())
    })
}

/// Rule names, subjects and user agents are attacker-controlled: before text reaches a
/// terminal, control characters (escape sequences could recolour, hide or rewrite lines) are
/// shown as visible escapes instead of being interpreted.
fn inert_for_terminal(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for character in text.chars() {
        // Control characters, and the bidi and other format characters that can make a rule
        // name read differently from what it is (U+202E, U+2066..U+2069, zero-width ones).
        let format_character = matches!(character, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}');
        if (character.is_control() && character != '\n') || format_character {
            out.extend(character.escape_unicode());
        } else {
            out.push(character);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn terminal_output_shows_escape_sequences_instead_of_running_them() {
        let hostile = "rule \u{1b}[2J\u{1b}]0;pwned\u{7}name\r\nnext";
        let inert = super::inert_for_terminal(hostile);
        assert!(
            !inert.chars().any(|c| c.is_control() && c != '\n'),
            "{inert:?}"
        );
        assert!(inert.contains("\\u{1b}[2J"), "{inert}");
        assert!(inert.ends_with("\nnext"));
    }

    #[test]
    fn artifact_flags_become_per_artifact_choices_and_may_not_disagree() {
        use parapet_api::dto::RemovalChoice;
        let ids = |list: &[&str]| list.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let removals = super::artifact_removals(&ids(&["r1"]), &ids(&["dev-1", "r2"])).unwrap();
        let got: Vec<(&str, RemovalChoice)> = removals
            .iter()
            .map(|r| (r.artifact_id.as_str(), r.removal))
            .collect();
        assert_eq!(
            got,
            vec![
                ("r1", RemovalChoice::Delete),
                ("dev-1", RemovalChoice::Disable),
                ("r2", RemovalChoice::Disable)
            ]
        );
        let refused = super::artifact_removals(&ids(&["r1"]), &ids(&["r1"])).unwrap_err();
        assert!(refused.contains("r1"), "{refused}");
    }
}
