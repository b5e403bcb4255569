//! Look-alikes the MSP's admin performs: a mail-gateway connector and a leaver's offboarding.

use chrono::Duration;
use serde_json::json;

use crate::activity::audit::{modified, target, Initiator};
use crate::activity::signin::{Proof, SignInEvent};
use crate::catalog::apps;
use crate::catalog::networks::MAIL_GATEWAYS;
use crate::rng::Gen;
use crate::time::{ms, whole_seconds};
use crate::world::World;

fn admin_sign_in(
    world: &mut World,
    gen: &mut Gen,
    admin: usize,
    time: chrono::DateTime<chrono::Utc>,
) {
    let person = world.people[admin].clone();
    let spot = world.msp_office.clone();
    let event = SignInEvent {
        person: &person,
        time,
        app: apps::EXCHANGE_POWERSHELL,
        resource: apps::EXCHANGE,
        spot: &spot,
        user_agent:
            "Mozilla/5.0 (Windows NT 10.0; Microsoft Windows 10.0.26100; en-US) PowerShell/7.5.2",
        device: crate::activity::benign::desktop_device(&person),
        interactive: true,
        client_app: "Mobile Apps and Desktop clients",
        error_code: 0,
        proof: Proof::PasswordAndPush,
        mfa_required: true,
        protocol: "none",
        session_id: world.ids.guid(),
        risk: None,
    };
    world.push_sign_in(&event);
    let _ = gen;
}

pub(crate) fn mail_gateway_connector(world: &mut World, gen: &mut Gen, admin: usize) {
    let (network, ranges) = *gen.pick(MAIL_GATEWAYS);
    let time = world.days_before_end(gen, 10, 50);
    admin_sign_in(world, gen, admin, time - Duration::minutes(4));
    let person = world.people[admin].clone();
    let name = format!("{} Inbound", network.name);
    let ip = world.msp_office.ip.clone();
    let joined = ranges.join(",");
    world.push_exchange_admin(
        "New-InboundConnector",
        &person,
        time,
        &ip,
        &name,
        &[
            ("Name", &name),
            ("ConnectorType", "Partner"),
            ("SenderDomains", "smtp:*;1"),
            ("SenderIPAddresses", &joined),
            ("RequireTls", "True"),
            ("Enabled", "True"),
        ],
        apps::EXCHANGE_POWERSHELL.app_id,
    );
    world.inbound_connectors.push(json!({
        "Identity": name, "Name": name, "Enabled": true, "SenderDomains": ["smtp:*;1"],
        "SenderIPAddresses": ranges, "ConnectorType": "Partner", "WhenCreated": ms(whole_seconds(time)),
        "RequireTls": true, "RestrictDomainsToIPAddresses": false, "TlsSenderCertificateName": null,
        "Comment": format!("Inbound mail from {}", network.name),
    }));
}

pub(crate) fn leaver(world: &mut World, gen: &mut Gen, user: usize) {
    let person = world.people[user].clone();
    let Some(left) = person.left else { return };
    let admin = world
        .people
        .iter()
        .position(|p| p.kind == crate::world::PersonKind::MspAdmin)
        .unwrap_or(0);
    let admin_person = world.people[admin].clone();
    let manager = world.people[person.manager.unwrap_or(0)].clone();
    let ip = world.msp_office.ip.clone();
    let start = left + Duration::minutes(gen.range(10, 90));
    admin_sign_in(world, gen, admin, start - Duration::minutes(3));
    let user_target = |mods| target(&person.id, None, "User", Some(&person.upn), mods);
    let steps: [(&str, Vec<serde_json::Value>); 3] = [
        (
            "Disable account",
            vec![
                modified("AccountEnabled", Some("[true]"), "[false]"),
                modified("Included Updated Properties", None, "\"AccountEnabled\""),
            ],
        ),
        ("Reset user password", vec![]),
        ("Change user license", vec![]),
    ];
    let mut at = start;
    for (activity, mods) in steps {
        let correlation = world.ids.guid();
        world.push_directory_audit(
            at,
            "Directory",
            &correlation,
            "UserManagement",
            activity,
            "Core Directory",
            "Update",
            Initiator::User {
                person: &admin_person,
                ip: &ip,
            },
            vec![user_target(mods)],
            &[],
            "",
        );
        at += Duration::seconds(gen.range(20, 70)) + gen.ticks();
    }
    let manager_alias = manager.alias.clone();
    world.push_exchange_admin(
        "Set-Mailbox",
        &admin_person,
        at + Duration::minutes(2),
        &ip,
        &person.alias,
        &[
            ("Identity", &person.alias),
            ("ForwardingAddress", &manager_alias),
            ("DeliverToMailboxAndForward", "True"),
        ],
        apps::EXCHANGE_POWERSHELL.app_id,
    );
    if let Some(mailbox) = world
        .mailboxes
        .iter_mut()
        .find(|m| m["userId"] == person.id.as_str())
    {
        mailbox["forwardingAddress"] = json!(manager_alias);
        mailbox["deliverToMailboxAndForward"] = json!(true);
    }
}
