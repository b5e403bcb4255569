//! Remediation through the api layer against the simulator: the same calls the stepper and
//! `parapet remediate` make.

mod support;

use parapet_api::dto::{ArtifactRemoval, ArtifactStep, RemovalChoice, StepRequest};
use parapet_api::ErrorCode;
use support::{aitm_tenant, keyring_available, onboard_and_scan, signed_in};

#[tokio::test(flavor = "multi_thread")]
async fn steps_one_to_six_change_the_tenant_and_are_logged() {
    if !keyring_available() {
        return;
    }
    let generated = aitm_tenant(5, "Api Step Test", "apisteptest.example");
    let victim = generated.truth.compromised[0].user_principal_name.clone();
    let tenant_id = generated.snapshot.tenant.id.clone();
    let dirs = tempfile::tempdir().unwrap();
    let snapshot_dir = dirs.path().join("snapshot");
    parapet_snapshot::write(&generated.snapshot, &snapshot_dir).unwrap();
    let (context, simulator) = signed_in(generated.snapshot, &dirs.path().join("workspace")).await;
    let control = simulator.control();
    parapet_api::onboarding::onboard(&context, &tenant_id)
        .await
        .unwrap();
    // Importing a snapshot over a live tenant is refused; the live Scan is the way.
    let refused = parapet_api::scan::import_snapshot_dir(&context, &snapshot_dir);
    assert!(
        refused.is_err(),
        "a snapshot never drives remediation of a live tenant"
    );
    parapet_api::live_scan::scan_tenant(&context, &tenant_id, &|_| {})
        .await
        .unwrap();
    let incident = parapet_api::incidents::list(&context, Some(&tenant_id))
        .unwrap()
        .into_iter()
        .find(|i| i.user_principal_name == victim)
        .expect("an incident for the victim");
    let step = |n: u8| StepRequest {
        step: n,
        delete_inbox_rules: true,
        ..Default::default()
    };

    let refused =
        parapet_api::remediation::run_step_as_technician(&context, &incident.id, &step(1)).await;
    assert!(
        refused.is_err(),
        "an unpublished incident is not remediated"
    );
    let published = parapet_api::incidents::publish(&context, &incident.id).unwrap();
    // Too few colleagues for a phishing burst: the technician tags the phish in the
    // Exchange log (the message the account sent to the most mailboxes).
    let widest = published
        .mail
        .iter()
        .max_by_key(|m| m.mailboxes)
        .expect("the account sent mail");
    assert!(widest.mailboxes > 1, "{:?}", published.mail);
    let tagged = parapet_api::incidents::mark_phish(&context, &incident.id, &widest.id).unwrap();
    let phish = tagged.phish.expect("Mark as Phish tags the incident");
    assert_eq!(
        (phish.tagged_by.as_str(), phish.subject.as_str()),
        ("technician", widest.subject.as_str())
    );

    for n in [1u8, 2, 3, 4, 5, 6] {
        let result =
            parapet_api::remediation::run_step_as_technician(&context, &incident.id, &step(n))
                .await
                .unwrap_or_else(|e| panic!("step {n}: {}", e.message));
        assert!(
            result.objects.iter().all(|o| o.outcome != "failed"),
            "step {n}: {:?}",
            result.objects
        );
        assert_eq!(
            result.new_password.is_some(),
            n == 4,
            "only step 4 hands out a password"
        );
        if n == 2 {
            // parapet-remediate's own tests check every copy landed in Deleted Items.
            assert!(
                result
                    .objects
                    .iter()
                    .any(|o| o.key.starts_with("2:phish:") && o.outcome == "succeeded"),
                "the phish was retracted: {:?}",
                result.objects
            );
        }
        if n == 1 {
            assert_eq!(
                control.user(&tenant_id, &victim).unwrap()["accountEnabled"],
                false
            );
        }
        if n == 5 {
            assert_eq!(
                control.user(&tenant_id, &victim).unwrap()["accountEnabled"],
                true
            );
        }
    }
    // Re-running a finished step repeats nothing.
    let again = parapet_api::remediation::run_step_as_technician(&context, &incident.id, &step(1))
        .await
        .unwrap();
    assert!(
        again.objects.iter().all(|o| o.outcome == "already_done"),
        "{:?}",
        again.objects
    );

    let state = parapet_api::remediation::state(&context, &incident.id)
        .await
        .unwrap();
    assert_eq!(state.completed_steps, vec![1, 2, 3, 4, 5, 6]);
    assert_eq!(state.unresolved_persistence, 0);
    assert!(state.tampered.is_none());
    assert_eq!(
        parapet_api::incidents::detail(&context, &incident.id)
            .unwrap()
            .summary
            .status,
        "remediated"
    );
    simulator.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_lost_app_secret_gets_a_new_secret_on_the_same_app() {
    if !keyring_available() {
        return;
    }
    let spec = parapet_tenantgen::TenantSpec::new(
        6,
        "Secret Test",
        "secrettest.example",
        8,
        14,
        chrono::Utc::now(),
    );
    let generated = parapet_tenantgen::generate(&spec).unwrap();
    let tenant_id = generated.snapshot.tenant.id.clone();
    let dir = tempfile::tempdir().unwrap();
    let (context, simulator) = signed_in(generated.snapshot, dir.path()).await;
    let first = parapet_api::partner::status(&context).unwrap();
    parapet_api::onboarding::onboard(&context, &tenant_id)
        .await
        .unwrap();
    context
        .keyring()
        .delete(&parapet_secrets::SecretKey::new("msp-app:client-secret"))
        .unwrap();
    let again = parapet_api::partner::sign_in(&context).await.unwrap();
    assert_eq!(
        first.msp_app_id, again.msp_app_id,
        "the consented app is kept"
    );
    parapet_api::onboarding::onboard(&context, &tenant_id)
        .await
        .expect("the new secret works for the tenant that consented to the app");
    simulator.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn step_3_deletes_one_rule_and_disables_another_as_the_technician_chose() {
    if !keyring_available() {
        return;
    }
    let mut generated = aitm_tenant(7, "Api Choice Test", "apichoicetest.example");
    let victim = generated.truth.compromised[0].user_principal_name.clone();
    let victim_id = generated
        .snapshot
        .users
        .iter()
        .find(|u| u.user_principal_name == victim)
        .unwrap()
        .id
        .clone();
    // The attacker left the same rule twice: two artifacts for the technician to treat apart.
    let rules = generated
        .snapshot
        .message_rules
        .get_mut(&victim_id)
        .unwrap();
    let attacker_rules: Vec<String> = generated.truth.compromised[0]
        .persistence
        .iter()
        .filter(|a| a.kind == "inbox_rule")
        .map(|a| a.id.clone())
        .collect();
    let mut twin = rules
        .iter()
        .find(|r| attacker_rules.contains(&r.id))
        .expect("the attacker's rule is in the snapshot")
        .clone();
    twin.id = format!("{}Twin", twin.id);
    rules.push(twin);
    let tenant_id = generated.snapshot.tenant.id.clone();
    let dir = tempfile::tempdir().unwrap();
    let (context, simulator) = signed_in(generated.snapshot, dir.path()).await;
    let control = simulator.control();
    let incident = onboard_and_scan(&context, &tenant_id, &victim).await;
    parapet_api::incidents::publish(&context, &incident.id).unwrap();

    let state = parapet_api::remediation::state(&context, &incident.id)
        .await
        .unwrap();
    let listed: Vec<&ArtifactStep> = state
        .persistence
        .iter()
        .filter(|a| a.kind == "inbox_rule")
        .collect();
    assert_eq!(
        listed.len(),
        2,
        "both rules are listed: {:?}",
        state.persistence
    );
    for artifact in &listed {
        let offered: Vec<RemovalChoice> = artifact.actions.iter().map(|a| a.removal).collect();
        assert_eq!(offered, vec![RemovalChoice::Disable, RemovalChoice::Delete]);
        assert!(artifact.actions.iter().all(|a| a.outcome.is_none()));
    }
    for artifact in state.persistence.iter().filter(|a| a.kind != "inbox_rule") {
        assert_eq!(artifact.actions.len(), 1, "{artifact:?}");
    }
    let key = |artifact: &ArtifactStep, removal: RemovalChoice| {
        artifact
            .actions
            .iter()
            .find(|a| a.removal == removal)
            .unwrap()
            .key
            .clone()
    };
    let (deleted, disabled) = (listed[0].clone(), listed[1].clone());
    let choose = |id: &str, removal| ArtifactRemoval {
        artifact_id: id.to_string(),
        removal,
    };

    let unknown = StepRequest {
        step: 3,
        removals: vec![choose("no-such-rule", RemovalChoice::Delete)],
        ..Default::default()
    };
    let refused =
        parapet_api::remediation::run_step_as_technician(&context, &incident.id, &unknown)
            .await
            .expect_err("a choice for an artifact the incident does not have");
    assert_eq!(refused.code, ErrorCode::InvalidInput, "{}", refused.message);

    let rule_count = || {
        control.state()["tenants"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["id"] == tenant_id.as_str())
            .unwrap()["counts"]["messageRules"]
            .as_u64()
            .unwrap()
    };
    let before = rule_count();
    let request = StepRequest {
        step: 3,
        items: vec![
            key(&deleted, RemovalChoice::Delete),
            key(&disabled, RemovalChoice::Disable),
        ],
        removals: vec![
            choose(&deleted.id, RemovalChoice::Delete),
            choose(&disabled.id, RemovalChoice::Disable),
        ],
        ..Default::default()
    };
    let result = parapet_api::remediation::run_step_as_technician(&context, &incident.id, &request)
        .await
        .unwrap();
    let mut ran: Vec<(String, String)> = result
        .objects
        .iter()
        .map(|o| (o.key.clone(), o.outcome.clone()))
        .collect();
    ran.sort();
    let mut want = vec![
        (
            key(&deleted, RemovalChoice::Delete),
            "succeeded".to_string(),
        ),
        (
            key(&disabled, RemovalChoice::Disable),
            "succeeded".to_string(),
        ),
    ];
    want.sort();
    assert_eq!(ran, want, "only the chosen actions ran");
    assert_eq!(rule_count(), before - 1, "one rule deleted, the other kept");

    let state = parapet_api::remediation::state(&context, &incident.id)
        .await
        .unwrap();
    let outcome = |id: &str, removal: RemovalChoice| {
        state
            .persistence
            .iter()
            .find(|a| a.id == id)
            .and_then(|a| a.actions.iter().find(|x| x.removal == removal))
            .and_then(|x| x.outcome.clone())
    };
    assert_eq!(
        outcome(&deleted.id, RemovalChoice::Delete).as_deref(),
        Some("succeeded")
    );
    assert_eq!(outcome(&deleted.id, RemovalChoice::Disable), None);
    assert_eq!(
        outcome(&disabled.id, RemovalChoice::Disable).as_deref(),
        Some("succeeded")
    );
    assert_eq!(outcome(&disabled.id, RemovalChoice::Delete), None);
    // The disabled rule is still there: deleting it now is a new action, not "already done".
    let delete_now = StepRequest {
        step: 3,
        items: vec![key(&disabled, RemovalChoice::Delete)],
        removals: vec![choose(&disabled.id, RemovalChoice::Delete)],
        ..Default::default()
    };
    let result =
        parapet_api::remediation::run_step_as_technician(&context, &incident.id, &delete_now)
            .await
            .unwrap();
    assert_eq!(result.objects.len(), 1);
    assert_eq!(
        result.objects[0].outcome, "succeeded",
        "{:?}",
        result.objects
    );
    assert_eq!(rule_count(), before - 2);
    simulator.shutdown().await;
}
