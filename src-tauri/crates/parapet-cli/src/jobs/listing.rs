//! `parapet tenants` and `parapet incidents`.

use parapet_api::ContextOptions;
use std::io::Write;

use crate::args::Format;
use crate::terminal::{json, write_inert};

pub(crate) fn tenants(
    format: Format,
    options: &ContextOptions,
    out: &mut dyn Write,
) -> Result<(), String> {
    let context = super::runtime()?.block_on(super::workspace(options))?;
    let tenants = parapet_api::tenants::list(&context)
        .map_err(|e| e.message)?
        .tenants;
    let text = match format {
        Format::Json => json(&tenants)?,
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
    write_inert(out, &text)
}

pub(crate) fn incidents(
    tenant: Option<&str>,
    format: Format,
    options: &ContextOptions,
    out: &mut dyn Write,
) -> Result<(), String> {
    let context = super::runtime()?.block_on(super::workspace(options))?;
    let incidents = parapet_api::incidents::list(&context, tenant).map_err(|e| e.message)?;
    let text = match format {
        Format::Json => json(&incidents)?,
        Format::Table if incidents.is_empty() => "No incidents.\n".to_string(),
        Format::Table => incidents
            .iter()
            .map(|i| {
                format!(
                    "{:<22}  {:<12}  {:<20}  {:<8}  {:<40}  {}\n",
                    i.id, i.status, i.kind, i.severity, i.user_principal_name, i.tenant_name
                )
            })
            .collect(),
    };
    write_inert(out, &text)
}
