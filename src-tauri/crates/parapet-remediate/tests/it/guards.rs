//! The only-MFA-method guard, dry runs, and the remediated mark.

use parapet_remediate::{
    apply, plan, ActionSink, Artifact, ArtifactKind, MemorySink, Mode, Outcome, PlanOptions,
    RunContext, Step,
};

use crate::support::{app_only, clock, kinds, run_step, technician, world};

#[tokio::test]
async fn the_only_mfa_method_needs_an_explicit_confirmation() {
    let w = world(61, &[]).await;
    // A user with exactly one method besides the password.
    let mut chosen = None;
    for user in &w.generated.snapshot.users {
        let Ok(methods) = w.app.authentication_methods(&user.id).await else {
            continue;
        };
        let others: Vec<_> = methods
            .iter()
            .filter(|m| m.kind() != parapet_graph::model::identity::MethodKind::Password)
            .collect();
        if others.len() == 1 && others[0].kind().collection().is_some() {
            chosen = Some((user.user_principal_name.clone(), others[0].id.clone()));
            break;
        }
    }
    let (upn, method) = chosen.expect("a user with a single MFA method");
    let mut target = w.target_of(&upn);
    target.artifacts = vec![Artifact {
        kind: ArtifactKind::AuthMethod,
        id: method.clone(),
        summary: String::new(),
    }];
    let mut sink = MemorySink::new();
    let refused = run_step(
        app_only(&w),
        &target,
        Step::RemovePersistence,
        &PlanOptions::default(),
        &mut sink,
    )
    .await;
    match &refused.objects[0].outcome {
        Outcome::Skipped { why } => assert!(why.contains("only multifactor method"), "{why}"),
        other => panic!("{other:?}"),
    }
    let still = w.app.authentication_methods(&target.user_id).await.unwrap();
    assert!(still.iter().any(|m| m.id == method));
    let confirmed = PlanOptions {
        confirm_remove_only_method: true,
        ..PlanOptions::default()
    };
    let done = run_step(
        app_only(&w),
        &target,
        Step::RemovePersistence,
        &confirmed,
        &mut sink,
    )
    .await;
    assert_eq!(kinds(&done)[0].1, "succeeded", "{done}");
    let after = w.app.authentication_methods(&target.user_id).await.unwrap();
    assert!(after.iter().all(|m| m.id != method));
}

#[tokio::test]
async fn a_dry_run_sends_and_logs_nothing() {
    let w = world(62, &[]).await;
    let user = w.plain_user(true, &[]).clone();
    let target = w.target_of(&user.user_principal_name);
    let mut sink = MemorySink::new();
    let before = w.app.stats().attempts;
    let run = RunContext {
        actor: technician(),
        mode: Mode::DryRun,
        clock: &clock,
    };
    for step in [
        Step::Contain,
        Step::ResetPassword,
        Step::Reenable,
        Step::MarkRemediated,
    ] {
        let planned = plan(step, &target, &PlanOptions::default(), &[]).unwrap();
        let outcome = apply(app_only(&w), &target, &planned, &mut sink, &run)
            .await
            .unwrap();
        assert!(
            outcome
                .objects
                .iter()
                .all(|o| matches!(o.outcome, Outcome::DryRun { .. } | Outcome::Skipped { .. })),
            "{outcome}"
        );
        assert!(outcome.new_password.is_none());
    }
    assert_eq!(w.app.stats().attempts, before);
    assert!(sink.records(&target.incident_id).unwrap().is_empty());
    assert_eq!(w.user_state(&user.id)["accountEnabled"], true);
}

#[tokio::test]
async fn marking_remediated_is_a_logged_state_change() {
    let w = world(63, &[]).await;
    let target = w.target_of(&w.plain_user(false, &[]).user_principal_name.clone());
    let mut sink = MemorySink::new();
    let outcome = run_step(
        app_only(&w),
        &target,
        Step::MarkRemediated,
        &PlanOptions::default(),
        &mut sink,
    )
    .await;
    assert_eq!(
        kinds(&outcome),
        vec![("6:remediated".to_string(), "succeeded")]
    );
    let records = sink.records(&target.incident_id).unwrap();
    let last = records.last().unwrap();
    assert_eq!(last.step, 6);
    assert_eq!(last.actor, "tech@msp.example");
    assert_eq!(last.detail.as_ref().unwrap()["state"], "remediated");
    assert_eq!(last.time, clock());
    parapet_remediate::verify_chain(&records).unwrap();
}
