//! Sign-in events from Entra `signIns` (beta shape) and, where those are missing, from the unified
//! audit log's `UserLoggedIn` / `UserLoginFailed` records.

use std::collections::BTreeSet;

use serde_json::Value;

use super::json::{array, flag, int, name_value, parse_ip, text, text_any, time};
use super::{SignInEvent, SignInOutcome, SignInSource};
use crate::network::NetworkLookup;

/// Classifies an AADSTS error code by what it says about the attacker's knowledge.
pub fn outcome_of(error_code: i64) -> SignInOutcome {
    match error_code {
        0 => SignInOutcome::Success,
        // Strong auth or a CA/KMSI step was pending: the password itself was accepted.
        50074 | 50076 | 50079 | 50072 | 50140 | 50158 | 53000 | 53001 | 53003 | 530032 => {
            SignInOutcome::PasswordValid
        }
        50126 | 50055 | 50056 | 50034 => SignInOutcome::PasswordWrong,
        500121 => SignInOutcome::MfaDenied,
        50053 => SignInOutcome::Locked,
        50173 | 70043 | 700082 | 50133 => SignInOutcome::TokenRevoked,
        _ => SignInOutcome::OtherFailure,
    }
}

/// Context of the audit log's logons: which app ids belong to third parties.
pub struct SignInContext<'a> {
    pub third_party_app_ids: &'a BTreeSet<String>,
    pub lookup: &'a dyn NetworkLookup,
}

/// An Entra sign-in record. `third_party_app` is left `false`: it is known only once every
/// sign-in has been read (a rogue app can be known from its sign-ins alone), so the caller sets it.
pub fn from_entra(record: &Value, lookup: &dyn NetworkLookup) -> Option<SignInEvent> {
    let record_id = text(record, "id")?;
    let time = time(record, &["createdDateTime"])?;
    let user_id = text(record, "userId").unwrap_or_default();
    let upn = text(record, "userPrincipalName")
        .unwrap_or_default()
        .to_ascii_lowercase();
    let error_code = int(record, "status.errorCode").unwrap_or(0);
    let ip_text = text(record, "ipAddress").unwrap_or_default();
    let ip = parse_ip(&ip_text);
    let asn = int(record, "autonomousSystemNumber")
        .and_then(|a| u32::try_from(a).ok())
        .filter(|a| *a > 0);
    let mut network = lookup.network(ip, asn);
    // The sign-in log's own geolocation is what a technician sees next to the record.
    if let Some(country) = text_any(record, &["location.countryOrRegion"]) {
        network.country = Some(country);
    }
    let details = array(record, "authenticationDetails");
    let mfa_completed = details.iter().any(|d| {
        text(d, "authenticationStepResultDetail").is_some_and(|s| {
            s.to_ascii_lowercase()
                .contains("mfa successfully completed")
        })
    });
    let interactive = flag(record, "isInteractive").unwrap_or_else(|| {
        array(record, "signInEventTypes")
            .iter()
            .any(|t| t.as_str() == Some("interactiveUser"))
    });
    let risk_level = text(record, "riskLevelDuringSignIn")
        .unwrap_or_default()
        .to_ascii_lowercase();
    let app_id = text(record, "appId")
        .unwrap_or_default()
        .to_ascii_lowercase();
    Some(SignInEvent {
        record_id,
        source: SignInSource::EntraSignIns,
        time,
        user_id,
        upn,
        outcome: outcome_of(error_code),
        error_code,
        third_party_app: false,
        app_id,
        app_name: text(record, "appDisplayName").unwrap_or_default(),
        ip,
        ip_text,
        network,
        user_agent: text(record, "userAgent").unwrap_or_default(),
        protocol: text(record, "authenticationProtocol").unwrap_or_default(),
        client_app: text(record, "clientAppUsed").unwrap_or_default(),
        interactive,
        device_id: text(record, "deviceDetail.deviceId").filter(|d| !d.is_empty()),
        session_id: text(record, "sessionId").filter(|s| !s.is_empty()),
        mfa_completed,
        single_factor: text(record, "authenticationRequirement")
            .is_some_and(|r| r == "singleFactorAuthentication"),
        risk_high_or_medium: matches!(risk_level.as_str(), "high" | "medium"),
    })
}

/// `UserLoggedIn` / `UserLoginFailed` from the Management Activity API (RecordType 15).
pub fn from_unified_audit(
    record: &Value,
    user_id: &str,
    ctx: &SignInContext<'_>,
) -> Option<SignInEvent> {
    let operation = text(record, "Operation")?;
    let failed = match operation.as_str() {
        "UserLoggedIn" => false,
        "UserLoginFailed" => true,
        _ => return None,
    };
    let error_code = int(record, "ErrorNumber").unwrap_or(if failed { 50126 } else { 0 });
    let ip_text = text_any(record, &["ClientIP", "ActorIpAddress"]).unwrap_or_default();
    let ip = parse_ip(&ip_text);
    let app_id = text_any(record, &["ApplicationId", "AppId"])
        .unwrap_or_default()
        .to_ascii_lowercase();
    let device_id = name_value(record, "DeviceProperties", "Id").filter(|d| !d.is_empty());
    let request_type = name_value(record, "ExtendedProperties", "RequestType").unwrap_or_default();
    Some(SignInEvent {
        record_id: text(record, "Id")?,
        source: SignInSource::UnifiedAuditLog,
        time: time(record, &["CreationTime"])?,
        user_id: user_id.to_string(),
        upn: text(record, "UserId")
            .unwrap_or_default()
            .to_ascii_lowercase(),
        outcome: if failed {
            outcome_of(if error_code == 0 { 50126 } else { error_code })
        } else {
            SignInOutcome::Success
        },
        error_code,
        third_party_app: ctx.third_party_app_ids.contains(&app_id),
        app_id,
        app_name: String::new(),
        ip,
        network: ctx.lookup.network(ip, None),
        ip_text,
        user_agent: name_value(record, "ExtendedProperties", "UserAgent").unwrap_or_default(),
        protocol: if request_type.contains("DeviceCode") {
            "deviceCode".into()
        } else {
            String::new()
        },
        client_app: String::new(),
        interactive: true,
        device_id,
        session_id: name_value(record, "DeviceProperties", "SessionId").filter(|s| !s.is_empty()),
        mfa_completed: false,
        single_factor: false,
        risk_high_or_medium: false,
    })
}
