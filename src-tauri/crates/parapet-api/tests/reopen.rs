//! A remediated incident the attacker comes back to: the next scan reopens it once, with a
//! marker in its action log, and remediation runs again for real.

mod support;

use parapet_api::dto::{RemediationState, StepRequest};
use parapet_api::AppContext;
use support::{aitm_tenant, keyring_available, onboard_and_scan, signed_in};

fn step(n: u8) -> StepRequest {
    StepRequest {
        step: n,
        delete_inbox_rules: true,
        ..Default::default()
    }
}

async fn run_steps(context: &AppContext, incident: &str, steps: &[u8]) {
    for &n in steps {
        let result = parapet_api::remediation::run_step_as_technician(context, incident, &step(n))
            .await
            .unwrap_or_else(|e| panic!("step {n}: {}", e.message));
        assert!(
            result.objects.iter().all(|o| o.outcome != "failed"),
            "step {n}: {:?}",
            result.objects
        );
    }
}

fn status(context: &AppContext, incident: &str) -> String {
    parapet_api::incidents::detail(context, incident)
        .unwrap()
        .summary
        .status
}

fn markers(state: &RemediationState) -> usize {
    state
        .actions
        .iter()
        .filter(|a| a.result == "reopened")
        .count()
}

#[tokio::test(flavor = "multi_thread")]
async fn an_attacker_who_returns_reopens_the_incident_and_step_1_acts_again() {
    if !keyring_available() {
        return;
    }
    let generated = aitm_tenant(7, "Reopen Test", "reopentest.example");
    let victim = generated.truth.compromised[0].user_principal_name.clone();
    let tenant_id = generated.snapshot.tenant.id.clone();
    let sign_ins = generated.snapshot.sign_ins.clone();
    let dir = tempfile::tempdir().unwrap();
    let (context, simulator) = signed_in(generated.snapshot, dir.path()).await;
    let control = simulator.control();
    let incident = onboard_and_scan(&context, &tenant_id, &victim).await;
    let scan = || parapet_api::live_scan::scan_tenant(&context, &tenant_id, &|_| {});
    let id = incident.id.clone();
    let published = parapet_api::incidents::publish(&context, &id).unwrap();
    let widest = published
        .mail
        .iter()
        .max_by_key(|m| m.mailboxes)
        .expect("the account sent mail");
    parapet_api::incidents::mark_phish(&context, &id, &widest.id).unwrap();
    run_steps(&context, &id, &[1, 2, 3, 4, 5, 6]).await;
    assert_eq!(status(&context, &id), "remediated");
    assert_eq!(
        control.user(&tenant_id, &victim).unwrap()["accountEnabled"],
        true
    );

    // A rescan that finds nothing new leaves it closed.
    scan().await.unwrap();
    assert_eq!(
        status(&context, &id),
        "remediated",
        "nothing happened since"
    );
    let closed = parapet_api::remediation::state(&context, &id)
        .await
        .unwrap();
    assert_eq!(markers(&closed), 0);
    assert_eq!(closed.completed_steps, vec![1, 2, 3, 4, 5, 6]);

    // The attacker signs in again from the infrastructure of their first sign-in.
    let evidence: Vec<String> = published
        .signals
        .iter()
        .flat_map(|s| s.evidence.clone())
        .collect();
    let attacker = sign_ins
        .iter()
        .find(|s| evidence.contains(&s.id) && s.status.error_code == 0)
        .expect("the incident cites a successful attacker sign-in");
    let mut again = serde_json::to_value(attacker).unwrap();
    let record = again.as_object_mut().unwrap();
    for field in ["id", "signInEventTypes", "correlationId"] {
        record.remove(field);
    }
    record.insert("isInteractive".into(), true.into());
    record.insert("sessionId".into(), uuid::Uuid::new_v4().to_string().into());
    record.insert(
        "createdDateTime".into(),
        chrono::Utc::now()
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
            .into(),
    );
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let injected = control
        .inject(
            &tenant_id,
            serde_json::from_value(serde_json::json!({ "signIns": [again] })).unwrap(),
        )
        .unwrap();
    assert_eq!(injected, 1);

    scan().await.unwrap();
    let reopened = parapet_api::incidents::detail(&context, &id).unwrap();
    assert_eq!(reopened.summary.kind, "active_compromise");
    // Response is off for this tenant: the incident waits to be published again.
    assert_eq!(reopened.summary.status, "unpublished");
    let state = parapet_api::remediation::state(&context, &id)
        .await
        .unwrap();
    assert!(state.tampered.is_none(), "{:?}", state.tampered);
    assert_eq!(markers(&state), 1);
    let marker = state.actions.last().unwrap();
    assert_eq!(
        (marker.step, marker.result.as_str(), marker.actor.as_str()),
        (0, "reopened", "Parapet scan")
    );
    assert!(
        marker.request.contains("the attacker was active again"),
        "{}",
        marker.request
    );
    assert_eq!(marker.target, format!("incident {id}"));
    // Nothing of the first round counts; only a step 3 with nothing left to remove is done.
    let nothing_left: Vec<u8> = if reopened.persistence.is_empty() {
        vec![3]
    } else {
        Vec::new()
    };
    assert_eq!(state.completed_steps, nothing_left);

    // A rescan of the reopened incident adds no second marker.
    scan().await.unwrap();
    let rescanned = parapet_api::remediation::state(&context, &id)
        .await
        .unwrap();
    assert_eq!(markers(&rescanned), 1);
    assert_eq!(rescanned.actions.len(), state.actions.len());

    parapet_api::incidents::publish(&context, &id).unwrap();
    let contained = parapet_api::remediation::run_step_as_technician(&context, &id, &step(1))
        .await
        .unwrap();
    let outcomes: Vec<(&str, &str)> = contained
        .objects
        .iter()
        .map(|o| (o.key.as_str(), o.outcome.as_str()))
        .collect();
    assert!(
        outcomes.contains(&("1:disable_account", "succeeded"))
            && outcomes.contains(&("1:revoke_sessions", "succeeded"))
            && outcomes.iter().all(|(_, o)| *o != "already_done"),
        "{outcomes:?}"
    );
    assert_eq!(
        control.user(&tenant_id, &victim).unwrap()["accountEnabled"],
        false
    );
    let after = parapet_api::remediation::state(&context, &id)
        .await
        .unwrap();
    let new_round = &after.actions[state.actions.len()..];
    assert!(
        new_round
            .iter()
            .filter(|a| a.result != "started")
            .all(|a| a.step == 1 && a.result == "succeeded"),
        "{new_round:?}"
    );
    assert!(new_round.iter().any(|a| a.result == "succeeded"));
    let mut expected = vec![1];
    expected.extend(&nothing_left);
    assert_eq!(after.completed_steps, expected);
    assert!(after.tampered.is_none());

    // The second round closes the incident again, and it stays closed.
    run_steps(&context, &id, &[2, 3, 4, 5, 6]).await;
    assert_eq!(status(&context, &id), "remediated");
    scan().await.unwrap();
    assert_eq!(status(&context, &id), "remediated");
    let done = parapet_api::remediation::state(&context, &id)
        .await
        .unwrap();
    assert_eq!(markers(&done), 1);
    assert_eq!(done.completed_steps, vec![1, 2, 3, 4, 5, 6]);
    assert!(done.tampered.is_none());

    // With Response on, a returning attacker is contained by itself, as a new incident is.
    parapet_api::tenants::set_flags(
        &context,
        &tenant_id,
        parapet_api::dto::TenantFlags {
            response_enabled: true,
            paused: false,
            scan_only: false,
        },
    )
    .unwrap();
    let record = again.as_object_mut().unwrap();
    record.insert("sessionId".into(), uuid::Uuid::new_v4().to_string().into());
    record.insert(
        "createdDateTime".into(),
        chrono::Utc::now()
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
            .into(),
    );
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    control
        .inject(
            &tenant_id,
            serde_json::from_value(serde_json::json!({ "signIns": [again] })).unwrap(),
        )
        .unwrap();
    scan().await.unwrap();
    let third = parapet_api::incidents::detail(&context, &id).unwrap();
    assert_eq!(
        (
            third.summary.status.as_str(),
            third.summary.confidence.as_str()
        ),
        ("active", "high")
    );
    assert_eq!(
        control.user(&tenant_id, &victim).unwrap()["accountEnabled"],
        false,
        "Automatic Response locked the account again"
    );
    let responded = parapet_api::remediation::state(&context, &id)
        .await
        .unwrap();
    assert_eq!(markers(&responded), 2);
    assert!(
        responded.completed_steps.contains(&1),
        "{:?}",
        responded.completed_steps
    );
    let latest = &responded.actions[done.actions.len() + 1..];
    assert!(
        !latest.is_empty() && latest.iter().all(|a| a.actor == "Automatic Response"),
        "{latest:?}"
    );
    simulator.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn persistence_left_behind_reopens_the_incident_once() {
    if !keyring_available() {
        return;
    }
    let generated = aitm_tenant(8, "Leftover Test", "leftovertest.example");
    let victim = generated.truth.compromised[0].user_principal_name.clone();
    let tenant_id = generated.snapshot.tenant.id.clone();
    let dir = tempfile::tempdir().unwrap();
    let (context, simulator) = signed_in(generated.snapshot, dir.path()).await;
    let control = simulator.control();
    let id = onboard_and_scan(&context, &tenant_id, &victim).await.id;
    let scan = || parapet_api::live_scan::scan_tenant(&context, &tenant_id, &|_| {});
    let found = parapet_api::incidents::publish(&context, &id).unwrap();
    assert!(
        !found.persistence.is_empty(),
        "the attack left an inbox rule"
    );
    // The technician closes it without step 3, overriding the guards: the rule stays.
    for n in [1u8, 4, 5, 6] {
        let request = StepRequest {
            override_guard: true,
            ..step(n)
        };
        parapet_api::remediation::run_step_as_technician(&context, &id, &request)
            .await
            .unwrap_or_else(|e| panic!("step {n}: {}", e.message));
    }
    assert_eq!(status(&context, &id), "remediated");
    // Entra audits the reset and the revocation; the simulator does not log its own writes,
    // so the test adds the two records Microsoft would have written.
    let user_id = control.user(&tenant_id, &victim).unwrap()["id"].clone();
    let at = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let audit = |activity: &str| {
        serde_json::json!({
            "activityDisplayName": activity, "activityDateTime": at, "result": "success",
            "category": "UserManagement", "initiatedBy": {"app": {"displayName": "Parapet"}},
            "targetResources": [{"id": user_id, "type": "User", "userPrincipalName": victim}],
        })
    };
    let audits = serde_json::json!({
        "directoryAudits": [audit("Reset user password"), audit("Revoke sign-in sessions")]
    });
    control
        .inject(&tenant_id, serde_json::from_value(audits).unwrap())
        .unwrap();

    scan().await.unwrap();
    let reopened = parapet_api::incidents::detail(&context, &id).unwrap();
    assert_eq!(
        (
            reopened.summary.kind.as_str(),
            reopened.summary.status.as_str()
        ),
        ("leftover_persistence", "unpublished")
    );
    let state = parapet_api::remediation::state(&context, &id)
        .await
        .unwrap();
    assert_eq!(markers(&state), 1);
    let marker = state.actions.last().unwrap();
    assert_eq!(
        marker.request,
        "reopened: a persistence artifact still exists after it was remediated"
    );
    assert!(
        state.completed_steps.is_empty(),
        "{:?}",
        state.completed_steps
    );
    assert_eq!(state.unresolved_persistence, 1);
    assert!(state.tampered.is_none());

    scan().await.unwrap();
    let again = parapet_api::remediation::state(&context, &id)
        .await
        .unwrap();
    assert_eq!(
        markers(&again),
        1,
        "a rescan of the reopened incident adds nothing"
    );
    assert_eq!(again.actions.len(), state.actions.len());
    simulator.shutdown().await;
}
