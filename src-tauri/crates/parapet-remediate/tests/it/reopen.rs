//! Rounds: after a reopen marker every step is due again, step 5 deletes the policy of the
//! current round, and the chain still runs through all rounds.

use parapet_graph::{ApiVersion, ODataQuery};
use parapet_remediate::log::{key_detail, key_state, KeyState, REOPEN_KEY};
use parapet_remediate::{
    block_policy_name, current_round, plan, reopen_entry, verify_chain, ActionSink, IncidentTarget,
    LogEntry, LogRecord, MemorySink, Operation, Outcome, Phase, PlanOptions, ReopenReason, Step,
};
use serde_json::{json, Value};

use crate::support::{app_only, clock, kinds, run_step, world};

fn synced_target() -> IncidentTarget {
    IncidentTarget {
        tenant_id: "tenant-a".into(),
        incident_id: "inc-9".into(),
        user_id: "u-1".into(),
        upn: "jane@contoso.com".into(),
        on_premises_synced: true,
        entra_p1: true,
        break_glass: Vec::new(),
        artifacts: Vec::new(),
        phish: None,
    }
}

/// Appends a finished record of `key` (or a started one when `result` is None).
fn push(log: &mut Vec<LogRecord>, key: &str, result: Option<Outcome>, detail: Option<Value>) {
    let step = key
        .split(':')
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    let entry = LogEntry {
        time: clock(),
        actor: "tech@msp.example".into(),
        tenant_id: "tenant-a".into(),
        incident_id: "inc-9".into(),
        step,
        action_key: key.into(),
        target: String::new(),
        request: String::new(),
        phase: if result.is_some() {
            Phase::Finished
        } else {
            Phase::Started
        },
        result,
        evidence: None,
        detail,
    };
    let record = entry.seal(log.last());
    log.push(record);
}

fn reopen(log: &mut Vec<LogRecord>, reason: &ReopenReason) {
    let record =
        reopen_entry(clock(), "Parapet scan", "tenant-a", "inc-9", reason).seal(log.last());
    log.push(record);
}

/// A first round that went through steps 1 and 5 with the step-1 policy `pol-old`.
fn first_round() -> Vec<LogRecord> {
    let mut log = Vec::new();
    let done = || Some(Outcome::Succeeded);
    for key in ["1:disable_account", "1:revoke_sessions"] {
        push(&mut log, key, done(), None);
    }
    push(
        &mut log,
        "1:ca_block",
        done(),
        Some(json!({"policyId": "pol-old"})),
    );
    push(
        &mut log,
        "1:on_premises_disable",
        Some(Outcome::Skipped {
            why: "do it on-premises".into(),
        }),
        None,
    );
    for key in ["5:enable_account", "5:ca_block_removed", "6:remediated"] {
        push(&mut log, key, done(), None);
    }
    log
}

fn deleted_policy(t: &IncidentTarget, log: &[LogRecord]) -> Option<Option<String>> {
    plan(Step::Reenable, t, &PlanOptions::default(), log)
        .unwrap()
        .into_iter()
        .find_map(|a| match a.operation {
            Operation::DeleteBlockPolicy { policy_id, .. } => Some(policy_id),
            _ => None,
        })
}

#[test]
fn after_a_reopen_every_action_is_planned_as_not_done() {
    let t = synced_target();
    let mut log = first_round();
    let contain = |log: &[LogRecord]| -> Vec<bool> {
        plan(Step::Contain, &t, &PlanOptions::default(), log)
            .unwrap()
            .iter()
            .map(|a| a.already_done)
            .collect()
    };
    assert_eq!(contain(&log), vec![true, true, true, false]);
    let reasons = [
        ReopenReason::AttackerReturned { last_seen: clock() },
        ReopenReason::PersistenceRemains,
    ];
    for reason in &reasons {
        reopen(&mut log, reason);
        assert_eq!(contain(&log), vec![false; 4], "{reason}");
        assert!(current_round(&log).is_empty());
        for key in ["1:disable_account", "1:on_premises_disable", "6:remediated"] {
            assert_eq!(key_state(&log, key), KeyState::Never, "{key}");
        }
        // The new round's own records count again.
        push(
            &mut log,
            "1:disable_account",
            Some(Outcome::Succeeded),
            None,
        );
        assert_eq!(contain(&log), vec![true, false, false, false]);
        let marker = log
            .iter()
            .rev()
            .find(|r| r.action_key == REOPEN_KEY)
            .unwrap();
        assert_eq!(
            (marker.step, marker.phase, marker.result.clone()),
            (0, Phase::Finished, Some(Outcome::Succeeded))
        );
        assert_eq!(marker.target, "incident inc-9");
        assert_eq!(marker.request, format!("reopened: {reason}"));
        assert_eq!(marker.actor, "Parapet scan");
    }
    assert_eq!(current_round(&log).len(), 1);
    verify_chain(&log).unwrap();
    // A marker is sealed like any record: altering its reason breaks the chain.
    let mut altered = log.clone();
    let at = altered
        .iter()
        .position(|r| r.action_key == REOPEN_KEY)
        .unwrap();
    altered[at].request = "reopened: nothing happened".into();
    assert_eq!(
        verify_chain(&altered).unwrap_err().sequence,
        altered[at].sequence
    );
}

