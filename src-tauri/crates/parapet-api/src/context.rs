use crate::connection::{Connection, UrlOpener};
use crate::onboarding::PendingConsent;
use crate::ApiError;
use parapet_secrets::Keyring;
use parapet_store::Store;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

/// The Tauri identifier; it also names the data directory and the keyring namespace.
pub const APP_IDENTIFIER: &str = "app.parapet.desktop";

/// Which profile the app runs on. The demo never shares a data directory or keyring namespace
/// with real tenants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Workspace {
    /// The technician's real tenants.
    Real,
    /// Demo tenants served by the built-in Graph simulator.
    Demo,
}

/// How to build an [`AppContext`]; the CLI fills it from `--data-dir`, `PARAPET_DATA_DIR` and
/// `--demo`.
#[derive(Debug, Clone)]
pub struct ContextOptions {
    /// Overrides the platform data directory (tests point this at a temporary directory).
    pub data_dir: Option<PathBuf>,
    /// Real or demo profile.
    pub workspace: Workspace,
    /// Everything Microsoft under one base URL (the simulator's layout), instead of
    /// Microsoft's production hosts.
    pub microsoft_base: Option<String>,
    /// How sign-in and consent links are opened.
    pub opener: UrlOpener,
}

impl ContextOptions {
    /// A real workspace in `data_dir` against Microsoft, opening links in the system browser.
    pub fn new(data_dir: Option<PathBuf>, workspace: Workspace) -> Self {
        Self {
            data_dir,
            workspace,
            microsoft_base: None,
            opener: UrlOpener::SystemBrowser,
        }
    }
}

/// Everything a use case needs, built once at start-up and shared by reference.
///
/// There are no global statics: the shell hands this to Tauri's state, the CLI and tests hold
/// it on the stack.
pub struct AppContext {
    data_dir: PathBuf,
    workspace: Workspace,
    store: Mutex<Store>,
    keyring: Keyring,
    connection: Connection,
    pending_consents: Mutex<HashMap<String, PendingConsent>>,
    busy: Mutex<std::collections::HashSet<String>>,
    /// The technician's refresh token, shared by every delegated client of this process so
    /// that rotations never race (see [`parapet_graph::PartnerToken`]).
    partner_token: Mutex<Option<parapet_graph::PartnerToken>>,
    simulator: Option<parapet_simulator::RunningSimulator>,
}

/// Held while a scan of a tenant or a step of an incident runs; released on drop.
#[derive(Debug)]
pub(crate) struct BusyGuard<'a> {
    busy: &'a Mutex<std::collections::HashSet<String>>,
    key: String,
}

impl Drop for BusyGuard<'_> {
    fn drop(&mut self) {
        self.busy
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .remove(&self.key);
    }
}

impl std::fmt::Debug for AppContext {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppContext")
            .field("data_dir", &self.data_dir)
            .field("workspace", &self.workspace)
            .field("endpoints", &self.connection.endpoints)
            .finish_non_exhaustive()
    }
}

impl AppContext {
    /// Creates the data directory if needed and opens (migrating) the workspace database.
    pub fn open(options: &ContextOptions) -> Result<Self, ApiError> {
        let data_dir = match &options.data_dir {
            Some(dir) => dir.clone(),
            None => default_data_dir(options.workspace)?,
        };
        std::fs::create_dir_all(&data_dir).map_err(|e| {
            ApiError::storage(format!(
                "cannot create the data directory {}: {e}",
                data_dir.display()
            ))
        })?;
        let store = Store::open(&data_dir.join("parapet.db"))?;
        // Each workspace (data directory) has its own keyring namespace, so two workspaces, or
        // a test and the technician's real one, never read or overwrite each other's secrets.
        let workspace_id = match store.setting(parapet_store::SettingKey::WorkspaceId)? {
            Some(id) => id,
            None => {
                let id = uuid::Uuid::new_v4().to_string();
                store.set_setting(parapet_store::SettingKey::WorkspaceId, &id)?;
                id
            }
        };
        let namespace = match options.workspace {
            Workspace::Real => format!("{APP_IDENTIFIER}/{workspace_id}"),
            Workspace::Demo => format!("{APP_IDENTIFIER}.demo/{workspace_id}"),
        };
        let connection =
            Connection::new(options.microsoft_base.as_deref(), options.opener.clone())?;
        Ok(Self {
            data_dir,
            workspace: options.workspace,
            store: Mutex::new(store),
            keyring: Keyring::open(namespace),
            connection,
            pending_consents: Mutex::new(HashMap::new()),
            busy: Mutex::new(std::collections::HashSet::new()),
            partner_token: Mutex::new(None),
            simulator: None,
        })
    }

    /// Keeps the demo workspace's simulator running as long as the context lives.
    pub(crate) fn with_simulator(mut self, simulator: parapet_simulator::RunningSimulator) -> Self {
        self.simulator = Some(simulator);
        self
    }

    /// Where Microsoft is, and how links are opened.
    pub fn connection(&self) -> &Connection {
        &self.connection
    }

    /// The built-in simulator serving the demo workspace, if this is the demo.
    pub fn simulator(&self) -> Option<&parapet_simulator::RunningSimulator> {
        self.simulator.as_ref()
    }

    /// The store's lock itself, for collectors that take and release it per batch.
    pub(crate) fn store_lock(&self) -> &Mutex<Store> {
        &self.store
    }

    /// Claims `key` (e.g. `scan:<tenant>` or `incident:<id>`) so the same work cannot run
    /// twice at once: two step runs would both write to Microsoft, two scans would double the
    /// audit-log queries. Fails with `busy` while another holder runs.
    pub(crate) fn claim(&self, key: String, what: &str) -> Result<BusyGuard<'_>, ApiError> {
        let mut busy = self
            .busy
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if !busy.insert(key.clone()) {
            return Err(ApiError::new(
                crate::ErrorCode::Busy,
                format!("{what} is already running; wait for it to finish"),
            ));
        }
        Ok(BusyGuard {
            busy: &self.busy,
            key,
        })
    }

    pub(crate) fn pending_consents(&self) -> MutexGuard<'_, HashMap<String, PendingConsent>> {
        self.pending_consents
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The workspace's data directory.
    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// Real or demo.
    pub fn workspace(&self) -> Workspace {
        self.workspace
    }

    /// The OS keyring under this workspace's namespace.
    pub fn keyring(&self) -> &Keyring {
        &self.keyring
    }

    /// The slot of the shared partner refresh token (filled on first use, reset at sign-in).
    pub(crate) fn partner_token(&self) -> MutexGuard<'_, Option<parapet_graph::PartnerToken>> {
        self.partner_token
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The workspace database. A poisoned lock means an earlier use case panicked mid-write;
    /// SQLite's transactions kept the file consistent, so the store is still usable.
    pub(crate) fn store(&self) -> MutexGuard<'_, Store> {
        self.store
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// The platform's per-user data directory for Parapet (e.g. `~/.local/share/app.parapet.desktop`
/// on Linux, as Tauri's `app_data_dir` resolves it), with one subdirectory per workspace.
pub fn default_data_dir(workspace: Workspace) -> Result<PathBuf, ApiError> {
    let base = dirs::data_dir()
        .ok_or_else(|| {
            ApiError::storage("the platform has no per-user data directory; pass --data-dir")
        })?
        .join(APP_IDENTIFIER);
    Ok(match workspace {
        Workspace::Real => base.join("workspace"),
        Workspace::Demo => base.join("demo-workspace"),
    })
}
