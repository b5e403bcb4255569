//! Look-alikes staff cause themselves: travel, rules, scripts, consent, mass mail, new phones.

use chrono::Duration;
use serde_json::json;

use crate::activity::audit::{target, Initiator};
use crate::activity::benign::{desktop_device, phone_device, session_for, Via};
use crate::activity::signin::{Proof, SeenDevice, SignInEvent};
use crate::attacks::consent::{app_uses_token, user_consents, ConsentApp};
use crate::catalog::apps::{self, App, BUSINESS_APPS, GRAPH_SCOPE_IDS};
use crate::catalog::networks::{Kind, Network, TRAVEL};
use crate::rng::Gen;
use crate::tenant::directory::{authenticator_method, phone_device_json};
use crate::time::ms;
use crate::world::{Spot, World};

pub(crate) fn traveller(world: &mut World, gen: &mut Gen, user: usize) {
    let person = world.people[user].clone();
    let (network, place) = *gen.pick(TRAVEL);
    let hotel = Spot::draw(gen, &network, place);
    let trip_days = gen.range(5, 9);
    let first = world.days() - 1 - gen.range(15, 80).min(world.days() - trip_days - 1).max(0);
    // Local time abroad is ahead of the company's: shift working hours by the difference.
    let shift =
        if place.country == "GB" { 5.0 } else { 6.0 } + world.metro.utc_offset_hours as f64 + 5.0;
    for day in first..first + trip_days {
        for _ in 0..gen.range(2, 4) {
            let hour = 7.0 + gen.unit() * 12.0 - shift;
            let time = world.local_time(gen, day, hour);
            if time >= world.end {
                continue;
            }
            let phone = gen.chance(0.6);
            let (app, resource, ua, device, via) = if phone {
                (
                    apps::OUTLOOK_MOBILE,
                    apps::EXCHANGE,
                    person.phone.outlook_ua,
                    phone_device(&person),
                    Via::Phone,
                )
            } else {
                (
                    apps::OUTLOOK_WEB,
                    apps::EXCHANGE,
                    person.desktop.browser_ua,
                    desktop_device(&person),
                    Via::Desktop,
                )
            };
            let interactive = !phone && gen.chance(0.5);
            let event = SignInEvent {
                person: &person,
                time,
                app,
                resource,
                spot: &hotel,
                user_agent: ua,
                device,
                interactive,
                client_app: if phone {
                    "Mobile Apps and Desktop clients"
                } else {
                    "Browser"
                },
                error_code: 0,
                proof: if interactive {
                    Proof::PasswordAndPush
                } else {
                    Proof::Refresh
                },
                mfa_required: true,
                protocol: "none",
                session_id: session_for(world, &person, via, time),
                risk: None,
            };
            world.push_sign_in(&event);
        }
    }
    let booked = world.local_time(gen, (first - 12).max(0), 12.0);
    let message_id = format!("<{}@delta.com>", gen.hex_upper(18).to_lowercase());
    let message = world.message_json(
        &person,
        booked,
        ("Delta Air Lines", "deltaairlines@t.delta.com"),
        &[(&person.display, &person.upn)],
        &format!("Your trip confirmation to {}", place.city),
        "inbox",
        &message_id,
    );
    world.push_message(&person.id, booked, message);
}

pub(crate) fn internal_forwarding(world: &mut World, gen: &mut Gen, user: usize) {
    let person = world.people[user].clone();
    let colleague = world.people[person
        .manager
        .filter(|m| *m != user)
        .unwrap_or(if user == 0 { 1 } else { 0 })]
    .clone();
    let time = world.days_before_end(gen, 20, 120);
    let rule_name = "Invoices to AP";
    let server_rule = format!(
        "{{\"Actions\":[{{\"ActionType\":\"ForwardToRecipientsAction\",\"Recipients\":[{{\"Address\":\"{}\",\"Name\":\"{}\"}}]}}],\"Condition\":{{\"ContainsSubjectStrings\":[\"invoice\",\"statement\"]}},\"Exceptions\":{{}},\"Name\":\"{rule_name}\",\"Provider\":\"RuleOrganizer\",\"Sequence\":4,\"State\":\"Enabled\",\"UserFlags\":0}}",
        colleague.upn, colleague.display
    );
    let extra = json!({"OperationProperties": [
        {"Name": "RuleOperation", "Value": "Create"}, {"Name": "Name", "Value": rule_name}, {"Name": "Provider", "Value": "RuleOrganizer"},
        {"Name": "IsNew", "Value": "True"}, {"Name": "IsDirty", "Value": "True"}, {"Name": "Actions", "Value": "ForwardToRecipientsAction"},
        {"Name": "Conditions", "Value": "ContainsSubjectStrings"}, {"Name": "RemoveOutlookRuleBlob", "Value": "False"},
        {"Name": "ServerRule", "Value": server_rule},
    ]});
    let session = session_for(world, &person, Via::Desktop, time);
    let ip = person.home.ip.clone();
    world.push_mailbox_audit(
        "UpdateInboxRules",
        &person,
        time,
        &ip,
        "Client=MSExchangeRPC",
        None,
        &session,
        extra,
    );
    let rule_id = format!("AQAAA{}=", gen.base64url(6));
    world.message_rules.entry(person.id.clone()).or_default().push(json!({
        "id": rule_id, "displayName": rule_name, "sequence": 4, "isEnabled": true, "hasError": false, "isReadOnly": false,
        "conditions": {"subjectContains": ["invoice", "statement"]},
        "actions": {"forwardTo": [{"emailAddress": {"name": colleague.display, "address": colleague.upn}}], "stopProcessingRules": false},
    }));
}

