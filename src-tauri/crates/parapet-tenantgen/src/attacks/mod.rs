//! Staged attacks: who is attacked (casting) and the log trail each attack leaves.

mod aitm;
pub(crate) mod consent;
mod device_code;
mod mfa_and_remediation;
mod spray;

use chrono::{DateTime, Duration, Utc};

use crate::activity::signin::{Proof, SeenDevice, SignInEvent};
use crate::catalog::apps::{self, App};
use crate::catalog::networks::{Network, Place, ATTACKER_INFRA, DAILY_VPN};
use crate::error::TenantGenError;
use crate::rng::Gen;
use crate::spec::{AttackFamily, LookalikeFamily, TenantSpec};
use crate::truth::GroundTruth;
use crate::world::{PersonKind, Phone, Spot, World};

/// Who plays which part.
pub(crate) struct Plan {
    pub attacks: Vec<(AttackFamily, usize)>,
    pub lookalikes: Vec<(LookalikeFamily, usize)>,
}

/// Assigns a distinct staff member to every attack and look-alike, and applies the traits the
/// part needs before the directory and background are generated.
pub(crate) fn cast(world: &mut World, spec: &TenantSpec) -> Result<Plan, TenantGenError> {
    let mut gen = Gen::new(spec.seed, "cast");
    let staff: Vec<usize> = (0..world.people.len())
        .filter(|&i| world.people[i].is_staff())
        .collect();
    let admin = world
        .people
        .iter()
        .position(|p| p.kind == PersonKind::MspAdmin)
        .unwrap_or(0);
    let needed = spec.attacks.len()
        + spec
            .benign_lookalikes
            .iter()
            .filter(|f| **f != LookalikeFamily::MailGatewayConnector)
            .count();
    // Two more than the cast, so spray and all-staff mail always reach uncast colleagues.
    let settled = staff
        .iter()
        .filter(|&&i| world.people[i].created < world.start)
        .count();
    if settled < needed + 2 {
        return Err(TenantGenError::TooFewUsers {
            tenant: spec.display_name.clone(),
            needed,
            minimum: needed + 2,
            users: spec.users,
        });
    }
    // New hires lack the history an attack or look-alike is judged against.
    let mut free: Vec<usize> = staff
        .iter()
        .copied()
        .filter(|&i| world.people[i].created < world.start)
        .collect();
    let mut take = |gen: &mut Gen, prefer: &dyn Fn(usize) -> bool, world: &World| -> usize {
        let preferred: Vec<usize> = free.iter().copied().filter(|&i| prefer(i)).collect();
        let pool = if preferred.is_empty() {
            free.clone()
        } else {
            preferred
        };
        let chosen = *gen.pick(&pool);
        free.retain(|&i| i != chosen);
        let _ = world;
        chosen
    };
    let mut attacks = Vec::new();
    for family in &spec.attacks {
        let executive = |i: usize| world.people[i].department == "Executive";
        let not_executive = |i: usize| world.people[i].department != "Executive";
        let index = match family {
            AttackFamily::TargetedFailedSignIns => take(&mut gen, &executive, world),
            _ => take(&mut gen, &not_executive, world),
        };
        attacks.push((*family, index));
    }
    let mut lookalikes = Vec::new();
    for family in &spec.benign_lookalikes {
        let index = match family {
            LookalikeFamily::MailGatewayConnector => admin,
            LookalikeFamily::DeveloperGraphScript => take(
                &mut gen,
                &|i: usize| world.people[i].department == "Engineering",
                world,
            ),
            LookalikeFamily::LeaverForwardToManager => take(&mut gen, &|i: usize| i != 0, world),
            _ => take(&mut gen, &|_| true, world),
        };
        lookalikes.push((*family, index));
    }
    for (family, index) in &attacks {
        world.cast.push(*index);
        if *family == AttackFamily::PasswordSprayForwarding {
            // The account that falls to a spray is one an admin exempted from MFA.
            world.people[*index].mfa = false;
        }
    }
    for (family, index) in &lookalikes {
        world.cast.push(*index);
        let person = &mut world.people[*index];
        match family {
            LookalikeFamily::DailyVpnUser => {
                let (network, place) = DAILY_VPN;
                person.home = Spot::draw(&mut gen, &network, place);
                person.office_days = 0.0;
            }
            LookalikeFamily::NewPhone => {
                let (model, os, os_version, outlook_ua, browser) = *gen.pick(apps::PHONES);
                let from = person.phone.registered.max(spec.end - Duration::days(20));
                let back = gen.range(2, 20);
                let switch = (spec.end - Duration::days(back)).max(from)
                    + Duration::minutes(gen.range(0, 600));
                let phone = Phone {
                    object_id: gen.guid(),
                    device_id: gen.guid(),
                    model,
                    os,
                    os_version,
                    outlook_ua,
                    browser,
                    authenticator_id: gen.guid(),
                    registered: switch,
                };
                person.new_phone = Some((switch, phone));
            }
            LookalikeFamily::LeaverForwardToManager => {
                let days = i64::from(spec.days).max(1);
                let back = gen.range(10.min(days - 1), 40.min(days - 1));
                let left = spec.end - Duration::days(back) + Duration::hours(gen.range(0, 8));
                person.left = Some(left);
                person.sku = None;
            }
            _ => {}
        }
    }
    Ok(Plan {
        attacks,
        lookalikes,
    })
}

