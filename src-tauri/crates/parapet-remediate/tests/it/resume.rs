//! Half-failed steps finish on a re-run without repeating successes; faults and throttling
//! do not change the end state.

use parapet_remediate::{verify_chain, ActionSink, MemorySink, Phase, PlanOptions, Step};
use parapet_simulator::FaultSettings;

use crate::persistence::{artifact_state, expected_after, incidents, FAMILIES};
use crate::support::{app_only, kinds, run_step, world, world_with, World};

fn started_count(sink: &MemorySink, incident: &str, key: &str) -> usize {
    sink.records(incident)
        .unwrap()
        .iter()
        .filter(|r| r.action_key == key && r.phase == Phase::Started)
        .count()
}

#[tokio::test]
async fn a_step_that_failed_half_way_finishes_on_the_re_run() {
    let w = world(41, FAMILIES).await;
    let target = w.target_of_victim(&w.victim("mailbox_forwarding"));
    let mut target = target;
    // Give the spray victim a second, Graph-side artifact: a grant deleted out of band first.
    let consent = w.target_of_victim(&w.victim("oauth_grant"));
    let grant = consent
        .artifacts
        .iter()
        .find(|a| a.kind.as_str() == "oauth_grant")
        .unwrap()
        .clone();
    target.artifacts.push(grant.clone());
    w.other_app_client()
        .delete_oauth2_permission_grant(&grant.id)
        .await
        .unwrap();

    // Exchange answers 503 to everything: the forwarding clean-up fails, the rest finishes.
    w.control().set_faults(FaultSettings {
        error_rate: 1.0,
        path_prefix: Some("/exchange".into()),
        ..FaultSettings::default()
    });
    let mut sink = MemorySink::new();
    let options = PlanOptions::default();
    let first = run_step(
        app_only(&w),
        &target,
        Step::RemovePersistence,
        &options,
        &mut sink,
    )
    .await;
    let forwarding_key = format!("3:mailbox_forwarding:{}", target.user_id);
    let grant_key = format!("3:oauth_grant:{}", grant.id);
    assert_eq!(
        first.of(&forwarding_key).map(|o| o.is_done()),
        Some(false),
        "{first}"
    );
    assert!(matches!(
        first.of(&forwarding_key),
        Some(parapet_remediate::Outcome::Failed { .. })
    ));
    // The grant was already gone: AlreadyDone, not an error.
    assert!(
        matches!(
            first.of(&grant_key),
            Some(parapet_remediate::Outcome::AlreadyDone { .. })
        ),
        "{first}"
    );

    w.control().set_faults(FaultSettings::default());
    let second = run_step(
        app_only(&w),
        &target,
        Step::RemovePersistence,
        &options,
        &mut sink,
    )
    .await;
    assert_eq!(
        kinds(&second),
        vec![
            (forwarding_key.clone(), "succeeded"),
            (grant_key.clone(), "already_done"),
        ],
        "{second}"
    );
    assert_eq!(
        started_count(&sink, &target.incident_id, &forwarding_key),
        2
    );
    assert_eq!(
        started_count(&sink, &target.incident_id, &grant_key),
        1,
        "a success was repeated"
    );
    assert_eq!(
        artifact_state(&w.app, &target, "mailbox_forwarding", &target.user_id).await,
        "forwarding=false"
    );
    verify_chain(&sink.records(&target.incident_id).unwrap()).unwrap();
}

