//! Parapet's system tests: the real `parapet` binary, end to end.
//!
//! - `cli`: headless commands, without a display.
//! - `e2e`: the desktop app in the real webview, driven by tauri-driver + WebKitWebDriver.
//!   Under CI a missing display, driver or keyring fails these tests; outside CI they are
//!   skipped loudly and `./dev test` provides everything.

mod cli;
mod e2e;
mod onboarding;
mod remediation;
mod support;
