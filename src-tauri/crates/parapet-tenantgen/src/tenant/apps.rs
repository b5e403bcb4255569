//! Applications in the tenant: Microsoft's first-party service principals, the MSP's
//! management app, and the helpers consent (benign or illicit) uses.

use chrono::{DateTime, Duration, Utc};
use serde_json::{json, Value};

use crate::catalog::apps::{self, FIRST_PARTY_SERVICE_PRINCIPALS, MICROSOFT_TENANT};
use crate::rng::Gen;
use crate::time::ms;
use crate::world::World;

pub(crate) fn add_service_principals(world: &mut World, gen: &mut Gen) {
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
