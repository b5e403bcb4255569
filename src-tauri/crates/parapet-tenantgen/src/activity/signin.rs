//! Sign-in records (beta `signIns` shape) and their Unified Audit Log twins
//! (`UserLoggedIn` / `UserLoginFailed`, AzureActiveDirectoryStsLogon).

use chrono::{DateTime, Duration, Utc};
use serde_json::{json, Value};

use crate::catalog::apps::App;
use crate::time::{ms, whole_seconds};
use crate::world::{Person, Spot, World};

/// The device as the sign-in log describes it.
#[derive(Debug, Clone)]
pub(crate) enum SeenDevice {
    /// A registered or joined device: its device id, name and trust type appear.
    Registered {
        device_id: String,
        name: String,
        os: &'static str,
        browser: &'static str,
        trust_type: &'static str,
        compliant: bool,
    },
    /// No device identity: `deviceId` is `""`.
    Unregistered { os: &'static str, browser: String },
}

/// How the user proved who they were.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Proof {
    /// Non-interactive token refresh: no authentication steps.
    Refresh,
    /// Password, then an Authenticator push.
    PasswordAndPush,
    /// Password only (single-factor, or MFA still to come).
    Password,
    /// Wrong password.
    WrongPassword,
    /// Both factors satisfied by claims in a presented token (a session cookie or refresh token).
    ClaimInToken,
}

#[derive(Debug, Clone)]
pub(crate) struct SignInEvent<'a> {
    pub person: &'a Person,
    pub time: DateTime<Utc>,
    pub app: App,
    pub resource: App,
    pub spot: &'a Spot,
    pub user_agent: &'a str,
    pub device: SeenDevice,
    pub interactive: bool,
    /// `Browser` or `Mobile Apps and Desktop clients`.
    pub client_app: &'static str,
    pub error_code: i64,
    pub proof: Proof,
    pub mfa_required: bool,
    /// `none`, `ropc`, `deviceCode`.
    pub protocol: &'static str,
    pub session_id: String,
    /// P2 tenants: (risk level, risk event type) Identity Protection assigned.
    pub risk: Option<(&'static str, &'static str)>,
}

pub(crate) fn failure_text(code: i64) -> (Value, Value) {
    let (reason, details) = match code {
        0 => return (Value::Null, Value::Null),
        50126 => ("Error validating credentials due to invalid username or password.", "The user didn't enter the right credentials. It's expected to see some number of these errors in your logs due to users making mistakes."),
        50074 => ("Strong Authentication is required.", "The user is required to complete a second factor of authentication."),
        50140 => ("This error occurred due to 'Keep me signed in' interrupt when the user was signing in.", "This is an expected part of the login flow, where a user is asked if they want to remain signed into this browser to make further logins easier."),
        50053 => ("Account is locked because user tried to sign in too many times with an incorrect user ID or password.", "The account is locked to protect it from repeated sign-in attempts with a wrong password."),
        50173 => ("The provided grant has expired due to it being revoked, a fresh auth token is needed.", "The user's refresh tokens were revoked; they must sign in again."),
        500121 => ("Authentication failed during strong authentication request.", "The user didn't complete the MFA prompt."),
        _ => ("Other.", "Other."),
    };
    (json!(reason), json!(details))
}

impl World {
    /// Records a sign-in: in `signIns.json` when the tenant has Entra ID P1 (Microsoft keeps no
    /// readable sign-in log otherwise), and, for interactive ones, as a UAL logon record.
    pub(crate) fn push_sign_in(&mut self, event: &SignInEvent<'_>) {
        let id = self.ids.guid();
        let correlation = self.ids.guid();
        if self.spec.licences.entra_id_p1 {
            let record = self.sign_in_json(event, &id, &correlation);
            self.sign_ins.push((event.time, record));
        }
        if event.interactive {
            let record = self.logon_audit_json(event, &id, &correlation);
            self.audit_records.push((whole_seconds(event.time), record));
        }
    }

