//! Step 3 against every persistence type the generator stages: the objects are gone or
//! disabled afterwards, each action kept the object's JSON as evidence, a re-run is a no-op.

use parapet_graph::{ODataQuery, TenantClient};
use parapet_remediate::{
    verify_chain, ActionSink, IncidentTarget, MemorySink, Phase, PlanOptions, Removal, Step,
};
use parapet_tenantgen::AttackFamily;
use serde_json::Value;

use crate::support::{app_only, kinds, run_step, world, World};

pub const FAMILIES: &[AttackFamily] = &[
    AttackFamily::AitmInboxRulePhish,
    AttackFamily::PasswordSprayForwarding,
    AttackFamily::IllicitConsent,
    AttackFamily::DeviceCodePhish,
    AttackFamily::MfaMethodRegistration,
];

/// The state of one artifact as Microsoft reports it now.
pub async fn artifact_state(
    c: &TenantClient,
    target: &IncidentTarget,
    kind: &str,
    id: &str,
) -> String {
    match kind {
        "inbox_rule" => {
            let rules = c.inbox_rules(&target.user_id).await.unwrap();
            match rules.iter().find(|r| r.id == id) {
                None => "gone".into(),
                Some(r) => format!("enabled={:?}", r.is_enabled),
            }
        }
        "mailbox_forwarding" => {
            let mailbox = c.mailbox(id).await.unwrap().unwrap();
            let v = serde_json::to_value(&mailbox).unwrap();
            let set = |k: &str| !matches!(v.get(k), None | Some(Value::Null)) && v[k] != "";
            format!(
                "forwarding={}",
                set("ForwardingSmtpAddress") || set("ForwardingAddress")
            )
        }
        "oauth_grant" => {
            let grants = c
                .oauth2_permission_grants(&ODataQuery::new())
                .collect_all()
                .await
                .unwrap();
            if grants.iter().any(|g| g.id == id) {
                "present".into()
            } else {
                "gone".into()
            }
        }
        "service_principal" => {
            let sps: Vec<Value> = c
                .graph_collection(
                    parapet_graph::ApiVersion::V1,
                    "servicePrincipals",
                    &ODataQuery::new(),
                )
                .collect_all()
                .await
                .unwrap();
            match sps.iter().find(|s| s["id"] == id) {
                None => "gone".into(),
                Some(s) => format!("enabled={}", s["accountEnabled"]),
            }
        }
        "device" => {
            let devices: Vec<Value> = c
                .graph_collection(parapet_graph::ApiVersion::V1, "devices", &ODataQuery::new())
                .collect_all()
                .await
                .unwrap();
            match devices.iter().find(|d| d["id"] == id) {
                None => "gone".into(),
                Some(d) => format!("enabled={}", d["accountEnabled"]),
            }
        }
        "auth_method" => {
            let methods = c.authentication_methods(&target.user_id).await.unwrap();
            if methods.iter().any(|m| m.id == id) {
                "present".into()
            } else {
                "gone".into()
            }
        }
        other => panic!("no check for {other}"),
    }
}

pub fn expected_after(kind: &str, options: &PlanOptions) -> &'static str {
    match (kind, options.inbox_rules, options.devices) {
        ("inbox_rule", Removal::Disable, _) => "enabled=Some(false)",
        ("inbox_rule", Removal::Delete, _) => "gone",
        ("mailbox_forwarding", ..) => "forwarding=false",
        ("service_principal", ..) => "enabled=false",
        ("device", _, Removal::Disable) => "enabled=false",
        _ => "gone",
    }
}

/// The victims' incidents, with their ground-truth artifacts.
pub fn incidents(w: &World) -> Vec<IncidentTarget> {
    w.generated
        .truth
        .compromised
        .iter()
        .filter(|c| !c.persistence.is_empty())
        .map(|c| w.target_of_victim(&c.user_principal_name))
        .collect()
}

