//! The tenant's people: staff with homes, ISPs, devices and roles, plus shared and room
//! mailboxes and the MSP's admin account.

use std::collections::BTreeSet;

use chrono::Duration;

use crate::catalog::apps::{self, Sku};
use crate::catalog::names::{DEPARTMENTS, GIVEN_NAMES, SURNAMES};
use crate::catalog::networks::MOBILE_CARRIERS;
use crate::rng::Gen;
use crate::world::{Desktop, Person, PersonKind, Phone, Spot, World};

/// The licence staff get, by tenant licence level.
pub(crate) fn staff_sku(world: &World) -> &'static Sku {
    let licences = world.spec.licences;
    if licences.entra_id_p2 {
        &apps::SPE_E5
    } else if licences.entra_id_p1 {
        &apps::SPB
    } else {
        &apps::BUSINESS_STANDARD
    }
}

pub(crate) fn add_people(world: &mut World) {
    let mut gen = Gen::new(world.spec.seed, "people");
    let mut taken = BTreeSet::new();
    let staff = world.spec.users;
    let sku = staff_sku(world);
    for index in 0..staff {
        let mut person_gen = gen.fork("person");
        let (given, surname, suffix) = unique_name(&mut person_gen, &mut taken);
        let (department, job) = role(index, staff, &mut person_gen);
        // Frontline staff of free tenants often have only Exchange Online.
        let person_sku = if !world.spec.licences.entra_id_p1 && person_gen.chance(0.25) {
            &apps::EXCHANGE_STANDARD
        } else {
            sku
        };
        let name = Name {
            given: &given,
            surname: &surname,
            suffix: &suffix,
        };
        let mut person = staff_member(world, &mut person_gen, &name, department, job, person_sku);
        // A few new hires join during the window, so some users have little history.
        if department != "Executive" && world.spec.days >= 90 && person_gen.chance(0.04) {
            let joined = world.start
                + Duration::days(person_gen.range(5, 60))
                + Duration::hours(person_gen.range(13, 20));
            let shift = joined - person.created;
            person.created = joined;
            person.desktop.registered += shift;
            person.phone.registered += shift;
        }
        world.people.push(person);
    }
    // Managers: everyone reports to the head of the company or to their department's first member.
    for index in 1..world.people.len() {
        let department = world.people[index].department;
        let manager = world.people[..index]
            .iter()
            .position(|p| p.department == department)
            .unwrap_or(0);
        world.people[index].manager = Some(manager);
    }
    let company = world.spec.display_name.clone();
    let shared: &[(&str, &str, PersonKind)] = &[
        ("info", "Info", PersonKind::Shared),
        ("billing", "Billing", PersonKind::Shared),
        ("conference", "Conference Room", PersonKind::Room),
    ];
    for (alias, name, kind) in shared {
        let mut person_gen = gen.fork("mailbox");
        let mut person = staff_member(world, &mut person_gen, &Name::single(name), "", "", sku);
        person.display = format!("{company} {name}");
        person.upn = format!("{alias}@{}", world.spec.domain);
        person.alias = (*alias).to_owned();
        person.kind = *kind;
        person.sku = None;
        person.mfa = false;
        world.people.push(person);
    }
    let mut admin_gen = gen.fork("admin");
    let mut admin = staff_member(world, &mut admin_gen, &Name::single("Admin"), "", "", sku);
    admin.display = "Bluepeak IT Admin".to_owned();
    admin.upn = format!("bluepeak.admin@{}", world.onmicrosoft);
    admin.alias = "bluepeak.admin".to_owned();
    admin.kind = PersonKind::MspAdmin;
    admin.sku = None;
    admin.home = world.msp_office.clone();
    admin.synced = false;
    world.people.push(admin);
}

struct Name<'a> {
    given: &'a str,
    surname: &'a str,
    /// Disambiguates the alias of namesakes (`john.smith2`).
    suffix: &'a str,
}

impl<'a> Name<'a> {
    fn single(given: &'a str) -> Self {
        Name {
            given,
            surname: "",
            suffix: "",
        }
    }
}

