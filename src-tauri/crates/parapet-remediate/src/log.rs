//! The append-only, hash-chained action log of one incident, and where it is kept.
//!
//! Each record's `hash` is SHA-256 over the previous record's hash (hex) followed by the
//! record's canonical JSON (keys sorted, `hash` left out). The first record of an incident
//! chains to [`GENESIS_HASH`]. Records never hold secrets: requests are summarised as method
//! and path, and a password reset records that a password was set, never the password.
//!
//! A scan that reopens a remediated incident appends a reopen marker ([`reopen_entry`]). The
//! records after the last marker are the current round ([`current_round`]): only they say
//! whether an action is done. The chain runs unbroken across rounds.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::error::SinkError;
use crate::outcome::Outcome;

/// `prev_hash` of an incident's first record.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Whether a record opens an action (written before the call) or closes it (after).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    Started,
    Finished,
}

/// One log record, as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LogRecord {
    /// 1, 2, 3, … within the incident.
    pub sequence: u64,
    pub time: DateTime<Utc>,
    /// A technician's UPN or "Automatic Response".
    pub actor: String,
    pub tenant_id: String,
    pub incident_id: String,
    pub step: u8,
    /// The action's stable key (step + object), e.g. `3:inbox_rule:AQAAAJ5dZqA=`.
    pub action_key: String,
    /// The object acted on, e.g. `inbox rule AQAAAJ5dZqA= of jane@contoso.com`.
    pub target: String,
    /// Method and path, e.g. `PATCH /v1.0/users/{id}`; never a body.
    pub request: String,
    pub phase: Phase,
    /// Set on `Finished` records.
    pub result: Option<Outcome>,
    /// The object's full JSON as fetched just before acting (Finished records).
    pub evidence: Option<Value>,
    /// Facts later steps need, e.g. `{"policyId": "…"}` of a created CA policy.
    pub detail: Option<Value>,
    pub prev_hash: String,
    pub hash: String,
}

/// A record before it is sealed into the chain.
#[derive(Debug, Clone, PartialEq)]
pub struct LogEntry {
    pub time: DateTime<Utc>,
    pub actor: String,
    pub tenant_id: String,
    pub incident_id: String,
    pub step: u8,
    pub action_key: String,
    pub target: String,
    pub request: String,
    pub phase: Phase,
    pub result: Option<Outcome>,
    pub evidence: Option<Value>,
    pub detail: Option<Value>,
}

impl LogEntry {
    /// The record that follows `previous` (or starts the chain).
    pub fn seal(self, previous: Option<&LogRecord>) -> LogRecord {
        let mut record = LogRecord {
            sequence: previous.map_or(1, |p| p.sequence + 1),
            time: self.time,
            actor: self.actor,
            tenant_id: self.tenant_id,
            incident_id: self.incident_id,
            step: self.step,
            action_key: self.action_key,
            target: self.target,
            request: self.request,
            phase: self.phase,
            result: self.result,
            evidence: self.evidence,
            detail: self.detail,
            prev_hash: previous.map_or_else(|| GENESIS_HASH.to_string(), |p| p.hash.clone()),
            hash: String::new(),
        };
        record.hash = record_hash(&record);
        record
    }
}

/// The chain was altered: the first record at which it no longer verifies.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the action log was altered at record {sequence}: {reason}")]
pub struct TamperError {
    pub sequence: u64,
    pub reason: String,
}

/// Checks sequence numbers, links and hashes of one incident's records, in order.
pub fn verify_chain(records: &[LogRecord]) -> Result<(), TamperError> {
    let mut previous: Option<&LogRecord> = None;
    for record in records {
        let fail = |reason: String| TamperError {
            sequence: record.sequence,
            reason,
        };
        let expected_sequence = previous.map_or(1, |p| p.sequence + 1);
        if record.sequence != expected_sequence {
            return Err(fail(format!("expected sequence {expected_sequence}")));
        }
        let expected_prev = previous.map_or(GENESIS_HASH, |p| p.hash.as_str());
        if record.prev_hash != expected_prev {
            return Err(fail(
                "its link to the previous record does not match".into(),
            ));
        }
        if record_hash(record) != record.hash {
            return Err(fail("its content does not match its hash".into()));
        }
        previous = Some(record);
    }
    Ok(())
}

/// Where action records are kept. The store implements it on SQLite; [`MemorySink`] is for
/// tests. `append` must refuse a record that does not extend the incident's chain.
pub trait ActionSink: Send {
    fn append(&mut self, record: LogRecord) -> Result<(), SinkError>;
    /// One incident's records, in sequence order.
    fn records(&self, incident_id: &str) -> Result<Vec<LogRecord>, SinkError>;
}

/// An in-memory [`ActionSink`].
#[derive(Debug, Default, Clone)]
pub struct MemorySink {
    records: Vec<LogRecord>,
}

impl MemorySink {
    pub fn new() -> Self {
        MemorySink::default()
    }

    /// Every record of every incident, in the order appended (tests tamper with these).
    pub fn all_mut(&mut self) -> &mut Vec<LogRecord> {
        &mut self.records
    }
}

impl ActionSink for MemorySink {
    fn append(&mut self, record: LogRecord) -> Result<(), SinkError> {
        let last = self
            .records
            .iter()
            .rev()
            .find(|r| r.incident_id == record.incident_id);
        let expected_sequence = last.map_or(1, |l| l.sequence + 1);
        let expected_prev = last.map_or(GENESIS_HASH, |l| l.hash.as_str());
        if record.sequence != expected_sequence || record.prev_hash != expected_prev {
            return Err(SinkError::NotNext {
                incident: record.incident_id.clone(),
                sequence: record.sequence,
            });
        }
        self.records.push(record);
        Ok(())
    }

