//! What the attacker did after getting in, what was left behind, and the incident's state.

use serde_json::json;

use crate::fixture::*;

/// Alice signs in from a new cloud server with no device (4 points: attacker, but not strong).
fn attacker_sign_in(t: &mut Tenant, day: i64) {
    t.add(
        sign_in("alice", at(day, 0))
            .from("88.198.1.1", HETZNER, "DE")
            .no_device()
            .session("evil"),
    );
}

fn hiding_rule(t: &mut Tenant, day: i64) {
    t.audit(
        at(day, 1),
        "alice",
        "88.198.1.1",
        "New-InboxRule",
        &[
            ("Name", "."),
            ("MoveToFolder", "RSS Feeds"),
            ("SubjectOrBodyContainsWords", "invoice;payment"),
            ("MarkAsRead", "True"),
        ],
    );
}

fn rule_now(t: &mut Tenant, enabled: bool) {
    t.inbox_rule_now("alice", "RULE-1", json!({"displayName": ".", "isEnabled": enabled,
        "conditions": {"bodyOrSubjectContains": ["invoice", "payment"]}, "actions": {"moveToFolder": "AAMkAGI2TG93AAA=", "markAsRead": true}}));
}

fn remediate(t: &mut Tenant, day: i64) {
    let target = json!({"id": user_id("alice"), "type": "User", "userPrincipalName": upn("alice")});
    t.directory(
        at(day, 0),
        "Reset user password",
        "admin",
        "73.0.0.9",
        target.clone(),
        json!([]),
    );
    t.directory(
        at(day, 0) + chrono::Duration::minutes(2),
        "Update StsRefreshTokenValidFrom Timestamp",
        "admin",
        "73.0.0.9",
        target,
        json!([]),
    );
}

#[test]
fn hiding_rule_from_the_attackers_address_is_reported_with_its_rule_id() {
    let mut t = Tenant::with_users(&["alice", "admin"]);
    attacker_sign_in(&mut t, 40);
    hiding_rule(&mut t, 40);
    rule_now(&mut t, true);
    let r = check("hiding rule", &t, &[("alice", "active_compromise")]);
    assert_eq!(
        persistence_of(&r, "alice"),
        vec![("inbox_rule".to_string(), "RULE-1".to_string())]
    );
}

#[test]
fn external_forwarding_from_the_attackers_address() {
    let mut t = Tenant::with_users(&["alice"]);
    attacker_sign_in(&mut t, 40);
    t.audit(
        at(40, 1),
        "alice",
        "88.198.1.1",
        "Set-Mailbox",
        &[
            ("Identity", "alice"),
            ("ForwardingSmtpAddress", "smtp:drop@gmail.com"),
            ("DeliverToMailboxAndForward", "False"),
        ],
    );
    t.forwarding_now("alice", "drop@gmail.com");
    let r = check("forwarding", &t, &[("alice", "active_compromise")]);
    assert_eq!(
        persistence_of(&r, "alice"),
        vec![("mailbox_forwarding".to_string(), user_id("alice"))]
    );
}

#[test]
fn consent_to_a_known_rogue_app_leaves_grant_and_service_principal() {
    let mut t = Tenant::with_users(&["alice"]);
    let rclone = "b15665d9-eda6-4092-8539-0eec376afd59";
    t.raw.service_principals.push(json!({"id": "sp-rogue", "appId": rclone, "displayName": "rclone", "appOwnerOrganizationId": "33333333-3333-3333-3333-333333333333"}));
    t.raw.oauth2_permission_grants.push(json!({"id": "GRANT-1", "clientId": "sp-rogue", "principalId": user_id("alice"), "consentType": "Principal", "scope": "Files.ReadWrite.All offline_access"}));
    let sp = json!({"id": "sp-rogue", "displayName": "rclone", "type": "ServicePrincipal", "modifiedProperties": [{"displayName": "AppId", "newValue": format!("[\"{rclone}\"]")}]});
    t.directory(
        at(40, 0),
        "Add service principal",
        "alice",
        "73.0.0.1",
        sp,
        json!([]),
    );
    let consent = json!({"id": "sp-rogue", "displayName": "rclone", "type": "ServicePrincipal", "modifiedProperties": [
        {"displayName": "ConsentAction.Permissions", "newValue": "[Id: GRANT-1, ClientId: sp-rogue, Scope: Files.ReadWrite.All offline_access, ]"}]});
    t.directory(
        at(40, 0),
        "Consent to application",
        "alice",
        "73.0.0.1",
        consent,
        json!([]),
    );
    t.add(
        sign_in("alice", at(58, 0))
            .app(rclone, "rclone")
            .from("3.3.3.3", AWS, "US")
            .no_device()
            .background(),
    );
    let r = check("rogue consent", &t, &[("alice", "active_compromise")]);
    assert_eq!(
        persistence_of(&r, "alice"),
        vec![
            ("oauth_grant".to_string(), "GRANT-1".to_string()),
            ("service_principal".to_string(), "sp-rogue".to_string())
        ]
    );
}

#[test]
fn remediated_compromise_is_past_when_the_rule_is_gone_and_leftover_while_it_exists() {
    for (rule_exists, enabled, kind) in [
        (false, false, "past_compromise"),
        (true, false, "leftover_persistence"),
        (true, true, "leftover_persistence"),
    ] {
        let mut t = Tenant::with_users(&["alice", "admin"]);
        attacker_sign_in(&mut t, 40);
        hiding_rule(&mut t, 40);
        remediate(&mut t, 41);
        // Failed refreshes of the revoked session are no attacker activity.
        t.add(
            sign_in("alice", at(41, 4))
                .from("88.198.1.1", HETZNER, "DE")
                .no_device()
                .session("evil")
                .error(50173),
        );
        if rule_exists {
            rule_now(&mut t, enabled);
        }
        check(
            &format!("remediated, rule exists {rule_exists}, enabled {enabled}"),
            &t,
            &[("alice", kind)],
        );
    }
}

