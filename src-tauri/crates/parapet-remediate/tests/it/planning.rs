//! Pure planning: which actions each step has, their stable keys, and what the log changes.

use parapet_remediate::{
    plan, Artifact, ArtifactKind, IncidentTarget, LogEntry, Operation, Outcome, Phase,
    PhishMessage, PlanOptions, RemediateError, Removal, Step,
};
use serde_json::json;

use crate::support::clock;

fn target(synced: bool, p1: bool) -> IncidentTarget {
    let artifact = |kind, id: &str| Artifact {
        kind,
        id: id.into(),
        summary: String::new(),
    };
    IncidentTarget {
        tenant_id: "tenant-a".into(),
        incident_id: "inc-9".into(),
        user_id: "u-1".into(),
        upn: "jane@contoso.com".into(),
        on_premises_synced: synced,
        entra_p1: p1,
        break_glass: vec!["bg-2".into(), "u-1".into(), "bg-1".into(), "bg-2".into()],
        artifacts: vec![
            artifact(ArtifactKind::InboxRule, "AQAAAJ5dZqA="),
            artifact(ArtifactKind::InboxRule, "AQAAAJ5dZqA="),
            artifact(ArtifactKind::MailboxForwarding, "u-1"),
            artifact(ArtifactKind::OauthGrant, "g-1"),
            artifact(ArtifactKind::ServicePrincipal, "sp-1"),
            artifact(ArtifactKind::Application, "app-1|key-1"),
            artifact(ArtifactKind::Device, "dev-1"),
            artifact(ArtifactKind::AuthMethod, "m-1"),
            artifact(ArtifactKind::InboundConnector, "Relay"),
            artifact(ArtifactKind::TransportRule, "BCC all"),
            artifact(
                ArtifactKind::MailboxPermission,
                "ceo@contoso.com|jane@contoso.com",
            ),
        ],
        phish: None,
    }
}

fn keys(step: Step, t: &IncidentTarget, options: &PlanOptions) -> Vec<String> {
    plan(step, t, options, &[])
        .unwrap()
        .into_iter()
        .map(|a| a.key)
        .collect()
}

#[test]
fn containment_depends_on_sync_and_licence() {
    let base = ["1:disable_account", "1:revoke_sessions"];
    let cases = [
        (false, true, vec![]),
        (false, false, vec![]),
        (true, true, vec!["1:ca_block", "1:on_premises_disable"]),
        (true, false, vec!["1:ca_block", "1:on_premises_disable"]),
    ];
    for (synced, p1, extra) in cases {
        let t = target(synced, p1);
        let planned = plan(Step::Contain, &t, &PlanOptions::default(), &[]).unwrap();
        let mut want: Vec<&str> = base.to_vec();
        want.extend(extra);
        assert_eq!(
            planned.iter().map(|a| a.key.as_str()).collect::<Vec<_>>(),
            want,
            "synced={synced} p1={p1}"
        );
        let ca = planned.iter().find(|a| a.key == "1:ca_block");
        match ca.map(|a| &a.operation) {
            Some(Operation::CreateBlockPolicy {
                user_id, exclude, ..
            }) => {
                assert!(p1);
                assert_eq!(user_id, "u-1");
                assert_eq!(exclude, &vec!["bg-1".to_string(), "bg-2".to_string()]);
            }
            Some(Operation::Manual { instruction }) => {
                assert!(!p1);
                assert!(instruction.contains("no Entra ID P1"));
            }
            None => assert!(!synced),
            other => panic!("{other:?}"),
        }
    }
}

#[test]
fn every_artifact_gets_exactly_one_action_with_a_stable_key() {
    let t = target(false, true);
    let options = PlanOptions {
        inbox_rules: Removal::Delete,
        ..PlanOptions::default()
    };
    let first = keys(Step::RemovePersistence, &t, &options);
    assert_eq!(first, keys(Step::RemovePersistence, &t, &options));
    assert_eq!(
        first,
        vec![
            "3:inbox_rule:delete:AQAAAJ5dZqA=",
            "3:mailbox_forwarding:u-1",
            "3:oauth_grant:g-1",
            "3:service_principal:sp-1",
            "3:application:app-1|key-1",
            "3:device:disable:dev-1",
            "3:auth_method:m-1",
            "3:inbound_connector:disable:Relay",
            "3:transport_rule:disable:BCC all",
            "3:mailbox_permission:ceo@contoso.com|jane@contoso.com",
        ]
    );
    let planned = plan(Step::RemovePersistence, &t, &options, &[]).unwrap();
    assert!(planned.iter().any(|a| a.operation
        == Operation::RemoveApplicationCredential {
            application_id: "app-1".into(),
            key_id: Some("key-1".into())
        }));
    assert!(planned.iter().any(|a| a.operation
        == Operation::RemoveMailboxPermission {
            identity: "ceo@contoso.com".into(),
            trustee: "jane@contoso.com".into()
        }));
    assert!(planned
        .iter()
        .all(|a| a.tenant_id == "tenant-a" && a.incident_id == "inc-9" && !a.already_done));
}

