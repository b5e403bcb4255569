//! What the attacker did after getting in, what was left behind, and the incident's state.

use serde_json::json;

use crate::fixture::*;

/// Alice signs in from a new cloud server with no device (4 points: attacker, but not strong).
pub(crate) fn attacker_sign_in(t: &mut Tenant, day: i64) {
    t.add(
        sign_in("alice", at(day, 0))
            .from("88.198.1.1", HETZNER, "DE")
            .no_device()
            .session("evil"),
    );
}

pub(crate) fn hiding_rule(t: &mut Tenant, day: i64) {
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

pub(crate) fn rule_now(t: &mut Tenant, enabled: bool) {
    t.inbox_rule_now("alice", "RULE-1", json!({"displayName": ".", "isEnabled": enabled,
        "conditions": {"bodyOrSubjectContains": ["invoice", "payment"]}, "actions": {"moveToFolder": "AAMkAGI2TG93AAA=", "markAsRead": true}}));
}

pub(crate) fn remediate(t: &mut Tenant, day: i64) {
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
pub(crate) fn hiding_rule_from_the_attackers_address_is_reported_with_its_rule_id() {
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
pub(crate) fn remediated_compromise_is_past_when_the_rule_is_gone_and_leftover_while_it_exists() {
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
