//! A small tenant built in code: users with 30 days of ordinary history, plus whatever a case
//! adds. Records are in the snapshot spec's JSON shapes, so the whole pipeline (normalization,
//! rules, correlation) runs on them.

use chrono::{DateTime, Duration, TimeZone, Utc};
use parapet_detect::{scan_raw, NetClass, RawSnapshot, ScanReport, StaticLookup};
use serde_json::{json, Value};

pub const TENANT: &str = "11111111-1111-1111-1111-111111111111";
pub const HOME_ASN: u32 = 7922;
pub const MOBILE_ASN: u32 = 20057;
pub const AWS: u32 = 14618;
pub const HETZNER: u32 = 24940;
pub const M247_VPN: u32 = 9009;
pub const JAPAN_ISP: u32 = 4713;
pub const OTHER_HOME_ASN: u32 = 701;
pub const OFFICE_ASN: u32 = 3356;
/// The office's internet address (a business line, NAT for every desk).
pub const OFFICE_IP: &str = "203.0.113.10";
pub const OFFICE_HOME: &str = "4765445b-32c6-49b0-83e6-1d93765276ca";
pub const BROKER: &str = "29d9ed98-a469-4536-ade2-f981bc1d605e";
pub const BROWSER: &str =
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36";

pub fn lookup() -> StaticLookup {
    StaticLookup::default()
        .with_asn(HOME_ASN, NetClass::Residential, "Comcast")
        .with_asn(OTHER_HOME_ASN, NetClass::Residential, "Verizon")
        .with_asn(MOBILE_ASN, NetClass::Mobile, "AT&T Mobility")
        .with_asn(AWS, NetClass::Hosting, "Amazon")
        .with_asn(HETZNER, NetClass::Hosting, "Hetzner")
        .with_asn(M247_VPN, NetClass::Vpn, "M247")
        .with_asn(JAPAN_ISP, NetClass::Isp, "NTT")
        .with_asn(OFFICE_ASN, NetClass::Business, "Lumen")
        .with_ip(OFFICE_IP, OFFICE_ASN, "US")
        .with_ip("98.7.7.7", OTHER_HOME_ASN, "US")
        .with_ip("88.198.1.1", HETZNER, "DE")
        .with_ip("3.3.3.3", AWS, "US")
        .with_ip("73.0.0.1", HOME_ASN, "US")
}

pub fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 10, 1, 9, 0, 0)
        .single()
        .unwrap_or_default()
}

/// Day `d`, hour `h` after the start of the fixture.
pub fn at(d: i64, h: i64) -> DateTime<Utc> {
    t0() + Duration::days(d) + Duration::hours(h)
}

pub fn now() -> DateTime<Utc> {
    at(60, 0)
}