#[test]
fn a_per_artifact_choice_overrides_the_kind_default_and_names_its_key() {
    let mut t = target(false, true);
    t.artifacts.push(Artifact {
        kind: ArtifactKind::InboxRule,
        id: "AQAAAJ5dZqB=".into(),
        summary: String::new(),
    });
    let options = PlanOptions {
        inbox_rules: Removal::Delete,
        artifact_removals: [
            ("AQAAAJ5dZqB=".to_string(), Removal::Disable),
            ("Relay".to_string(), Removal::Delete),
            // The only thing Parapet does to a grant anyway: accepted.
            ("g-1".to_string(), Removal::Delete),
        ]
        .into(),
        ..PlanOptions::default()
    };
    let planned = plan(Step::RemovePersistence, &t, &options, &[]).unwrap();
    let by_key = |key: &str| {
        planned
            .iter()
            .find(|a| a.key == key)
            .map(|a| (a.operation.clone(), a.request.clone()))
            .unwrap_or_else(|| panic!("no {key}"))
    };
    let (delete, _) = by_key("3:inbox_rule:delete:AQAAAJ5dZqA=");
    assert!(matches!(
        delete,
        Operation::InboxRule {
            removal: Removal::Delete,
            ..
        }
    ));
    let (disable, request) = by_key("3:inbox_rule:disable:AQAAAJ5dZqB=");
    assert!(matches!(
        disable,
        Operation::InboxRule {
            removal: Removal::Disable,
            ..
        }
    ));
    assert!(request.contains("isEnabled=false"), "{request}");
    let (connector, request) = by_key("3:inbound_connector:delete:Relay");
    assert!(matches!(
        connector,
        Operation::InboundConnector {
            removal: Removal::Delete,
            ..
        }
    ));
    assert!(request.contains("Remove-InboundConnector"), "{request}");
    let (rule, _) = by_key("3:transport_rule:disable:BCC all");
    assert!(matches!(
        rule,
        Operation::TransportRule {
            removal: Removal::Disable,
            ..
        }
    ));
    // The key the UI reads progress with is the one the plan uses.
    for a in &t.artifacts {
        let key = parapet_remediate::persistence_key(a, options.removal_for(a));
        assert!(planned.iter().any(|p| p.key == key), "{key}");
    }
}

#[test]
fn a_choice_parapet_cannot_honour_refuses_the_step() {
    let t = target(false, true);
    let refused = |id: &str, removal: Removal| {
        let options = PlanOptions {
            artifact_removals: [(id.to_string(), removal)].into(),
            ..PlanOptions::default()
        };
        plan(Step::RemovePersistence, &t, &options, &[])
            .err()
            .map(|e| e.to_string())
    };
    let cases: &[(&str, Removal, Option<&str>)] = &[
        (
            "g-1",
            Removal::Disable,
            Some("oauth grant \"g-1\" cannot be disabled: Parapet only deletes it"),
        ),
        (
            "sp-1",
            Removal::Delete,
            Some("service principal \"sp-1\" cannot be deleted: Parapet only disables it"),
        ),
        (
            "m-1",
            Removal::Disable,
            Some("auth method \"m-1\" cannot be disabled"),
        ),
        (
            "not-there",
            Removal::Delete,
            Some("no persistence artifact \"not-there\""),
        ),
        ("dev-1", Removal::Delete, None),
        ("BCC all", Removal::Delete, None),
        ("sp-1", Removal::Disable, None),
    ];
    for (id, removal, want) in cases {
        let got = refused(id, *removal);
        match (want, &got) {
            (None, None) => {}
            (Some(want), Some(got)) => assert!(got.contains(want), "{id}: {got}"),
            _ => panic!("{id} {removal:?}: {got:?}"),
        }
    }
}

