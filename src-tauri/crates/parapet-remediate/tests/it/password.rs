//! Step 4: cloud users through passwordProfile, synced users through resetPassword with a
//! delegated client (and clear guidance without one); the password is handed out once.

use parapet_graph::GraphError;
use parapet_remediate::Clients;
use parapet_remediate::{
    ActionSink, LogEntry, MemorySink, Outcome, Phase, PlanOptions, Step, PASSWORD_LENGTH,
};

use crate::support::{app_only, clock, kinds, run_step, world};

fn assert_never_shown(password: &str, texts: &[String]) {
    for text in texts {
        assert!(!text.contains(password), "the password leaked into: {text}");
    }
}

#[tokio::test]
async fn cloud_user_gets_a_new_password_once() {
    let w = world(31, &[]).await;
    let user = w.plain_user(false, &[]).clone();
    let target = w.target_of(&user.user_principal_name);
    let before = w.user_state(&user.id)["lastPasswordChangeDateTime"].clone();
    w.control().advance_clock(chrono::Duration::minutes(5));
    let mut sink = MemorySink::new();
    let outcome = run_step(
        app_only(&w),
        &target,
        Step::ResetPassword,
        &PlanOptions::default(),
        &mut sink,
    )
    .await;
    assert_eq!(
        kinds(&outcome),
        vec![("4:password".to_string(), "succeeded")],
        "{outcome}"
    );
    let shown = format!(
        "{outcome:?}\n{outcome}\n{}",
        serde_json::to_string(&outcome).unwrap()
    );
    let password = outcome
        .new_password
        .as_ref()
        .expect("password handed out")
        .expose()
        .clone();
    assert_eq!(password.len(), PASSWORD_LENGTH);
    assert_ne!(w.user_state(&user.id)["lastPasswordChangeDateTime"], before);
    let records = sink.records(&target.incident_id).unwrap();
    let finished = records.iter().find(|r| r.phase == Phase::Finished).unwrap();
    assert_eq!(finished.detail.as_ref().unwrap()["passwordSet"], true);
    let mut texts = vec![
        shown,
        serde_json::to_string(&records).unwrap(),
        format!("{records:?}"),
    ];
    texts.push(format!("{:?}", outcome.objects));

    // Again: nothing happens, no new password.
    let again = run_step(
        app_only(&w),
        &target,
        Step::ResetPassword,
        &PlanOptions::default(),
        &mut sink,
    )
    .await;
    assert_eq!(
        kinds(&again),
        vec![("4:password".to_string(), "already_done")]
    );
    assert!(again.new_password.is_none());
    // A fresh reset on request gives another password.
    let fresh = PlanOptions {
        fresh_password_reset: true,
        ..PlanOptions::default()
    };
    let third = run_step(
        app_only(&w),
        &target,
        Step::ResetPassword,
        &fresh,
        &mut sink,
    )
    .await;
    let second = third.new_password.as_ref().unwrap().expose().clone();
    assert_ne!(second, password);
    texts.push(format!("{third:?}{third}"));
    texts.push(serde_json::to_string(&sink.records(&target.incident_id).unwrap()).unwrap());
    assert_never_shown(&password, &texts);
    assert_never_shown(&second, &texts);
}

#[tokio::test]
async fn synced_user_needs_the_delegated_reset_with_writeback() {
    let w = world(32, &[]).await;
    let user = w.plain_user(true, &[]).clone();
    let target = w.target_of(&user.user_principal_name);
    // Microsoft refuses passwordProfile for on-premises mastered users (§5.3).
    let probe = parapet_remediate::generate_password();
    match w.app.set_password(&user.id, &probe, true).await {
        Err(GraphError::BadRequest { code, message, .. }) => {
            assert_eq!(code, "Request_BadRequest");
            assert!(message.contains("on-premises mastered"), "{message}");
            assert!(!message.contains(probe.expose().as_str()));
        }
        other => panic!("PATCH passwordProfile of a synced user: {other:?}"),
    }

    // Without a delegated client: skipped, with guidance, and no password.
    let mut sink = MemorySink::new();
    let skipped = run_step(
        app_only(&w),
        &target,
        Step::ResetPassword,
        &PlanOptions::default(),
        &mut sink,
    )
    .await;
    assert_eq!(
        kinds(&skipped),
        vec![("4:password".to_string(), "skipped")],
        "{skipped}"
    );
    assert!(skipped.new_password.is_none());
    let guidance = skipped.objects[0].guidance.clone().unwrap();
    assert!(
        guidance.contains("Authentication Administrator"),
        "{guidance}"
    );

    // With the technician's delegated client: resetPassword, 202, operation polled.
    let delegated = w.delegated_client().await;
    let before = w.user_state(&user.id)["lastPasswordChangeDateTime"].clone();
    w.control().advance_clock(chrono::Duration::minutes(5));
    let clients = Clients {
        app: &w.app,
        delegated: Some(&delegated),
    };
    let done = run_step(
        clients,
        &target,
        Step::ResetPassword,
        &PlanOptions::default(),
        &mut sink,
    )
    .await;
    assert_eq!(
        kinds(&done),
        vec![("4:password".to_string(), "succeeded")],
        "{done}"
    );
    let password = done.new_password.as_ref().unwrap().expose().clone();
    assert_ne!(w.user_state(&user.id)["lastPasswordChangeDateTime"], before);
    let records = sink.records(&target.incident_id).unwrap();
    let last = records.last().unwrap();
    assert_eq!(last.detail.as_ref().unwrap()["method"], "resetPassword");
    assert_never_shown(
        &password,
        &[
            format!("{done:?}{done}"),
            serde_json::to_string(&records).unwrap(),
        ],
    );
}

#[tokio::test]
async fn an_interrupted_reset_is_reported_not_repeated() {
    let w = world(33, &[]).await;
    let user = w.plain_user(false, &[]).clone();
    let target = w.target_of(&user.user_principal_name);
    let mut sink = MemorySink::new();
    // A run that crashed after logging "started" and before "finished".
    let started = LogEntry {
        time: clock(),
        actor: "tech@msp.example".into(),
        tenant_id: target.tenant_id.clone(),
        incident_id: target.incident_id.clone(),
        step: 4,
        action_key: "4:password".into(),
        target: "password".into(),
        request: "PATCH /v1.0/users/{id} passwordProfile".into(),
        phase: Phase::Started,
        result: None,
        evidence: None,
        detail: None,
    };
    sink.append(started.seal(None)).unwrap();
    let before = w.user_state(&user.id)["lastPasswordChangeDateTime"].clone();
    let outcome = run_step(
        app_only(&w),
        &target,
        Step::ResetPassword,
        &PlanOptions::default(),
        &mut sink,
    )
    .await;
    match &outcome.objects[0].outcome {
        Outcome::Skipped { why } => assert!(why.contains("a password may have been set"), "{why}"),
        other => panic!("{other:?}"),
    }
    assert!(outcome.new_password.is_none());
    assert_eq!(w.user_state(&user.id)["lastPasswordChangeDateTime"], before);
    let fresh = PlanOptions {
        fresh_password_reset: true,
        ..PlanOptions::default()
    };
    let reset = run_step(
        app_only(&w),
        &target,
        Step::ResetPassword,
        &fresh,
        &mut sink,
    )
    .await;
    assert_eq!(
        kinds(&reset),
        vec![("4:password".to_string(), "succeeded")],
        "{reset}"
    );
    assert!(reset.new_password.is_some());
}
