//! What the command line accepts: the global options and the headless jobs.

use clap::{Parser, Subcommand, ValueEnum};
use parapet_api::{ContextOptions, UrlOpener, Workspace};
use std::path::PathBuf;

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
        /// 1 revoke and lock, 2 retract the phish, 3 remove persistence, 4 reset password,
        /// 5 re-enable, 6 mark remediated.
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
        /// Step 2: move only this copy of the phish, as `parapet phish` lists it
        /// (`TENANT_ID:MAILBOX_ID:MESSAGE_ID`, repeatable; any of your tenants).
        #[arg(long = "message", value_name = "COPY")]
        messages: Vec<String>,
        /// Reset the password although step 3 has unresolved items.
        #[arg(long)]
        override_guard: bool,
        /// Step 4: set a new password although an earlier reset finished or was interrupted.
        #[arg(long)]
        fresh: bool,
        /// Show what would be done; send nothing.
        #[arg(long)]
        dry_run: bool,
        /// Print the new password of step 4 (otherwise it is withheld).
        #[arg(long)]
        show_password: bool,
    },
    /// List the copies of an incident's phish outside Deleted Items, per mailbox: in its own
    /// tenant, or with --other-tenants in every other onboarded tenant. Move them with
    /// `parapet remediate --step 2 --message COPY`.
    Phish {
        /// The incident id.
        #[arg(long)]
        incident: String,
        /// Search your other tenants instead of the incident's own.
        #[arg(long)]
        other_tenants: bool,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
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