    fn records(&self, incident_id: &str) -> Result<Vec<LogRecord>, SinkError> {
        Ok(self
            .records
            .iter()
            .filter(|r| r.incident_id == incident_id)
            .cloned()
            .collect())
    }
}

/// `action_key` of the marker a scan writes when it reopens a remediated incident.
pub const REOPEN_KEY: &str = "reopened";

/// `step` of the reopen marker: it belongs to no remediation step.
pub const REOPEN_STEP: u8 = 0;

/// Why a scan reopened a remediated incident.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReopenReason {
    /// The attacker was active again (latest activity at `last_seen`) after it was remediated.
    AttackerReturned { last_seen: DateTime<Utc> },
    /// A persistence artifact the incident named still exists.
    PersistenceRemains,
}

impl std::fmt::Display for ReopenReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReopenReason::AttackerReturned { last_seen } => write!(
                f,
                "the attacker was active again after it was remediated (last activity {})",
                last_seen.format("%Y-%m-%d %H:%M UTC")
            ),
            ReopenReason::PersistenceRemains => {
                f.write_str("a persistence artifact still exists after it was remediated")
            }
        }
    }
}

/// The marker that starts a new remediation round: every action before it counts as history,
/// so steps 1-6 are planned and run again. `actor` names who reopened it (e.g. "Parapet scan").
pub fn reopen_entry(
    time: DateTime<Utc>,
    actor: &str,
    tenant_id: &str,
    incident_id: &str,
    reason: &ReopenReason,
) -> LogEntry {
    LogEntry {
        time,
        actor: actor.to_string(),
        tenant_id: tenant_id.to_string(),
        incident_id: incident_id.to_string(),
        step: REOPEN_STEP,
        action_key: REOPEN_KEY.to_string(),
        target: format!("incident {incident_id}"),
        request: format!("reopened: {reason}"),
        phase: Phase::Finished,
        result: Some(Outcome::Succeeded),
        evidence: None,
        detail: None,
    }
}

/// Whether `record` is a reopen marker.
pub fn is_reopen(record: &LogRecord) -> bool {
    record.step == REOPEN_STEP && record.action_key == REOPEN_KEY
}

/// The records after the last reopen marker (all of them when the incident was never
/// reopened): the round whose actions decide what is already done.
pub fn current_round(records: &[LogRecord]) -> &[LogRecord] {
    match records.iter().rposition(is_reopen) {
        Some(marker) => &records[marker + 1..],
        None => records,
    }
}

/// What the log says about one action key.
#[derive(Debug, Clone, PartialEq)]
pub enum KeyState {
    Never,
    /// Started and not finished: a run was interrupted during the call.
    Interrupted,
    Finished(Outcome),
}

/// The latest state of `key` in the current round of `records` (earlier rounds are history:
/// an action finished before a reopen is due again).
pub fn key_state(records: &[LogRecord], key: &str) -> KeyState {
    match current_round(records)
        .iter()
        .rev()
        .find(|r| r.action_key == key)
    {
        None => KeyState::Never,
        Some(r) => match (r.phase, &r.result) {
            (Phase::Finished, Some(result)) => KeyState::Finished(result.clone()),
            _ => KeyState::Interrupted,
        },
    }
}

/// True when `key` last finished as Succeeded or AlreadyDone in the current round.
pub fn key_done(records: &[LogRecord], key: &str) -> bool {
    matches!(key_state(records, key), KeyState::Finished(o) if o.is_done())
}

/// The `detail` of the latest finished record of `key` that has one, from the current round
/// when that round has any record of `key`. Only when the current round never touched `key`
/// does an earlier round answer: an id from there may name an object that is already gone,
/// which the executor reports as already done, whereas an id from an older round while the
/// current round made (or half-made) a new object would leave that new object in place.
pub fn key_detail<'a>(records: &'a [LogRecord], key: &str) -> Option<&'a Value> {
    let round = current_round(records);
    let scope = if round.iter().any(|r| r.action_key == key) {
        round
    } else {
        records
    };
    scope
        .iter()
        .rev()
        .filter(|r| r.action_key == key && r.phase == Phase::Finished)
        .find_map(|r| r.detail.as_ref())
}

fn record_hash(record: &LogRecord) -> String {
    let mut value = serde_json::to_value(record).unwrap_or(Value::Null);
    if let Value::Object(map) = &mut value {
        map.remove("hash");
    }
    let mut canonical = String::new();
    write_canonical(&value, &mut canonical);
    let mut hasher = Sha256::new();
    hasher.update(record.prev_hash.as_bytes());
    hasher.update(canonical.as_bytes());
    hex(&hasher.finalize())
}

/// JSON with object keys sorted at every level, so the hash does not depend on whether
/// serde_json's `preserve_order` feature is on somewhere in the build.
fn write_canonical(value: &Value, out: &mut String) {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push('{');
            for (i, key) in keys.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::from(key.as_str()).to_string());
                out.push(':');
                if let Some(v) = map.get(*key) {
                    write_canonical(v, out);
                }
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(item, out);
            }
            out.push(']');
        }
        other => out.push_str(&other.to_string()),
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
