//! Incidents: recording what a scan found, listing, and the lifecycle
//! (`unpublished` → `active` → `remediated`).

use crate::dto::{ArtifactView, IncidentDetail, IncidentSummary, SignalView};
use crate::{ApiError, AppContext, ErrorCode};
use chrono::{DateTime, Utc};
use parapet_detect::ScanReport;
use parapet_remediate::ReopenReason;
use parapet_store::IncidentRow;
use serde_json::Value;
use std::collections::HashMap;

/// Stores a scan's incidents for a tenant. New incidents are `active` when the tenant has
/// Response on, else `unpublished` until the technician publishes them; known ones keep their
/// status. A remediated incident reappears when its leftover persistence still exists or the
/// attacker acted again after it was marked remediated; its action log then gets a reopen
/// marker, so every remediation step is due again. Returns the ids of the incidents this
/// scan raised: new ones and the ones that came back (Automatic Response acts on both).
pub fn record(
    context: &AppContext,
    tenant_id: &str,
    report: &ScanReport,
    snapshot: &parapet_snapshot::Snapshot,
    now: DateTime<Utc>,
) -> Result<Vec<String>, ApiError> {
    let tenant = context.store().tenant(tenant_id)?;
    let rows: Vec<IncidentRow> = report
        .incidents
        .iter()
        .map(|incident| {
            let mut detail = serde_json::to_value(incident)
                .map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))?;
            crate::phish::annotate(&mut detail, snapshot);
            Ok(IncidentRow {
                id: incident.id.clone(),
                tenant_id: tenant_id.to_string(),
                user_principal_name: incident.user_principal_name.clone(),
                kind: text(&detail["kind"]),
                severity: text(&detail["severity"]),
                confidence: text(&detail["confidence"]),
                status: String::new(),
                first_seen: incident.first_seen,
                last_seen: incident.last_seen,
                detail: detail.to_string(),
                raised_at: now,
                updated_at: now,
            })
        })
        .collect::<Result<_, ApiError>>()?;
    let status_for_new = if tenant.flags.response_enabled {
        "active"
    } else {
        "unpublished"
    };
    // Read before recording: recording stamps every known incident with this scan's time.
    // The store guard is taken per call: the reopen below reads and writes the action log.
    let before: HashMap<String, IncidentRow> = context
        .store()
        .incidents(Some(tenant_id))?
        .into_iter()
        .map(|row| (row.id.clone(), row))
        .collect();
    let mut raised = context
        .store()
        .record_incidents(&rows, status_for_new, now)?;
    for row in &rows {
        let Some(previous) = before.get(&row.id) else {
            continue;
        };
        if previous.status != "remediated" {
            continue;
        }
        let Some(reason) = reopen_reason(context, row, previous)? else {
            continue;
        };
        // The marker first: a status without it would leave steps 1-6 looking done.
        crate::remediation::record_reopen(context, row, &reason, now)?;
        context
            .store()
            .set_incident_status(&row.id, status_for_new, now)?;
        raised.push(row.id.clone());
    }
    Ok(raised)
}

/// Why a remediated incident comes back, if it does: its artifact is still there, or the
/// attacker acted after it was marked remediated (logs can arrive hours late, so the time
/// of step 6 counts, not the time of the previous scan).
fn reopen_reason(
    context: &AppContext,
    row: &IncidentRow,
    previous: &IncidentRow,
) -> Result<Option<ReopenReason>, ApiError> {
    if row.kind == "leftover_persistence" {
        let still_present = serde_json::from_str::<Value>(&row.detail)
            .ok()
            .and_then(|d| d["persistence"].as_array().map(|a| !a.is_empty()))
            .unwrap_or(false);
        return Ok(still_present.then_some(ReopenReason::PersistenceRemains));
    }
    if row.kind != "active_compromise" {
        return Ok(None);
    }
    let closed_at =
        crate::remediation::remediated_at(context, &row.id)?.unwrap_or(previous.updated_at);
    Ok(
        (row.last_seen > closed_at).then_some(ReopenReason::AttackerReturned {
            last_seen: row.last_seen,
        }),
    )
}

/// Incidents of one tenant or of all, newest evidence first.
pub fn list(
    context: &AppContext,
    tenant_id: Option<&str>,
) -> Result<Vec<IncidentSummary>, ApiError> {
    let store = context.store();
    let names: std::collections::HashMap<String, String> = store
        .tenants()?
        .into_iter()
        .map(|t| (t.id, t.display_name))
        .collect();
    Ok(store
        .incidents(tenant_id)?
        .into_iter()
        .map(|row| summary(&row, names.get(&row.tenant_id).cloned().unwrap_or_default()))
        .collect())
}

