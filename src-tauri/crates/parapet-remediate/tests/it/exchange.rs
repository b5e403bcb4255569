//! Step 3 on the objects the generator does not stage as attacks: inbound connectors,
//! transport rules, mailbox permissions and application credentials, disabled and removed.

use parapet_graph::TenantClient;
use parapet_remediate::{
    Artifact, ArtifactKind, IncidentTarget, MemorySink, PlanOptions, Removal, Step,
};
use parapet_tenantgen::LookalikeFamily;
use serde_json::{json, Value};

use crate::support::{app_only, kinds, run_step, spec, world_with, World};

async fn exchange_world(seed: u64) -> World {
    let mut s = spec(seed, &[], true);
    s.benign_lookalikes = vec![LookalikeFamily::MailGatewayConnector];
    world_with(&s, |_| {}).await
}

fn with_artifacts(w: &World, artifacts: Vec<(ArtifactKind, String)>) -> IncidentTarget {
    let upn = w.plain_user(false, &[]).user_principal_name.clone();
    let mut t = w.target_of(&upn);
    t.artifacts = artifacts
        .into_iter()
        .map(|(kind, id)| Artifact {
            kind,
            id,
            summary: String::new(),
        })
        .collect();
    t
}

async fn named(c: &TenantClient, cmdlet: &str, identity: &str) -> Option<Value> {
    c.invoke(cmdlet, json!({}))
        .await
        .unwrap()
        .into_iter()
        .find(|v| v["Identity"] == identity)
}

async fn grants(c: &TenantClient, mailbox: &str, trustee: &str) -> usize {
    let mut n = 0;
    for (cmdlet, who) in [
        ("Get-MailboxPermission", "User"),
        ("Get-RecipientPermission", "Trustee"),
    ] {
        n += c
            .invoke(cmdlet, json!({ "Identity": mailbox }))
            .await
            .unwrap()
            .iter()
            .filter(|e| {
                e[who]
                    .as_str()
                    .is_some_and(|u| u.eq_ignore_ascii_case(trustee))
            })
            .count();
    }
    n
}

#[tokio::test]
async fn connectors_transport_rules_and_permissions_are_disabled_or_removed() {
    for (seed, removal) in [(51, Removal::Disable), (52, Removal::Delete)] {
        let w = exchange_world(seed).await;
        let snapshot = &w.generated.snapshot;
        let connector = serde_json::to_value(&snapshot.inbound_connectors[0]).unwrap()["Identity"]
            .as_str()
            .unwrap()
            .to_string();
        let rule = "External sender warning".to_string();
        let permission = snapshot
            .mailbox_permissions
            .iter()
            .map(|p| serde_json::to_value(p).unwrap())
            .find(|p| p["User"] != "NT AUTHORITY\\SELF")
            .unwrap();
        let (mailbox, trustee) = (
            permission["Identity"].as_str().unwrap().to_string(),
            permission["User"].as_str().unwrap().to_string(),
        );
        assert!(grants(&w.app, &mailbox, &trustee).await >= 1);
        let target = with_artifacts(
            &w,
            vec![
                (ArtifactKind::InboundConnector, connector.clone()),
                (ArtifactKind::TransportRule, rule.clone()),
                (
                    ArtifactKind::MailboxPermission,
                    format!("{mailbox}|{trustee}"),
                ),
            ],
        );
        let options = PlanOptions {
            inbound_connectors: removal,
            transport_rules: removal,
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
        assert!(
            kinds(&outcome).iter().all(|(_, k)| *k == "succeeded"),
            "{outcome}"
        );
        let c = named(&w.app, "Get-InboundConnector", &connector).await;
        let r = named(&w.app, "Get-TransportRule", &rule).await;
        match removal {
            Removal::Disable => {
                assert_eq!(c.unwrap()["Enabled"], false);
                assert_eq!(r.unwrap()["State"], "Disabled");
            }
            Removal::Delete => {
                assert!(c.is_none() && r.is_none());
            }
        }
        assert_eq!(grants(&w.app, &mailbox, &trustee).await, 0);
        let again = run_step(
            app_only(&w),
            &target,
            Step::RemovePersistence,
            &options,
            &mut sink,
        )
        .await;
        assert!(
            kinds(&again).iter().all(|(_, k)| *k == "already_done"),
            "{again}"
        );
    }
}

#[tokio::test]
async fn the_attacker_credential_is_removed_from_the_application() {
    let w = exchange_world(53).await;
    let named_app = w
        .app
        .create_application("Invoice Sync", json!({}))
        .await
        .unwrap()
        .id
        .unwrap();
    let attacker = w
        .app
        .add_password(&named_app, "attacker", None)
        .await
        .unwrap();
    let keep = w.app.add_password(&named_app, "owner", None).await.unwrap();
    let whole_app = w
        .app
        .create_application("Mail Helper", json!({}))
        .await
        .unwrap()
        .id
        .unwrap();
    for name in ["a", "b"] {
        w.app.add_password(&whole_app, name, None).await.unwrap();
    }
    let target = with_artifacts(
        &w,
        vec![
            (
                ArtifactKind::Application,
                format!("{}|{}", named_app, attacker.key_id),
            ),
            (ArtifactKind::Application, whole_app.clone()),
        ],
    );
    let mut sink = MemorySink::new();
    let outcome = run_step(
        app_only(&w),
        &target,
        Step::RemovePersistence,
        &PlanOptions::default(),
        &mut sink,
    )
    .await;
    assert!(
        kinds(&outcome).iter().all(|(_, k)| *k == "succeeded"),
        "{outcome}"
    );
    let keys = |v: Value| -> Vec<String> {
        v["passwordCredentials"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["keyId"].as_str().unwrap().to_string())
            .collect()
    };
    let apps: Vec<Value> = w
        .app
        .graph_collection(
            parapet_graph::ApiVersion::V1,
            "applications",
            &parapet_graph::ODataQuery::new(),
        )
        .collect_all()
        .await
        .unwrap();
    let find = |id: &str| apps.iter().find(|a| a["id"] == id).cloned().unwrap();
    assert_eq!(keys(find(&named_app)), vec![keep.key_id.clone()]);
    assert!(keys(find(&whole_app)).is_empty());
    // Secrets never reach the log: the evidence holds hints at most.
    let log = serde_json::to_string(
        &parapet_remediate::ActionSink::records(&sink, &target.incident_id).unwrap(),
    )
    .unwrap();
    assert!(!log.contains(attacker.secret.expose().as_str()));
}