fn ts(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

pub struct Tenant {
    pub raw: RawSnapshot,
    seq: u32,
}

pub fn user_id(name: &str) -> String {
    let mut n: u64 = 0;
    for b in name.bytes() {
        n = n.wrapping_mul(31).wrapping_add(u64::from(b));
    }
    format!("00000000-0000-4000-8000-{:012x}", n % 0x1_0000_0000_0000)
}

pub fn upn(name: &str) -> String {
    format!("{name}@contoso.com")
}

/// One sign-in; fields default to an ordinary interactive browser sign-in from home.
#[derive(Clone)]
pub struct SignIn {
    pub user: String,
    pub time: DateTime<Utc>,
    pub ip: String,
    pub asn: u32,
    pub country: String,
    pub app_id: String,
    pub app: String,
    pub ua: String,
    pub device: String,
    pub session: String,
    pub error: i64,
    pub protocol: String,
    pub interactive: bool,
    pub single_factor: bool,
}

pub fn sign_in(user: &str, time: DateTime<Utc>) -> SignIn {
    SignIn {
        user: user.to_string(),
        time,
        ip: "73.0.0.1".into(),
        asn: HOME_ASN,
        country: "US".into(),
        app_id: "9199bf20-a13f-4107-85dc-02114787ef48".into(),
        app: "One Outlook Web".into(),
        ua: BROWSER.into(),
        device: format!("dev-{user}"),
        session: format!("s-{user}-{}", time.timestamp()),
        error: 0,
        protocol: "none".into(),
        interactive: true,
        single_factor: false,
    }
}

impl SignIn {
    pub fn from(mut self, ip: &str, asn: u32, country: &str) -> Self {
        self.ip = ip.into();
        self.asn = asn;
        self.country = country.into();
        self
    }
    pub fn app(mut self, id: &str, name: &str) -> Self {
        self.app_id = id.into();
        self.app = name.into();
        self
    }
    pub fn ua(mut self, ua: &str) -> Self {
        self.ua = ua.into();
        self
    }
    pub fn no_device(mut self) -> Self {
        self.device = String::new();
        self
    }
    pub fn device(mut self, d: &str) -> Self {
        self.device = d.into();
        self
    }
    pub fn session(mut self, s: &str) -> Self {
        self.session = s.into();
        self
    }
    pub fn error(mut self, code: i64) -> Self {
        self.error = code;
        self
    }
    pub fn protocol(mut self, p: &str) -> Self {
        self.protocol = p.into();
        self
    }
    pub fn background(mut self) -> Self {
        self.interactive = false;
        self
    }
    pub fn password_only(mut self) -> Self {
        self.single_factor = true;
        self
    }
}

impl Tenant {
    /// Users with 30 days of routine: browser from home and phone on mobile, registered devices.
    pub fn with_users(names: &[&str]) -> Tenant {
        let mut t = Tenant {
            raw: RawSnapshot::default(),
            seq: 0,
        };
        t.raw.tenant = json!({"id": TENANT, "displayName": "Contoso", "defaultDomainName": "contoso.com",
            "verifiedDomains": ["contoso.com", "contoso.onmicrosoft.com"], "snapshotTime": ts(now())});
        for name in names {
            t.raw.users.push(json!({"id": user_id(name), "userPrincipalName": upn(name), "displayName": name, "mail": upn(name), "accountEnabled": true}));
            t.raw.mailboxes.push(json!({"userId": user_id(name), "userPrincipalName": upn(name), "identity": name, "forwardingSmtpAddress": null, "forwardingAddress": null}));
            for d in 0..30 {
                t.add(sign_in(name, at(d, 0)));
                if d % 3 == 0 {
                    t.add(
                        sign_in(name, at(d, 5))
                            .from("166.1.1.1", MOBILE_ASN, "US")
                            .device(&format!("phone-{name}"))
                            .app("27922004-5251-4030-b22d-91ecd9a37ea4", "Outlook Mobile")
                            .ua("Outlook-iOS/2.0")
                            .background(),
                    );
                }
            }
        }
        t
    }

    fn id(&mut self, prefix: &str) -> String {
        self.seq += 1;
        format!("{prefix}-{:04}", self.seq)
    }

    pub fn add(&mut self, s: SignIn) -> String {
        let id = self.id("si");
        let mfa = if s.single_factor {
            "singleFactorAuthentication"
        } else {
            "multiFactorAuthentication"
        };
        self.raw.sign_ins.push(json!({
            "id": id, "createdDateTime": ts(s.time), "userId": user_id(&s.user), "userPrincipalName": upn(&s.user),
            "appId": s.app_id, "appDisplayName": s.app, "ipAddress": s.ip, "autonomousSystemNumber": s.asn,
            "location": {"countryOrRegion": s.country}, "userAgent": s.ua, "status": {"errorCode": s.error},
            "deviceDetail": {"deviceId": s.device}, "sessionId": s.session, "isInteractive": s.interactive,
            "authenticationRequirement": mfa, "authenticationProtocol": s.protocol, "clientAppUsed": "Browser",
            "riskLevelDuringSignIn": "none"
        }));
        id
    }

    pub fn audit(
        &mut self,
        time: DateTime<Utc>,
        user: &str,
        ip: &str,
        operation: &str,
        params: &[(&str, &str)],
    ) -> String {
        let id = self.id("ar");
        let parameters: Vec<Value> = params
            .iter()
            .map(|(n, v)| json!({"Name": n, "Value": v}))
            .collect();
        let object = params
            .iter()
            .find(|(n, _)| *n == "Name")
            .map(|(_, v)| format!("EURPR01/contoso.onmicrosoft.com/{user}\\{v}"));
        self.raw.audit_records.push(json!({
            "Id": id, "CreationTime": ts(time), "Operation": operation, "UserId": upn(user), "ClientIP": format!("{ip}:4431"),
            "Workload": "Exchange", "RecordType": 1, "ObjectId": object.unwrap_or_else(|| user.to_string()), "Parameters": parameters
        }));
        id
    }

    pub fn mailbox_op(
        &mut self,
        time: DateTime<Utc>,
        user: &str,
        ip: &str,
        operation: &str,
    ) -> String {
        let id = self.id("ar");
        self.raw.audit_records.push(json!({
            "Id": id, "CreationTime": ts(time), "Operation": operation, "UserId": upn(user), "ClientIP": ip,
            "Workload": "Exchange", "RecordType": 2, "MailboxOwnerUPN": upn(user)
        }));
        id
    }

    pub fn directory(
        &mut self,
        time: DateTime<Utc>,
        activity: &str,
        initiator: &str,
        ip: &str,
        target: Value,
        details: Value,
    ) -> String {
        let id = self.id("da");
        self.raw.directory_audits.push(json!({
            "id": id, "activityDateTime": ts(time), "activityDisplayName": activity, "result": "success",
            "initiatedBy": {"user": {"id": user_id(initiator), "userPrincipalName": upn(initiator), "ipAddress": ip}},
            "targetResources": [target], "additionalDetails": details
        }));
        id
    }

    pub fn inbox_rule_now(&mut self, user: &str, id: &str, rule: Value) {
        let mut rule = rule;
        rule["id"] = json!(id);
        self.raw
            .message_rules
            .entry(user_id(user))
            .or_default()
            .push(rule);
    }

    pub fn forwarding_now(&mut self, user: &str, target: &str) {
        for m in &mut self.raw.mailboxes {
            if m["userId"] == json!(user_id(user)) {
                m["forwardingSmtpAddress"] = json!(format!("smtp:{target}"));
            }
        }
    }

    pub fn scan(&self) -> ScanReport {
        scan_raw(&self.raw, &lookup(), now())
    }
}

/// The `(user, kind)` of every incident, sorted.
pub fn incidents(report: &ScanReport) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = report
        .incidents
        .iter()
        .map(|i| {
            (
                i.user_principal_name
                    .trim_end_matches("@contoso.com")
                    .to_string(),
                i.kind.as_str().to_string(),
            )
        })
        .collect();
    v.sort();
    v
}

