//! The scan result: the documented `parapet scan --format json` shape, and a plain-text table.

use chrono::{DateTime, Utc};
use serde::{Serialize, Serializer};

use crate::evidence::ArtifactType;

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ScanReport {
    pub tenant: TenantSummary,
    pub incidents: Vec<Incident>,
    pub targeted_users: Vec<TargetedUser>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TenantSummary {
    pub id: String,
    pub display_name: String,
    pub coverage: Coverage,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Coverage {
    #[serde(serialize_with = "opt_time")]
    pub from: Option<DateTime<Utc>>,
    #[serde(serialize_with = "opt_time")]
    pub to: Option<DateTime<Utc>>,
    pub sources: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum IncidentKind {
    ActiveCompromise,
    PastCompromise,
    LeftoverPersistence,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Low,
    Medium,
    High,
    Critical,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    Low,
    Medium,
    High,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Incident {
    pub id: String,
    pub user_principal_name: String,
    pub kind: IncidentKind,
    pub severity: Severity,
    pub confidence: Confidence,
    #[serde(serialize_with = "time")]
    pub first_seen: DateTime<Utc>,
    #[serde(serialize_with = "time")]
    pub last_seen: DateTime<Utc>,
    pub signals: Vec<SignalOut>,
    pub persistence: Vec<PersistenceOut>,
    pub reasons: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SignalOut {
    pub kind: String,
    #[serde(serialize_with = "time")]
    pub time: DateTime<Utc>,
    pub summary: String,
    pub evidence: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PersistenceOut {
    #[serde(rename = "type")]
    pub kind: ArtifactType,
    pub id: String,
    pub summary: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TargetedUser {
    pub user_principal_name: String,
    pub failed_attempts: usize,
}

/// Times as Microsoft writes them (`Z`, no trailing fractional zeros), like the snapshot.
fn time<S: Serializer>(t: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&parapet_snapshot::time::format(*t))
}

fn opt_time<S: Serializer>(t: &Option<DateTime<Utc>>, s: S) -> Result<S::Ok, S::Error> {
    match t {
        Some(t) => time(t, s),
        None => s.serialize_none(),
    }
}

impl IncidentKind {
    pub fn as_str(self) -> &'static str {
        match self {
            IncidentKind::ActiveCompromise => "active_compromise",
            IncidentKind::PastCompromise => "past_compromise",
            IncidentKind::LeftoverPersistence => "leftover_persistence",
        }
    }
}

/// A readable summary for `--format table`. Attacker-controlled text (rule names, subjects) is
/// printed as plain text; control characters are replaced so it cannot move the cursor.
pub fn format_table(report: &ScanReport) -> String {
    let mut out = String::new();
    let cov = &report.tenant.coverage;
    let when = |t: &Option<DateTime<Utc>>| {
        t.map(|t| t.format("%Y-%m-%d %H:%M").to_string())
            .unwrap_or_else(|| "-".into())
    };
    out.push_str(&format!(
        "Tenant {} ({})\n",
        clean(&report.tenant.display_name),
        report.tenant.id
    ));
    out.push_str(&format!(
        "Coverage {} to {} from {}\n\n",
        when(&cov.from),
        when(&cov.to),
        cov.sources.join(", ")
    ));
    if report.incidents.is_empty() {
        out.push_str("No incidents.\n");
    } else {
        out.push_str(&format!(
            "{:<40} {:<21} {:<9} {:<10} {:<17} {}\n",
            "USER", "KIND", "SEVERITY", "CONFIDENCE", "LAST SEEN", "PERSISTENCE"
        ));
        for i in &report.incidents {
            out.push_str(&format!(
                "{:<40} {:<21} {:<9} {:<10} {:<17} {}\n",
                clean(&i.user_principal_name),
                i.kind.as_str(),
                format!("{:?}", i.severity).to_lowercase(),
                format!("{:?}", i.confidence).to_lowercase(),
                i.last_seen.format("%Y-%m-%d %H:%M"),
                i.persistence.len()
            ));
        }
        for i in &report.incidents {
            out.push_str(&format!(
                "\n{} {} ({})\n",
                i.kind.as_str(),
                clean(&i.user_principal_name),
                i.id
            ));
            for r in &i.reasons {
                out.push_str(&format!("  - {}\n", clean(r)));
            }
            for p in &i.persistence {
                out.push_str(&format!(
                    "  persistence {:?} {}: {}\n",
                    p.kind,
                    clean(&p.id),
                    clean(&p.summary)
                ));
            }
        }
    }
    if !report.targeted_users.is_empty() {
        out.push_str("\nTargeted users (failed attacks)\n");
        for t in &report.targeted_users {
            out.push_str(&format!(
                "  {:<40} {}\n",
                clean(&t.user_principal_name),
                t.failed_attempts
            ));
        }
    }
    out
}

fn clean(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}
