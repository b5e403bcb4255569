//! The synthesised partner (MSP) tenant: the technician who signs in, the app registrations
//! Parapet creates there, and the customer relationships derived from the loaded tenants.

use super::tenant::{Record, TenantData};
use serde_json::{json, Value};

/// The desktop (public) client id the technician signs in with; registered in the partner
/// tenant with loopback redirect URIs. Fixed so the demo workspace can be configured once.
pub const PUBLIC_CLIENT_ID: &str = "3f2c9b1e-7d4a-4e8b-9a61-5c0d8e2f7b13";

pub struct PartnerTenant {
    pub id: String,
    pub display_name: String,
    pub domain: String,
    pub technician_id: String,
    pub technician_upn: String,
    /// (app id, key id, secret text) of every password credential; never logged.
    pub secrets: Vec<PartnerSecret>,
}

pub struct PartnerSecret {
    pub app_id: String,
    pub key_id: String,
    pub secret: String,
}

impl PartnerTenant {
    /// The partner tenant and its directory (technician user, the public client registration).
    pub fn new(
        id: String,
        technician_id: String,
        public_app_object_id: String,
    ) -> (PartnerTenant, TenantData) {
        let domain = "northwindmsp.onmicrosoft.com".to_string();
        let public_app = json!({
            "id": public_app_object_id,
            "appId": PUBLIC_CLIENT_ID,
            "displayName": "Parapet (desktop sign-in)",
            "signInAudience": "AzureADMyOrg",
            "isFallbackPublicClient": true,
            "publicClient": {"redirectUris": ["http://localhost", "http://127.0.0.1"]},
            "web": {"redirectUris": []},
            "passwordCredentials": [],
            "keyCredentials": [],
            "requiredResourceAccess": [],
            "createdDateTime": "2026-01-01T00:00:00Z",
        });
        let partner = PartnerTenant {
            id,
            display_name: "Northwind MSP (simulated partner)".into(),
            technician_upn: format!("technician@{domain}"),
            technician_id,
            domain,
            secrets: Vec::new(),
        };
        let data = TenantData {
            id: partner.id.clone(),
            display_name: partner.display_name.clone(),
            default_domain: partner.domain.clone(),
            verified_domains: vec![partner.domain.clone()],
            p1: true,
            users: as_record(partner.technician_user()).into_iter().collect(),
            applications: as_record(public_app).into_iter().collect(),
            ..TenantData::default()
        };
        (partner, data)
    }

    pub fn technician_user(&self) -> Value {
        json!({
            "id": self.technician_id,
            "displayName": "MSP Technician",
            "givenName": "MSP",
            "surname": "Technician",
            "userPrincipalName": self.technician_upn,
            "mail": self.technician_upn,
            "accountEnabled": true,
            "userType": "Member",
            "businessPhones": [],
            "jobTitle": "Technician",
            "mobilePhone": null,
            "officeLocation": null,
            "preferredLanguage": "en-US",
        })
    }

    pub fn secret_matches(&self, app_id: &str, secret: &str) -> bool {
        self.secrets
            .iter()
            .any(|s| s.app_id.eq_ignore_ascii_case(app_id) && constant_time_eq(&s.secret, secret))
    }
}

fn as_record(v: Value) -> Option<Record> {
    match v {
        Value::Object(o) => Some(o),
        _ => None,
    }
}

fn constant_time_eq(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}
