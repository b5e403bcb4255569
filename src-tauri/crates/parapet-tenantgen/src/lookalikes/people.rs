//! Look-alikes staff cause themselves: travel, a forwarding rule, mass mail, a new phone.

use chrono::Duration;
use serde_json::json;

use crate::activity::audit::{target, Initiator};
use crate::activity::benign::{desktop_device, phone_device, session_for, Via};
use crate::activity::signin::{Proof, SignInEvent};
use crate::catalog::apps;
use crate::catalog::networks::TRAVEL;
use crate::rng::Gen;
use crate::tenant::directory::{authenticator_method, phone_device_json};
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
                    phone_device(&person, time),
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
    let rule_id = crate::activity::mail::rule_id(gen);
    world.message_rules.entry(person.id.clone()).or_default().push(json!({
        "id": rule_id, "displayName": rule_name, "sequence": 4, "isEnabled": true, "hasError": false, "isReadOnly": false,
        "conditions": {"subjectContains": ["invoice", "statement"]},
        "actions": {"forwardTo": [{"emailAddress": {"name": colleague.display, "address": colleague.upn}}], "stopProcessingRules": false},
    }));
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
        .filter(|&i| i != user && world.people[i].is_staff() && world.people[i].created < time)
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
    let person = world.people[user].clone();
    let Some((switch, phone)) = person.new_phone.clone() else {
        return;
    };
    // Security info is updated just before the new phone registers and takes over.
    let time = switch - Duration::minutes(6);
    let ip = person.home.ip.clone();
    let ua = person.desktop.browser_ua;
    let old_method = person.phone.authenticator_id.clone();
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
    let device_os = if phone.os == "Ios" { "iOS" } else { "Android" };
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
            Some(phone.model),
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
    let mut current = person.clone();
    current.phone = phone.clone();
    if let Some(methods) = world.auth_methods.get_mut(&person.id) {
        methods.retain(|m| m["id"] != old_method.as_str());
        methods.push(authenticator_method(&current));
    }
    world.devices.push(phone_device_json(
        &person,
        &phone,
        world.end - Duration::hours(2),
    ));
    // Outlook on the new phone syncs from home right away.
    let mut at = phone.registered + Duration::minutes(10);
    while at < world.end {
        let spot = person.home.clone();
        let event = SignInEvent {
            person: &person,
            time: at,
            app: apps::OUTLOOK_MOBILE,
            resource: apps::EXCHANGE,
            spot: &spot,
            user_agent: phone.outlook_ua,
            device: phone_device(&person, at),
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
}