/// Single-tenant apps developers register (fixed app ids keep tenants reproducible).
const DEVELOPER_APPS: &[(&str, &str)] = &[
    (
        "Invoice PDF exporter",
        "6f1d2c3b-8a9e-4b7c-9d0e-1f2a3b4c5d6e",
    ),
    (
        "Mailbox report script",
        "2b7e9c4d-1f3a-4e5b-8c6d-7e8f9a0b1c2d",
    ),
    (
        "Graph reporting tool",
        "9c3d5e7f-2a4b-4c6d-8e0f-1a2b3c4d5e6f",
    ),
];

pub(crate) fn developer_script(world: &mut World, gen: &mut Gen, user: usize) {
    let person = world.people[user].clone();
    let time = world.days_before_end(gen, 30, 120);
    let (name, app_id) = *gen.pick(DEVELOPER_APPS);
    let object_id = world.ids.guid();
    let ip = person.home.ip.clone();
    let ua = person.desktop.browser_ua;
    let correlation = world.ids.guid();
    for (offset, activity) in [(0, "Add application"), (2, "Add owner to application")] {
        world.push_directory_audit(
            time + Duration::seconds(offset),
            "Directory",
            &correlation,
            "ApplicationManagement",
            activity,
            "Core Directory",
            if offset == 0 { "Add" } else { "Assign" },
            Initiator::User {
                person: &person,
                ip: &ip,
            },
            vec![target(&object_id, Some(name), "Application", None, vec![])],
            &[("User-Agent", ua), ("AppId", app_id)],
            "",
        );
    }
    let access: Vec<_> = GRAPH_SCOPE_IDS
        .iter()
        .filter(|(scope, _)| *scope != "Mail.Send")
        .map(|(_, id)| json!({"id": id, "type": "Scope"}))
        .collect();
    world.applications.push(json!({
        "id": object_id, "appId": app_id, "displayName": name, "createdDateTime": ms(time),
        "signInAudience": "AzureADMyOrg", "publisherDomain": world.spec.domain, "isFallbackPublicClient": true,
        "publicClient": {"redirectUris": ["http://localhost"]},
        "web": {"redirectUris": [], "implicitGrantSettings": {"enableIdTokenIssuance": false, "enableAccessTokenIssuance": false}},
        "requiredResourceAccess": [{"resourceAppId": apps::GRAPH.app_id, "resourceAccess": access}],
        "passwordCredentials": [], "keyCredentials": [],
    }));
    let tenant_id = world.tenant_id.clone();
    let own = ConsentApp {
        app_id,
        name,
        owner_tenant: &tenant_id,
        verified_publisher: None,
        scopes: "Mail.Read User.Read offline_access",
    };
    user_consents(world, gen, user, &own, time + Duration::minutes(3), &ip, ua);
    // The script runs from the developer's own machine at home.
    let home = person.home.clone();
    let mut at = time + Duration::minutes(5);
    let client = App { app_id, name };
    for _ in 0..gen.range(8, 20) {
        if at >= world.end {
            break;
        }
        let event = SignInEvent {
            person: &person,
            time: at,
            app: client,
            resource: apps::GRAPH,
            spot: &home,
            user_agent: "python-requests/2.32.3",
            device: SeenDevice::Unregistered {
                os: "",
                browser: String::new(),
            },
            interactive: false,
            client_app: "Mobile Apps and Desktop clients",
            error_code: 0,
            proof: Proof::Refresh,
            mfa_required: true,
            protocol: "none",
            session_id: session_for(world, &person, Via::Desktop, at),
            risk: None,
        };
        world.push_sign_in(&event);
        at += Duration::days(gen.range(1, 6)) + Duration::minutes(gen.range(0, 300));
    }
}

pub(crate) fn legitimate_consent(world: &mut World, gen: &mut Gen, user: usize) {
    let person = world.people[user].clone();
    let app = *gen.pick(BUSINESS_APPS);
    let time = world.days_before_end(gen, 15, 90);
    let ip = person.home.ip.clone();
    user_consents(
        world,
        gen,
        user,
        &(&app).into(),
        time,
        &ip,
        person.desktop.browser_ua,
    );
    // The vendor's service refreshes the token from its cloud (Amazon, like many SaaS vendors).
    let vendor = Network {
        asn: 16509,
        name: "Amazon",
        kind: Kind::Hosting,
        blocks: &[crate::catalog::networks::Block {
            a: 52,
            b: 14,
            c_low: 0,
            c_high: 255,
        }],
    };
    let place = crate::catalog::networks::ATTACKER_INFRA[1].1;
    let spot = Spot::draw(gen, &vendor, place);
    let ua = format!("Mozilla/5.0 (compatible; {})", app.name);
    app_uses_token(world, gen, user, &app, time, &spot, &ua, false);
}