    fn sign_in_json(&mut self, event: &SignInEvent<'_>, id: &str, correlation: &str) -> Value {
        let (reason, details) = failure_text(event.error_code);
        let device = match &event.device {
            SeenDevice::Registered {
                device_id,
                name,
                os,
                browser,
                trust_type,
                compliant,
            } => json!({
                "deviceId": device_id, "displayName": name, "operatingSystem": os, "browser": browser,
                "isCompliant": compliant, "isManaged": compliant, "trustType": trust_type,
            }),
            SeenDevice::Unregistered { os, browser } => json!({
                "deviceId": "", "displayName": null, "operatingSystem": os, "browser": browser,
                "isCompliant": null, "isManaged": null, "trustType": null,
            }),
        };
        let steps = self.auth_steps(event);
        let p2 = self.spec.licences.entra_id_p2;
        let (risk_level, risk_state, risk_events, risk_detail) = match (p2, event.risk) {
            (false, _) => ("hidden", "none", vec![], "hidden"),
            (true, None) => ("none", "none", vec![], "none"),
            (true, Some((level, kind))) => (level, "atRisk", vec![kind], "none"),
        };
        let place = &event.spot.place;
        let success = event.error_code == 0;
        json!({
            "id": id,
            "createdDateTime": ms(event.time),
            "userDisplayName": event.person.display,
            "userPrincipalName": event.person.upn,
            "userId": event.person.id,
            "appId": event.app.app_id,
            "appDisplayName": event.app.name,
            "ipAddress": event.spot.ip,
            "clientAppUsed": event.client_app,
            "userAgent": event.user_agent,
            "correlationId": correlation,
            "conditionalAccessStatus": if success && self.spec.licences.entra_id_p1 { "success" } else { "notApplied" },
            "isInteractive": event.interactive,
            "riskDetail": risk_detail,
            "riskLevelAggregated": risk_level,
            "riskLevelDuringSignIn": risk_level,
            "riskState": risk_state,
            "riskEventTypes_v2": risk_events,
            "resourceDisplayName": event.resource.name,
            "resourceId": event.resource.app_id,
            "userType": "member",
            "authenticationRequirement": if event.mfa_required { "multiFactorAuthentication" } else { "singleFactorAuthentication" },
            "authenticationProtocol": event.protocol,
            "originalTransferMethod": if event.protocol == "deviceCode" { "deviceCodeFlow" } else { "none" },
            "incomingTokenType": match event.proof { Proof::Refresh => "refreshToken", Proof::ClaimInToken => "none", _ => "none" },
            "signInEventTypes": [if event.interactive { "interactiveUser" } else { "nonInteractiveUser" }],
            "autonomousSystemNumber": event.spot.asn,
            "sessionId": event.session_id,
            "uniqueTokenIdentifier": self.ids.base64url(22),
            "homeTenantId": self.tenant_id,
            "resourceTenantId": self.tenant_id,
            "status": {"errorCode": event.error_code, "failureReason": reason, "additionalDetails": details},
            "deviceDetail": device,
            "location": {
                "city": place.city, "state": place.state, "countryOrRegion": place.country,
                "geoCoordinates": {"latitude": place.latitude, "longitude": place.longitude},
            },
            "authenticationDetails": steps,
        })
    }

