//! Device-code phishing: the victim enters the attacker's code, the attacker's client receives
//! the tokens, registers a device for a Primary Refresh Token and reads mail.

use chrono::Duration;
use serde_json::json;

use crate::activity::audit::{modified, target, Initiator};
use crate::activity::signin::{Proof, SeenDevice, SignInEvent};
use crate::catalog::apps;
use crate::rng::Gen;
use crate::time::ms;
use crate::truth::{Artifact, CompromiseState, Compromised, GroundTruth};
use crate::world::{Spot, World};

use super::aitm::Rent;

pub(crate) fn device_code(
    world: &mut World,
    gen: &mut Gen,
    victim: usize,
    rent: &mut Rent<'_>,
    truth: &mut GroundTruth,
) {
    let person = world.people[victim].clone();
    let time = world.days_before_end(gen, 2, 15);
    let received = time - Duration::minutes(gen.range(2, 10));
    let message_id = format!(
        "<{}@teams-meetingsupport.com>",
        gen.hex_upper(20).to_lowercase()
    );
    let message = world.message_json(
        &person,
        received,
        ("Microsoft Teams", "invite@teams-meetingsupport.com"),
        &[(&person.display, &person.upn)],
        "Meeting invitation: Quarterly review - join with code",
        "inbox",
        &message_id,
    );
    world.push_message(&person.id, received, message);
    let (network, place) = rent(gen);
    let spot = Spot::draw(gen, &network, place);
    let session_id = world.ids.guid();
    // The token goes to the attacker's polling client, so the sign-in shows its address.
    let ua = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
    let (os, browser) = super::os_and_browser(ua);
    let event = SignInEvent {
        person: &person,
        time,
        app: apps::AUTH_BROKER,
        resource: apps::DEVICE_REGISTRATION,
        spot: &spot,
        user_agent: ua,
        device: SeenDevice::Unregistered { os, browser },
        interactive: true,
        client_app: "Mobile Apps and Desktop clients",
        error_code: 0,
        proof: Proof::PasswordAndPush,
        mfa_required: true,
        protocol: "deviceCode",
        session_id: session_id.clone(),
        risk: Some(("medium", "unfamiliarFeatures")),
    };
    world.push_sign_in(&event);
    // Device registration with the broker token.
    let registered = time + Duration::minutes(gen.range(2, 12));
    let object_id = world.ids.guid();
    let device_id = world.ids.guid();
    let name = format!("DESKTOP-{}", gen.hex_upper(7));
    let correlation = world.ids.guid();
    let user_initiator = Initiator::User {
        person: &person,
        ip: &spot.ip,
    };
    world.push_directory_audit(
        registered,
        "DRS",
        &correlation,
        "Device",
        "Register device",
        "Device Registration Service",
        "Add",
        user_initiator,
        vec![target(&object_id, Some(&name), "Device", None, vec![])],
        &[
            ("Device Id", &device_id),
            ("Device OS", "Windows"),
            ("Device Trust Type", "Workplace"),
            ("Device Profile", "RegisteredDevice"),
        ],
        "",
    );
    let drs = || Initiator::App {
        app_id: apps::DEVICE_REGISTRATION.app_id,
        name: apps::DEVICE_REGISTRATION.name,
    };
    world.push_directory_audit(
        registered + Duration::seconds(1),
        "Directory",
        &correlation,
        "Device",
        "Add device",
        "Core Directory",
        "Add",
        drs(),
        vec![target(
            &object_id,
            Some(&name),
            "Device",
            None,
            vec![
                modified("DeviceId", Some("[]"), &format!("[\"{device_id}\"]")),
                modified("DisplayName", Some("[]"), &format!("[\"{name}\"]")),
                modified("DeviceOSType", Some("[]"), "[\"Windows\"]"),
                modified("DeviceTrustType", Some("[]"), "[\"Workplace\"]"),
            ],
        )],
        &[],
        "",
    );
    for (offset, activity) in [
        (2, "Add registered owner to device"),
        (3, "Add registered users to device"),
    ] {
        world.push_directory_audit(
            registered + Duration::seconds(offset),
            "Directory",
            &correlation,
            "Device",
            activity,
            "Core Directory",
            "Assign",
            drs(),
            vec![
                target(&object_id, Some(&name), "Device", None, vec![]),
                target(&person.id, None, "User", Some(&person.upn), vec![]),
            ],
            &[],
            "",
        );
    }
    let last_seen = world.end - Duration::hours(gen.range(1, 20));
    world.devices.push(json!({
        "id": object_id, "deviceId": device_id, "displayName": name, "operatingSystem": "Windows",
        "operatingSystemVersion": "10.0.19045.5011", "accountEnabled": true, "trustType": "Workplace",
        "approximateLastSignInDateTime": ms(last_seen), "registrationDateTime": ms(registered),
        "isCompliant": false, "isManaged": false, "profileType": "RegisteredDevice", "manufacturer": null, "model": null,
        "registeredOwners": [person.id],
    }));
    // The Primary Refresh Token of the new device now signs the attacker in everywhere.
    let mut at = registered + Duration::minutes(gen.range(5, 40));
    while at < world.end {
        let (app, resource) = *gen.pick(&[
            (apps::MICROSOFT_OFFICE, apps::GRAPH),
            (apps::OUTLOOK_WEB, apps::EXCHANGE),
            (apps::TEAMS, apps::TEAMS_SERVICES),
        ]);
        let event = SignInEvent {
            person: &person,
            time: at,
            app,
            resource,
            spot: &spot,
            user_agent: ua,
            device: SeenDevice::Registered {
                device_id: device_id.clone(),
                name: name.clone(),
                os: "Windows10",
                browser: "Chrome 131.0.0",
                trust_type: "Azure AD registered",
                compliant: false,
            },
            interactive: false,
            client_app: "Mobile Apps and Desktop clients",
            error_code: 0,
            proof: Proof::Refresh,
            mfa_required: true,
            protocol: "none",
            session_id: session_id.clone(),
            risk: None,
        };
        world.push_sign_in(&event);
        at += Duration::hours(gen.range(5, 20)) + gen.ticks();
    }
    let folder = world.folder_id(&person);
    let mut items = Vec::new();
    for _ in 0..25 {
        let message_id = world.internet_message_id();
        items.push(
            json!({"InternetMessageId": message_id, "SizeInBytes": gen.range(8_000, 2_000_000)}),
        );
    }
    let extra = json!({
        "OperationProperties": [{"Name": "MailAccessType", "Value": "Bind"}, {"Name": "IsThrottled", "Value": "False"}],
        "OperationCount": 180, "Folders": [{"FolderItems": items, "Id": folder, "Path": "\\Inbox"}],
    });
    let session = world.ids.guid();
    world.push_mailbox_audit(
        "MailItemsAccessed",
        &person,
        registered + Duration::minutes(50),
        &spot.ip,
        "Client=REST;Client=RESTSystem;;",
        Some(apps::MICROSOFT_OFFICE.app_id),
        &session,
        extra,
    );
    truth.compromised.push(Compromised {
        user_principal_name: person.upn,
        state: CompromiseState::Active,
        persistence: vec![Artifact {
            kind: "device".into(),
            id: object_id,
        }],
    });
}