async fn remove_everything(options: PlanOptions, seed: u64) {
    let w = world(seed, FAMILIES).await;
    let targets = incidents(&w);
    let kinds_seen: std::collections::BTreeSet<String> = targets
        .iter()
        .flat_map(|t| t.artifacts.iter().map(|a| a.kind.as_str().to_string()))
        .collect();
    assert!(
        kinds_seen.len() >= 6,
        "the tenant stages too few artifact types: {kinds_seen:?}"
    );
    let mut sink = MemorySink::new();
    for target in &targets {
        for a in &target.artifacts {
            let before = artifact_state(&w.app, target, a.kind.as_str(), &a.id).await;
            assert_ne!(
                before,
                expected_after(a.kind.as_str(), &options),
                "{} {} starts removed",
                a.kind.as_str(),
                a.id
            );
        }
        // The attacker's method is not the user's only one (they also have Authenticator).
        let outcome = run_step(
            app_only(&w),
            target,
            Step::RemovePersistence,
            &options,
            &mut sink,
        )
        .await;
        assert!(
            kinds(&outcome).iter().all(|(_, k)| *k == "succeeded"),
            "{}: {outcome}",
            target.upn
        );
        for a in &target.artifacts {
            let after = artifact_state(&w.app, target, a.kind.as_str(), &a.id).await;
            assert_eq!(
                after,
                expected_after(a.kind.as_str(), &options),
                "{} {}",
                a.kind.as_str(),
                a.id
            );
        }
        let records = sink.records(&target.incident_id).unwrap();
        verify_chain(&records).unwrap();
        for finished in records.iter().filter(|r| r.phase == Phase::Finished) {
            let evidence = finished.evidence.as_ref().expect("evidence kept");
            assert!(!evidence.is_null(), "{}", finished.action_key);
        }
        let again = run_step(
            app_only(&w),
            target,
            Step::RemovePersistence,
            &options,
            &mut sink,
        )
        .await;
        assert!(
            kinds(&again).iter().all(|(_, k)| *k == "already_done"),
            "{again}"
        );
        assert_eq!(
            sink.records(&target.incident_id).unwrap().len(),
            records.len(),
            "a no-op re-run logs nothing"
        );
    }
}

#[tokio::test]
async fn disabling_leaves_every_artifact_disabled_or_gone() {
    remove_everything(PlanOptions::default(), 21).await;
}

#[tokio::test]
async fn deleting_removes_every_artifact() {
    let options = PlanOptions {
        inbox_rules: Removal::Delete,
        devices: Removal::Delete,
        ..PlanOptions::default()
    };
    remove_everything(options, 22).await;
}

#[tokio::test]
async fn one_rule_deleted_and_another_disabled_by_the_technicians_choice() {
    // Every inbox rule gets a twin, so the victim has two attacker rules to treat differently.
    let twin = |id: &str| format!("{id}Twin");
    let w = crate::support::world_with(
        &crate::support::spec(23, &[AttackFamily::AitmInboxRulePhish], true),
        |config| {
            for rules in config.snapshots[0].message_rules.values_mut() {
                let twins: Vec<_> = rules
                    .iter()
                    .map(|r| {
                        let mut t = r.clone();
                        t.id = twin(&r.id);
                        t
                    })
                    .collect();
                rules.extend(twins);
            }
        },
    )
    .await;
    let mut target = w.target_of_victim(&w.victim("inbox_rule"));
    let rule = target
        .artifacts
        .iter()
        .find(|a| a.kind == parapet_remediate::ArtifactKind::InboxRule)
        .expect("the victim's attacker rule")
        .clone();
    let other = parapet_remediate::Artifact {
        id: twin(&rule.id),
        ..rule.clone()
    };
    target.artifacts = vec![rule.clone(), other.clone()];
    for a in &target.artifacts {
        assert_eq!(
            artifact_state(&w.app, &target, "inbox_rule", &a.id).await,
            "enabled=Some(true)"
        );
    }
    // The kind default says disable; the technician deletes the first rule only.
    let options = PlanOptions {
        inbox_rules: Removal::Disable,
        artifact_removals: [(rule.id.clone(), Removal::Delete)].into(),
        ..PlanOptions::default()
    };
    let mut sink = MemorySink::new();
    let outcome = run_step(
        app_only(&w),
        &target,
        Step::RemovePersistence,
        &options,
        &mut sink,
    )
    .await;
    let mut got = kinds(&outcome);
    got.sort();
    let mut want = vec![
        (
            parapet_remediate::persistence_key(&rule, Removal::Delete),
            "succeeded",
        ),
        (
            parapet_remediate::persistence_key(&other, Removal::Disable),
            "succeeded",
        ),
    ];
    want.sort();
    assert_eq!(got, want);
    assert_eq!(
        artifact_state(&w.app, &target, "inbox_rule", &rule.id).await,
        "gone"
    );
    assert_eq!(
        artifact_state(&w.app, &target, "inbox_rule", &other.id).await,
        "enabled=Some(false)"
    );
}