    fn auth_steps(&self, event: &SignInEvent<'_>) -> Vec<Value> {
        let at = ms(event.time);
        let password_source = if event.person.synced {
            "Password Hash Sync"
        } else {
            "Password in the cloud"
        };
        let step = |method: &str,
                    detail: Value,
                    ok: bool,
                    result: &str,
                    requirement: &str,
                    at: &str| {
            json!({
                "authenticationStepDateTime": at, "authenticationMethod": method, "authenticationMethodDetail": detail,
                "succeeded": ok, "authenticationStepResultDetail": result, "authenticationStepRequirement": requirement,
            })
        };
        match event.proof {
            Proof::Refresh => Vec::new(),
            Proof::WrongPassword => vec![step(
                "Password",
                json!(password_source),
                false,
                "Invalid username or password or Invalid on-premise username or password.",
                "Primary authentication",
                &at,
            )],
            Proof::Password => vec![step(
                "Password",
                json!(password_source),
                true,
                "Correct password",
                "Primary authentication",
                &at,
            )],
            Proof::PasswordAndPush => {
                let earlier = ms(event.time - Duration::seconds(6));
                vec![
                    step(
                        "Password",
                        json!(password_source),
                        true,
                        "Correct password",
                        "Primary authentication",
                        &earlier,
                    ),
                    step(
                        "Mobile app notification",
                        Value::Null,
                        true,
                        "MFA successfully completed",
                        "Multifactor authentication",
                        &at,
                    ),
                ]
            }
            Proof::ClaimInToken => vec![
                step(
                    "Previously satisfied",
                    Value::Null,
                    true,
                    "First factor requirement satisfied by claim in the token",
                    "Primary authentication",
                    &at,
                ),
                step(
                    "Previously satisfied",
                    Value::Null,
                    true,
                    "MFA requirement satisfied by claim in the token",
                    "Multifactor authentication",
                    &at,
                ),
            ],
        }
    }

    fn logon_audit_json(&mut self, event: &SignInEvent<'_>, id: &str, correlation: &str) -> Value {
        let success = event.error_code == 0;
        let (os, browser) = match &event.device {
            SeenDevice::Registered { os, browser, .. } => (*os, (*browser).to_owned()),
            SeenDevice::Unregistered { os, browser } => (*os, browser.clone()),
        };
        let mut record = json!({
            "CreationTime": ms(whole_seconds(event.time)),
            "Id": self.ids.guid(),
            "Operation": if success { "UserLoggedIn" } else { "UserLoginFailed" },
            "OrganizationId": self.tenant_id,
            "RecordType": 15,
            "ResultStatus": if success { "Success" } else { "Failed" },
            "UserKey": event.person.id,
            "UserType": 0,
            "Version": 1,
            "Workload": "AzureActiveDirectory",
            "ClientIP": event.spot.ip,
            "ObjectId": event.resource.app_id,
            "UserId": event.person.upn,
            "AzureActiveDirectoryEventType": 1,
            "ExtendedProperties": [
                {"Name": "ResultStatusDetail", "Value": if success { "Success" } else { "Redirect" }},
                {"Name": "UserAgent", "Value": event.user_agent},
                {"Name": "RequestType", "Value": if event.protocol == "deviceCode" { "Cmsi:Cmsi" } else { "OAuth2:Authorize" }},
            ],
            "ModifiedProperties": [],
            "Actor": [{"ID": event.person.id, "Type": 0}, {"ID": event.person.upn, "Type": 5}],
            "ActorContextId": self.tenant_id,
            "ActorIpAddress": event.spot.ip,
            "InterSystemsId": correlation,
            "IntraSystemId": id,
            "SupportTicketId": "",
            "Target": [{"ID": event.resource.app_id, "Type": 0}],
            "TargetContextId": self.tenant_id,
            "ApplicationId": event.app.app_id,
            "DeviceProperties": [
                {"Name": "OS", "Value": os},
                {"Name": "BrowserType", "Value": browser},
                {"Name": "SessionId", "Value": event.session_id},
            ],
            "ErrorNumber": event.error_code.to_string(),
        });
        if !success {
            if let Some(map) = record.as_object_mut() {
                let error = if event.error_code == 50126 {
                    "InvalidUserNameOrPassword"
                } else {
                    "UserStrongAuthClientAuthNRequired"
                };
                map.insert("LogonError".into(), json!(error));
            }
        }
        record
    }
}
