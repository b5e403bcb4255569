//! The live Scan of an onboarded tenant: collect its evidence through Microsoft's APIs into the
//! store (incrementally), rebuild a snapshot from the store, run the pure detector, record the
//! incidents, and let Automatic Response act where the technician switched it on.

use crate::dto::{ScanProgress, ScanSummary, StepRequest};
use crate::onboarding::tenant_client;
use crate::{ApiError, AppContext, ErrorCode};
use chrono::Utc;
use parapet_collect::{CollectOptions, SourceStatus};
use serde_json::json;

/// Scans one tenant, reporting progress as it goes.
pub async fn scan_tenant(
    context: &AppContext,
    tenant_id: &str,
    progress: &(dyn Fn(ScanProgress) + Sync),
) -> Result<ScanSummary, ApiError> {
    let tenant = context.store().tenant(tenant_id)?;
    let _busy = context.claim(
        format!("scan:{tenant_id}"),
        &format!("a scan of {}", tenant.display_name),
    )?;
    let client = tenant_client(context, tenant_id)?;
    let now = Utc::now();
    let mut options = CollectOptions::new(now, tenant.facts.entra_licence);
    // Purview queries take seconds to minutes; polling every few seconds stays well inside the
    // audit API's 5 requests per 10 seconds.
    options.audit_query_poll = std::time::Duration::from_secs(2);
    let collected =
        parapet_collect::collect(&client, context.store_lock(), tenant_id, &options, &|p| {
            progress(ScanProgress {
                phase: p.phase.to_string(),
                done: u32::try_from(p.step.saturating_sub(1)).unwrap_or(0),
                total: u32::try_from(p.steps + 1).unwrap_or(u32::MAX),
                records: p.records,
            });
        })
        .await?;
    let total = u32::try_from(parapet_collect::PHASES.len() + 1).unwrap_or(u32::MAX);
    progress(ScanProgress {
        phase: "Detecting".into(),
        done: total - 1,
        total,
        records: u64::try_from(collected.fetched()).unwrap_or(u64::MAX),
    });
    let organization = client.organization().await?.into_iter().next();
    let verified_domains: Vec<String> = organization
        .as_ref()
        .and_then(|o| o.verified_domains.clone())
        .unwrap_or_default()
        .iter()
        .filter_map(|d| d["name"].as_str().map(str::to_string))
        .collect();
    let licence = tenant.facts.entra_licence;
    let info: parapet_snapshot::model::TenantInfo = serde_json::from_value(json!({
        "id": tenant.id,
        "displayName": tenant.display_name,
        "defaultDomainName": tenant.default_domain,
        "verifiedDomains": verified_domains,
        "snapshotTime": parapet_snapshot::time::format(now),
        "licenses": {
            "entraIdP1": licence != parapet_store::EntraLicence::None,
            "entraIdP2": licence == parapet_store::EntraLicence::P2,
        },
    }))
    .map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))?;
    let snapshot = context.store().evidence_snapshot(tenant_id, info)?;
    let report = parapet_detect::scan(&snapshot, parapet_ipintel::IpIntel::embedded(), now);
    let notes: Vec<String> = collected
        .sources
        .iter()
        .filter_map(|source| match &source.status {
            SourceStatus::Used => None,
            SourceStatus::Unavailable(why) => Some(format!("{}: {why}", source.source)),
        })
        .collect();
    let (mut summary, raised) = crate::scan::record_report(context, tenant_id, &report, &snapshot)?;
    summary.sources.extend(notes);
    progress(ScanProgress {
        phase: "Done".into(),
        done: total,
        total,
        records: summary_records(&collected),
    });
    if tenant.flags.response_enabled {
        respond(context, &raised).await;
    }
    Ok(summary)
}

fn summary_records(collected: &parapet_collect::CollectSummary) -> u64 {
    u64::try_from(collected.fetched()).unwrap_or(u64::MAX)
}

/// Automatic Response: steps 1–3 on high-confidence active compromises this scan raised (new,
/// or back because the attacker returned), recorded in the log as "Automatic Response".
/// Step 2 runs when the evidence names the phish (otherwise it waits for Mark as Phish).
/// Failures stay on the incident for the technician; they never fail the scan.
async fn respond(context: &AppContext, raised: &[String]) {
    for id in raised {
        let Ok(incident) = context.store().incident(id) else {
            continue;
        };
        if incident.kind != "active_compromise" || incident.confidence != "high" {
            continue;
        }
        for step in [1u8, 2, 3] {
            let request = StepRequest {
                step,
                ..StepRequest::default()
            };
            let _ = crate::remediation::run_step(
                context,
                id,
                &request,
                parapet_remediate::Actor::AutomaticResponse,
            )
            .await;
        }
    }
}
