//! The `parapet` command line. Without a subcommand the binary opens the desktop app; with
//! one it runs headless (no display, no window) over the same [`parapet_api`] functions the
//! app uses, so a scripted job and a click do exactly the same thing.

use clap::{Parser, Subcommand, ValueEnum};
use parapet_api::{AppContext, ContextOptions, Workspace};
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
    /// Scan a tenant snapshot directory offline and print the incidents found.
    ///
    /// Needs no display, keyring or network. Exits 0 when the scan ran, whether or not it
    /// found incidents, and non-zero with a message when it could not.
    Scan {
        /// The snapshot directory (the format of spec/tenant-snapshot.md).
        #[arg(long, value_name = "DIR")]
        snapshot: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
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
        }
    }
}

/// Runs a headless job and returns the process exit code; errors go to stderr as one line.
pub fn run(command: &Command, options: &ContextOptions) -> ExitCode {
    match execute(command, options, &mut std::io::stdout().lock()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("parapet: {message}");
            ExitCode::FAILURE
        }
    }
}

fn execute(command: &Command, options: &ContextOptions, out: &mut dyn Write) -> Result<(), String> {
    match command {
        Command::Scan { snapshot, format } => {
            let report = parapet_api::scan::scan_snapshot_dir(snapshot).map_err(|e| e.message)?;
            let text = match format {
                Format::Json => {
                    serde_json::to_string_pretty(&report).map_err(|e| e.to_string())? + "\n"
                }
                Format::Table => inert_for_terminal(&parapet_detect::format_table(&report)),
            };
            out.write_all(text.as_bytes()).map_err(|e| e.to_string())
        }
        Command::Tenants { format } => {
            let context = AppContext::open(options).map_err(|e| e.message)?;
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
            out.write_all(text.as_bytes()).map_err(|e| e.to_string())
        }
    }
}

/// Rule names, subjects and user agents are attacker-controlled: before text reaches a
/// terminal, control characters (escape sequences could recolour, hide or rewrite lines) are
/// shown as visible escapes instead of being interpreted.
fn inert_for_terminal(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for character in text.chars() {
        if character.is_control() && character != '\n' {
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
}
