//! Directory state at snapshot time: users, licences, mailboxes, devices, authentication
//! methods, service principals, Conditional Access and mail-flow settings.

use chrono::{DateTime, Duration, Utc};
use serde_json::{json, Value};

use crate::catalog::apps::{self, Sku, FIRST_PARTY_SERVICE_PRINCIPALS, MICROSOFT_TENANT};
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
    add_service_principals(world, &mut gen);
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
    world.devices.push(phone_device_json(
        person,
        &person.phone,
        last - Duration::hours(3),
    ));
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

fn add_service_principals(world: &mut World, gen: &mut Gen) {
    let tenant_created = world.start - Duration::days(900);
    for app in FIRST_PARTY_SERVICE_PRINCIPALS {
        let id = gen.guid();
        world.sp_ids.insert(app.app_id, id.clone());
        world.service_principals.push(json!({
            "id": id,
            "appId": app.app_id,
            "displayName": app.name,
            "accountEnabled": true,
            "appOwnerOrganizationId": MICROSOFT_TENANT,
            "servicePrincipalType": "Application",
            "signInAudience": "AzureADMultipleOrgs",
            "createdDateTime": ms(tenant_created + Duration::minutes(gen.range(0, 600))),
            "publisherName": "Microsoft Services",
            "verifiedPublisher": {"displayName": null, "verifiedPublisherId": null, "addedDateTime": null},
            "homepage": null,
            "replyUrls": [],
            "servicePrincipalNames": [app.app_id],
            "tags": [],
        }));
    }
    // The MSP's management app, consented tenant-wide by an admin long ago.
    let msp_app_id = gen.guid();
    let msp_sp = third_party_sp(
        gen,
        &msp_app_id,
        "Bluepeak IT Client Portal",
        "0a7b3c9d-2e4f-4a6b-8c1d-3e5f7a9b1c2d",
        Some("Bluepeak IT"),
        world.start - Duration::days(400),
    );
    let msp_sp_id = msp_sp["id"].as_str().unwrap_or_default().to_owned();
    world.service_principals.push(msp_sp);
    let graph_sp = world
        .sp_ids
        .get(apps::GRAPH.app_id)
        .cloned()
        .unwrap_or_default();
    world.grants.push(json!({
        "clientId": msp_sp_id,
        "consentType": "AllPrincipals",
        "id": grant_id(&msp_sp_id, &graph_sp, None),
        "principalId": null,
        "resourceId": graph_sp,
        "scope": " User.Read.All Group.Read.All Reports.Read.All AuditLog.Read.All",
    }));
}

/// A multi-tenant app's service principal in this tenant.
pub(crate) fn third_party_sp(
    gen: &mut Gen,
    app_id: &str,
    name: &str,
    owner_tenant: &str,
    verified_publisher: Option<&str>,
    created: DateTime<Utc>,
) -> Value {
    let verified = match verified_publisher {
        Some(publisher) => {
            json!({"displayName": publisher, "verifiedPublisherId": gen.range(1_000_000, 9_999_999).to_string(), "addedDateTime": ms(created - Duration::days(300))})
        }
        None => json!({"displayName": null, "verifiedPublisherId": null, "addedDateTime": null}),
    };
    json!({
        "id": gen.guid(),
        "appId": app_id,
        "displayName": name,
        "accountEnabled": true,
        "appOwnerOrganizationId": owner_tenant,
        "servicePrincipalType": "Application",
        "signInAudience": "AzureADMultipleOrgs",
        "createdDateTime": ms(created),
        "publisherName": verified_publisher.unwrap_or(name),
        "verifiedPublisher": verified,
        "homepage": null,
        "replyUrls": ["https://login.microsoftonline.com/common/oauth2/nativeclient"],
        "servicePrincipalNames": [app_id],
        "tags": ["WindowsAzureActiveDirectoryIntegratedApp"],
    })
}

/// Graph's grant id: base64url (no padding) of the client, resource and, for a one-user grant,
/// principal object ids, each in .NET's GUID byte order.
pub(crate) fn grant_id(client: &str, resource: &str, principal: Option<&str>) -> String {
    use base64::Engine as _;
    let mut bytes = Vec::with_capacity(48);
    for guid in [Some(client), Some(resource), principal]
        .into_iter()
        .flatten()
    {
        bytes.extend(dotnet_guid_bytes(guid));
    }
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

fn dotnet_guid_bytes(guid: &str) -> Vec<u8> {
    let hex: Vec<u8> = guid
        .chars()
        .filter(char::is_ascii_hexdigit)
        .collect::<String>()
        .as_bytes()
        .chunks(2)
        .filter_map(|pair| {
            std::str::from_utf8(pair)
                .ok()
                .and_then(|p| u8::from_str_radix(p, 16).ok())
        })
        .collect();
    if hex.len() != 16 {
        return hex;
    }
    let mut out = Vec::with_capacity(16);
    out.extend(hex[0..4].iter().rev());
    out.extend(hex[4..6].iter().rev());
    out.extend(hex[6..8].iter().rev());
    out.extend(&hex[8..16]);
    out
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

#[cfg(test)]
mod tests {
    use super::grant_id;

    #[test]
    fn grant_ids_encode_client_and_resource_like_graph() {
        // Microsoft's documented shape: 43 characters for tenant-wide, 64 with a principal; the
        // client id's bytes lead in .NET order.
        let id = grant_id(
            "a37d484d-26d6-4318-b783-a3ee9740c7e6",
            "c1b8bed8-65aa-4e0a-b72d-91efae5e2289",
            None,
        );
        assert_eq!(id.len(), 43);
        assert!(id.starts_with("TUh9o9YmGEO3g6Pul0DH5"), "{id}");
        let with_principal = grant_id(
            "a37d484d-26d6-4318-b783-a3ee9740c7e6",
            "c1b8bed8-65aa-4e0a-b72d-91efae5e2289",
            Some("08b068e1-28c4-4b59-9eea-b17df9b07a22"),
        );
        assert_eq!(with_principal.len(), 64);
    }
}
