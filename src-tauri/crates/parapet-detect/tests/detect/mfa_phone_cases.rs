//! The phone an attacker registers as a second factor: Graph gives phone methods no creation
//! time, so the method is tied to the attacker's registration by the number the "Update user"
//! audit record shows being added. The user's own long-standing phone and Authenticator are
//! never the attacker's.

use serde_json::{json, Value};

use crate::fixture::*;
use crate::persistence_cases::attacker_sign_in;

const OWN_PHONE: &str = "+1 2065550111";
const NEW_PHONE: &str = "+1 3125550199";
/// Graph's fixed ids of the `mobile`, `alternateMobile` and `office` phone methods.
const MOBILE_ID: &str = "3179e48a-750b-4051-897c-87b9720928f7";
const ALTERNATE_ID: &str = "b6332ec1-7057-4abe-9331-3d72feddfe41";
const OFFICE_ID: &str = "e37fc753-ff3b-4958-9484-eaa9425c82bc";

fn details(phone: Option<&str>) -> String {
    let phone = phone.map_or("null".to_string(), |p| format!("\"{p}\""));
    format!("[{{\"PhoneNumber\":{phone},\"AlternativePhoneNumber\":null,\"Email\":null,\"VoiceOnlyPhoneNumber\":null}}]")
}

fn phone(id: &str, number: &str) -> Value {
    slot(id, number, "mobile")
}

fn slot(id: &str, number: &str, phone_type: &str) -> Value {
    json!({"@odata.type": "#microsoft.graph.phoneAuthenticationMethod", "id": id, "phoneNumber": number, "phoneType": phone_type, "smsSignInState": "notAllowedByPolicy"})
}

fn authenticator() -> Value {
    json!({"@odata.type": "#microsoft.graph.microsoftAuthenticatorAuthenticationMethod", "id": "AUTH-OWN", "displayName": "iPhone 15"})
}

#[derive(Clone, Copy)]
enum Update {
    /// "Update user" in directoryAudits.
    Directory,
    /// The whole trail in the unified audit log ("… security info.", "Update user."), as
    /// read when directoryAudits.json is missing.
    AuditLog,
    None,
}

struct Case {
    name: &'static str,
    from: &'static str,
    registration_record: bool,
    /// The registration's `resultReason`.
    reason: &'static str,
    update: Update,
    /// Months before, the user added their own number from home.
    own_number_earlier: Option<&'static str>,
    old: Option<&'static str>,
    new: &'static str,
    methods: fn() -> Vec<Value>,
    incident: bool,
    persistence: &'static [&'static str],
}

