//! A company's everyday activity: sampled sign-ins in working hours from each person's office,
//! home ISP or phone, and the mailbox and file activity that goes with them.

use chrono::{DateTime, Duration, Utc};
use serde_json::json;

use crate::catalog::apps::{self, App};
use crate::catalog::names::{DOCUMENTS, SITES};
use crate::rng::Gen;
use crate::world::{Person, Spot, World};

use super::signin::{Proof, SeenDevice, SignInEvent};

/// Which of a person's devices an action used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Via {
    Desktop,
    Phone,
}

/// Where a person is at `day`/`hour` and on which device, as the background model sees it.
pub(crate) fn where_is(
    world: &World,
    gen: &mut Gen,
    person: &Person,
    day: i64,
    hour: f64,
    via: Via,
) -> Spot {
    let working = !world.is_weekend(day) && (8.0..17.5).contains(&hour);
    match via {
        Via::Phone if gen.chance(0.45) => {
            let carrier = &crate::catalog::networks::MOBILE_CARRIERS[person.carrier];
            Spot::draw(gen, carrier, person.home.place)
        }
        _ if working && gen.chance(person.office_days) => world.office.clone(),
        _ => person.home.clone(),
    }
}

/// A local hour of activity: mostly working hours, some evenings, rare nights.
pub(crate) fn activity_hour(gen: &mut Gen) -> f64 {
    match gen.weighted(&[0.8, 0.16, 0.04]) {
        0 => 8.0 + gen.unit() * 9.5,
        1 => 18.0 + gen.unit() * 4.0,
        _ => 6.0 + gen.unit() * 2.0,
    }
}

pub(crate) fn desktop_device(person: &Person) -> SeenDevice {
    SeenDevice::Registered {
        device_id: person.desktop.device_id.clone(),
        name: person.desktop.name.clone(),
        os: person.desktop.os,
        browser: person.desktop.browser,
        trust_type: if person.desktop.windows {
            "Azure AD joined"
        } else {
            "Azure AD registered"
        },
        compliant: true,
    }
}

pub(crate) fn phone_device(person: &Person, time: DateTime<Utc>) -> SeenDevice {
    let phone = person.phone_at(time);
    SeenDevice::Registered {
        device_id: phone.device_id.clone(),
        name: phone.model.to_owned(),
        os: phone.os,
        browser: phone.browser,
        trust_type: "Azure AD registered",
        compliant: false,
    }
}

/// A stable session id per person, device and fortnight (sessions outlive single sign-ins).
pub(crate) fn session_for(world: &World, person: &Person, via: Via, time: DateTime<Utc>) -> String {
    let fortnight = (time - world.start).num_days() / 14;
    let device = match via {
        Via::Phone => &person.phone_at(time).device_id,
        Via::Desktop => &person.desktop.device_id,
    };
    let mut gen = Gen::new(
        world.spec.seed,
        &format!("session/{}/{device}/{fortnight}", person.id),
    );
    gen.guid()
}

/// Background activity of every enabled staff member over the whole window.
pub(crate) fn add_background(world: &mut World) {
    let mut gen = Gen::new(world.spec.seed, "background");
    let weeks = world.days() as f64 / 7.0;
    let rate = world.spec.sign_ins_per_user_week;
    for index in 0..world.people.len() {
        let mut person_gen = gen.fork("person");
        let person = world.people[index].clone();
        if !person.is_staff() {
            continue;
        }
        let count = person_gen.poisson(rate * weeks);
        for _ in 0..count {
            background_sign_in(world, &mut person_gen, &person);
        }
        let mail_count = person_gen.poisson(1.6 * weeks);
        for _ in 0..mail_count {
            background_mailbox(world, &mut person_gen, &person);
        }
        let file_count = person_gen.poisson(0.5 * weeks);
        for _ in 0..file_count {
            background_file(world, &mut person_gen, &person);
        }
    }
}

