//! The factors that make up a sign-in's score, each with its points and a sentence a
//! technician can check against the record. Weights: 3 for attacker techniques with few honest
//! explanations, 2 for strong anomalies, 1 for weak ones (see `ATTACKER_SCORE`).

use std::collections::BTreeMap;

use chrono::Duration;

use super::signin::{
    Factor, Failure, Verdict, BRUTE_FORCE_MIN_FAILURES, BRUTE_FORCE_WINDOW_HOURS,
    MFA_FATIGUE_MIN_DENIALS,
};
use super::spray::SpraySources;
use super::spray_source::SPRAY_WINDOW_HOURS;
use super::SignalKind;
use crate::baseline::UserBaseline;
use crate::evidence::{SignInEvent, SignInOutcome};
use crate::knowledge::{scripted_agent, AUTH_BROKER, OFFICE_HOME};
use crate::tenant_baseline::TenantBaseline;

pub(crate) fn score(
    s: &SignInEvent,
    baseline: &UserBaseline,
    tenant: &TenantBaseline,
    warm: bool,
    sessions: &BTreeMap<String, Option<u32>>,
    failures: &[Failure],
    spray: &SpraySources,
) -> Verdict {
    let mut v = Verdict::default();
    let mut add = |kind, points, strong, text: String| {
        v.score += points;
        v.factors.push(Factor {
            kind,
            points,
            strong,
            text,
        });
    };
    let net = &s.network;
    let net_known = baseline.knows_asn(net.asn);
    let where_ = format!("{} {}", s.ip_text, net.describe());
    let browser_app =
        s.app_id == OFFICE_HOME || s.app_id == AUTH_BROKER || s.app_name.contains("Outlook Web");
    if let Some(agent) = scripted_agent(&s.user_agent) {
        if !baseline.knows_scripted_agent(agent) || !net_known {
            if browser_app && s.interactive {
                add(SignalKind::AitmPhishing, 3, true, format!("signed in to {} with the scripted client \"{agent}\" from {where_}, the way AiTM phishing kits replay a stolen session", s.app_name));
            } else {
                add(
                    SignalKind::AitmPhishing,
                    1,
                    false,
                    format!("used the scripted client \"{agent}\""),
                );
            }
        }
    }
    // A device the user has signed in from before, on a VPN or cloud desktop, is the user.
    let device_known = baseline.knows_device(s.device_id.as_deref());
    // A network several colleagues use routinely (the company VPN, the MSP) is the tenant's, not
    // new infrastructure; Tor never is.
    let tenant_net = net.class() != crate::network::NetClass::Tor
        && tenant.common_asn(net.asn, &s.user_id, s.time);
    if net.class().is_anonymising() && !net_known && !tenant_net {
        if warm {
            let points = match net.class() {
                crate::network::NetClass::Tor => 3,
                _ if device_known => 1,
                _ => 2,
            };
            add(
                SignalKind::SignInFromNewInfrastructure,
                points,
                false,
                format!("came from {where_}, never used by this user before"),
            );
        } else {
            add(
                SignalKind::SignInFromNewInfrastructure,
                1,
                false,
                format!("came from {where_}"),
            );
        }
    }
    if warm
        && !baseline.knows_country(net.country.as_deref())
        && !tenant.common_country(net.country.as_deref(), &s.user_id, s.time)
    {
        if let Some(c) = &net.country {
            add(
                SignalKind::SignInFromNewInfrastructure,
                1,
                false,
                format!("came from a country new for this user ({c})"),
            );
        }
    }
    if warm && baseline.usually_has_device() && !baseline.knows_device(s.device_id.as_deref()) {
        let text = match &s.device_id {
            None => {
                "carried no device id, although this user normally signs in from registered devices"
                    .to_string()
            }
            Some(d) => format!("came from a device never seen for this user ({d})"),
        };
        add(SignalKind::SignInFromNewInfrastructure, 1, false, text);
    }
    if let Some(sid) = &s.session_id {
        if let Some(first_asn) = sessions.get(sid) {
            if *first_asn != net.asn && !net_known && !device_known {
                // Moving between two home or mobile networks with a session is ordinary; a
                // session surfacing on a cloud server or VPN is a replayed token.
                if net.class().is_anonymising() {
                    add(SignalKind::TokenReplay, 2, true, format!("reused session {sid} from a different network ({where_}): the session token was replayed"));
                } else {
                    add(
                        SignalKind::TokenReplay,
                        1,
                        false,
                        format!("reused session {sid} from a different network ({where_})"),
                    );
                }
            }
        }
    }
    if s.protocol.eq_ignore_ascii_case("deviceCode") && !baseline.knows_protocol("deviceCode") {
        let strong = s.app_id == AUTH_BROKER || !net_known;
        add(
            SignalKind::DeviceCodePhishing,
            if strong { 3 } else { 2 },
            strong,
            format!(
                "used the device-code flow ({}), which this user has not used before",
                s.app_name
            ),
        );
    }
    let legacy = s.protocol.eq_ignore_ascii_case("ropc")
        || ["Authenticated SMTP", "IMAP4", "POP3", "Other clients"]
            .contains(&s.client_app.as_str());
    if legacy && !baseline.knows_protocol(&s.protocol) {
        add(
            SignalKind::LegacyAuthSuccess,
            2,
            false,
            format!(
                "used a legacy password-only protocol ({}{})",
                s.protocol,
                if s.client_app.is_empty() {
                    String::new()
                } else {
                    format!(", {}", s.client_app)
                }
            ),
        );
    }
    let from_spray =
        !net_known && (spray.ip_active(s.ip, s.time) || spray.asn_active(net.asn, s.time));
    if from_spray {
        add(
            SignalKind::PasswordSpraySuccess,
            3,
            true,
            format!(
                "came from {where_}, which was password-spraying the tenant (wrong passwords against {} accounts within {SPRAY_WINDOW_HOURS} hours)",
                spray.accounts_at(s.ip, net.asn)
            ),
        );
    }
    let recent = |hours: i64, pred: &dyn Fn(&Failure) -> bool| {
        failures
            .iter()
            .filter(|f| s.time - f.0 <= Duration::hours(hours) && s.time >= f.0 && pred(f))
            .count()
    };
    let brute = recent(BRUTE_FORCE_WINDOW_HOURS, &|f| {
        f.1 != SignInOutcome::MfaDenied && !f.2
    });
    if brute >= BRUTE_FORCE_MIN_FAILURES && !from_spray && !net_known {
        add(SignalKind::PasswordSpraySuccess, 2, true, format!("followed {brute} failed password attempts from unfamiliar networks in the previous day"));
    }
    let denials = recent(1, &|f| f.1 == SignInOutcome::MfaDenied);
    if denials >= MFA_FATIGUE_MIN_DENIALS {
        add(
            SignalKind::MfaFatigue,
            3,
            true,
            format!("followed {denials} denied MFA prompts within an hour (MFA fatigue)"),
        );
    }
    if s.risk_high_or_medium {
        add(
            SignalKind::SignInFromNewInfrastructure,
            2,
            false,
            "was rated medium or high risk by Entra ID Protection".to_string(),
        );
    }
    if warm
        && s.interactive
        && s.single_factor
        && baseline.usually_mfa()
        && s.outcome == SignInOutcome::Success
    {
        add(
            SignalKind::SignInFromNewInfrastructure,
            1,
            false,
            "passed with a password alone, although this user normally completes MFA".to_string(),
        );
    }
    v
}