const CASES: &[Case] = &[
    Case {
        name: "new phone next to the user's own",
        from: "88.198.1.1",
        registration_record: true,
        reason: "",
        update: Update::Directory,
        own_number_earlier: None,
        old: None,
        new: NEW_PHONE,
        methods: || {
            vec![
                phone("PHONE-OWN", OWN_PHONE),
                authenticator(),
                phone("PHONE-NEW", NEW_PHONE),
            ]
        },
        incident: true,
        persistence: &["PHONE-NEW"],
    },
    Case {
        name: "numbers masked for an Authentication Administrator",
        from: "88.198.1.1",
        registration_record: true,
        reason: "",
        update: Update::Directory,
        own_number_earlier: None,
        old: None,
        new: NEW_PHONE,
        methods: || {
            vec![
                phone("PHONE-OWN", "+1 XXXXXXXX11"),
                phone("PHONE-NEW", "+1 XXXXXXXX99"),
            ]
        },
        incident: true,
        persistence: &["PHONE-NEW"],
    },
    Case {
        name: "the trail only in the audit log",
        from: "88.198.1.1",
        registration_record: true,
        reason: "",
        update: Update::AuditLog,
        own_number_earlier: None,
        old: None,
        new: NEW_PHONE,
        methods: || vec![phone("PHONE-OWN", OWN_PHONE), phone("PHONE-NEW", NEW_PHONE)],
        incident: true,
        persistence: &["PHONE-NEW"],
    },
    Case {
        name: "user object change without a registration record",
        from: "88.198.1.1",
        registration_record: false,
        reason: "",
        update: Update::Directory,
        own_number_earlier: None,
        old: None,
        new: NEW_PHONE,
        methods: || vec![phone("PHONE-OWN", OWN_PHONE), phone("PHONE-NEW", NEW_PHONE)],
        incident: true,
        persistence: &["PHONE-NEW"],
    },
    Case {
        name: "the user's own number replaced by the attacker's",
        from: "88.198.1.1",
        registration_record: true,
        reason: "",
        update: Update::Directory,
        own_number_earlier: None,
        old: Some(OWN_PHONE),
        new: NEW_PHONE,
        methods: || vec![phone(MOBILE_ID, NEW_PHONE), authenticator()],
        incident: true,
        persistence: &[MOBILE_ID],
    },
    Case {
        name: "the added number is gone again: nothing of the user's is blamed",
        from: "88.198.1.1",
        registration_record: true,
        reason: "",
        update: Update::Directory,
        own_number_earlier: None,
        old: None,
        new: NEW_PHONE,
        methods: || vec![phone("PHONE-OWN", OWN_PHONE), authenticator()],
        incident: true,
        persistence: &[],
    },
    Case {
        name: "the recorded number is gone, the slot holds the user's own again",
        from: "88.198.1.1",
        registration_record: true,
        reason: "User registered Mobile Phone SMS",
        update: Update::Directory,
        own_number_earlier: None,
        old: None,
        new: NEW_PHONE,
        methods: || vec![slot(MOBILE_ID, OWN_PHONE, "mobile")],
        incident: true,
        persistence: &[],
    },
    Case {
        name: "registration without the number: no guess at which method",
        from: "88.198.1.1",
        registration_record: true,
        reason: "",
        update: Update::None,
        own_number_earlier: None,
        old: None,
        new: NEW_PHONE,
        methods: || vec![phone("PHONE-OWN", OWN_PHONE), phone("PHONE-NEW", NEW_PHONE)],
        incident: true,
        persistence: &[],
    },
    Case {
        name: "registration naming the mobile slot, no number recorded",
        from: "88.198.1.1",
        registration_record: true,
        reason: "User registered Mobile Phone SMS",
        update: Update::None,
        own_number_earlier: None,
        old: None,
        new: NEW_PHONE,
        methods: || {
            vec![
                slot(MOBILE_ID, NEW_PHONE, "mobile"),
                slot(OFFICE_ID, OWN_PHONE, "office"),
                authenticator(),
            ]
        },
        incident: true,
        persistence: &[MOBILE_ID],
    },
    Case {
        name: "registration naming the alternate slot",
        from: "88.198.1.1",
        registration_record: true,
        reason: "User registered Alternate Mobile Phone Call",
        update: Update::None,
        own_number_earlier: None,
        old: None,
        new: NEW_PHONE,
        methods: || {
            vec![
                slot(MOBILE_ID, OWN_PHONE, "mobile"),
                slot(ALTERNATE_ID, NEW_PHONE, "alternateMobile"),
            ]
        },
        incident: true,
        persistence: &[ALTERNATE_ID],
    },
    Case {
        name: "the mobile slot still holds the number the user added months ago",
        from: "88.198.1.1",
        registration_record: true,
        reason: "User registered Mobile Phone SMS",
        update: Update::None,
        own_number_earlier: Some(OWN_PHONE),
        old: None,
        new: NEW_PHONE,
        methods: || vec![slot(MOBILE_ID, OWN_PHONE, "mobile")],
        incident: true,
        persistence: &[],
    },
    Case {
        name: "the user adding a phone from home",
        from: "73.0.0.1",
        registration_record: true,
        reason: "",
        update: Update::Directory,
        own_number_earlier: None,
        old: None,
        new: NEW_PHONE,
        methods: || vec![phone("PHONE-OWN", OWN_PHONE), phone("PHONE-NEW", NEW_PHONE)],
        incident: false,
        persistence: &[],
    },
];

