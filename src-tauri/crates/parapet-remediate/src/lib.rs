//! Parapet's remediation engine: evicts the attacker from one incident's account in steps
//! (1 contain, 2 retract the phishing mail, 3 remove persistence, 4 reset the password,
//! 5 re-enable, 6 mark remediated), with Microsoft calls made through
//! [`parapet_graph::TenantClient`]. Tauri-free; the api layer and `parapet remediate` call it.
//!
//! Use: [`plan()`] a step (pure: no I/O, no clock), show the [`PlannedAction`]s, then
//! [`apply()`] them, which returns one [`ObjectOutcome`] per object for the UI stepper.
//!
//! Invariants:
//! - Tenant isolation: [`apply()`] refuses, before any request, when a client's tenant differs
//!   from the incident's tenant or an action belongs to another tenant or incident.
//! - Every write is preceded by a `Started` and followed by a `Finished` record in the
//!   incident's hash-chained action log ([`LogRecord`], [`verify_chain`]); the object's JSON as
//!   fetched before acting is kept as evidence.
//! - Idempotent and resumable: each action has a stable key (step + object). Actions the log
//!   shows as finished are not repeated; an object already in the desired state (or gone) is
//!   AlreadyDone, not an error; a started-but-unfinished action is re-checked against the
//!   tenant, and an interrupted password reset is reported as "a password may have been set".
//! - Rounds: a reopened incident's log holds a reopen marker ([`log::reopen_entry`]); whether
//!   an action is done ([`plan()`]'s `already_done`, [`apply()`]'s skip and resume) is decided
//!   by the records after the last marker only ([`log::current_round`]), so every step runs
//!   again for real. Facts for later steps (the step-1 policy id) come from the current round
//!   when it has the action, and [`verify_chain`] still covers every record of every round.
//! - Passwords come from the OS random source, live only in [`parapet_secrets::Sensitive`], are
//!   handed to the caller once in [`StepOutcome::new_password`], and are never logged, stored,
//!   serialized or printed; the log records only that a password was set.
//! - Microsoft's error code and message are kept verbatim in [`Outcome::Failed`].
//! - Step 3 treats each artifact as the technician chose ([`PlanOptions::artifact_removals`],
//!   else its kind's default); a choice its kind does not offer ([`ArtifactKind::removals`])
//!   refuses the plan. Kinds with a choice name it in the key ([`persistence_key`]), so
//!   deleting a rule disabled earlier is a new action, not "already done".
//!
//! ```no_run
//! use parapet_remediate::{apply, plan, Actor, Clients, IncidentTarget, MemorySink, Mode,
//!     PlanOptions, RunContext, Step, ActionSink};
//!
//! # async fn contain(app: &parapet_graph::TenantClient, target: &IncidentTarget)
//! # -> Result<(), parapet_remediate::RemediateError> {
//! let mut sink = MemorySink::new(); // the store's SQLite sink in the app
//! let log = sink.records(&target.incident_id).map_err(|source| {
//!     parapet_remediate::RemediateError::Log { incident: target.incident_id.clone(), source }
//! })?;
//! let planned = plan(Step::Contain, target, &PlanOptions::default(), &log)?;
//! let run = RunContext {
//!     actor: Actor::Technician("tech@msp.example".into()),
//!     mode: Mode::Execute,
//!     clock: &chrono::Utc::now,
//! };
//! let outcome = apply(Clients { app, delegated: None }, target, &planned, &mut sink, &run).await?;
//! for object in &outcome.objects {
//!     println!("{}: {:?}", object.target, object.outcome);
//! }
//! # Ok(())
//! # }
//! ```

mod apply;
mod error;
mod execute;
mod isolation;
pub mod log;
mod model;
mod outcome;
mod password;
mod plan;

pub use apply::{apply, Clients, Mode, RunContext};
pub use error::{RemediateError, SinkError};
pub use execute::{find_copies, CopySearch, MailboxFailure, SAME_SENDER_AND_SUBJECT_WINDOW};
pub use isolation::check_tenant;
pub use log::{
    current_round, reopen_entry, verify_chain, ActionSink, LogEntry, LogRecord, MemorySink, Phase,
    ReopenReason, TamperError,
};
pub use model::{
    Actor, Artifact, ArtifactKind, IncidentTarget, MatchedBy, MessageCopy, PhishMessage,
    PlanOptions, Removal, Step,
};
pub use outcome::{ObjectOutcome, Outcome, StepOutcome, ONLY_METHOD_GUARD};
pub use password::{generate_password, PASSWORD_LENGTH};
pub use plan::{
    block_policy_name, persistence_key, plan, Operation, PlannedAction, PASSWORD_METHOD_ID,
};