/// A random working-pattern day: weekdays five times likelier than weekend days.
fn pick_day(world: &World, gen: &mut Gen) -> i64 {
    loop {
        let day = gen.range(0, world.days() - 1);
        if !world.is_weekend(day) || gen.chance(0.2) {
            return day;
        }
    }
}

fn background_sign_in(world: &mut World, gen: &mut Gen, person: &Person) {
    let day = pick_day(world, gen);
    let hour = activity_hour(gen);
    let time = world.local_time(gen, day, hour);
    if time >= world.end
        || time < person.phone.registered
        || person.left.is_some_and(|left| time > left)
    {
        return;
    }
    let interactive = gen.chance(0.25);
    let (app, resource, via, client_app, ua): (App, App, Via, &'static str, &'static str) =
        if interactive {
            match gen.weighted(&[0.45, 0.35, 0.2]) {
                0 => (
                    apps::OFFICE_HOME,
                    apps::OFFICE_HOME,
                    Via::Desktop,
                    "Browser",
                    person.desktop.browser_ua,
                ),
                1 => (
                    apps::OUTLOOK_WEB,
                    apps::EXCHANGE,
                    Via::Desktop,
                    "Browser",
                    person.desktop.browser_ua,
                ),
                _ => (
                    apps::SHAREPOINT_WEB,
                    apps::SHAREPOINT,
                    Via::Desktop,
                    "Browser",
                    person.desktop.browser_ua,
                ),
            }
        } else {
            match gen.weighted(&[0.35, 0.3, 0.2, 0.15]) {
                0 => (
                    apps::OUTLOOK_MOBILE,
                    apps::EXCHANGE,
                    Via::Phone,
                    "Mobile Apps and Desktop clients",
                    person.phone_at(time).outlook_ua,
                ),
                1 => (
                    apps::MICROSOFT_OFFICE,
                    apps::EXCHANGE,
                    Via::Desktop,
                    "Mobile Apps and Desktop clients",
                    apps::OUTLOOK_DESKTOP_UA,
                ),
                2 => (
                    apps::TEAMS,
                    apps::TEAMS_SERVICES,
                    Via::Desktop,
                    "Mobile Apps and Desktop clients",
                    apps::TEAMS_UA,
                ),
                _ => (
                    apps::ONEDRIVE_SYNC,
                    apps::SHAREPOINT,
                    Via::Desktop,
                    "Mobile Apps and Desktop clients",
                    apps::ONEDRIVE_UA,
                ),
            }
        };
    let spot = where_is(world, gen, person, day, hour, via);
    let device = if via == Via::Phone {
        phone_device(person, time)
    } else {
        desktop_device(person)
    };
    let session_id = session_for(world, person, via, time);
    let mfa_required = world.spec.licences.entra_id_p1 || person.mfa;
    let mut event = SignInEvent {
        person,
        time,
        app,
        resource,
        spot: &spot,
        user_agent: ua,
        device,
        interactive,
        client_app,
        error_code: 0,
        proof: Proof::Refresh,
        mfa_required,
        protocol: "none",
        session_id,
        risk: None,
    };
    if interactive {
        // A fresh sign-in now and then (password + push); otherwise the browser session's claims.
        let fresh = gen.chance(0.35);
        if fresh && gen.chance(0.06) {
            event.error_code = 50126;
            event.proof = Proof::WrongPassword;
            event.mfa_required = false;
            world.push_sign_in(&event);
            event.time = time + Duration::seconds(gen.range(15, 60));
        }
        event.error_code = 0;
        event.mfa_required = mfa_required;
        event.proof = if !fresh {
            Proof::ClaimInToken
        } else if person.mfa {
            Proof::PasswordAndPush
        } else {
            Proof::Password
        };
        if !person.mfa && !world.spec.licences.entra_id_p1 {
            event.mfa_required = false;
        }
    }
    world.push_sign_in(&event);
}

