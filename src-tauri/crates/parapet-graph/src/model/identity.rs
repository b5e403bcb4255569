use super::record;

pub use parapet_snapshot::model::{ConditionalAccessPolicy, Device};

record! {
    /// One item of `GET /users/{id}/authentication/methods`, discriminated by `@odata.type`.
    #[serde(rename_all = "camelCase")]
    pub struct AuthenticationMethod {
        req id: String,
        opt #[serde(rename = "@odata.type")] odata_type: String,
        opt display_name: String,
        opt /// Null for most Authenticator registrations, so attacker-added ones cannot be dated.
            created_date_time: String,
        opt phone_number: String,
        opt phone_type: String,
        opt device_tag: String,
    }
}

/// The kinds of authentication method, with the collection used to delete one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MethodKind {
    Password,
    Phone,
    MicrosoftAuthenticator,
    Fido2,
    WindowsHello,
    Email,
    SoftwareOath,
    TemporaryAccessPass,
    PlatformCredential,
    Unknown,
}

impl MethodKind {
    pub fn from_odata_type(odata_type: &str) -> MethodKind {
        match odata_type.trim_start_matches("#microsoft.graph.") {
            "passwordAuthenticationMethod" => MethodKind::Password,
            "phoneAuthenticationMethod" => MethodKind::Phone,
            "microsoftAuthenticatorAuthenticationMethod" => MethodKind::MicrosoftAuthenticator,
            "fido2AuthenticationMethod" => MethodKind::Fido2,
            "windowsHelloForBusinessAuthenticationMethod" => MethodKind::WindowsHello,
            "emailAuthenticationMethod" => MethodKind::Email,
            "softwareOathAuthenticationMethod" => MethodKind::SoftwareOath,
            "temporaryAccessPassAuthenticationMethod" => MethodKind::TemporaryAccessPass,
            "platformCredentialAuthenticationMethod" => MethodKind::PlatformCredential,
            _ => MethodKind::Unknown,
        }
    }

    /// The `/users/{id}/authentication/{collection}/{methodId}` segment for DELETE; passwords
    /// and unknown kinds cannot be deleted that way.
    pub fn collection(self) -> Option<&'static str> {
        Some(match self {
            MethodKind::Phone => "phoneMethods",
            MethodKind::MicrosoftAuthenticator => "microsoftAuthenticatorMethods",
            MethodKind::Fido2 => "fido2Methods",
            MethodKind::WindowsHello => "windowsHelloForBusinessMethods",
            MethodKind::Email => "emailMethods",
            MethodKind::SoftwareOath => "softwareOathMethods",
            MethodKind::TemporaryAccessPass => "temporaryAccessPassMethods",
            MethodKind::PlatformCredential => "platformCredentialMethods",
            MethodKind::Password | MethodKind::Unknown => return None,
        })
    }
}

impl AuthenticationMethod {
    /// The kind; `phoneMethods` items carry no `@odata.type` but a `phoneType`.
    pub fn kind(&self) -> MethodKind {
        match &self.odata_type {
            Some(t) => MethodKind::from_odata_type(t),
            None if self.phone_type.is_some() => MethodKind::Phone,
            None => MethodKind::Unknown,
        }
    }
}

record! {
    /// `identityProtection/riskyUsers`
    #[serde(rename_all = "camelCase")]
    pub struct RiskyUser {
        req id: String,
        opt is_deleted: bool,
        opt is_processing: bool,
        opt risk_last_updated_date_time: String,
        opt risk_level: String,
        opt risk_state: String,
        opt risk_detail: String,
        opt user_display_name: String,
        opt user_principal_name: String,
    }
}

record! {
    /// `identityProtection/riskDetections`. `additionalInfo` is itself a JSON string.
    #[serde(rename_all = "camelCase")]
    pub struct RiskDetection {
        req id: String,
        opt request_id: String,
        opt correlation_id: String,
        opt risk_event_type: String,
        opt risk_state: String,
        opt risk_level: String,
        opt risk_detail: String,
        opt source: String,
        opt detection_timing_type: String,
        opt activity: String,
        opt ip_address: String,
        opt location: serde_json::Value,
        opt activity_date_time: String,
        opt detected_date_time: String,
        opt user_id: String,
        opt user_principal_name: String,
        opt additional_info: String,
    }
}

impl RiskDetection {
    /// `additionalInfo` parsed as the second JSON document it is, as `(Key, Value)` pairs.
    pub fn additional_info_pairs(&self) -> Vec<(String, serde_json::Value)> {
        let Some(text) = &self.additional_info else {
            return Vec::new();
        };
        let Ok(serde_json::Value::Array(items)) = serde_json::from_str(text) else {
            return Vec::new();
        };
        items
            .into_iter()
            .filter_map(|item| {
                let key = item.get("Key")?.as_str()?.to_string();
                Some((key, item.get("Value").cloned().unwrap_or_default()))
            })
            .collect()
    }
}

record! {
    /// `GET /users/{id}/authentication/operations/{id}` after a password reset.
    #[serde(rename_all = "camelCase")]
    pub struct LongRunningOperation {
        req id: String,
        opt /// `notStarted`, `running`, `succeeded`, `failed`.
            status: String,
        opt status_detail: String,
        opt resource_location: String,
        opt created_date_time: String,
        opt last_action_date_time: String,
    }
}
