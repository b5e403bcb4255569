//! The Tauri shell: the only code that knows about windows and IPC.
//!
//! It builds one [`AppContext`] at start-up, hands it to Tauri's state, and registers the
//! commands in [`commands`], each a one-line delegation to `parapet_api`.

mod commands;

use parapet_api::ContextOptions;
use std::process::ExitCode;
use tauri::Manager;

/// Opens the desktop app on the workspace the options select; returns when the window closes.
pub fn run(options: &ContextOptions) -> ExitCode {
    if let Err(why) = display_available() {
        eprintln!("parapet: {why}");
        return ExitCode::FAILURE;
    }
    // The demo workspace starts its simulator on Tauri's runtime, which then keeps serving it.
    let context = match tauri::async_runtime::block_on(parapet_api::workspace::open(options)) {
        Ok(context) => context,
        Err(error) => {
            eprintln!("parapet: {}", error.message);
            return ExitCode::FAILURE;
        }
    };
    let result = tauri::Builder::default()
        .manage(context)
        .setup(|app| {
            // Monitoring runs beside the window: the first round (the demo's initial scans)
            // starts once the window is up, so it opens at once.
            let handle = app.handle().clone();
            tauri::async_runtime::spawn(async move {
                let context = handle.state::<parapet_api::AppContext>();
                let report = |tenant: &str, message: &str| {
                    eprintln!("parapet: scan of tenant {tenant} failed: {message}");
                };
                parapet_api::workspace::monitor(&context, &report).await;
            });
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::app_info,
            commands::list_tenants,
            commands::set_tenant_flags,
            commands::remove_tenant,
            commands::partner_status,
            commands::sign_in,
            commands::list_customers,
            commands::request_consent,
            commands::open_link,
            commands::complete_consent,
            commands::onboard_tenant,
            commands::list_incidents,
            commands::recent_incident_count,
            commands::incident_detail,
            commands::publish_incident,
            commands::last_scan,
            commands::run_remediation_step,
            commands::remediation_state,
            commands::scan_tenant,
            commands::mark_phish,
            commands::find_phish_copies,
            commands::get_settings,
            commands::update_settings,
        ])
        .run(tauri::generate_context!());
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("parapet: the window could not be opened: {error}");
            ExitCode::FAILURE
        }
    }
}

/// On Linux a window needs an X11 or Wayland display; say how to get one instead of letting
/// GTK abort with a cryptic message.
fn display_available() -> Result<(), String> {
    if cfg!(target_os = "linux")
        && std::env::var_os("DISPLAY").is_none()
        && std::env::var_os("WAYLAND_DISPLAY").is_none()
    {
        return Err("no display: DISPLAY and WAYLAND_DISPLAY are unset. Start it under a virtual \
                    display with `xvfb-run -a parapet`, or run a headless command (see `parapet --help`)"
            .into());
    }
    Ok(())
}
