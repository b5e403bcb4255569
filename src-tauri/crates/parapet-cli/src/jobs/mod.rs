//! One module per kind of headless job; each turns its arguments into `parapet_api` calls
//! and prints the result, made inert for the terminal.

pub(crate) mod listing;
pub(crate) mod remediate;
pub(crate) mod scan;
pub(crate) mod sim;

use parapet_api::{AppContext, ContextOptions};

/// A runtime for one job: the CLI is synchronous, the api is async.
pub(crate) fn runtime() -> Result<tokio::runtime::Runtime, String> {
    tokio::runtime::Runtime::new().map_err(|e| e.to_string())
}

/// Opens the workspace the global options select.
pub(crate) async fn workspace(options: &ContextOptions) -> Result<AppContext, String> {
    parapet_api::workspace::open(options)
        .await
        .map_err(|e| e.message)
}