#[test]
fn step_5_deletes_the_policy_of_the_current_round() {
    let t = synced_target();
    let mut log = first_round();
    assert_eq!(deleted_policy(&t, &log), Some(Some("pol-old".into())));
    reopen(
        &mut log,
        &ReopenReason::AttackerReturned { last_seen: clock() },
    );
    // Step 1 has not run in the new round: the old id is all there is (gone means done).
    assert_eq!(deleted_policy(&t, &log), Some(Some("pol-old".into())));

    // An interrupted create in the new round may have made a policy the log has no id of:
    // it is found by name, never mistaken for the old round's deleted one.
    let mut interrupted = log.clone();
    push(&mut interrupted, "1:ca_block", None, None);
    assert_eq!(deleted_policy(&t, &interrupted), Some(None));
    assert_eq!(key_detail(&interrupted, "1:ca_block"), None);

    push(
        &mut log,
        "1:ca_block",
        Some(Outcome::Succeeded),
        Some(json!({"policyId": "pol-new"})),
    );
    assert_eq!(deleted_policy(&t, &log), Some(Some("pol-new".into())));
    assert_eq!(
        key_detail(&log, "1:ca_block"),
        Some(&json!({"policyId": "pol-new"}))
    );
    verify_chain(&log).unwrap();
}

#[tokio::test]
async fn a_reopened_incident_is_contained_again_for_real() {
    let w = world(14, &[]).await;
    let user = w.plain_user(true, &[]).clone();
    let target = w.target_of(&user.user_principal_name);
    let mut sink = MemorySink::new();
    let options = PlanOptions::default();
    let name = block_policy_name(&target);
    let ours = || async {
        w.app
            .graph_collection::<Value>(
                ApiVersion::V1,
                "identity/conditionalAccess/policies",
                &ODataQuery::new(),
            )
            .collect_all()
            .await
            .unwrap()
            .into_iter()
            .filter(|p| p["displayName"] == name.as_str())
            .filter_map(|p| p["id"].as_str().map(str::to_string))
            .collect::<Vec<String>>()
    };

    run_step(app_only(&w), &target, Step::Contain, &options, &mut sink).await;
    let old_policy = ours().await;
    assert_eq!(old_policy.len(), 1);
    run_step(app_only(&w), &target, Step::Reenable, &options, &mut sink).await;
    assert!(ours().await.is_empty());
    assert_eq!(w.user_state(&user.id)["accountEnabled"], true);

    let log = sink.records(&target.incident_id).unwrap();
    let marker = reopen_entry(
        clock(),
        "Parapet scan",
        &target.tenant_id,
        &target.incident_id,
        &ReopenReason::AttackerReturned { last_seen: clock() },
    )
    .seal(log.last());
    sink.append(marker).unwrap();

    let again = run_step(app_only(&w), &target, Step::Contain, &options, &mut sink).await;
    assert_eq!(
        kinds(&again),
        vec![
            ("1:disable_account".to_string(), "succeeded"),
            ("1:revoke_sessions".to_string(), "succeeded"),
            ("1:ca_block".to_string(), "succeeded"),
            ("1:on_premises_disable".to_string(), "skipped"),
        ],
        "{again}"
    );
    assert_eq!(w.user_state(&user.id)["accountEnabled"], false);
    let new_policy = ours().await;
    assert_eq!(new_policy.len(), 1);
    assert_ne!(new_policy, old_policy);

    let back = run_step(app_only(&w), &target, Step::Reenable, &options, &mut sink).await;
    assert_eq!(
        kinds(&back),
        vec![
            ("5:enable_account".to_string(), "succeeded"),
            ("5:ca_block_removed".to_string(), "succeeded"),
            ("5:on_premises_enable".to_string(), "skipped"),
        ],
        "{back}"
    );
    assert!(ours().await.is_empty(), "the new round's policy is deleted");
    assert_eq!(w.user_state(&user.id)["accountEnabled"], true);
    verify_chain(&sink.records(&target.incident_id).unwrap()).unwrap();
}
