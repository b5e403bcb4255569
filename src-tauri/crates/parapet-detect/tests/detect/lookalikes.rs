//! Benign activity that looks like an attack and must raise nothing.

use serde_json::json;

use crate::fixture::*;

#[test]
fn traveller_with_usual_device_and_mfa() {
    let mut t = Tenant::with_users(&["alice"]);
    for d in 40..47 {
        t.add(sign_in("alice", at(d, 0)).from("153.1.1.1", JAPAN_ISP, "JP"));
    }
    check("traveller", &t, &[]);
}

#[test]
fn daily_vpn_user_and_a_new_rule_from_the_vpn() {
    let mut t = Tenant::with_users(&["alice"]);
    t.raw
        .sign_ins
        .retain(|s| s["userPrincipalName"] != json!(upn("alice")));
    for d in 0..50 {
        t.add(sign_in("alice", at(d, 0)).from("38.1.1.1", M247_VPN, "US"));
    }
    t.audit(
        at(45, 1),
        "alice",
        "38.1.1.1",
        "New-InboxRule",
        &[
            ("Name", "Newsletters"),
            ("From", "news@shop.com"),
            ("MoveToFolder", "Newsletters"),
        ],
    );
    check("daily vpn", &t, &[]);
}

#[test]
fn traveller_on_a_hotel_vpn_with_the_usual_laptop() {
    let mut t = Tenant::with_users(&["alice"]);
    t.add(sign_in("alice", at(40, 0)).from("3.3.3.3", AWS, "FR"));
    t.add(
        sign_in("alice", at(40, 1))
            .from("3.3.3.3", AWS, "FR")
            .session("s-alice-moved"),
    );
    check("hotel vpn", &t, &[]);
}

#[test]
fn laptop_session_moving_between_home_networks() {
    let mut t = Tenant::with_users(&["alice"]);
    t.add(sign_in("alice", at(40, 0)).session("roaming"));
    t.add(
        sign_in("alice", at(40, 3))
            .from("71.1.1.1", OTHER_HOME_ASN, "US")
            .session("roaming")
            .no_device()
            .background(),
    );
    check("roaming session", &t, &[]);
}

#[test]
fn internal_forwarding_rule_and_forwarding_a_leaver_to_the_manager() {
    let mut t = Tenant::with_users(&["alice", "bob", "admin"]);
    t.audit(
        at(41, 0),
        "alice",
        "73.0.0.1",
        "New-InboxRule",
        &[
            ("Name", "Invoices to AP"),
            ("ForwardTo", "bob@contoso.com"),
            ("SubjectContainsWords", "invoice;statement"),
        ],
    );
    t.inbox_rule_now("alice", "R1", json!({"displayName": "Invoices to AP", "isEnabled": true, "conditions": {"subjectContains": ["invoice"]}, "actions": {"forwardTo": [{"emailAddress": {"address": "bob@contoso.com"}}]}}));
    t.audit(
        at(42, 0),
        "admin",
        "73.0.0.1",
        "Set-Mailbox",
        &[
            ("Identity", "bob"),
            ("ForwardingAddress", "alice"),
            ("DeliverToMailboxAndForward", "True"),
        ],
    );
    check("internal forwarding", &t, &[]);
}

#[test]
fn admin_adds_a_mail_gateway_connector_and_bypass_rule() {
    let mut t = Tenant::with_users(&["admin"]);
    t.audit(
        at(41, 0),
        "admin",
        "73.0.0.1",
        "New-InboundConnector",
        &[
            ("Name", "Mimecast Inbound"),
            ("SenderIPAddresses", "205.139.110.0/24"),
        ],
    );
    t.audit(
        at(41, 1),
        "admin",
        "73.0.0.1",
        "New-TransportRule",
        &[
            ("Name", "Bypass spam filtering for Mimecast"),
            ("SetSCL", "-1"),
        ],
    );
    t.raw.inbound_connectors.push(json!({"Identity": "Mimecast Inbound", "Name": "Mimecast Inbound", "SenderIPAddresses": ["205.139.110.0/24"], "WhenCreated": "2026-11-10T00:00:00Z"}));
    check("mail gateway", &t, &[]);
}

