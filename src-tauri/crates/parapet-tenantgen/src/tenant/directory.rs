//! Directory state at snapshot time: users, licences, mailboxes, devices, authentication
//! methods, Conditional Access and mail-flow settings.

use chrono::{DateTime, Duration, Utc};
use serde_json::{json, Value};

use crate::catalog::apps::{self, Sku};
use crate::rng::Gen;
use crate::time::ms;
use crate::world::{Person, PersonKind, World};

pub(crate) fn add_directory(world: &mut World) {
    let mut gen = Gen::new(world.spec.seed, "directory");
    add_skus(world);
    let people = world.people.clone();
    for person in &people {
        world.users.push(user_json(world, person));
        if person.kind != PersonKind::MspAdmin {
            world.mailboxes.push(mailbox_json(person));
        }
        if person.is_staff() {
            add_devices(world, &mut gen, person);
            add_auth_methods(world, &mut gen, person);
        } else if person.kind == PersonKind::MspAdmin {
            world.auth_methods.insert(
                person.id.clone(),
                vec![
                    password_method(&mut gen, person.created),
                    authenticator_method(person),
                ],
            );
        }
    }
    super::apps::add_service_principals(world, &mut gen);
    add_mailbox_delegation(world, &mut gen);
    add_policies(world, &mut gen);
}

fn add_skus(world: &mut World) {
    let staff = world.people.iter().filter(|p| p.sku.is_some()).count();
    let mut skus: Vec<&'static Sku> = Vec::new();
    for person in &world.people {
        if let Some(sku) = person.sku {
            if !skus.iter().any(|s| s.sku_id == sku.sku_id) {
                skus.push(sku);
            }
        }
    }
    skus.push(&apps::FLOW_FREE);
    let mut gen = Gen::new(world.spec.seed, "skus");
    for sku in skus {
        let consumed = world
            .people
            .iter()
            .filter(|p| p.sku.is_some_and(|s| s.sku_id == sku.sku_id))
            .count();
        let enabled = if sku.part_number == "FLOW_FREE" {
            10000
        } else {
            consumed + gen.below(staff / 10 + 3)
        };
        let plans: Vec<Value> = sku
            .plans
            .iter()
            .map(|(id, name)| {
                json!({"servicePlanId": id, "servicePlanName": name, "provisioningStatus": "Success", "appliesTo": "User"})
            })
            .collect();
        world.skus.push(json!({
            "accountName": world.spec.display_name,
            "accountId": world.tenant_id,
            "appliesTo": "User",
            "capabilityStatus": "Enabled",
            "consumedUnits": consumed,
            "id": format!("{}_{}", world.tenant_id, sku.sku_id),
            "prepaidUnits": {"enabled": enabled, "lockedOut": 0, "suspended": 0, "warning": 0},
            "servicePlans": plans,
            "skuId": sku.sku_id,
            "skuPartNumber": sku.part_number,
            "subscriptionIds": [gen.guid()],
        }));
    }
}

fn user_json(world: &World, person: &Person) -> Value {
    let licences: Vec<Value> = person
        .sku
        .map(|sku| vec![json!({"disabledPlans": [], "skuId": sku.sku_id})])
        .unwrap_or_default();
    let enabled =
        matches!(person.kind, PersonKind::Staff | PersonKind::MspAdmin) && person.left.is_none();
    let mut user = json!({
        "id": person.id,
        "displayName": person.display,
        "givenName": if person.surname.is_empty() { Value::Null } else { json!(person.given) },
        "surname": if person.surname.is_empty() { Value::Null } else { json!(person.surname) },
        "userPrincipalName": person.upn,
        "mail": if person.kind == PersonKind::MspAdmin { Value::Null } else { json!(person.upn) },
        "accountEnabled": enabled,
        "userType": "Member",
        "onPremisesSyncEnabled": if person.synced { json!(true) } else { Value::Null },
        "usageLocation": "US",
        "createdDateTime": ms(person.created),
        "assignedLicenses": licences,
        "jobTitle": if person.job.is_empty() { Value::Null } else { json!(person.job) },
        "department": if person.department.is_empty() { Value::Null } else { json!(person.department) },
        "officeLocation": if person.is_staff() { json!(world.metro.places[0].city) } else { Value::Null },
    });
    if person.synced {
        if let Some(map) = user.as_object_mut() {
            let label = world.onmicrosoft.split('.').next().unwrap_or("corp");
            map.insert(
                "onPremisesSamAccountName".into(),
                json!(format!(
                    "{}{}",
                    &person.given[..1].to_lowercase(),
                    person.surname.to_lowercase()
                )),
            );
            map.insert(
                "onPremisesDomainName".into(),
                json!(format!("corp.{label}.local")),
            );
            map.insert(
                "onPremisesLastSyncDateTime".into(),
                json!(ms(world.end - Duration::minutes(17))),
            );
        }
    }
    user
}

