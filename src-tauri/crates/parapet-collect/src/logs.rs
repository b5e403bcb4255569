//! Log sources: sign-ins, directory audits and audit records, each from its watermark.

use std::collections::HashSet;

use chrono::{DateTime, Duration, Utc};
use parapet_graph::graph::query::{segment, ODataQuery};
use parapet_graph::graph::{AuditLogQueryRequest, SignInEventType};
use parapet_graph::management::ContentType;
use parapet_graph::model::logs::AuditLogRecord;
use parapet_graph::{ApiVersion, GraphError, Pager};
use parapet_store::{EvidenceKind, EvidenceRecord};
use serde_json::Value;

use crate::{is_refusal, CollectError, Run, SourceStatus, SourceSummary};

/// Microsoft accepts Management Activity content windows starting at most 7 days back.
const MANAGEMENT_DAYS: i64 = 7;

pub(crate) const SIGN_INS_FROM_AUDIT_LOG: &str =
    "signIns: unavailable without Entra ID P1 — sign-in evidence from the audit log (UserLoggedIn/UserLoginFailed)";

/// Distinct records of one source across its pages (and pagers), and the newest time seen.
pub(crate) struct LogBatch {
    source: &'static str,
    kind: EvidenceKind,
    seen: HashSet<String>,
    new: usize,
    newest: Option<DateTime<Utc>>,
    window: (DateTime<Utc>, DateTime<Utc>),
}

impl LogBatch {
    pub(crate) fn new(
        source: &'static str,
        kind: EvidenceKind,
        window: (DateTime<Utc>, DateTime<Utc>),
    ) -> Self {
        LogBatch {
            source,
            kind,
            seen: HashSet::new(),
            new: 0,
            newest: None,
            window,
        }
    }

    fn store(&mut self, run: &Run<'_>, page: Vec<Value>) -> Result<(), CollectError> {
        self.store_for(run, None, page)
    }

    pub(crate) fn store_for(
        &mut self,
        run: &Run<'_>,
        user: Option<&str>,
        page: Vec<Value>,
    ) -> Result<(), CollectError> {
        let total = page.len();
        let parsed: Vec<EvidenceRecord> = page
            .into_iter()
            .filter_map(|json| EvidenceRecord::from_json(self.kind, user.map(str::to_string), json))
            .collect();
        run.malformed(total - parsed.len());
        // Two pagers of one source (interactive and non-interactive) may overlap.
        let records: Vec<EvidenceRecord> = parsed
            .into_iter()
            .filter(|record| {
                self.seen
                    .insert(format!("{}/{}", user.unwrap_or(""), record.id))
            })
            .collect();
        if let Some(newest) = records.iter().map(|r| r.time).max() {
            self.newest = Some(self.newest.map_or(newest, |n| n.max(newest)));
        }
        run.count(records.len());
        self.new += run.put_log(self.kind, &records)?;
        Ok(())
    }

    pub(crate) fn finish(self, run: &Run<'_>) -> Result<(), CollectError> {
        if let Some(newest) = self.newest {
            run.with_store(self.source, |store| {
                store.set_watermark(run.tenant_id, self.source, newest)
            })?;
        }
        run.record(SourceSummary {
            source: self.source,
            status: SourceStatus::Used,
            fetched: self.seen.len(),
            new: self.new,
            window: Some(self.window),
        });
        Ok(())
    }
}

impl Run<'_> {
    /// `[watermark - overlap, now]`, or the first-run window of `days`, never longer.
    pub(crate) fn window(
        &self,
        source: &'static str,
        days: i64,
    ) -> Result<(DateTime<Utc>, DateTime<Utc>), CollectError> {
        let earliest = self.options.now - Duration::days(days);
        let watermark = self.with_store(source, |store| store.watermark(self.tenant_id, source))?;
        let from = watermark.map_or(earliest, |w| (w - self.options.overlap).max(earliest));
        // Inclusive of records stamped exactly "now".
        Ok((from, self.options.now + Duration::seconds(1)))
    }

    fn lookback(&self) -> i64 {
        i64::from(self.options.lookback_days)
    }
}

/// Stores every page; the outer error is Microsoft's, the inner the store's.
async fn drain<T: serde::Serialize + serde::de::DeserializeOwned>(
    run: &Run<'_>,
    batch: &mut LogBatch,
    mut pager: Pager<T>,
) -> Result<Result<(), CollectError>, GraphError> {
    while let Some(page) = pager.next_page().await? {
        let values = page
            .iter()
            .filter_map(|record| serde_json::to_value(record).ok())
            .collect();
        if let Err(error) = batch.store(run, values) {
            return Ok(Err(error));
        }
    }
    Ok(Ok(()))
}

pub(crate) async fn sign_ins(run: &Run<'_>) -> Result<(), CollectError> {
    run.phase(2, 0, 0);
    const SOURCE: &str = "signIns";
    if run.options.licence == parapet_store::EntraLicence::None {
        run.unavailable(SOURCE, SIGN_INS_FROM_AUDIT_LOG.into());
        run.note(SIGN_INS_FROM_AUDIT_LOG.into());
        return Ok(());
    }
    let (from, to) = run.window(SOURCE, run.lookback())?;
    let mut batch = LogBatch::new(SOURCE, EvidenceKind::SignIn, (from, to));
    // Beta lists interactive sign-ins only unless another event type is asked for.
    for event_type in [None, Some(SignInEventType::NonInteractiveUser)] {
        match drain(run, &mut batch, run.client.sign_ins(from, to, event_type)).await {
            Ok(stored) => stored?,
            Err(error) if is_refusal(&error) => {
                run.unavailable(SOURCE, SIGN_INS_FROM_AUDIT_LOG.into());
                run.note(format!("{SIGN_INS_FROM_AUDIT_LOG} ({error})"));
                return Ok(());
            }
            Err(error) => return Err(run.graph_error(SOURCE, error)),
        }
    }
    batch.finish(run)
}