/// Stages every planned attack and records the truth.
pub(crate) fn stage(world: &mut World, plan: &Plan, truth: &mut GroundTruth) {
    let mut gen = Gen::new(world.spec.seed, "attacks");
    // Each attack rents its own infrastructure.
    let mut infra: Vec<usize> = (0..ATTACKER_INFRA.len()).collect();
    for (family, victim) in &plan.attacks {
        let mut attack_gen = gen.fork(&format!("{family:?}"));
        let mut rent = |gen: &mut Gen| -> (Network, Place) {
            if infra.is_empty() {
                infra = (0..ATTACKER_INFRA.len()).collect();
            }
            let slot = gen.below(infra.len());
            ATTACKER_INFRA[infra.remove(slot)]
        };
        match family {
            AttackFamily::AitmInboxRulePhish => {
                aitm::inbox_rule_phish(world, &mut attack_gen, *victim, &mut rent, truth)
            }
            AttackFamily::MfaMethodRegistration => mfa_and_remediation::mfa_registration(
                world,
                &mut attack_gen,
                *victim,
                &mut rent,
                truth,
            ),
            AttackFamily::RemediatedWithLeftoverRule => {
                mfa_and_remediation::remediated(world, &mut attack_gen, *victim, &mut rent, truth)
            }
            AttackFamily::PasswordSprayForwarding => {
                spray::spray_forwarding(world, &mut attack_gen, *victim, &mut rent, truth)
            }
            AttackFamily::TargetedFailedSignIns => {
                spray::targeted(world, &mut attack_gen, *victim, &mut rent, truth)
            }
            AttackFamily::IllicitConsent => {
                consent::illicit(world, &mut attack_gen, *victim, &mut rent, truth)
            }
            AttackFamily::DeviceCodePhish => {
                device_code::device_code(world, &mut attack_gen, *victim, &mut rent, truth)
            }
        }
    }
}

/// An attacker-side sign-in with no registered device.
#[allow(clippy::too_many_arguments)]
pub(crate) fn attacker_sign_in(
    world: &mut World,
    victim: usize,
    time: DateTime<Utc>,
    app: App,
    resource: App,
    spot: &Spot,
    user_agent: &str,
    interactive: bool,
    error_code: i64,
    proof: Proof,
    session_id: &str,
    risk: Option<(&'static str, &'static str)>,
) {
    let person = world.people[victim].clone();
    let (os, browser) = os_and_browser(user_agent);
    let event = SignInEvent {
        person: &person,
        time,
        app,
        resource,
        spot,
        user_agent,
        device: SeenDevice::Unregistered { os, browser },
        interactive,
        client_app: if user_agent.starts_with("Mozilla") || user_agent.starts_with("axios") {
            "Browser"
        } else {
            "Mobile Apps and Desktop clients"
        },
        error_code,
        proof,
        mfa_required: proof != Proof::Password && proof != Proof::WrongPassword
            || error_code == 50074,
        protocol: "none",
        session_id: session_id.to_owned(),
        risk,
    };
    world.push_sign_in(&event);
}

/// What Entra derives from a user agent for `deviceDetail` (nothing for scripted clients).
pub(crate) fn os_and_browser(user_agent: &str) -> (&'static str, String) {
    if !user_agent.starts_with("Mozilla") {
        return ("", String::new());
    }
    let os = if user_agent.contains("Windows") {
        "Windows10"
    } else if user_agent.contains("Macintosh") {
        "MacOs"
    } else if user_agent.contains("Linux") {
        "Linux"
    } else {
        ""
    };
    let browser = if let Some(rest) = user_agent.split("Edg/").nth(1) {
        format!("Edge {}", rest.split_whitespace().next().unwrap_or(""))
    } else if let Some(rest) = user_agent.split("Chrome/").nth(1) {
        format!(
            "Chrome {}",
            rest.split_whitespace()
                .next()
                .unwrap_or("")
                .trim_end_matches(".0")
        )
    } else if let Some(rest) = user_agent.split("Firefox/").nth(1) {
        format!("Firefox {rest}")
    } else {
        "Safari".to_owned()
    };
    (os, browser)
}

/// Non-interactive token refreshes from the attacker's address every few hours from `from`
/// until `until`: the stolen session being used.
#[allow(clippy::too_many_arguments)]
pub(crate) fn attacker_refreshes(
    world: &mut World,
    gen: &mut Gen,
    victim: usize,
    from: DateTime<Utc>,
    until: DateTime<Utc>,
    spot: &Spot,
    user_agent: &str,
    session_id: &str,
    apps_used: &[(App, App)],
) {
    let mut time = from + Duration::minutes(gen.range(20, 200));
    while time < until {
        let (app, resource) = *gen.pick(apps_used);
        attacker_sign_in(
            world,
            victim,
            time,
            app,
            resource,
            spot,
            user_agent,
            false,
            0,
            Proof::Refresh,
            session_id,
            None,
        );
        time += Duration::minutes(gen.range(240, 960)) + gen.ticks();
    }
}

/// The user agent of the attacker's browser session after token theft.
pub(crate) const ATTACKER_BROWSER_UA: &str =
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/138.0.0.0 Safari/537.36";

/// Apps an attacker's stolen browser session keeps refreshing.
pub(crate) const WEB_SESSION_APPS: &[(App, App)] = &[
    (apps::OUTLOOK_WEB, apps::EXCHANGE),
    (apps::OFFICE_HOME, apps::OFFICE_HOME),
    (apps::OUTLOOK_WEB, apps::EXCHANGE),
];