fn mailbox_json(person: &Person) -> Value {
    let kind = match person.kind {
        PersonKind::Shared => "SharedMailbox",
        PersonKind::Room => "RoomMailbox",
        _ => "UserMailbox",
    };
    json!({
        "userId": person.id,
        "userPrincipalName": person.upn,
        "identity": person.alias,
        "primarySmtpAddress": person.upn,
        "recipientTypeDetails": kind,
        "forwardingSmtpAddress": null,
        "forwardingAddress": null,
        "deliverToMailboxAndForward": false,
        "exchangeGuid": person.mailbox_guid,
    })
}

fn add_devices(world: &mut World, gen: &mut Gen, person: &Person) {
    let desktop = &person.desktop;
    let last = world.end - Duration::minutes(gen.range(30, 60 * 72));
    world.devices.push(json!({
        "id": desktop.object_id,
        "deviceId": desktop.device_id,
        "displayName": desktop.name,
        "operatingSystem": if desktop.windows { "Windows" } else { "MacMDM" },
        "operatingSystemVersion": if desktop.windows { "10.0.26100.4946" } else { "15.6.1" },
        "accountEnabled": true,
        "trustType": if desktop.windows { "AzureAd" } else { "Workplace" },
        "approximateLastSignInDateTime": ms(last),
        "registrationDateTime": ms(desktop.registered),
        "isCompliant": true,
        "isManaged": true,
        "profileType": "RegisteredDevice",
        "manufacturer": if desktop.windows { json!("Dell Inc.") } else { json!("Apple") },
        "model": if desktop.windows { json!("Latitude 7450") } else { json!("MacBook Pro") },
        "registeredOwners": [person.id],
    }));
    // A replaced phone stopped signing in when the new one took over.
    let phone_last = match &person.new_phone {
        Some((switch, _)) => *switch - Duration::minutes(gen.range(30, 600)),
        None => last - Duration::hours(3),
    };
    world
        .devices
        .push(phone_device_json(person, &person.phone, phone_last));
}

pub(crate) fn phone_device_json(
    person: &Person,
    phone: &crate::world::Phone,
    last: DateTime<Utc>,
) -> Value {
    json!({
        "id": phone.object_id,
        "deviceId": phone.device_id,
        "displayName": phone.model,
        "operatingSystem": if phone.os == "Ios" { "iOS" } else { "Android" },
        "operatingSystemVersion": phone.os_version,
        "accountEnabled": true,
        "trustType": "Workplace",
        "approximateLastSignInDateTime": ms(last),
        "registrationDateTime": ms(phone.registered),
        "isCompliant": false,
        "isManaged": false,
        "profileType": "RegisteredDevice",
        "manufacturer": null,
        "model": null,
        "registeredOwners": [person.id],
    })
}

fn password_method(gen: &mut Gen, created: DateTime<Utc>) -> Value {
    json!({
        "@odata.type": "#microsoft.graph.passwordAuthenticationMethod",
        "id": "28c10230-6103-485e-b985-444c60001490",
        "password": null,
        "createdDateTime": ms(created + Duration::hours(gen.range(1, 30))),
    })
}

pub(crate) fn authenticator_method(person: &Person) -> Value {
    json!({
        "@odata.type": "#microsoft.graph.microsoftAuthenticatorAuthenticationMethod",
        "id": person.phone.authenticator_id,
        "displayName": person.phone.model,
        "deviceTag": "SoftwareTokenActivated",
        "phoneAppVersion": "6.2509.6021",
        "createdDateTime": null,
    })
}

pub(crate) fn phone_method(id: &str, number: &str) -> Value {
    json!({
        "@odata.type": "#microsoft.graph.phoneAuthenticationMethod",
        "id": id,
        "phoneNumber": number,
        "phoneType": "mobile",
        "smsSignInState": "notAllowedByPolicy",
    })
}

fn add_auth_methods(world: &mut World, gen: &mut Gen, person: &Person) {
    // Graph reports the password method under this fixed id for every user.
    let mut methods = vec![password_method(gen, person.created)];
    if person.mfa {
        methods.push(authenticator_method(person));
        if gen.chance(0.4) {
            let number = format!("+1 {}555{:04}", gen.range(201, 989), gen.range(0, 9999));
            methods.push(phone_method(&gen.guid(), &number));
        }
        if person.desktop.windows && gen.chance(0.5) {
            methods.push(json!({
                "@odata.type": "#microsoft.graph.windowsHelloForBusinessAuthenticationMethod",
                "id": gen.base64url(43),
                "displayName": person.desktop.name,
                "createdDateTime": ms(person.desktop.registered + Duration::hours(1)),
                "keyStrength": "normal",
            }));
        }
    }
    world.auth_methods.insert(person.id.clone(), methods);
}

