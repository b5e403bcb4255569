use parapet_secrets::Sensitive;
use serde::Deserialize;

use super::record;

pub use parapet_snapshot::model::{AppRoleAssignment, OAuth2PermissionGrant, ServicePrincipal};

record! {
    /// `GET /applications`: apps registered in the tenant.
    #[serde(rename_all = "camelCase")]
    pub struct Application {
        opt id: String,
        opt app_id: String,
        opt display_name: String,
        opt sign_in_audience: String,
        opt publisher_domain: String,
        opt created_date_time: String,
        opt password_credentials: Vec<PasswordCredential>,
        opt key_credentials: Vec<serde_json::Value>,
        opt required_resource_access: Vec<serde_json::Value>,
    }
}

record! {
    /// A credential as listed: `hint` only, the secret text is never returned after creation.
    #[serde(rename_all = "camelCase")]
    pub struct PasswordCredential {
        opt key_id: String,
        opt display_name: String,
        opt hint: String,
        opt start_date_time: String,
        opt end_date_time: String,
    }
}

/// The answer to `addPassword`: the only time Microsoft returns the secret text.
#[derive(Debug)]
pub struct AddedPassword {
    pub key_id: String,
    pub display_name: Option<String>,
    pub end_date_time: Option<String>,
    pub hint: Option<String>,
    pub secret: Sensitive<String>,
}

// Not Debug: holds the raw secret text until it is wrapped.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct RawAddedPassword {
    key_id: String,
    #[serde(default)]
    display_name: Option<String>,
    #[serde(default)]
    end_date_time: Option<String>,
    #[serde(default)]
    hint: Option<String>,
    secret_text: String,
}

impl From<RawAddedPassword> for AddedPassword {
    fn from(raw: RawAddedPassword) -> Self {
        AddedPassword {
            key_id: raw.key_id,
            display_name: raw.display_name,
            end_date_time: raw.end_date_time,
            hint: raw.hint,
            secret: Sensitive::new(raw.secret_text),
        }
    }
}
