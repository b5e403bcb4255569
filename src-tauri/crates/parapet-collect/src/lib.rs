//! Collection: pulls one tenant's evidence through [`parapet_graph`] into the SQLite store
//! ([`parapet_store`]), incrementally, so [`parapet_store::Store::evidence_snapshot`] can rebuild
//! a snapshot for the pure detector.
//!
//! What is collected: users and licences; up to 180 days of Purview audit records
//! (`security/auditLog/queries`) plus the Management Activity API for the recent week; the
//! sign-ins (P1 only; without P1 the audit log's `UserLoggedIn`/`UserLoginFailed` records stand
//! in, and the summary says so) and directory audits Entra retains; 30 days of messages; and the
//! current state of every persistence location (Graph and hidden Exchange inbox rules, mailbox
//! forwarding, OAuth grants, service principals, applications, app role assignments, devices,
//! authentication methods, inbound connectors, transport rules, mailbox and recipient
//! permissions, Conditional Access).
//!
//! Invariants:
//! - **Incremental.** Log sources read from their watermark minus [`CollectOptions::overlap`]
//!   to `now`; records are upserted by id, so a re-read never duplicates. The watermark moves
//!   only after the records before it are stored.
//! - **Current state is replaced wholesale** each run, so deleted persistence disappears.
//! - A per-user or per-mailbox 403/404 is recorded in [`CollectSummary::failures`] and the run
//!   goes on; throttling and transient faults are the Graph client's to retry.
//! - Only Microsoft's records are stored, never tokens or secrets.
//! - Progress is reported after each phase and each completed user.

mod error;
mod hidden;
mod logs;
mod per_user;
mod report;
mod state;

pub use error::CollectError;
pub use hidden::graph_rule_from_exchange;
pub use report::{
    CollectOptions, CollectSummary, ItemFailure, Progress, SourceStatus, SourceSummary,
};
pub use state::USER_SELECT;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use parapet_graph::{GraphError, TenantClient};
use parapet_store::{EvidenceKind, EvidenceRecord, StateRecord, Store};

/// The progress callback: called from the collecting task, never concurrently.
pub type ProgressFn<'a> = &'a (dyn Fn(Progress) + Sync);

/// Collects the tenant's evidence into `store`. The tenant must already be a row of the
/// store's `tenants` table (evidence rows reference it).
pub async fn collect(
    client: &TenantClient,
    store: &Mutex<Store>,
    tenant_id: &str,
    options: &CollectOptions,
    progress: ProgressFn<'_>,
) -> Result<CollectSummary, CollectError> {
    let run = Run {
        client,
        store,
        tenant_id,
        options,
        progress,
        records: AtomicU64::new(0),
        summary: Mutex::new(CollectSummary::default()),
    };
    let users = state::directory(&run).await?;
    logs::sign_ins(&run).await?;
    logs::directory_audits(&run).await?;
    logs::audit_log_query(&run).await?;
    logs::management_activity(&run).await?;
    state::apps(&run).await?;
    state::devices(&run, &users).await?;
    let mailboxes = state::exchange(&run, &users).await?;
    per_user::mail(&run, &users, &mailboxes).await?;
    per_user::authentication_methods(&run, &users).await?;
    per_user::messages(&run, &users).await?;
    let summary = run.summary.into_inner().unwrap_or_else(|e| e.into_inner());
    Ok(summary)
}

/// The phases, in order, as the progress bar names them.
pub const PHASES: &[&str] = &[
    "Users and licences",
    "Sign-ins",
    "Directory audits",
    "Audit log (Purview)",
    "Audit log (recent activity)",
    "Applications and consents",
    "Devices",
    "Exchange configuration",
    "Inbox rules and mailbox permissions",
    "Authentication methods",
    "Messages",
];

pub(crate) struct Run<'a> {
    client: &'a TenantClient,
    store: &'a Mutex<Store>,
    tenant_id: &'a str,
    options: &'a CollectOptions,
    progress: ProgressFn<'a>,
    records: AtomicU64,
    summary: Mutex<CollectSummary>,
}

impl Run<'_> {
    fn phase(&self, step: usize, done: usize, total: usize) {
        (self.progress)(Progress {
            phase: PHASES.get(step - 1).copied().unwrap_or(""),
            step,
            steps: PHASES.len(),
            items_done: done,
            items_total: total,
            records: self.records.load(Ordering::Relaxed),
        });
    }

    fn count(&self, records: usize) {
        self.records
            .fetch_add(u64::try_from(records).unwrap_or(0), Ordering::Relaxed);
    }

    fn graph_error(&self, what: &'static str, error: GraphError) -> CollectError {
        CollectError::Graph {
            tenant: self.tenant_id.to_string(),
            what,
            error: Box::new(error),
        }
    }

    fn with_store<T>(
        &self,
        what: &'static str,
        write: impl FnOnce(&Store) -> Result<T, parapet_store::StoreError>,
    ) -> Result<T, CollectError> {
        let store = self.store.lock().map_err(|_| CollectError::StoreLock {
            tenant: self.tenant_id.to_string(),
        })?;
        write(&store).map_err(|error| CollectError::Store {
            tenant: self.tenant_id.to_string(),
            what,
            error: Box::new(error),
        })
    }

    fn put_log(
        &self,
        kind: EvidenceKind,
        records: &[EvidenceRecord],
    ) -> Result<usize, CollectError> {
        self.with_store(kind.as_str(), |store| {
            store.put_evidence(self.tenant_id, kind, records)
        })
    }

    fn replace_state(
        &self,
        source: &'static str,
        kind: EvidenceKind,
        records: Vec<StateRecord>,
    ) -> Result<(), CollectError> {
        let received = records.len();
        // A record the snapshot model cannot read would break every later rebuild.
        let records: Vec<StateRecord> = records
            .into_iter()
            .filter(|record| kind.fits(&record.json))
            .collect();
        let stored = records.len();
        self.malformed(received - stored);
        self.count(stored);
        self.with_store(kind.as_str(), |store| {
            store.replace_current_state(self.tenant_id, kind, &records)
        })?;
        self.record(SourceSummary {
            source,
            status: SourceStatus::Used,
            fetched: stored,
            new: stored,
            window: None,
        });
        Ok(())
    }

    fn record(&self, source: SourceSummary) {
        let mut summary = self.summary.lock().unwrap_or_else(|e| e.into_inner());
        summary.sources.push(source);
    }

    fn note(&self, text: String) {
        let mut summary = self.summary.lock().unwrap_or_else(|e| e.into_inner());
        summary.notes.push(text);
    }

    fn malformed(&self, records: usize) {
        let mut summary = self.summary.lock().unwrap_or_else(|e| e.into_inner());
        summary.malformed += records;
    }

    fn fail_item(&self, source: &'static str, item: &str, error: &GraphError) {
        let mut summary = self.summary.lock().unwrap_or_else(|e| e.into_inner());
        summary.failures.push(ItemFailure {
            source,
            item: item.to_string(),
            message: error.to_string(),
        });
    }

    fn unavailable(&self, source: &'static str, reason: String) {
        self.record(SourceSummary {
            source,
            status: SourceStatus::Unavailable(reason),
            fetched: 0,
            new: 0,
            window: None,
        });
    }
}

/// A refusal or absence that means "this source does not exist here", not a broken run.
pub(crate) fn is_refusal(error: &GraphError) -> bool {
    matches!(
        error,
        GraphError::Forbidden { .. }
            | GraphError::NotFound { .. }
            | GraphError::NoPremiumLicence { .. }
    )
}