#[test]
fn developer_scripting_against_graph_from_home() {
    let mut t = Tenant::with_users(&["dev"]);
    for d in 35..50 {
        t.add(
            sign_in("dev", at(d, 2))
                .app(
                    "14d82eec-204b-4c2f-b7e8-296a70dab67e",
                    "Microsoft Graph Command Line Tools",
                )
                .ua("python-requests/2.32.3")
                .no_device()
                .background(),
        );
        t.add(
            sign_in("dev", at(d, 3))
                .ua("python/3.12 msal")
                .protocol("deviceCode")
                .no_device(),
        );
    }
    check("developer", &t, &[]);
}

#[test]
fn legitimate_app_consent_and_its_cloud_backend() {
    let mut t = Tenant::with_users(&["alice"]);
    t.raw.service_principals.push(json!({"id": "sp-cal", "appId": "app-cal", "displayName": "Calendly", "appOwnerOrganizationId": "22222222-2222-2222-2222-222222222222"}));
    t.directory(at(40, 0), "Consent to application", "alice", "73.0.0.1",
        json!({"id": "sp-cal", "displayName": "Calendly", "type": "ServicePrincipal", "modifiedProperties": [
            {"displayName": "ConsentAction.Permissions", "newValue": "[Id: g1, ClientId: sp-cal, Scope: User.Read Calendars.ReadWrite offline_access, ]"}]}),
        json!([]));
    for d in 40..50 {
        t.add(
            sign_in("alice", at(d, 4))
                .app("app-cal", "Calendly")
                .from("3.3.3.3", AWS, "US")
                .no_device()
                .background()
                .ua("Mozilla/5.0 (compatible; Calendly)"),
        );
    }
    check("legit consent", &t, &[]);
}

#[test]
fn all_staff_mail_and_a_new_phone() {
    let mut t = Tenant::with_users(&["alice", "bob"]);
    for i in 0..30 {
        t.raw.messages.entry(user_id("bob")).or_default().push(json!({"id": format!("m{i}"), "internetMessageId": format!("<all-{i}>"),
            "subject": "Updated PTO policy", "sentDateTime": "2026-11-10T10:00:00Z", "from": {"emailAddress": {"address": upn("alice")}},
            "toRecipients": [{"emailAddress": {"address": format!("staff{i}@contoso.com")}}]}));
    }
    t.directory(
        at(41, 0),
        "Register device",
        "alice",
        "73.0.0.1",
        json!({"id": "d-new", "displayName": "iPhone 16", "type": "Device"}),
        json!([{"key": "Device Id", "value": "phone-2"}]),
    );
    t.directory(
        at(41, 0),
        "User registered security info",
        "alice",
        "73.0.0.1",
        json!({"id": user_id("alice"), "type": "User"}),
        json!([]),
    );
    for d in 41..50 {
        t.add(
            sign_in("alice", at(d, 6))
                .from("166.1.1.1", MOBILE_ASN, "US")
                .device("phone-2")
                .app("27922004-5251-4030-b22d-91ecd9a37ea4", "Outlook Mobile")
                .ua("Outlook-iOS/2.0"),
        );
    }
    check("all staff + new phone", &t, &[]);
}

#[test]
fn user_deleting_spam_by_rule_and_office_typos_are_not_attacks() {
    let mut t = Tenant::with_users(&["alice", "bob", "carol"]);
    t.audit(
        at(41, 0),
        "alice",
        "73.0.0.1",
        "New-InboxRule",
        &[
            ("Name", "Kill spam"),
            ("SubjectContainsWords", "spam;viagra"),
            ("DeleteMessage", "True"),
        ],
    );
    for u in ["alice", "bob", "carol"] {
        t.add(sign_in(u, at(42, 0)).error(50126));
    }
    t.add(sign_in("alice", at(42, 1)));
    let r = check("spam rule + office typos", &t, &[]);
    assert!(
        r.targeted_users.is_empty(),
        "typos from home are not attacks: {:?}",
        r.targeted_users
    );
}

#[test]
fn failed_spray_against_an_executive_is_targeting_only() {
    let mut t = Tenant::with_users(&["ceo"]);
    for h in 0..12 {
        let asn = if h % 2 == 0 { HETZNER } else { M247_VPN };
        t.add(
            sign_in("ceo", at(40, h))
                .from(&format!("88.198.1.{h}"), asn, "DE")
                .no_device()
                .error(50126),
        );
    }
    let r = check("targeted", &t, &[]);
    assert_eq!(r.targeted_users.len(), 1);
    assert_eq!(r.targeted_users[0].user_principal_name, upn("ceo"));
    assert_eq!(r.targeted_users[0].failed_attempts, 12);
}
