//! The action log's hash chain verifies, and every kind of tampering is found at the record
//! where it happened.

use chrono::Duration;
use parapet_remediate::{
    verify_chain, ActionSink, LogEntry, LogRecord, MemorySink, Outcome, Phase, SinkError,
};
use serde_json::json;

use crate::support::clock;

fn entry(incident: &str, n: u64) -> LogEntry {
    LogEntry {
        time: clock() + Duration::seconds(n as i64),
        actor: "tech@msp.example".into(),
        tenant_id: "tenant-a".into(),
        incident_id: incident.into(),
        step: 3,
        action_key: format!("3:oauth_grant:g{n}"),
        target: format!("grant g{n}"),
        request: format!("DELETE /v1.0/oauth2PermissionGrants/g{n}"),
        phase: if n.is_multiple_of(2) {
            Phase::Started
        } else {
            Phase::Finished
        },
        result: (n % 2 == 1).then_some(Outcome::Succeeded),
        evidence: Some(
            json!({"id": format!("g{n}"), "scope": "Mail.Read", "nested": {"b": 1, "a": [1, 2]}}),
        ),
        detail: None,
    }
}

fn chain(incident: &str, n: u64) -> Vec<LogRecord> {
    let mut sink = MemorySink::new();
    for i in 0..n {
        let previous = sink.records(incident).unwrap().last().cloned();
        sink.append(entry(incident, i).seal(previous.as_ref()))
            .unwrap();
    }
    sink.records(incident).unwrap()
}

#[test]
fn an_untouched_chain_verifies() {
    let records = chain("inc-1", 6);
    assert_eq!(
        records.iter().map(|r| r.sequence).collect::<Vec<_>>(),
        vec![1, 2, 3, 4, 5, 6]
    );
    verify_chain(&records).unwrap();
    verify_chain(&[]).unwrap();
    // A stored and reloaded chain (JSON round trip) still verifies.
    let text = serde_json::to_string(&records).unwrap();
    let reloaded: Vec<LogRecord> = serde_json::from_str(&text).unwrap();
    verify_chain(&reloaded).unwrap();
}

type Tamper = fn(&mut Vec<LogRecord>);

#[test]
fn tampering_is_found_where_it_happened() {
    let cases: Vec<(&str, Tamper, u64)> = vec![
        (
            "edited result",
            |r| {
                r[2].result = Some(Outcome::Failed {
                    code: "x".into(),
                    message: "y".into(),
                })
            },
            3,
        ),
        (
            "edited actor",
            |r| r[0].actor = "attacker@evil.example".into(),
            1,
        ),
        (
            "edited evidence",
            |r| r[4].evidence = Some(json!({"id": "other"})),
            5,
        ),
        ("edited time", |r| r[3].time += Duration::seconds(1), 4),
        (
            "removed record",
            |r| {
                r.remove(2);
            },
            4,
        ),
        ("swapped records", |r| r.swap(1, 2), 3),
        ("renumbered", |r| r[5].sequence = 9, 9),
        (
            "rehashed edit",
            |r| {
                // Editing and recomputing the hash breaks the next record's link instead.
                r[1].target = "something else".into();
                let prev = r[0].clone();
                let e = LogEntry {
                    time: r[1].time,
                    actor: r[1].actor.clone(),
                    tenant_id: r[1].tenant_id.clone(),
                    incident_id: r[1].incident_id.clone(),
                    step: r[1].step,
                    action_key: r[1].action_key.clone(),
                    target: r[1].target.clone(),
                    request: r[1].request.clone(),
                    phase: r[1].phase,
                    result: r[1].result.clone(),
                    evidence: r[1].evidence.clone(),
                    detail: r[1].detail.clone(),
                };
                r[1] = e.seal(Some(&prev));
            },
            3,
        ),
    ];
    for (name, tamper, at) in cases {
        let mut records = chain("inc-1", 6);
        tamper(&mut records);
        let error = verify_chain(&records).expect_err(name);
        assert_eq!(error.sequence, at, "{name}: {error}");
    }
}

#[test]
fn the_memory_sink_only_accepts_the_next_record_of_each_incident() {
    let mut sink = MemorySink::new();
    let first = entry("inc-1", 0).seal(None);
    sink.append(first.clone()).unwrap();
    // Another incident has its own chain.
    sink.append(entry("inc-2", 0).seal(None)).unwrap();
    for bad in [first.clone(), entry("inc-1", 1).seal(None)] {
        assert!(matches!(sink.append(bad), Err(SinkError::NotNext { .. })));
    }
    sink.append(entry("inc-1", 1).seal(Some(&first))).unwrap();
    assert_eq!(sink.records("inc-1").unwrap().len(), 2);
    assert_eq!(sink.records("inc-2").unwrap().len(), 1);
}