#[tokio::test]
async fn faults_and_throttling_change_nothing_but_the_number_of_runs() {
    let w = world_with(&crate::support::spec(42, FAMILIES, true), |c| {
        c.fault_rate = 0.25
    })
    .await;
    w.control().set_faults(FaultSettings {
        error_rate: 0.25,
        latency_ms: 5,
        ..FaultSettings::default()
    });
    // Small identity and mail budgets, so Microsoft's 429s are part of the run too.
    w.control()
        .set_throttle_limits(parapet_simulator::ThrottleLimits {
            directory_units_small: 4,
            directory_window_secs: 2.0,
            write_units: 2,
            write_window_secs: 2.0,
            mail_requests: 3,
            mail_window_secs: 2.0,
            ..w.control().throttle_limits()
        });
    let options = PlanOptions::default();
    let mut sink = MemorySink::new();
    for target in incidents(&w) {
        for step in [Step::Contain, Step::RemovePersistence] {
            let mut runs = 0;
            loop {
                runs += 1;
                let outcome = run_step(app_only(&w), &target, step, &options, &mut sink).await;
                if outcome.without_failures() {
                    break;
                }
                assert!(runs < 6, "still failing after {runs} runs: {outcome}");
            }
        }
        for a in &target.artifacts {
            assert_eq!(
                artifact_state(&w.other_app_client(), &target, a.kind.as_str(), &a.id).await,
                expected_after(a.kind.as_str(), &options)
            );
        }
        assert_eq!(w.user_state(&target.user_id)["accountEnabled"], false);
        let records = sink.records(&target.incident_id).unwrap();
        verify_chain(&records).unwrap();
        // Each write that succeeded was sent in exactly one run.
        let succeeded: Vec<&str> = records
            .iter()
            .filter(|r| {
                r.result
                    .as_ref()
                    .is_some_and(|o| *o == parapet_remediate::Outcome::Succeeded)
            })
            .map(|r| r.action_key.as_str())
            .collect();
        let mut unique = succeeded.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), succeeded.len(), "{succeeded:?}");
    }
    let stats = w.app.stats();
    assert!(stats.unavailable > 0, "no fault was injected: {stats:?}");
    assert!(stats.throttled > 0, "nothing was throttled: {stats:?}");
}

#[tokio::test]
async fn an_interrupted_action_is_re_checked_not_repeated() {
    use parapet_remediate::{LogEntry, Outcome};
    let w = world(43, &[]).await;
    let user = w.plain_user(false, &[]).clone();
    let target = w.target_of(&user.user_principal_name);
    let mut sink = MemorySink::new();
    // The previous run logged "started", the PATCH went through, then the app died.
    let started = LogEntry {
        time: crate::support::clock(),
        actor: "tech@msp.example".into(),
        tenant_id: target.tenant_id.clone(),
        incident_id: target.incident_id.clone(),
        step: 1,
        action_key: "1:disable_account".into(),
        target: "account".into(),
        request: "PATCH /v1.0/users/{id} accountEnabled=false".into(),
        phase: Phase::Started,
        result: None,
        evidence: None,
        detail: None,
    };
    sink.append(started.seal(None)).unwrap();
    w.other_app_client()
        .set_account_enabled(&user.id, false)
        .await
        .unwrap();
    let outcome = run_step(
        app_only(&w),
        &target,
        Step::Contain,
        &PlanOptions::default(),
        &mut sink,
    )
    .await;
    match outcome.of("1:disable_account") {
        Some(Outcome::AlreadyDone { why }) => assert!(why.contains("already disabled"), "{why}"),
        other => panic!("{other:?}: {outcome}"),
    }
    assert_eq!(outcome.of("1:revoke_sessions"), Some(&Outcome::Succeeded));
    verify_chain(&sink.records(&target.incident_id).unwrap()).unwrap();
}

/// The api layer runs remediation inside spawned tasks: the future must be `Send`.
#[allow(dead_code)]
fn apply_is_send(w: &World, target: &parapet_remediate::IncidentTarget, sink: &mut MemorySink) {
    fn send<T: Send>(_: T) {}
    let run = parapet_remediate::RunContext {
        actor: parapet_remediate::Actor::AutomaticResponse,
        mode: parapet_remediate::Mode::Execute,
        clock: &crate::support::clock,
    };
    send(parapet_remediate::apply(
        app_only(w),
        target,
        &[],
        sink,
        &run,
    ));
}
