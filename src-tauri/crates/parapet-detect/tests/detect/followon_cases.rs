//! Follow-on actions from the attacker's footprint (registrations, mail flow, apps, phishing),
//! other log sources, and the report's determinism.

use serde_json::json;

use crate::fixture::*;
use crate::persistence_cases::{attacker_sign_in, hiding_rule, rule_now};

#[test]
fn device_and_mfa_registered_from_the_attackers_network() {
    let mut t = Tenant::with_users(&["alice"]);
    attacker_sign_in(&mut t, 40);
    t.directory(
        at(40, 2),
        "Register device",
        "alice",
        "88.198.1.1",
        json!({"id": "DEV-OBJ", "displayName": "DESKTOP-X", "type": "Device"}),
        json!([{"key": "Device Id", "value": "dev-x"}]),
    );
    t.raw.devices.push(json!({"id": "DEV-OBJ", "deviceId": "dev-x", "displayName": "DESKTOP-X", "registeredOwners": [user_id("alice")], "registrationDateTime": "2026-11-10T11:00:00Z"}));
    t.directory(
        at(40, 3),
        "User registered security info",
        "alice",
        "88.198.1.1",
        json!({"id": user_id("alice"), "type": "User"}),
        json!([]),
    );
    t.raw.authentication_methods.insert(user_id("alice"), vec![json!({"@odata.type": "#microsoft.graph.phoneAuthenticationMethod", "id": "PHONE-1", "createdDateTime": "2026-11-10T12:01:00Z"})]);
    let r = check("registrations", &t, &[("alice", "active_compromise")]);
    assert_eq!(
        persistence_of(&r, "alice"),
        vec![
            ("auth_method".to_string(), "PHONE-1".to_string()),
            ("device".to_string(), "DEV-OBJ".to_string())
        ]
    );
}

#[test]
fn connector_and_mailbox_permission_created_by_the_attackers_session() {
    let mut t = Tenant::with_users(&["alice", "ceo"]);
    attacker_sign_in(&mut t, 40);
    t.audit(
        at(40, 1),
        "alice",
        "88.198.1.1",
        "New-InboundConnector",
        &[
            ("Name", "Partner relay"),
            ("SenderIPAddresses", "88.198.1.0/24"),
        ],
    );
    t.raw.inbound_connectors.push(json!({"Identity": "Partner relay", "Name": "Partner relay", "SenderIPAddresses": ["88.198.1.0/24"]}));
    t.audit(
        at(40, 2),
        "alice",
        "88.198.1.1",
        "Add-MailboxPermission",
        &[
            ("Identity", "ceo@contoso.com"),
            ("User", "alice@contoso.com"),
            ("AccessRights", "FullAccess"),
        ],
    );
    t.raw.mailbox_permissions.push(json!({"Identity": "ceo@contoso.com", "User": "alice@contoso.com", "AccessRights": ["FullAccess"], "IsInherited": false, "Deny": false}));
    let r = check("mail flow", &t, &[("alice", "active_compromise")]);
    assert_eq!(
        persistence_of(&r, "alice"),
        vec![
            ("inbound_connector".to_string(), "Partner relay".to_string()),
            (
                "mailbox_permission".to_string(),
                "ceo@contoso.com|alice@contoso.com".to_string()
            )
        ]
    );
}

#[test]
fn phishing_burst_sent_by_the_attacker_is_in_the_timeline() {
    let mut t = Tenant::with_users(&["alice"]);
    attacker_sign_in(&mut t, 40);
    hiding_rule(&mut t, 40);
    t.mailbox_op(at(40, 2), "alice", "88.198.1.1", "Send");
    for i in 0..15 {
        t.raw.messages.entry(user_id("alice")).or_default().push(json!({"id": format!("m{i}"), "internetMessageId": format!("<p-{i}>"),
            "subject": "Shared document", "sentDateTime": "2026-11-10T11:05:00Z", "from": {"emailAddress": {"address": upn("alice")}},
            "parentFolderId": "sentitems", "toRecipients": [{"emailAddress": {"address": format!("colleague{i}@contoso.com")}}]}));
    }
    let r = check("phishing", &t, &[("alice", "active_compromise")]);
    assert!(
        signal_kinds(&r, "alice").contains(&"internal_phishing".to_string()),
        "{:?}",
        signal_kinds(&r, "alice")
    );
}

