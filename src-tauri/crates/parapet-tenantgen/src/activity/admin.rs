//! Routine directory changes: the MSP onboarding new hires, staff changing their passwords,
//! admins updating profiles. These make a tenant's directory audit log look lived-in.

use chrono::Duration;
use serde_json::Value;

use crate::activity::audit::{modified, target, Initiator};
use crate::rng::Gen;
use crate::world::{PersonKind, World};

pub(crate) fn add_admin_activity(world: &mut World) {
    let mut gen = Gen::new(world.spec.seed, "admin");
    let Some(admin) = world
        .people
        .iter()
        .position(|p| p.kind == PersonKind::MspAdmin)
    else {
        return;
    };
    let admin = world.people[admin].clone();
    let admin_ip = world.msp_office.ip.clone();
    let all_staff_group = world.ids.guid();
    let people = world.people.clone();
    for person in people.iter().filter(|p| p.is_staff()) {
        let as_admin = || Initiator::User {
            person: &admin,
            ip: &admin_ip,
        };
        if person.created > world.start {
            // Onboarding: account, licence, the All Staff group.
            let created = person.created;
            let correlation = world.ids.guid();
            let upn_json = format!("[\"{}\"]", person.upn);
            let name_json = format!("[\"{}\"]", person.display);
            world.push_directory_audit(
                created,
                "Directory",
                &correlation,
                "UserManagement",
                "Add user",
                "Core Directory",
                "Add",
                as_admin(),
                vec![target(
                    &person.id,
                    None,
                    "User",
                    Some(&person.upn),
                    vec![
                        modified("AccountEnabled", Some("[]"), "[true]"),
                        modified("DisplayName", Some("[]"), &name_json),
                        modified("UserPrincipalName", Some("[]"), &upn_json),
                    ],
                )],
                &[],
                "",
            );
            let correlation = world.ids.guid();
            world.push_directory_audit(
                created + Duration::seconds(gen.range(30, 120)),
                "Directory",
                &correlation,
                "UserManagement",
                "Change user license",
                "Core Directory",
                "Update",
                as_admin(),
                vec![target(&person.id, None, "User", Some(&person.upn), vec![])],
                &[],
                "",
            );
            let correlation = world.ids.guid();
            world.push_directory_audit(
                created + Duration::minutes(gen.range(3, 20)),
                "Directory",
                &correlation,
                "GroupManagement",
                "Add member to group",
                "Core Directory",
                "Assign",
                as_admin(),
                vec![
                    target(&all_staff_group, Some("All Staff"), "Group", None, vec![]),
                    target(&person.id, None, "User", Some(&person.upn), vec![]),
                ],
                &[],
                "",
            );
        }
        if gen.chance(0.3) {
            // A self-service password change from home.
            let day = gen.range(0, world.days() - 1);
            let hour = 8.0 + gen.unit() * 12.0;
            let time = world.local_time(&mut gen, day, hour);
            if time > person.created
                && time < world.end
                && person.left.is_none_or(|left| time < left)
            {
                let correlation = world.ids.guid();
                world.push_directory_audit(
                    time,
                    "Directory",
                    &correlation,
                    "UserManagement",
                    "Change user password",
                    "Core Directory",
                    "Update",
                    Initiator::User {
                        person,
                        ip: &person.home.ip,
                    },
                    vec![target(&person.id, None, "User", Some(&person.upn), vec![])],
                    &[("User-Agent", person.desktop.browser_ua)],
                    "",
                );
            }
        }
        if gen.chance(0.05) {
            let time = world.days_before_end(&mut gen, 1, world.days() - 1);
            if time > person.created {
                let correlation = world.ids.guid();
                let title = format!("[\"{}\"]", person.job);
                let properties: Vec<Value> = vec![
                    modified("JobTitle", Some("[]"), &title),
                    modified("Included Updated Properties", None, "\"JobTitle\""),
                ];
                world.push_directory_audit(
                    time,
                    "Directory",
                    &correlation,
                    "UserManagement",
                    "Update user",
                    "Core Directory",
                    "Update",
                    as_admin(),
                    vec![target(
                        &person.id,
                        None,
                        "User",
                        Some(&person.upn),
                        properties,
                    )],
                    &[],
                    "",
                );
            }
        }
    }
}