pub(crate) fn all_staff_mail(world: &mut World, gen: &mut Gen, user: usize) {
    let person = world.people[user].clone();
    let time = world.days_before_end(gen, 3, 40);
    let subject = *gen.pick(&[
        "Holiday office hours",
        "Benefits open enrollment reminder",
        "Office closed Friday for maintenance",
    ]);
    let message_id = world.internet_message_id();
    let staff: Vec<usize> = (0..world.people.len())
        .filter(|&i| i != user && world.people[i].is_staff())
        .collect();
    for index in staff {
        let colleague = world.people[index].clone();
        let received = time + Duration::seconds(gen.range(2, 40));
        let message = world.message_json(
            &colleague,
            received,
            (&person.display, &person.upn),
            &[("All Staff", &format!("allstaff@{}", world.spec.domain))],
            subject,
            "inbox",
            &message_id,
        );
        world.push_message(&colleague.id, received, message);
    }
    let item_id = world.item_id(&person);
    let folder = world.folder_id(&person);
    let extra = json!({"Item": {"Id": item_id, "InternetMessageId": message_id, "ParentFolder": {"Id": folder, "Path": "\\Sent Items"},
        "SizeInBytes": gen.range(20_000, 80_000), "Subject": subject}});
    let session = session_for(world, &person, Via::Desktop, time);
    let ip = world.office.ip.clone();
    world.push_mailbox_audit(
        "Send",
        &person,
        time,
        &ip,
        "Client=MSExchangeRPC",
        None,
        &session,
        extra,
    );
}

pub(crate) fn new_phone(world: &mut World, gen: &mut Gen, user: usize) {
    let mut person = world.people[user].clone();
    let time = world.days_before_end(gen, 2, 20);
    let ip = person.home.ip.clone();
    let ua = person.desktop.browser_ua;
    let (model, os, os_version, outlook_ua, browser) = *gen.pick(apps::PHONES);
    let old_method = person.phone.authenticator_id.clone();
    let mut phone = person.phone.clone();
    phone.object_id = world.ids.guid();
    phone.device_id = world.ids.guid();
    phone.model = model;
    phone.os = os;
    phone.os_version = os_version;
    phone.outlook_ua = outlook_ua;
    phone.browser = browser;
    phone.authenticator_id = world.ids.guid();
    phone.registered = time + Duration::minutes(6);
    person.phone = phone.clone();
    let correlation = world.ids.guid();
    for (offset, activity, reason, kind) in [
        (
            0,
            "User started security info registration",
            "User started the registration for Authenticator App with Notification and Code",
            "Add",
        ),
        (
            60,
            "User registered security info",
            "User registered Authenticator App with Notification and Code",
            "Add",
        ),
        (
            180,
            "User deleted security info",
            "User deleted Authenticator App with Notification and Code",
            "Delete",
        ),
    ] {
        world.push_directory_audit(
            time + Duration::seconds(offset),
            "UserManagement",
            &correlation,
            "UserManagement",
            activity,
            "Authentication Methods",
            kind,
            Initiator::User {
                person: &person,
                ip: &ip,
            },
            vec![target(&person.id, None, "User", Some(&person.upn), vec![])],
            &[("User-Agent", ua)],
            reason,
        );
    }
    let device_correlation = world.ids.guid();
    let device_os = if os == "Ios" { "iOS" } else { "Android" };
    world.push_directory_audit(
        phone.registered,
        "DRS",
        &device_correlation,
        "Device",
        "Register device",
        "Device Registration Service",
        "Add",
        Initiator::User {
            person: &person,
            ip: &ip,
        },
        vec![target(
            &phone.object_id,
            Some(model),
            "Device",
            None,
            vec![],
        )],
        &[
            ("Device Id", &phone.device_id),
            ("Device OS", device_os),
            ("Device Trust Type", "Workplace"),
            ("Device Profile", "RegisteredDevice"),
        ],
        "",
    );
    if let Some(methods) = world.auth_methods.get_mut(&person.id) {
        methods.retain(|m| m["id"] != old_method.as_str());
        methods.push(authenticator_method(&person));
    }
    world.devices.push(phone_device_json(
        &person,
        &phone,
        world.end - Duration::hours(2),
    ));
    let mut at = phone.registered + Duration::minutes(10);
    while at < world.end {
        let spot = person.home.clone();
        let event = SignInEvent {
            person: &person,
            time: at,
            app: apps::OUTLOOK_MOBILE,
            resource: apps::EXCHANGE,
            spot: &spot,
            user_agent: outlook_ua,
            device: phone_device(&person),
            interactive: false,
            client_app: "Mobile Apps and Desktop clients",
            error_code: 0,
            proof: Proof::Refresh,
            mfa_required: true,
            protocol: "none",
            session_id: session_for(world, &person, Via::Phone, at),
            risk: None,
        };
        world.push_sign_in(&event);
        at += Duration::hours(gen.range(10, 40));
    }
    world.people[user] = person;
}