/// How many incidents were raised in the 30 days before `now` (the "N incidents" badge).
pub fn recent_count(context: &AppContext, now: DateTime<Utc>) -> Result<u32, ApiError> {
    let since = now - chrono::Duration::days(30);
    let count = context
        .store()
        .incidents(None)?
        .iter()
        .filter(|i| i.raised_at >= since)
        .count();
    Ok(u32::try_from(count).unwrap_or(u32::MAX))
}

/// Everything shown on one incident.
pub fn detail(context: &AppContext, incident_id: &str) -> Result<IncidentDetail, ApiError> {
    let store = context.store();
    let row = store.incident(incident_id)?;
    let tenant_name = store
        .tenant(&row.tenant_id)
        .map(|t| t.display_name)
        .unwrap_or_default();
    let detail: Value = serde_json::from_str(&row.detail)
        .map_err(|e| ApiError::storage(format!("incident {incident_id} is stored corrupt: {e}")))?;
    let strings = |value: &Value| -> Vec<String> {
        value
            .as_array()
            .map(|a| a.iter().map(text).collect())
            .unwrap_or_default()
    };
    Ok(IncidentDetail {
        summary: summary(&row, tenant_name),
        reasons: strings(&detail["reasons"]),
        signals: detail["signals"]
            .as_array()
            .map(|signals| {
                signals
                    .iter()
                    .map(|s| SignalView {
                        kind: text(&s["kind"]),
                        time: text(&s["time"]),
                        summary: text(&s["summary"]),
                        evidence: strings(&s["evidence"]),
                    })
                    .collect()
            })
            .unwrap_or_default(),
        persistence: artifacts(&detail),
        mail: crate::phish::mail_log(&detail),
        phish: crate::phish::phish_view(&detail, store.phish_tag(incident_id)?.as_deref()),
    })
}

/// Mark as Phish: the technician tags one of the account's messages as the incident's phish.
pub fn mark_phish(
    context: &AppContext,
    incident_id: &str,
    message_id: &str,
) -> Result<IncidentDetail, ApiError> {
    let row = context.store().incident(incident_id)?;
    let detail: Value = serde_json::from_str(&row.detail)
        .map_err(|e| ApiError::storage(format!("incident {incident_id} is stored corrupt: {e}")))?;
    let mail = crate::phish::mail_log(&detail);
    let message = mail.iter().find(|m| m.id == message_id).ok_or_else(|| {
        ApiError::new(
            ErrorCode::NotFound,
            "that message is not in this incident's Exchange log",
        )
    })?;
    let tag = crate::phish::phish_json(message, "technician").to_string();
    context.store().tag_phish(incident_id, &tag, Utc::now())?;
    self::detail(context, incident_id)
}

/// Publishes an unpublished incident (tenants with Response off), so remediation can start.
pub fn publish(context: &AppContext, incident_id: &str) -> Result<IncidentDetail, ApiError> {
    let current = context.store().incident(incident_id)?;
    if current.status != "unpublished" {
        return Err(ApiError::invalid_input(format!(
            "incident {incident_id} is already {}",
            current.status
        )));
    }
    context
        .store()
        .set_incident_status(incident_id, "active", Utc::now())?;
    detail(context, incident_id)
}

fn summary(row: &IncidentRow, tenant_name: String) -> IncidentSummary {
    let persistence_count = serde_json::from_str::<Value>(&row.detail)
        .ok()
        .and_then(|d| d["persistence"].as_array().map(Vec::len))
        .unwrap_or(0);
    IncidentSummary {
        id: row.id.clone(),
        tenant_id: row.tenant_id.clone(),
        tenant_name,
        user_principal_name: row.user_principal_name.clone(),
        kind: row.kind.clone(),
        severity: row.severity.clone(),
        confidence: row.confidence.clone(),
        status: row.status.clone(),
        first_seen: row.first_seen.to_rfc3339(),
        last_seen: row.last_seen.to_rfc3339(),
        persistence_count: u32::try_from(persistence_count).unwrap_or(u32::MAX),
    }
}

fn artifacts(detail: &Value) -> Vec<ArtifactView> {
    detail["persistence"]
        .as_array()
        .map(|items| {
            items
                .iter()
                .map(|p| ArtifactView {
                    kind: text(&p["type"]),
                    id: text(&p["id"]),
                    summary: text(&p["summary"]),
                })
                .collect()
        })
        .unwrap_or_default()
}

fn text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}