fn add_policies(world: &mut World, gen: &mut Gen) {
    // The break-glass admin, and anyone an admin exempted from MFA (e.g. a shared front-desk
    // login), are excluded from the MFA policy.
    let excluded: Vec<String> = world
        .people
        .iter()
        .filter(|p| p.kind == PersonKind::MspAdmin || (p.is_staff() && !p.mfa))
        .map(|p| p.id.clone())
        .collect();
    if world.spec.licences.entra_id_p1 {
        let created = world.start - Duration::days(gen.range(120, 500));
        world.ca_policies.push(json!({
            "id": gen.guid(), "templateId": null, "displayName": "Require MFA for all users",
            "createdDateTime": ms(created), "modifiedDateTime": null, "state": "enabled", "sessionControls": null,
            "conditions": {"userRiskLevels": [], "signInRiskLevels": [], "platforms": null, "locations": null, "devices": null, "clientApplications": null,
                "applications": {"includeApplications": ["All"], "excludeApplications": [], "includeUserActions": [], "includeAuthenticationContextClassReferences": [], "applicationFilter": null},
                "clientAppTypes": ["all"],
                "users": {"includeUsers": ["All"], "excludeUsers": excluded, "includeGroups": [], "excludeGroups": [], "includeRoles": [], "excludeRoles": [], "includeGuestsOrExternalUsers": null, "excludeGuestsOrExternalUsers": null}},
            "grantControls": {"operator": "OR", "builtInControls": ["mfa"], "customAuthenticationFactors": [], "termsOfUse": [], "authenticationStrength": null},
        }));
        world.ca_policies.push(json!({
            "id": gen.guid(), "templateId": null, "displayName": "Block legacy authentication",
            "createdDateTime": ms(created + Duration::minutes(12)), "modifiedDateTime": null, "state": "enabled", "sessionControls": null,
            "conditions": {"userRiskLevels": [], "signInRiskLevels": [], "platforms": null, "locations": null, "devices": null, "clientApplications": null,
                "applications": {"includeApplications": ["All"], "excludeApplications": [], "includeUserActions": [], "includeAuthenticationContextClassReferences": [], "applicationFilter": null},
                "clientAppTypes": ["exchangeActiveSync", "other"],
                "users": {"includeUsers": ["All"], "excludeUsers": [], "includeGroups": [], "excludeGroups": [], "includeRoles": [], "excludeRoles": [], "includeGuestsOrExternalUsers": null, "excludeGuestsOrExternalUsers": null}},
            "grantControls": {"operator": "OR", "builtInControls": ["block"], "customAuthenticationFactors": [], "termsOfUse": [], "authenticationStrength": null},
        }));
    }
    world.transport_rules.push(json!({
        "Identity": "External sender warning",
        "Name": "External sender warning",
        "State": "Enabled",
        "BlindCopyTo": null,
        "RedirectMessageTo": null,
        "WhenChanged": ms(world.start - Duration::days(gen.range(30, 400))),
        "Priority": 0,
        "Mode": "Enforce",
        "FromScope": "NotInOrganization",
        "ApplyHtmlDisclaimerLocation": "Prepend",
        "ApplyHtmlDisclaimerText": format!("<p style=\"color:#9C0006\">CAUTION: This email originated from outside {}.</p>", world.spec.display_name),
    }));
}

/// Staff who work a shared mailbox hold FullAccess and SendAs on it, beside Exchange's own
/// `NT AUTHORITY\\SELF` entry.
fn add_mailbox_delegation(world: &mut World, gen: &mut Gen) {
    let staff: Vec<usize> = (0..world.people.len())
        .filter(|&i| world.people[i].is_staff() && world.people[i].created < world.start)
        .collect();
    let shared: Vec<Person> = world
        .people
        .iter()
        .filter(|p| p.kind == PersonKind::Shared)
        .cloned()
        .collect();
    for mailbox in shared {
        world.mailbox_permissions.push(json!({
            "Identity": mailbox.upn, "User": "NT AUTHORITY\\SELF", "AccessRights": ["FullAccess", "ReadPermission"],
            "IsInherited": false, "Deny": false, "InheritanceType": "All",
        }));
        world.recipient_permissions.push(json!({
            "Identity": mailbox.upn, "Trustee": "NT AUTHORITY\\SELF", "AccessRights": ["SendAs"],
            "AccessControlType": "Allow", "IsInherited": false,
        }));
        let mut delegates: Vec<usize> = Vec::new();
        for _ in 0..gen.range(2, 4) {
            let index = *gen.pick(&staff);
            if !delegates.contains(&index) {
                delegates.push(index);
            }
        }
        for index in delegates {
            let delegate = &world.people[index];
            world.mailbox_permissions.push(json!({
                "Identity": mailbox.upn, "User": delegate.upn, "AccessRights": ["FullAccess"],
                "IsInherited": false, "Deny": false, "InheritanceType": "All",
            }));
            if gen.chance(0.6) {
                world.recipient_permissions.push(json!({
                    "Identity": mailbox.upn, "Trustee": delegate.upn, "AccessRights": ["SendAs"],
                    "AccessControlType": "Allow", "IsInherited": false,
                }));
            }
        }
    }
}