/// An Entra operation on Alice's account as the unified audit log records it (RecordType 8).
fn ual_entra(t: &mut Tenant, time: Time, operation: &str, ip: &str, modified: Value) {
    let id = format!("ual-{}", t.raw.audit_records.len());
    t.raw.audit_records.push(json!({"Id": id, "CreationTime": time.to_rfc3339(), "Operation": operation,
        "Workload": "AzureActiveDirectory", "RecordType": 8, "ResultStatus": "Success", "UserId": upn("alice"),
        "ObjectId": upn("alice"), "ClientIP": ip, "ModifiedProperties": modified}));
}

type Time = chrono::DateTime<chrono::Utc>;

fn stage(case: &Case) -> Tenant {
    let mut t = Tenant::with_users(&["alice"]);
    attacker_sign_in(&mut t, 40);
    if let Some(own) = case.own_number_earlier {
        t.directory(
            at(10, 0),
            "Update user",
            "alice",
            "73.0.0.1",
            json!({"id": user_id("alice"), "type": "User", "userPrincipalName": upn("alice"), "modifiedProperties": [
                {"displayName": "StrongAuthenticationUserDetails", "oldValue": details(None), "newValue": details(Some(own))}]}),
            json!([]),
        );
    }
    let when = at(40, 2);
    let in_audit_log = matches!(case.update, Update::AuditLog);
    if case.registration_record && in_audit_log {
        ual_entra(
            &mut t,
            when,
            "User registered security info.",
            case.from,
            json!([]),
        );
    } else if case.registration_record {
        t.directory(
            when,
            "User registered security info",
            "alice",
            case.from,
            json!({"id": user_id("alice"), "type": "User", "userPrincipalName": upn("alice")}),
            json!([]),
        );
        if let Some(record) = t.raw.directory_audits.last_mut() {
            record["resultReason"] = json!(case.reason);
        }
    }
    let (old, new) = (details(case.old), details(Some(case.new)));
    match case.update {
        Update::Directory => {
            t.directory(
                when + chrono::Duration::seconds(72),
                "Update user",
                "alice",
                case.from,
                json!({"id": user_id("alice"), "type": "User", "userPrincipalName": upn("alice"), "modifiedProperties": [
                    {"displayName": "StrongAuthenticationUserDetails", "oldValue": old, "newValue": new},
                    {"displayName": "Included Updated Properties", "oldValue": null, "newValue": "\"StrongAuthenticationUserDetails\""}]}),
                json!([]),
            );
        }
        Update::AuditLog => ual_entra(
            &mut t,
            when + chrono::Duration::seconds(72),
            "Update user.",
            case.from,
            json!([{"Name": "StrongAuthenticationUserDetails", "OldValue": old, "NewValue": new}]),
        ),
        Update::None => {}
    }
    t.raw
        .authentication_methods
        .insert(user_id("alice"), (case.methods)());
    t
}

#[test]
fn the_attackers_phone_is_persistence_and_the_users_own_methods_are_not() {
    for case in CASES {
        let t = stage(case);
        let expect: &[(&str, &str)] = if case.incident {
            &[("alice", "active_compromise")]
        } else {
            &[]
        };
        let r = check(case.name, &t, expect);
        let want: Vec<(String, String)> = case
            .persistence
            .iter()
            .map(|id| ("auth_method".to_string(), id.to_string()))
            .collect();
        assert_eq!(persistence_of(&r, "alice"), want, "{}", case.name);
        if case.incident {
            assert!(
                signal_kinds(&r, "alice").contains(&"mfa_method_registered".to_string()),
                "{}: {:?}",
                case.name,
                signal_kinds(&r, "alice")
            );
        }
    }
}
