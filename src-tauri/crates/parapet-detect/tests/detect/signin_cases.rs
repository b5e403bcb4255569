//! Access techniques: each must raise an incident on its own strength, or only with
//! corroboration, as documented in `rules/signin.rs`.

use crate::fixture::*;

const AITM_UA: &str = "axios/1.7.9";

#[test]
fn aitm_kit_replaying_a_session_is_an_active_compromise() {
    let mut t = Tenant::with_users(&["alice", "bob"]);
    t.add(
        sign_in("alice", at(40, 0))
            .from("88.198.1.1", HETZNER, "DE")
            .app(OFFICE_HOME, "OfficeHome")
            .no_device()
            .session("evil")
            .error(50074),
    );
    t.add(
        sign_in("alice", at(40, 0))
            .from("88.198.1.1", HETZNER, "DE")
            .app(OFFICE_HOME, "OfficeHome")
            .no_device()
            .session("evil"),
    );
    t.add(
        sign_in("alice", at(40, 1))
            .from("3.3.3.3", AWS, "US")
            .app(OFFICE_HOME, "OfficeHome")
            .no_device()
            .session("evil")
            .ua(AITM_UA),
    );
    let r = check("aitm", &t, &[("alice", "active_compromise")]);
    assert!(signal_kinds(&r, "alice").contains(&"aitm_phishing".to_string()));
}

#[test]
fn stolen_session_replayed_from_a_cloud_server_is_a_compromise() {
    let mut t = Tenant::with_users(&["alice"]);
    t.add(sign_in("alice", at(40, 0)).session("laptop-session"));
    t.add(
        sign_in("alice", at(40, 2))
            .from("3.3.3.3", AWS, "US")
            .no_device()
            .session("laptop-session")
            .background(),
    );
    let r = check("token replay", &t, &[("alice", "active_compromise")]);
    assert!(signal_kinds(&r, "alice").contains(&"token_replay".to_string()));
}

#[test]
fn device_code_through_the_broker_from_a_server_is_a_compromise() {
    let mut t = Tenant::with_users(&["alice"]);
    t.add(
        sign_in("alice", at(40, 0))
            .from("88.198.1.1", HETZNER, "DE")
            .app(BROKER, "Microsoft Authentication Broker")
            .no_device()
            .protocol("deviceCode"),
    );
    check("device code", &t, &[("alice", "active_compromise")]);
}

#[test]
fn success_from_a_spraying_address_is_a_compromise_and_the_rest_are_targeted() {
    let mut t = Tenant::with_users(&["alice", "bob", "carol", "dave"]);
    for (i, u) in ["bob", "carol", "dave", "alice"].iter().enumerate() {
        let h = i64::try_from(i).unwrap_or(0);
        t.add(
            sign_in(u, at(40, h))
                .from("88.198.1.1", HETZNER, "DE")
                .no_device()
                .error(50126)
                .protocol("ropc"),
        );
    }
    t.add(
        sign_in("alice", at(40, 6))
            .from("88.198.1.1", HETZNER, "DE")
            .no_device()
            .protocol("ropc")
            .password_only(),
    );
    let r = check("spray success", &t, &[("alice", "active_compromise")]);
    let targeted: Vec<&str> = r
        .targeted_users
        .iter()
        .map(|u| u.user_principal_name.as_str())
        .collect();
    for u in ["bob", "carol", "dave"] {
        assert!(
            targeted.contains(&upn(u).as_str()),
            "{u} should be targeted: {targeted:?}"
        );
    }
}

#[test]
fn approving_after_a_burst_of_denied_prompts_is_mfa_fatigue() {
    let mut t = Tenant::with_users(&["alice"]);
    for m in 0..4 {
        t.add(
            sign_in("alice", at(40, 0) + chrono::Duration::minutes(m * 5))
                .from("3.3.3.3", AWS, "US")
                .no_device()
                .error(500121),
        );
    }
    t.add(
        sign_in("alice", at(40, 0) + chrono::Duration::minutes(25))
            .from("3.3.3.3", AWS, "US")
            .no_device(),
    );
    check("mfa fatigue", &t, &[("alice", "active_compromise")]);
}

#[test]
fn a_lone_sign_in_from_new_hosting_without_device_is_not_an_incident() {
    let mut t = Tenant::with_users(&["alice"]);
    t.add(
        sign_in("alice", at(40, 0))
            .from("88.198.1.1", HETZNER, "DE")
            .no_device(),
    );
    check("lone hosting sign-in", &t, &[]);
}

#[test]
fn the_first_days_of_a_user_are_learning_not_alerting() {
    let mut t = Tenant::with_users(&["alice"]);
    // A new hire whose first sign-ins come through the company VPN.
    t.raw.users.push(serde_json::json!({"id": user_id("newbie"), "userPrincipalName": upn("newbie"), "displayName": "newbie"}));
    for d in 40..50 {
        t.add(
            sign_in("newbie", at(d, 0))
                .from("38.1.1.1", M247_VPN, "US")
                .no_device(),
        );
    }
    check("warm-up", &t, &[]);
}