/// Checks a case: the incidents it must raise (`user`, `kind`), and nothing else.
pub fn check(name: &str, tenant: &Tenant, expect: &[(&str, &str)]) -> ScanReport {
    let report = tenant.scan();
    let got = incidents(&report);
    let want: Vec<(String, String)> = expect
        .iter()
        .map(|(u, k)| (u.to_string(), k.to_string()))
        .collect();
    assert_eq!(
        got,
        want,
        "case {name}: incidents differ; report: {}",
        serde_json::to_string_pretty(&report).unwrap_or_default()
    );
    report
}

/// The `(type, id)` persistence of one user's incident.
pub fn persistence_of(report: &ScanReport, user: &str) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = report
        .incidents
        .iter()
        .filter(|i| i.user_principal_name == upn(user))
        .flat_map(|i| i.persistence.iter())
        .map(|p| {
            (
                serde_json::to_value(p.kind)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default(),
                p.id.clone(),
            )
        })
        .collect();
    v.sort();
    v
}

pub fn signal_kinds(report: &ScanReport, user: &str) -> Vec<String> {
    report
        .incidents
        .iter()
        .filter(|i| i.user_principal_name == upn(user))
        .flat_map(|i| i.signals.iter().map(|s| s.kind.clone()))
        .collect()
}

impl Tenant {
    /// A `UserLoggedIn` / `UserLoginFailed` record of the unified audit log (RecordType 15).
    pub fn ual_logon(&mut self, user: &str, time: DateTime<Utc>, ip: &str, ok: bool) -> String {
        let id = self.id("ual");
        self.raw.audit_records.push(json!({
            "Id": id, "CreationTime": ts(time), "Operation": if ok { "UserLoggedIn" } else { "UserLoginFailed" },
            "RecordType": 15, "Workload": "AzureActiveDirectory", "UserId": upn(user), "ClientIP": ip,
            "ErrorNumber": if ok { "0" } else { "50126" },
            "ExtendedProperties": [{"Name": "UserAgent", "Value": BROWSER}, {"Name": "RequestType", "Value": "OAuth2:Authorize"}]
        }));
        id
    }
}
