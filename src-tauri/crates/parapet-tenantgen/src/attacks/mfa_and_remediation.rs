//! Other uses of an AiTM-stolen session: the attacker registering their own MFA phone, and a
//! past takeover the admin remediated while its inbox rule stayed behind.

use chrono::Duration;

use crate::activity::audit::{target, Initiator};
use crate::activity::signin::Proof;
use crate::catalog::apps;
use crate::rng::Gen;
use crate::tenant::directory::phone_method;
use crate::truth::{Artifact, CompromiseState, Compromised, GroundTruth, LeftoverArtifact};
use crate::world::World;

use super::aitm::{aitm_entry, attacker_reads_mail, hiding_rule, Rent};
use super::{attacker_refreshes, attacker_sign_in, ATTACKER_BROWSER_UA, WEB_SESSION_APPS};

pub(crate) fn mfa_registration(
    world: &mut World,
    gen: &mut Gen,
    victim: usize,
    rent: &mut Rent<'_>,
    truth: &mut GroundTruth,
) {
    let start = world.days_before_end(gen, 3, 20);
    let foothold = aitm_entry(world, gen, victim, start, rent);
    let person = world.people[victim].clone();
    let registered = foothold.time + Duration::minutes(gen.range(6, 30));
    let correlation = world.ids.guid();
    let ip = foothold.replay.ip.clone();
    for (offset, activity, reason) in [
        (
            0,
            "User started security info registration",
            "User started the registration for Mobile Phone SMS",
        ),
        (
            70,
            "User registered security info",
            "User registered Mobile Phone SMS",
        ),
    ] {
        world.push_directory_audit(
            registered + Duration::seconds(offset),
            "UserManagement",
            &correlation,
            "UserManagement",
            activity,
            "Authentication Methods",
            "Add",
            Initiator::User {
                person: &person,
                ip: &ip,
            },
            vec![target(&person.id, None, "User", Some(&person.upn), vec![])],
            &[("User-Agent", ATTACKER_BROWSER_UA)],
            reason,
        );
    }
    let method_id = world.ids.guid();
    let number = format!("+1 {}555{:04}", gen.range(201, 989), gen.range(100, 9999));
    // Core Directory records the new number on the user object.
    let details = |phone: &str| {
        format!("[{{\"PhoneNumber\":{phone},\"AlternativePhoneNumber\":null,\"Email\":null,\"VoiceOnlyPhoneNumber\":null}}]")
    };
    let update_correlation = world.ids.guid();
    world.push_directory_audit(
        registered + Duration::seconds(72),
        "Directory",
        &update_correlation,
        "UserManagement",
        "Update user",
        "Core Directory",
        "Update",
        Initiator::User {
            person: &person,
            ip: &ip,
        },
        vec![target(
            &person.id,
            None,
            "User",
            Some(&person.upn),
            vec![
                crate::activity::audit::modified(
                    "StrongAuthenticationUserDetails",
                    Some(&details("null")),
                    &details(&format!("\"{number}\"")),
                ),
                crate::activity::audit::modified(
                    "Included Updated Properties",
                    None,
                    "\"StrongAuthenticationUserDetails\"",
                ),
            ],
        )],
        &[("User-Agent", ATTACKER_BROWSER_UA)],
        "",
    );
    world
        .auth_methods
        .entry(person.id.clone())
        .or_default()
        .push(phone_method(&method_id, &number));
    let end = world.end;
    attacker_refreshes(
        world,
        gen,
        victim,
        registered,
        end,
        &foothold.replay,
        ATTACKER_BROWSER_UA,
        &foothold.session_id,
        WEB_SESSION_APPS,
    );
    attacker_reads_mail(
        world,
        gen,
        victim,
        &foothold,
        registered + Duration::minutes(12),
    );
    truth.compromised.push(Compromised {
        user_principal_name: person.upn.clone(),
        state: CompromiseState::Active,
        persistence: vec![Artifact {
            kind: "auth_method".into(),
            id: method_id,
        }],
    });
}

pub(crate) fn remediated(
    world: &mut World,
    gen: &mut Gen,
    victim: usize,
    rent: &mut Rent<'_>,
    truth: &mut GroundTruth,
) {
    let start = world.days_before_end(gen, 45, 110);
    let foothold = aitm_entry(world, gen, victim, start, rent);
    let rule_time = foothold.time + Duration::minutes(gen.range(10, 40));
    let rule_id = hiding_rule(world, gen, victim, &foothold.replay.ip, rule_time);
    attacker_reads_mail(
        world,
        gen,
        victim,
        &foothold,
        rule_time + Duration::minutes(8),
    );
    // The user reports odd mail; the MSP resets the password and revokes sessions a day or so later.
    let remediation = rule_time + Duration::hours(gen.range(20, 60));
    attacker_refreshes(
        world,
        gen,
        victim,
        rule_time,
        remediation,
        &foothold.replay,
        ATTACKER_BROWSER_UA,
        &foothold.session_id,
        WEB_SESSION_APPS,
    );
    let person = world.people[victim].clone();
    let admin = world
        .people
        .iter()
        .find(|p| p.kind == crate::world::PersonKind::MspAdmin)
        .cloned();
    if let Some(admin) = admin {
        let ip = world.msp_office.ip.clone();
        let correlation = world.ids.guid();
        world.push_directory_audit(
            remediation,
            "Directory",
            &correlation,
            "UserManagement",
            "Reset user password",
            "Core Directory",
            "Update",
            Initiator::User {
                person: &admin,
                ip: &ip,
            },
            vec![target(&person.id, None, "User", Some(&person.upn), vec![])],
            &[],
            "",
        );
        let correlation = world.ids.guid();
        let revoked = remediation + Duration::seconds(gen.range(30, 90));
        let old = format!(
            "[\"{}\"]",
            crate::time::ms(crate::time::whole_seconds(person.created))
        );
        let new = format!(
            "[\"{}\"]",
            crate::time::ms(crate::time::whole_seconds(revoked))
        );
        world.push_directory_audit(
            revoked,
            "Directory",
            &correlation,
            "UserManagement",
            "Update StsRefreshTokenValidFrom Timestamp",
            "Core Directory",
            "Update",
            Initiator::User {
                person: &admin,
                ip: &ip,
            },
            vec![target(
                &person.id,
                None,
                "User",
                Some(&person.upn),
                vec![
                    crate::activity::audit::modified("StsRefreshTokensValidFrom", Some(&old), &new),
                    crate::activity::audit::modified(
                        "Included Updated Properties",
                        None,
                        "\"StsRefreshTokensValidFrom\"",
                    ),
                ],
            )],
            &[],
            "",
        );
    }
    // The stolen refresh token now fails: revoked grant.
    let denied = remediation + Duration::hours(gen.range(2, 10));
    attacker_sign_in(
        world,
        victim,
        denied,
        apps::OUTLOOK_WEB,
        apps::EXCHANGE,
        &foothold.replay,
        ATTACKER_BROWSER_UA,
        false,
        50173,
        Proof::Refresh,
        &foothold.session_id,
        None,
    );
    truth.compromised.push(Compromised {
        user_principal_name: person.upn.clone(),
        state: CompromiseState::Remediated,
        persistence: vec![Artifact {
            kind: "inbox_rule".into(),
            id: rule_id.clone(),
        }],
    });
    truth.leftover_persistence.push(LeftoverArtifact {
        user_principal_name: person.upn,
        kind: "inbox_rule".into(),
        id: rule_id,
    });
}
