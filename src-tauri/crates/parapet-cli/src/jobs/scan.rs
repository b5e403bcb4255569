//! `parapet scan` (a snapshot offline, or an onboarded tenant live) and `parapet import`.

use parapet_api::ContextOptions;
use std::io::Write;
use std::path::Path;

use crate::args::Format;
use crate::terminal::{inert_for_terminal, json, write_inert};

/// Scans an onboarded tenant live; progress goes to stderr.
pub(crate) fn live(
    tenant: &str,
    format: Format,
    options: &ContextOptions,
    out: &mut dyn Write,
) -> Result<(), String> {
    let summary = super::runtime()?.block_on(async {
        let context = super::workspace(options).await?;
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
        Format::Json => json(&summary)?,
        Format::Table => format!(
            "Scanned {}: {} incident(s); sources: {}\n",
            summary.tenant_id,
            summary.incident_count,
            summary.sources.join(", ")
        ),
    };
    write_inert(out, &text)
}

/// Scans a snapshot directory offline: no display, keyring or network.
pub(crate) fn offline(snapshot: &Path, format: Format, out: &mut dyn Write) -> Result<(), String> {
    let report = parapet_api::scan::scan_snapshot_dir(snapshot).map_err(|e| e.message)?;
    let text = match format {
        Format::Json => json(&report)?,
        Format::Table => inert_for_terminal(&parapet_detect::format_table(&report)),
    };
    out.write_all(text.as_bytes()).map_err(|e| e.to_string())
}

/// Imports a snapshot into the workspace for offline review.
pub(crate) fn import(
    snapshot: &Path,
    options: &ContextOptions,
    out: &mut dyn Write,
) -> Result<(), String> {
    let context = super::runtime()?.block_on(super::workspace(options))?;
    let summary =
        parapet_api::scan::import_snapshot_dir(&context, snapshot).map_err(|e| e.message)?;
    write_inert(
        out,
        &format!(
            "Imported {} and found {} incident(s)\n",
            summary.tenant_id, summary.incident_count
        ),
    )
}
