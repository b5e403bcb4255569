//! How Parapet reaches Microsoft (or the simulator standing in for it), and how it opens URLs.

use crate::{ApiError, ErrorCode};
use parapet_graph::{ClientConfig, Endpoints, GraphClient};
use std::path::PathBuf;

/// Parapet's public client registration: the desktop app the technician signs in with. A public
/// client embeds no secret; the MSP's own confidential app is created at first sign-in.
pub const PUBLIC_CLIENT_ID: &str = parapet_simulator::PUBLIC_CLIENT_ID;

/// The one place URLs are opened (sign-in and consent pages). Tests swap it so they can follow
/// the URL themselves; nothing else in Parapet opens a browser.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UrlOpener {
    /// The system browser (`open`).
    SystemBrowser,
    /// Append each URL as a line to a file (end-to-end tests read and follow it).
    RecordTo(PathBuf),
    /// Fetch the URL in-process and follow its redirects (the demo workspace, whose simulated
    /// sign-in needs no person).
    FollowInProcess,
}

impl UrlOpener {
    /// Opens a URL the way this opener does.
    pub async fn open(&self, url: &str) -> Result<(), ApiError> {
        match self {
            Self::SystemBrowser => open::that_detached(url).map_err(|e| {
                ApiError::new(
                    ErrorCode::Internal,
                    format!("cannot open the browser ({e}); copy the link instead"),
                )
            }),
            Self::RecordTo(path) => {
                use std::io::Write;
                let mut file = std::fs::OpenOptions::new()
                    .create(true)
                    .append(true)
                    .open(path)
                    .map_err(|e| ApiError::storage(format!("{}: {e}", path.display())))?;
                writeln!(file, "{url}").map_err(|e| ApiError::storage(e.to_string()))
            }
            Self::FollowInProcess => {
                let url = url.to_string();
                // Detached: the redirect chain ends at our own loopback listener, which the
                // caller is awaiting.
                tokio::spawn(async move {
                    let _ = reqwest::get(url).await;
                });
                Ok(())
            }
        }
    }
}

/// Where Microsoft is for this workspace.
#[derive(Clone)]
pub struct Connection {
    /// Login, Graph, Exchange and Management base URLs.
    pub endpoints: Endpoints,
    /// The HTTP client shared by every tenant.
    pub client: GraphClient,
    /// How sign-in and consent URLs are opened.
    pub opener: UrlOpener,
}

impl Connection {
    /// Microsoft's production endpoints, or everything under `base` (the simulator's layout).
    pub fn new(base: Option<&str>, opener: UrlOpener) -> Result<Self, ApiError> {
        let endpoints = match base {
            Some(base) => Endpoints::under_prefix(base),
            None => Ok(Endpoints::microsoft()),
        }
        .map_err(|e| ApiError::invalid_input(e.to_string()))?;
        let client = GraphClient::new(endpoints.clone(), ClientConfig::default())
            .map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))?;
        Ok(Self {
            endpoints,
            client,
            opener,
        })
    }
}

impl std::fmt::Debug for Connection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Connection")
            .field("endpoints", &self.endpoints)
            .field("opener", &self.opener)
            .finish_non_exhaustive()
    }
}