pub(crate) async fn directory_audits(run: &Run<'_>) -> Result<(), CollectError> {
    run.phase(3, 0, 0);
    const SOURCE: &str = "directoryAudits";
    let (from, to) = run.window(SOURCE, run.lookback())?;
    let mut batch = LogBatch::new(SOURCE, EvidenceKind::DirectoryAudit, (from, to));
    match drain(run, &mut batch, run.client.directory_audits(from, to, None)).await {
        Ok(stored) => {
            stored?;
            batch.finish(run)
        }
        Err(error) if is_refusal(&error) => {
            run.unavailable(SOURCE, format!("directory audits unavailable: {error}"));
            Ok(())
        }
        Err(error) => Err(run.graph_error(SOURCE, error)),
    }
}

/// Purview keeps 180 days; one query covers the whole window, its records' `auditData` is
/// the Management Activity schema the snapshot stores.
pub(crate) async fn audit_log_query(run: &Run<'_>) -> Result<(), CollectError> {
    run.phase(4, 0, 0);
    const SOURCE: &str = "auditLogQuery";
    let (from, to) = run.window(SOURCE, run.lookback())?;
    let request = AuditLogQueryRequest {
        display_name: format!(
            "Parapet collection {}",
            run.options.now.format("%Y-%m-%d %H:%M")
        ),
        filter_start_date_time: parapet_snapshot::time::format(from),
        filter_end_date_time: parapet_snapshot::time::format(to),
        ..AuditLogQueryRequest::default()
    };
    let outcome = async {
        let query = run.client.create_audit_log_query(&request).await?;
        run.client
            .wait_for_audit_log_query(
                &query.id,
                run.options.audit_query_poll,
                run.options.audit_query_timeout,
            )
            .await?;
        let mut batch = LogBatch::new(SOURCE, EvidenceKind::AuditRecord, (from, to));
        // 1,000 per page (the maximum) rather than the default 150: 180 days of a large
        // tenant is hundreds of thousands of records.
        let mut pager = run.client.graph_collection::<AuditLogRecord>(
            ApiVersion::V1,
            &format!("security/auditLog/queries/{}/records", segment(&query.id)),
            &ODataQuery::new().top(1000),
        );
        while let Some(page) = pager.next_page().await? {
            let values = page
                .into_iter()
                .filter_map(|record| record.audit_data)
                .collect();
            if let Err(error) = batch.store(run, values) {
                return Ok(Err(error));
            }
        }
        Ok::<_, GraphError>(Ok(batch))
    }
    .await;
    match outcome {
        Ok(Ok(batch)) => batch.finish(run),
        Ok(Err(store_error)) => Err(store_error),
        Err(error @ GraphError::OperationFailed { .. }) => {
            run.unavailable(
                SOURCE,
                format!("the Purview audit query did not finish: {error}"),
            );
            Ok(())
        }
        Err(error) if is_refusal(&error) => {
            run.unavailable(SOURCE, format!("Purview audit search refused: {error}"));
            Ok(())
        }
        Err(error) => Err(run.graph_error(SOURCE, error)),
    }
}

/// The Management Activity API has the freshest records (Purview search lags); its window is
/// the last 7 days, in the 24-hour slices the API accepts.
pub(crate) async fn management_activity(run: &Run<'_>) -> Result<(), CollectError> {
    run.phase(5, 0, 0);
    const SOURCE: &str = "managementActivity";
    if !run.options.management_activity {
        return Ok(());
    }
    let (from, to) = run.window(SOURCE, MANAGEMENT_DAYS)?;
    let from = from.max(run.options.now - Duration::days(MANAGEMENT_DAYS) + Duration::minutes(5));
    let to = to.min(run.options.now);
    let mut batch = LogBatch::new(SOURCE, EvidenceKind::AuditRecord, (from, to));
    let content_types = [
        ContentType::AzureActiveDirectory,
        ContentType::Exchange,
        ContentType::SharePoint,
        ContentType::General,
    ];
    let outcome = async {
        for content_type in content_types {
            run.client.start_subscription(content_type).await?;
            let mut start = from;
            while start < to {
                let end = (start + Duration::hours(24)).min(to);
                let blobs = run
                    .client
                    .list_content(content_type, start, end)
                    .collect_all()
                    .await?;
                for blob in &blobs {
                    let values = run
                        .client
                        .fetch_content(blob)
                        .await?
                        .iter()
                        .filter_map(|record| serde_json::to_value(record).ok())
                        .collect();
                    if let Err(error) = batch.store(run, values) {
                        return Ok(Err(error));
                    }
                }
                start = end;
            }
        }
        Ok::<_, GraphError>(Ok(()))
    }
    .await;
    match outcome {
        Ok(Ok(())) => batch.finish(run),
        Ok(Err(store_error)) => Err(store_error),
        // The Purview query already covers this window; the feed only adds freshness, so
        // its failure is reported, not fatal.
        Err(error) => {
            let reason = if is_refusal(&error) {
                format!("Management Activity API refused: {error}")
            } else {
                format!("Management Activity API failed: {error}")
            };
            run.note(format!("managementActivity: {reason}"));
            run.unavailable(SOURCE, reason);
            Ok(())
        }
    }
}
