//! `signIns.json`: Entra sign-in log records in the beta shape of `GET /beta/auditLogs/signIns`.

use chrono::{DateTime, Utc};

use crate::record::record;

record! {
    /// One sign-in (interactive or not). Beta adds `userAgent`, `authenticationRequirement`,
    /// `authenticationProtocol`, `autonomousSystemNumber` and more to the v1.0 shape; v1.0 records
    /// read too, with those fields `None`.
    pub struct SignIn {
        required {
            id: String = "id",
            created_date_time: DateTime<Utc> = "createdDateTime",
            /// Object id of the user who signed in.
            user_id: String = "userId",
            /// `errorCode` 0 means success.
            status: SignInStatus = "status",
        }
        optional {
            user_principal_name: String = "userPrincipalName",
            user_display_name: String = "userDisplayName",
            app_id: String = "appId",
            app_display_name: String = "appDisplayName",
            ip_address: String = "ipAddress",
            client_app_used: String = "clientAppUsed",
            user_agent: String = "userAgent",
            correlation_id: String = "correlationId",
            session_id: String = "sessionId",
            is_interactive: bool = "isInteractive",
            resource_display_name: String = "resourceDisplayName",
            resource_id: String = "resourceId",
            /// `singleFactorAuthentication` or `multiFactorAuthentication`.
            authentication_requirement: String = "authenticationRequirement",
            /// e.g. `deviceCode`, `ropc`, `oAuth2`, `none`.
            authentication_protocol: String = "authenticationProtocol",
            incoming_token_type: String = "incomingTokenType",
            /// `deviceCodeFlow` for device-code phishing.
            original_transfer_method: String = "originalTransferMethod",
            autonomous_system_number: i64 = "autonomousSystemNumber",
            conditional_access_status: String = "conditionalAccessStatus",
            device_detail: DeviceDetail = "deviceDetail",
            location: SignInLocation = "location",
            authentication_details: Vec<AuthenticationDetail> = "authenticationDetails",
            mfa_detail: MfaDetail = "mfaDetail",
            /// P2-only risk fields read `hidden` on other licences.
            risk_detail: String = "riskDetail",
            risk_level_aggregated: String = "riskLevelAggregated",
            risk_level_during_sign_in: String = "riskLevelDuringSignIn",
            risk_state: String = "riskState",
            risk_event_types_v2: Vec<String> = "riskEventTypes_v2",
            unique_token_identifier: String = "uniqueTokenIdentifier",
            /// `interactiveUser`, `nonInteractiveUser`, `servicePrincipal`, `managedIdentity`.
            sign_in_event_types: Vec<String> = "signInEventTypes",
            user_type: String = "userType",
            home_tenant_id: String = "homeTenantId",
            resource_tenant_id: String = "resourceTenantId",
            cross_tenant_access_type: String = "crossTenantAccessType",
            token_issuer_type: String = "tokenIssuerType",
            service_principal_id: String = "servicePrincipalId",
            client_credential_type: String = "clientCredentialType",
        }
    }
}

impl SignIn {
    /// Whether the sign-in succeeded (`status.errorCode` is 0).
    pub fn succeeded(&self) -> bool {
        self.status.error_code == 0
    }
}

record! {
    /// A sign-in's `status`.
    pub struct SignInStatus {
        required {
            error_code: i64 = "errorCode",
        }
        optional {
            failure_reason: String = "failureReason",
            additional_details: String = "additionalDetails",
        }
    }
}

record! {
    /// A sign-in's `deviceDetail`. `deviceId` is `""` for unregistered devices.
    pub struct DeviceDetail {
        required {}
        optional {
            device_id: String = "deviceId",
            display_name: String = "displayName",
            operating_system: String = "operatingSystem",
            browser: String = "browser",
            is_compliant: bool = "isCompliant",
            is_managed: bool = "isManaged",
            trust_type: String = "trustType",
        }
    }
}

record! {
    /// A sign-in's `location`, derived by Microsoft from the IP address.
    pub struct SignInLocation {
        required {}
        optional {
            city: String = "city",
            state: String = "state",
            /// Two-letter country code.
            country_or_region: String = "countryOrRegion",
            geo_coordinates: GeoCoordinates = "geoCoordinates",
        }
    }
}

record! {
    /// `location.geoCoordinates` (may be an empty object). Kept as JSON numbers so that `47`
    /// is re-emitted as `47`, not `47.0`; [`GeoCoordinates::lat_long`] gives `f64`s.
    pub struct GeoCoordinates {
        required {}
        optional {
            latitude: serde_json::Number = "latitude",
            longitude: serde_json::Number = "longitude",
            altitude: serde_json::Number = "altitude",
        }
    }
}

impl GeoCoordinates {
    /// `(latitude, longitude)` in degrees, when both are present.
    pub fn lat_long(&self) -> Option<(f64, f64)> {
        Some((
            self.latitude.as_ref()?.as_f64()?,
            self.longitude.as_ref()?.as_f64()?,
        ))
    }
}

record! {
    /// One step of a sign-in's `authenticationDetails`.
    pub struct AuthenticationDetail {
        required {}
        optional {
            authentication_step_date_time: DateTime<Utc> = "authenticationStepDateTime",
            /// e.g. `Password`, `Mobile app notification`, `Previously satisfied`.
            authentication_method: String = "authenticationMethod",
            authentication_method_detail: String = "authenticationMethodDetail",
            succeeded: bool = "succeeded",
            authentication_step_result_detail: String = "authenticationStepResultDetail",
            authentication_step_requirement: String = "authenticationStepRequirement",
        }
    }
}

record! {
    /// A sign-in's `mfaDetail` (older beta shape).
    pub struct MfaDetail {
        required {}
        optional {
            auth_method: String = "authMethod",
            auth_detail: String = "authDetail",
        }
    }
}
