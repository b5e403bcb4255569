//! Password spray ending in one success and external mailbox forwarding; and an executive
//! targeted by failed sign-ins that never succeed.

use chrono::Duration;

use crate::activity::signin::{Proof, SeenDevice, SignInEvent};
use crate::catalog::apps;
use crate::rng::Gen;
use crate::truth::{Artifact, CompromiseState, Compromised, GroundTruth};
use crate::world::{Spot, World};

use super::aitm::Rent;

const SPRAY_UA: &str = "python-requests/2.32.3";

/// A legacy-style ROPC password attempt (no browser, no device).
fn ropc_attempt(
    world: &mut World,
    victim: usize,
    time: chrono::DateTime<chrono::Utc>,
    spot: &Spot,
    error_code: i64,
    user_agent: &str,
) {
    let person = world.people[victim].clone();
    let event = SignInEvent {
        person: &person,
        time,
        app: apps::MICROSOFT_OFFICE,
        resource: apps::EXCHANGE,
        spot,
        user_agent,
        device: SeenDevice::Unregistered {
            os: "",
            browser: String::new(),
        },
        interactive: true,
        client_app: "Mobile Apps and Desktop clients",
        error_code,
        proof: if error_code == 0 {
            Proof::Password
        } else {
            Proof::WrongPassword
        },
        mfa_required: false,
        protocol: "ropc",
        session_id: String::new(),
        risk: if error_code == 0 {
            Some(("high", "passwordSpray"))
        } else {
            None
        },
    };
    world.push_sign_in(&event);
}

pub(crate) fn spray_forwarding(
    world: &mut World,
    gen: &mut Gen,
    victim: usize,
    rent: &mut Rent<'_>,
    truth: &mut GroundTruth,
) {
    let start = world.days_before_end(gen, 5, 20);
    let (network, place) = rent(gen);
    let sources: Vec<Spot> = (0..gen.range(2, 4))
        .map(|_| Spot::draw(gen, &network, place))
        .collect();
    let targets: Vec<usize> = (0..world.people.len())
        .filter(|&i| world.people[i].is_staff() && !world.cast.contains(&i))
        .take(40)
        .collect();
    let mut time = start;
    for round in 0..2 {
        for &target in &targets {
            let spot = &sources[gen.below(sources.len())];
            ropc_attempt(world, target, time, spot, 50126, SPRAY_UA);
            time += Duration::seconds(gen.range(20, 90)) + gen.ticks();
        }
        // The victim's password is on the attacker's list: the second round lands.
        let spot = sources[gen.below(sources.len())].clone();
        let code = if round == 0 { 50126 } else { 0 };
        ropc_attempt(world, victim, time, &spot, code, SPRAY_UA);
        time += Duration::minutes(gen.range(30, 90));
    }
    let entry = sources[0].clone();
    let person = world.people[victim].clone();
    // The attacker signs in to OWA with the password and sets forwarding.
    let session_id = world.ids.guid();
    let owa = time + Duration::minutes(gen.range(5, 40));
    super::attacker_sign_in(
        world,
        victim,
        owa,
        apps::OUTLOOK_WEB,
        apps::EXCHANGE,
        &entry,
        super::ATTACKER_BROWSER_UA,
        true,
        0,
        Proof::Password,
        &session_id,
        Some(("medium", "unfamiliarFeatures")),
    );
    let local = person.alias.replace('.', "");
    let address = format!(
        "{local}.docs{}@{}",
        gen.range(10, 99),
        gen.pick(&["gmail.com", "outlook.com", "proton.me"])
    );
    let forwarding = format!("smtp:{address}");
    world.push_exchange_admin(
        "Set-Mailbox",
        &person,
        owa + Duration::minutes(gen.range(3, 15)),
        &entry.ip,
        &person.alias,
        &[
            ("Identity", &person.alias),
            ("ForwardingSmtpAddress", &forwarding),
            ("DeliverToMailboxAndForward", "True"),
        ],
        apps::EXCHANGE.app_id,
    );
    if let Some(mailbox) = world
        .mailboxes
        .iter_mut()
        .find(|m| m["userId"] == person.id.as_str())
    {
        mailbox["forwardingSmtpAddress"] = serde_json::json!(forwarding);
        mailbox["deliverToMailboxAndForward"] = serde_json::json!(true);
    }
    let end = world.end;
    super::attacker_refreshes(
        world,
        gen,
        victim,
        owa,
        end,
        &entry,
        super::ATTACKER_BROWSER_UA,
        &session_id,
        super::WEB_SESSION_APPS,
    );
    truth.compromised.push(Compromised {
        user_principal_name: person.upn.clone(),
        state: CompromiseState::Active,
        persistence: vec![Artifact {
            kind: "mailbox_forwarding".into(),
            id: person.id.clone(),
        }],
    });
}

pub(crate) fn targeted(
    world: &mut World,
    gen: &mut Gen,
    victim: usize,
    rent: &mut Rent<'_>,
    truth: &mut GroundTruth,
) {
    let campaigns = gen.range(3, 6);
    for _ in 0..campaigns {
        let (network, place) = rent(gen);
        let spot = Spot::draw(gen, &network, place);
        let mut time = world.days_before_end(gen, 1, 60);
        let attempts = gen.range(6, 18);
        let ua = *gen.pick(&[
            "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
            SPRAY_UA,
        ]);
        for attempt in 0..attempts {
            // Smart lockout answers 50053 once the attempts pile up.
            let code = if attempt >= 10 { 50053 } else { 50126 };
            if ua == SPRAY_UA {
                ropc_attempt(world, victim, time, &spot, code, ua);
            } else {
                let session = String::new();
                super::attacker_sign_in(
                    world,
                    victim,
                    time,
                    apps::OFFICE_HOME,
                    apps::OFFICE_HOME,
                    &spot,
                    ua,
                    true,
                    code,
                    Proof::WrongPassword,
                    &session,
                    None,
                );
            }
            time += Duration::seconds(gen.range(30, 400)) + gen.ticks();
            if time >= world.end {
                break;
            }
        }
    }
    truth.targeted.push(world.people[victim].upn.clone());
}
