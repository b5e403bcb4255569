//! Look-alikes involving apps: a developer's own Graph script, a consent to a verified vendor.

use chrono::Duration;
use serde_json::json;

use crate::activity::audit::{target, Initiator};
use crate::activity::benign::{session_for, Via};
use crate::activity::signin::{Proof, SeenDevice, SignInEvent};
use crate::attacks::consent::{app_uses_token, user_consents, ConsentApp};
use crate::catalog::apps::{self, App, BUSINESS_APPS, GRAPH_SCOPE_IDS};
use crate::catalog::networks::{Kind, Network};
use crate::rng::Gen;
use crate::time::ms;
use crate::world::{Spot, World};

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
