use parapet_snapshot::Snapshot;
use parapet_tenantgen::{demo_tenants, Generated};

use crate::support::{end, everything, generate, user_id};

/// Whether the artifact `kind`/`id` of user `upn` exists in the snapshot file of its type.
fn artifact_exists(snapshot: &Snapshot, upn: &str, kind: &str, id: &str) -> bool {
    let user = user_id(snapshot, upn);
    match kind {
        "inbox_rule" => snapshot.message_rules_of(&user).iter().any(|r| r.id == id),
        "mailbox_forwarding" => snapshot
            .mailbox(id)
            .is_some_and(|m| m.forwarding_smtp_address.is_some() || m.forwarding_address.is_some()),
        "oauth_grant" => snapshot
            .oauth2_permission_grants
            .iter()
            .any(|g| g.id == id && g.principal_id.as_deref() == Some(user.as_str())),
        "service_principal" => snapshot.service_principal(id).is_some(),
        "device" => snapshot.devices_of(&user).any(|d| d.id == id),
        "auth_method" => snapshot
            .authentication_methods_of(&user)
            .iter()
            .any(|m| m.id == id),
        other => panic!("unexpected artifact type {other}"),
    }
}

fn check(generated: &Generated) {
    let snapshot = &generated.snapshot;
    let truth = &generated.truth;
    for compromised in &truth.compromised {
        assert!(snapshot
            .user_by_upn(&compromised.user_principal_name)
            .is_some());
        assert!(
            !compromised.persistence.is_empty(),
            "{} has no persistence",
            compromised.user_principal_name
        );
        for artifact in &compromised.persistence {
            assert!(
                artifact_exists(
                    snapshot,
                    &compromised.user_principal_name,
                    &artifact.kind,
                    &artifact.id
                ),
                "{} {} {} missing",
                compromised.user_principal_name,
                artifact.kind,
                artifact.id
            );
        }
    }
    for leftover in &truth.leftover_persistence {
        assert!(artifact_exists(
            snapshot,
            &leftover.user_principal_name,
            &leftover.kind,
            &leftover.id
        ));
        assert!(truth
            .compromised
            .iter()
            .any(|c| c.user_principal_name == leftover.user_principal_name
                && c.state == parapet_tenantgen::CompromiseState::Remediated));
    }
    for upn in truth.targeted.iter().chain(&truth.benign) {
        assert!(snapshot.user_by_upn(upn).is_some(), "{upn} is not a user");
    }
    for benign in &truth.benign {
        assert!(
            truth
                .compromised
                .iter()
                .all(|c| &c.user_principal_name != benign),
            "{benign} both benign and compromised"
        );
        assert!(!truth.targeted.contains(benign));
    }
}

#[test]
fn ground_truth_names_real_users_and_artifacts() {
    let generated = generate(&everything(21));
    check(&generated);
    // Every family is in the truth: 6 compromised (targeted is separate), all 9 look-alikes.
    assert_eq!(generated.truth.compromised.len(), 6);
    assert_eq!(generated.truth.targeted.len(), 1);
    assert_eq!(generated.truth.leftover_persistence.len(), 1);
    assert_eq!(generated.truth.benign.len(), 9);
    for demo in demo_tenants(end()).unwrap() {
        check(&demo);
    }
}

#[test]
fn expected_json_has_the_spec_shape() {
    let generated = generate(&everything(22));
    let value: serde_json::Value = serde_json::from_str(&generated.truth.to_json()).unwrap();
    for key in ["compromised", "leftoverPersistence", "targeted", "benign"] {
        assert!(
            value.get(key).is_some_and(serde_json::Value::is_array),
            "{key}"
        );
    }
    let first = &value["compromised"][0];
    assert!(first["userPrincipalName"].is_string());
    assert!(matches!(
        first["state"].as_str(),
        Some("active" | "remediated")
    ));
    assert!(
        first["persistence"][0]["type"].is_string() && first["persistence"][0]["id"].is_string()
    );
}
