//! An on-premises synced account through the api layer: step 1 adds the Conditional Access
//! block Entra Connect cannot undo, step 4 resets with writeback on the technician's delegated
//! (GDAP) token since Microsoft gives resetPassword no application permission, and step 5
//! removes the block again.

mod support;

use parapet_api::dto::StepRequest;
use support::{aitm_tenant, keyring_available, onboard_and_scan, signed_in};

fn policies(control: &parapet_simulator::SimControl, tenant: &str) -> u64 {
    let state = control.state();
    state["tenants"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == tenant)
        .unwrap()["counts"]["conditionalAccessPolicies"]
        .as_u64()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_synced_account_is_blocked_by_policy_and_reset_with_writeback() {
    if !keyring_available() {
        return;
    }
    let mut generated = aitm_tenant(21, "Synced Test", "syncedtest.example");
    let victim = generated.truth.compromised[0].user_principal_name.clone();
    let user = generated
        .snapshot
        .users
        .iter_mut()
        .find(|u| u.user_principal_name == victim)
        .unwrap();
    user.on_premises_sync_enabled = Some(true);
    let tenant_id = generated.snapshot.tenant.id.clone();
    assert!(
        generated.snapshot.tenant.licenses.entra_id_p1,
        "the spec has P1"
    );
    let dirs = tempfile::tempdir().unwrap();
    let (context, simulator) = signed_in(generated.snapshot, dirs.path()).await;
    let control = simulator.control();
    let incident = onboard_and_scan(&context, &tenant_id, &victim).await;
    parapet_api::incidents::publish(&context, &incident.id).unwrap();
    let run = |n: u8| {
        let context = &context;
        let id = incident.id.clone();
        async move {
            let request = StepRequest {
                step: n,
                delete_inbox_rules: true,
                override_guard: n == 4,
                ..Default::default()
            };
            parapet_api::remediation::run_step_as_technician(context, &id, &request)
                .await
                .unwrap_or_else(|e| panic!("step {n}: {}", e.message))
        }
    };

    let before = policies(&control, &tenant_id);
    let contained = run(1).await;
    // Everything Microsoft can do succeeded; disabling the on-premises account is the
    // technician's, with instructions.
    for object in &contained.objects {
        let expected = if object.key == "1:on_premises_disable" {
            "skipped"
        } else {
            "succeeded"
        };
        assert_eq!(object.outcome, expected, "{object:?}");
    }
    let on_premises = contained
        .objects
        .iter()
        .find(|o| o.key == "1:on_premises_disable")
        .expect("on-premises guidance for a synced account");
    assert!(on_premises
        .message
        .as_deref()
        .is_some_and(|m| m.contains("Active Directory")));
    assert_eq!(
        policies(&control, &tenant_id),
        before + 1,
        "a CA block for the synced account"
    );
    assert_eq!(
        control.user(&tenant_id, &victim).unwrap()["accountEnabled"],
        false
    );

    let changed_before =
        control.user(&tenant_id, &victim).unwrap()["lastPasswordChangeDateTime"].clone();
    let reset = run(4).await;
    let password = reset.new_password.clone().expect("a password, shown once");
    assert!(password.len() >= 16);
    let object = &reset.objects[0];
    assert_eq!(object.outcome, "succeeded", "{:?}", reset.objects);
    assert!(
        object.request.contains("resetPassword"),
        "{}",
        object.request
    );
    let changed_after =
        control.user(&tenant_id, &victim).unwrap()["lastPasswordChangeDateTime"].clone();
    assert_ne!(changed_before, changed_after, "the password really changed");
    // The password is in no file of the workspace (database, WAL, logs) and not in the log.
    let state = parapet_api::remediation::state(&context, &incident.id)
        .await
        .unwrap();
    assert!(!format!("{:?}", state.actions).contains(&password));
    let mut pending = vec![dirs.path().to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let bytes = std::fs::read(&path).unwrap();
                let found = bytes
                    .windows(password.len())
                    .any(|w| w == password.as_bytes());
                assert!(!found, "the password is in {}", path.display());
            }
        }
    }
    assert!(state.completed_steps.contains(&4));

    let reenabled = run(5).await;
    for object in &reenabled.objects {
        let expected = if object.key == "5:on_premises_enable" {
            "skipped"
        } else {
            "succeeded"
        };
        assert_eq!(object.outcome, expected, "{object:?}");
    }
    assert_eq!(
        policies(&control, &tenant_id),
        before,
        "the block is gone again"
    );
    assert_eq!(
        control.user(&tenant_id, &victim).unwrap()["accountEnabled"],
        true
    );
    simulator.shutdown().await;
}
