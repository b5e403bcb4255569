//! Facts about the running app.

use crate::dto::AppInfo;
use crate::{AppContext, Workspace};

/// Version, data directory and profile of the running app.
pub fn info(context: &AppContext) -> AppInfo {
    AppInfo {
        version: env!("CARGO_PKG_VERSION").to_string(),
        data_dir: context.data_dir().display().to_string(),
        demo: context.workspace() == Workspace::Demo,
    }
}
