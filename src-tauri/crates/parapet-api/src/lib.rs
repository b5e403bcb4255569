//! The one API every caller uses: the Tauri shell, the `parapet` CLI and the tests.
//!
//! Each use case is a plain function over an [`AppContext`]; the shell's commands are one-line
//! delegations to these functions, so everything the UI can do is testable without a window.
//! This crate owns the IPC contract: the request and reply types in [`dto`] derive `ts_rs::TS`
//! and are generated into `ui/src/lib/bindings/` (a test fails when the committed files are
//! stale), and every failure reaches the UI as an [`ApiError`] `{code, message}`.

pub mod app;
pub mod billing;
mod connection;
mod context;
pub mod dto;
mod error;
pub mod incidents;
pub mod live_scan;
mod loopback;
pub mod onboarding;
pub mod partner;
mod phish;
pub mod remediation;
pub mod retraction;
pub mod scan;
pub mod settings;
pub mod simulator;
pub mod tenants;
pub mod workspace;

pub use connection::{Connection, UrlOpener, PUBLIC_CLIENT_ID};
pub use context::{default_data_dir, AppContext, ContextOptions, Workspace, APP_IDENTIFIER};
pub use error::{ApiError, ErrorCode};