fn background_mailbox(world: &mut World, gen: &mut Gen, person: &Person) {
    let day = pick_day(world, gen);
    let hour = activity_hour(gen);
    let time = world.local_time(gen, day, hour);
    if time >= world.end
        || time < person.phone.registered
        || person.left.is_some_and(|left| time > left)
    {
        return;
    }
    let via = if gen.chance(0.3) {
        Via::Phone
    } else {
        Via::Desktop
    };
    let spot = where_is(world, gen, person, day, hour, via);
    let session = session_for(world, person, via, time);
    let (client_info, app) = match via {
        Via::Phone => (
            "Client=REST;Client=RESTSystem;;",
            Some(apps::OUTLOOK_MOBILE.app_id),
        ),
        Via::Desktop => ("Client=MSExchangeRPC", None),
    };
    match gen.weighted(&[0.5, 0.35, 0.15]) {
        0 => {
            // MailItemsAccessed is aggregated: one record per folder burst.
            let count = gen.range(2, 12);
            let mut items = Vec::new();
            for _ in 0..count {
                let message_id = world.internet_message_id();
                items.push(json!({"InternetMessageId": message_id, "SizeInBytes": gen.range(8_000, 2_000_000)}));
            }
            let folder_id = world.folder_id(person);
            let extra = json!({
                "OperationProperties": [{"Name": "MailAccessType", "Value": "Bind"}, {"Name": "IsThrottled", "Value": "False"}],
                "OperationCount": count,
                "Folders": [{"FolderItems": items, "Id": folder_id, "Path": "\\Inbox"}],
            });
            world.push_mailbox_audit(
                "MailItemsAccessed",
                person,
                time,
                &spot.ip,
                client_info,
                app,
                &session,
                extra,
            );
        }
        1 => {
            let subject = *gen.pick(crate::catalog::names::INTERNAL_SUBJECTS);
            let item_id = world.item_id(person);
            let folder_id = world.folder_id(person);
            let message_id = world.internet_message_id();
            let extra = json!({
                "Item": {"Id": item_id, "InternetMessageId": message_id,
                         "ParentFolder": {"Id": folder_id, "Path": "\\Sent Items"},
                         "SizeInBytes": gen.range(4_000, 400_000), "Subject": subject},
            });
            world.push_mailbox_audit(
                "Send",
                person,
                time,
                &spot.ip,
                client_info,
                app,
                &session,
                extra,
            );
        }
        _ => {
            let subject = *gen.pick(crate::catalog::names::INTERNAL_SUBJECTS);
            let item_id = world.item_id(person);
            let inbox = world.folder_id(person);
            let deleted = world.folder_id(person);
            let message_id = world.internet_message_id();
            let extra = json!({
                "AffectedItems": [{"Id": item_id, "InternetMessageId": message_id,
                                   "ParentFolder": {"Id": inbox, "Path": "\\Inbox"}, "Subject": subject}],
                "Folder": {"Id": inbox, "Path": "\\Inbox"},
                "DestFolder": {"Id": deleted, "Path": "\\Deleted Items"},
                "CrossMailboxOperation": false,
            });
            world.push_mailbox_audit(
                "MoveToDeletedItems",
                person,
                time,
                &spot.ip,
                client_info,
                app,
                &session,
                extra,
            );
        }
    }
}

fn background_file(world: &mut World, gen: &mut Gen, person: &Person) {
    let day = pick_day(world, gen);
    let hour = 8.0 + gen.unit() * 9.0;
    let time = world.local_time(gen, day, hour);
    if time >= world.end
        || time < person.phone.registered
        || person.left.is_some_and(|left| time > left)
    {
        return;
    }
    let spot = where_is(world, gen, person, day, hour, Via::Desktop);
    let operation = *gen.pick(&[
        "FileAccessed",
        "FileAccessed",
        "FileModified",
        "FilePreviewed",
        "FileDownloaded",
    ]);
    let ua = if gen.chance(0.5) {
        apps::ONEDRIVE_UA
    } else {
        person.desktop.browser_ua
    };
    let site = *gen.pick(SITES);
    let file = *gen.pick(DOCUMENTS);
    world.push_file_audit(operation, person, time, &spot.ip, ua, site, file);
}