#[test]
fn reset_without_session_revocation_is_still_active() {
    let mut t = Tenant::with_users(&["alice", "admin"]);
    attacker_sign_in(&mut t, 40);
    hiding_rule(&mut t, 40);
    let target = json!({"id": user_id("alice"), "type": "User"});
    t.directory(
        at(41, 0),
        "Reset user password",
        "admin",
        "73.0.0.9",
        target,
        json!([]),
    );
    check("reset only", &t, &[("alice", "active_compromise")]);
}

#[test]
fn unproven_vpn_sign_in_becomes_the_attackers_when_a_hiding_rule_follows_from_it() {
    let mut t = Tenant::with_users(&["alice"]);
    // Alice never uses registered devices, so a missing device id says nothing.
    for s in &mut t.raw.sign_ins {
        s["deviceDetail"]["deviceId"] = json!("");
    }
    t.add(
        sign_in("alice", at(40, 0))
            .from("38.9.9.9", M247_VPN, "US")
            .no_device(),
    );
    t.audit(
        at(40, 1),
        "alice",
        "38.9.9.9",
        "New-InboxRule",
        &[
            ("Name", "x"),
            ("DeleteMessage", "True"),
            ("SubjectContainsWords", "hacked;phish"),
        ],
    );
    check("promotion", &t, &[("alice", "active_compromise")]);
}

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
fn residential_proxy_sign_in_then_forwarding_from_it() {
    let mut t = Tenant::with_users(&["alice"]);
    // A home network abroad: not anonymising, so only novelty (country, device) speaks.
    t.add(
        sign_in("alice", at(40, 0))
            .from("153.9.9.9", JAPAN_ISP, "JP")
            .no_device(),
    );
    t.audit(
        at(40, 1),
        "alice",
        "153.9.9.9",
        "Set-Mailbox",
        &[
            ("Identity", "alice"),
            ("ForwardingSmtpAddress", "smtp:drop@gmail.com"),
        ],
    );
    t.forwarding_now("alice", "drop@gmail.com");
    check("residential proxy", &t, &[("alice", "active_compromise")]);
}

#[test]
fn rogue_app_grant_without_a_consent_record_is_still_found() {
    let mut t = Tenant::with_users(&["alice", "bob"]);
    let em_client = "e9a7fea1-1cc0-4cd9-a31b-9137ca5deedd";
    t.raw.service_principals.push(json!({"id": "sp-em", "appId": em_client, "displayName": "eM Client", "appOwnerOrganizationId": "44444444-4444-4444-4444-444444444444", "createdDateTime": "2026-04-01T00:00:00Z"}));
    t.raw.oauth2_permission_grants.push(json!({"id": "GRANT-EM", "clientId": "sp-em", "principalId": user_id("bob"), "consentType": "Principal", "scope": "Mail.ReadWrite offline_access"}));
    let r = check(
        "rogue grant from state",
        &t,
        &[("bob", "leftover_persistence")],
    );
    assert_eq!(
        persistence_of(&r, "bob"),
        vec![
            ("oauth_grant".to_string(), "GRANT-EM".to_string()),
            ("service_principal".to_string(), "sp-em".to_string())
        ]
    );
}

#[test]
fn remediation_recorded_only_in_the_audit_log_counts() {
    let mut t = Tenant::with_users(&["alice", "admin"]);
    attacker_sign_in(&mut t, 40);
    hiding_rule(&mut t, 40);
    for (op, minutes) in [
        ("Reset user password.", 0),
        ("Update StsRefreshTokenValidFrom Timestamp.", 2),
    ] {
        t.raw.audit_records.push(json!({"Id": format!("ual-{minutes}"), "CreationTime": format!("2026-11-11T09:{minutes:02}:00Z"), "Operation": op,
            "Workload": "AzureActiveDirectory", "RecordType": 8, "ResultStatus": "Success", "UserId": upn("admin"),
            "ObjectId": upn("alice"), "ClientIP": "73.0.0.9"}));
    }
    let r = check("audit-log remediation", &t, &[("alice", "past_compromise")]);
    assert!(r
        .tenant
        .coverage
        .sources
        .contains(&"unifiedAuditLogDirectory".to_string()));
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

#[test]
fn the_users_own_odd_rule_is_not_left_over_persistence() {
    let mut t = Tenant::with_users(&["alice", "admin"]);
    // Alice's own anti-spam rule from home, months before the attack.
    t.audit(
        at(5, 0),
        "alice",
        "73.0.0.1",
        "New-InboxRule",
        &[
            ("Name", "Kill spam"),
            ("SubjectContainsWords", "spam"),
            ("DeleteMessage", "True"),
        ],
    );
    t.inbox_rule_now("alice", "RULE-OWN", json!({"displayName": "Kill spam", "isEnabled": true, "conditions": {"subjectContains": ["spam"]}, "actions": {"delete": true}}));
    attacker_sign_in(&mut t, 40);
    hiding_rule(&mut t, 40);
    remediate(&mut t, 41);
    check("own rule", &t, &[("alice", "past_compromise")]);
}