#[test]
fn the_log_marks_finished_actions_and_feeds_step_5_the_policy_id() {
    let t = target(true, true);
    let finished = |key: &str, result: Outcome, detail| LogEntry {
        time: clock(),
        actor: "a".into(),
        tenant_id: "tenant-a".into(),
        incident_id: "inc-9".into(),
        step: 1,
        action_key: key.into(),
        target: String::new(),
        request: String::new(),
        phase: Phase::Finished,
        result: Some(result),
        evidence: None,
        detail,
    };
    let r1 = finished(
        "1:ca_block",
        Outcome::Succeeded,
        Some(json!({"policyId": "pol-7"})),
    )
    .seal(None);
    let r2 = finished(
        "1:revoke_sessions",
        Outcome::Failed {
            code: "x".into(),
            message: "y".into(),
        },
        None,
    )
    .seal(Some(&r1));
    let r3 = finished(
        "1:disable_account",
        Outcome::AlreadyDone { why: "w".into() },
        None,
    )
    .seal(Some(&r2));
    let log = vec![r1, r2, r3];
    let contain = plan(Step::Contain, &t, &PlanOptions::default(), &log).unwrap();
    let done: Vec<(&str, bool)> = contain
        .iter()
        .map(|a| (a.key.as_str(), a.already_done))
        .collect();
    assert_eq!(
        done,
        vec![
            ("1:disable_account", true),
            ("1:revoke_sessions", false),
            ("1:ca_block", true),
            ("1:on_premises_disable", false)
        ]
    );
    let reenable = plan(Step::Reenable, &t, &PlanOptions::default(), &log).unwrap();
    assert!(reenable.iter().any(|a| a.operation
        == Operation::DeleteBlockPolicy {
            policy_id: Some("pol-7".into()),
            display_name: parapet_remediate::block_policy_name(&t)
        }));
    // A cloud user whose step 1 made no policy has nothing to delete.
    let cloud = target(false, true);
    assert_eq!(
        keys(Step::Reenable, &cloud, &PlanOptions::default()),
        vec!["5:enable_account"]
    );
}

#[test]
fn step_2_needs_a_message_and_step_6_is_a_log_entry() {
    let mut t = target(false, true);
    let unavailable = |t: &IncidentTarget| {
        matches!(
            plan(Step::RetractPhish, t, &PlanOptions::default(), &[]),
            Err(RemediateError::StepNotAvailable { step: 2, .. })
        )
    };
    assert!(unavailable(&t));
    t.phish = Some(PhishMessage {
        sender: Some("a@evil.example".into()),
        ..PhishMessage::default()
    });
    assert!(unavailable(&t), "a sender without a subject is too broad");
    t.phish = Some(PhishMessage {
        internet_message_id: Some(" <x@evil.example> ".into()),
        ..PhishMessage::default()
    });
    assert_eq!(
        keys(Step::RetractPhish, &t, &PlanOptions::default()),
        vec!["2:phish:<x@evil.example>"]
    );
    let planned = plan(Step::MarkRemediated, &t, &PlanOptions::default(), &[]).unwrap();
    assert_eq!(planned.len(), 1);
    assert_eq!(planned[0].operation, Operation::MarkRemediated);
    for n in 1..=6 {
        assert_eq!(Step::from_number(n).map(Step::number), Some(n));
    }
    assert_eq!(Step::from_number(7), None);
}

#[test]
fn selected_copies_are_one_action_each_and_finished_ones_stay_done() {
    let mut t = target(false, true);
    t.phish = Some(PhishMessage {
        internet_message_id: Some("<x@evil.example>".into()),
        ..PhishMessage::default()
    });
    let copy = |mailbox: &str, message: &str| parapet_remediate::MessageCopy {
        mailbox_id: mailbox.into(),
        mailbox: format!("{mailbox}@contoso.com"),
        message_id: message.into(),
        internet_message_id: Some("<x@evil.example>".into()),
        sender: Some("jane@contoso.com".into()),
        subject: Some("<b>Invoice</b>".into()),
        received: None,
        folder: "Inbox".into(),
        matched_by: parapet_remediate::MatchedBy::MessageId,
    };
    let options = PlanOptions {
        phish_copies: vec![copy("u-2", "AAMk1"), copy("u-3", "AAMk2")],
        ..PlanOptions::default()
    };
    assert_eq!(
        keys(Step::RetractPhish, &t, &options),
        vec!["2:message:u-2:AAMk1", "2:message:u-3:AAMk2"]
    );
    let planned = plan(Step::RetractPhish, &t, &options, &[]).unwrap();
    assert_eq!(
        planned[0].operation,
        Operation::MoveMessage {
            mailbox_id: "u-2".into(),
            message_id: "AAMk1".into()
        }
    );
    assert_eq!(
        planned[0].target,
        "message \"<b>Invoice</b>\" in u-2@contoso.com (Inbox)"
    );
    let finished = LogEntry {
        time: clock(),
        actor: "tech@msp.example".into(),
        tenant_id: t.tenant_id.clone(),
        incident_id: t.incident_id.clone(),
        step: 2,
        action_key: "2:message:u-2:AAMk1".into(),
        target: planned[0].target.clone(),
        request: planned[0].request.clone(),
        phase: Phase::Finished,
        result: Some(Outcome::Succeeded),
        evidence: None,
        detail: None,
    }
    .seal(None);
    let again = plan(Step::RetractPhish, &t, &options, &[finished]).unwrap();
    assert_eq!(
        again.iter().map(|a| a.already_done).collect::<Vec<_>>(),
        vec![true, false]
    );
}