fn unique_name(gen: &mut Gen, taken: &mut BTreeSet<String>) -> (String, String, String) {
    loop {
        let given = (*gen.pick(GIVEN_NAMES)).to_owned();
        let surname = (*gen.pick(SURNAMES)).to_owned();
        let base = format!("{}.{}", given.to_lowercase(), surname.to_lowercase());
        if taken.insert(base.clone()) {
            return (given, surname, String::new());
        }
        for n in 2..100 {
            if taken.insert(format!("{base}{n}")) {
                return (given, surname, n.to_string());
            }
        }
    }
}

fn role(index: usize, staff: usize, gen: &mut Gen) -> (&'static str, &'static str) {
    let executives = (staff / 25).clamp(1, 3);
    if index < executives {
        let (department, titles) = DEPARTMENTS[0];
        return (department, titles[index.min(titles.len() - 1)]);
    }
    let (department, titles) = DEPARTMENTS[1 + gen.below(DEPARTMENTS.len() - 1)];
    (department, *gen.pick(titles))
}

fn staff_member(
    world: &mut World,
    gen: &mut Gen,
    name: &Name<'_>,
    department: &'static str,
    job: &'static str,
    sku: &'static Sku,
) -> Person {
    let given = name.given;
    let surname = name.surname.to_owned();
    let alias = if surname.is_empty() {
        given.to_lowercase().replace(' ', "")
    } else {
        format!(
            "{}.{}{}",
            given.to_lowercase(),
            surname.to_lowercase(),
            name.suffix
        )
    };
    let metro = world.metro;
    let home_place = *gen.pick(metro.places);
    let isp = gen.pick(metro.home_isps);
    let home = Spot::draw(gen, isp, home_place);
    let carrier = gen.below(MOBILE_CARRIERS.len());
    let days_back = gen.range(200, 1500);
    let created = world.start - Duration::days(days_back) + Duration::minutes(gen.range(0, 600));
    let (browser_ua, os, browser) = *gen.pick(apps::DESKTOP_BROWSERS);
    let windows = os.starts_with("Windows");
    let name = if windows {
        format!("DESKTOP-{}", gen.hex_upper(7))
    } else {
        format!("{given}'s MacBook Pro")
    };
    let desktop = Desktop {
        object_id: gen.guid(),
        device_id: gen.guid(),
        name,
        os,
        browser_ua,
        browser,
        windows,
        registered: created + Duration::days(1),
    };
    let (model, phone_os, os_version, outlook_ua, phone_browser) = *gen.pick(apps::PHONES);
    let phone = Phone {
        object_id: gen.guid(),
        device_id: gen.guid(),
        model,
        os: phone_os,
        os_version,
        outlook_ua,
        browser: phone_browser,
        authenticator_id: gen.guid(),
        registered: created + Duration::days(gen.range(1, 30)),
    };
    let upn = format!("{alias}@{}", world.spec.domain);
    let display = if surname.is_empty() {
        given.to_owned()
    } else {
        format!("{given} {surname}")
    };
    Person {
        id: gen.guid(),
        given: given.to_owned(),
        surname,
        display,
        upn,
        alias,
        kind: PersonKind::Staff,
        department,
        job,
        created,
        home,
        carrier,
        desktop,
        phone,
        office_days: [0.2, 0.5, 0.8][gen.below(3)],
        // Free tenants run on security defaults: most, not all, staff have registered MFA.
        mfa: world.spec.licences.entra_id_p1 || gen.chance(0.85),
        puid: format!("1003{}", gen.hex_upper(12)),
        sid: format!(
            "S-1-5-21-{}-{}-{}-{}",
            gen.range(1_000_000_000, 4_000_000_000),
            gen.range(1_000_000_000, 4_000_000_000),
            gen.range(1_000_000_000, 4_000_000_000),
            gen.range(1000, 60000)
        ),
        mailbox_guid: gen.guid(),
        synced: gen.chance(0.3),
        sku: Some(sku),
        manager: None,
        left: None,
        new_phone: None,
    }
}