#[test]
fn scans_are_deterministic_and_incident_ids_stable() {
    let mut t = Tenant::with_users(&["alice", "bob"]);
    attacker_sign_in(&mut t, 40);
    hiding_rule(&mut t, 40);
    let a = serde_json::to_string(&t.scan()).unwrap_or_default();
    let b = serde_json::to_string(&t.scan()).unwrap_or_default();
    assert_eq!(a, b);
    let first = t.scan().incidents[0].id.clone();
    // New, unrelated evidence later does not change the incident's id.
    t.add(sign_in("bob", at(50, 0)));
    assert_eq!(t.scan().incidents[0].id, first);
}

#[test]
fn without_entra_sign_ins_the_audit_logons_carry_the_case() {
    let mut t = Tenant::with_users(&["alice"]);
    t.raw.sign_ins.clear();
    for d in 0..30 {
        t.ual_logon("alice", at(d, 0), "73.0.0.1", true);
    }
    t.ual_logon("alice", at(40, 0), "88.198.1.1", true);
    hiding_rule(&mut t, 40);
    let r = check("audit-log sign-ins", &t, &[("alice", "active_compromise")]);
    assert!(
        r.tenant
            .coverage
            .sources
            .contains(&"unifiedAuditLogSignIns".to_string()),
        "{:?}",
        r.tenant.coverage.sources
    );
    assert!(!r
        .tenant
        .coverage
        .sources
        .contains(&"entraSignIns".to_string()));
}

#[test]
fn outlook_client_rule_forwarding_outside_from_the_attackers_address() {
    let mut t = Tenant::with_users(&["alice"]);
    attacker_sign_in(&mut t, 40);
    let server_rule = r#"{"Actions":[{"ActionType":"ForwardToRecipientsAction","Recipients":[{"Address":"drop@proton.me"}]}],"Condition":{"ContainsSubjectStrings":["invoice"]},"Name":"sync"}"#;
    t.raw.audit_records.push(json!({
        "Id": "ar-client", "CreationTime": "2026-11-10T10:30:00Z", "Operation": "UpdateInboxRules", "RecordType": 2,
        "UserId": upn("alice"), "MailboxOwnerUPN": upn("alice"), "ClientIP": "88.198.1.1", "Workload": "Exchange",
        "OperationProperties": [{"Name": "RuleOperation", "Value": "Create"}, {"Name": "Name", "Value": "sync"}, {"Name": "ServerRule", "Value": server_rule}]
    }));
    t.inbox_rule_now("alice", "RULE-SYNC", json!({"displayName": "sync", "isEnabled": true, "conditions": {"subjectContains": ["invoice"]},
        "actions": {"forwardTo": [{"emailAddress": {"address": "drop@proton.me"}}]}}));
    let r = check("outlook client rule", &t, &[("alice", "active_compromise")]);
    assert_eq!(
        persistence_of(&r, "alice"),
        vec![("inbox_rule".to_string(), "RULE-SYNC".to_string())]
    );
}

#[test]
fn app_registration_with_a_secret_from_the_attackers_network() {
    let mut t = Tenant::with_users(&["alice"]);
    attacker_sign_in(&mut t, 40);
    let app = json!({"id": "APP-OBJ", "displayName": "Backup sync", "type": "Application"});
    t.directory(
        at(40, 1),
        "Add application",
        "alice",
        "88.198.1.1",
        app.clone(),
        json!([]),
    );
    t.directory(
        at(40, 1),
        "Update application – Certificates and secrets management",
        "alice",
        "88.198.1.1",
        app,
        json!([]),
    );
    t.raw.applications.push(json!({"id": "APP-OBJ", "appId": "app-1", "displayName": "Backup sync", "passwordCredentials": [{"keyId": "k1"}]}));
    let r = check("app credential", &t, &[("alice", "active_compromise")]);
    assert_eq!(
        persistence_of(&r, "alice"),
        vec![("application".to_string(), "APP-OBJ".to_string())]
    );
}

#[test]
fn record_order_in_the_files_does_not_change_the_report() {
    let mut t = Tenant::with_users(&["alice", "bob", "carol", "dave"]);
    attacker_sign_in(&mut t, 40);
    hiding_rule(&mut t, 40);
    rule_now(&mut t, true);
    for u in ["bob", "carol", "dave"] {
        t.add(
            sign_in(u, at(42, 0))
                .from("88.198.1.1", HETZNER, "DE")
                .no_device()
                .error(50126),
        );
    }
    let before = serde_json::to_string(&t.scan()).unwrap_or_default();
    t.raw.sign_ins.reverse();
    t.raw.audit_records.reverse();
    t.raw.users.reverse();
    t.raw.mailboxes.reverse();
    let after = serde_json::to_string(&t.scan()).unwrap_or_default();
    assert_eq!(before, after);
}
