//! Attacker-registered MFA methods and devices: a second factor or a joined device that keeps
//! working after the password is reset. Judged by where they were registered from; the method
//! object is tied to the registration by its creation time or, for phones (which Graph gives no
//! creation time), by the number the "Update user" record shows being added.

use chrono::Duration;

use super::context::Context;
use super::{ArtifactRef, Signal, SignalKind, Strength};
use crate::evidence::phones::same_phone;
use crate::evidence::{Activity, ActivityKind, ArtifactDetail, ArtifactType};

pub fn signals(ctx: &Context<'_>) -> Vec<Signal> {
    let evidence = ctx.evidence;
    let mut out = Vec::new();
    for a in &evidence.activities {
        let (kind, what, artifacts) = match &a.kind {
            ActivityKind::DeviceRegistered {
                object_id,
                device_id,
                name,
            } => {
                let artifacts = evidence
                    .artifacts
                    .iter()
                    .filter(|x| x.kind == ArtifactType::Device)
                    .filter(|x| {
                        x.id == *object_id || matches!(&x.detail, ArtifactDetail::Device { device_id: d, .. } if Some(d) == device_id.as_ref())
                    })
                    .map(|x| ArtifactRef { kind: x.kind, id: x.id.clone() })
                    .collect();
                (
                    SignalKind::DeviceRegistered,
                    format!("registered the device \"{name}\" ({object_id})"),
                    artifacts,
                )
            }
            ActivityKind::MfaRegistered { method } => {
                let what = if method.is_empty() {
                    "registered a new MFA method".to_string()
                } else {
                    format!("registered an MFA method: {method}")
                };
                let mut artifacts = auth_methods_near(ctx, a);
                let numbers = numbers_added_near(ctx, a);
                artifacts.extend(phone_methods(ctx, a, &numbers));
                // The recorded number is the better witness: when no method holds it any more,
                // the slot holds someone else's number now.
                if artifacts.is_empty() && numbers.is_empty() {
                    artifacts.extend(phone_slot(ctx, a, method));
                }
                artifacts.sort();
                artifacts.dedup();
                (SignalKind::MfaMethodRegistered, what, artifacts)
            }
            ActivityKind::MfaPhonesAdded { numbers } => {
                // Told once: the registration record next to it carries these numbers' methods.
                if registration_near(ctx, a) {
                    continue;
                }
                (
                    SignalKind::MfaMethodRegistered,
                    format!("added the MFA phone number {}", numbers.join(", ")),
                    phone_methods(ctx, a, numbers),
                )
            }
            _ => continue,
        };
        let Some(user_id) = a.subject_user_id.clone() else {
            continue;
        };
        if !ctx.is_attacker_activity(&user_id, a) {
            continue;
        }
        out.push(Signal {
            kind,
            time: a.time,
            summary: format!(
                "{} {what} from {}, the attacker's network",
                ctx.upn(&user_id),
                ctx.where_(a)
            ),
            user_id,
            evidence: vec![a.record_id.clone()],
            strength: Strength::Strong,
            attacker_context: true,
            artifacts,
            until: None,
        });
    }
    out
}

/// How far apart the security-info registration record and the "Update user" record listing the
/// new number may be (Entra writes them seconds apart).
pub const REGISTRATION_LINK_MINUTES: i64 = 30;

/// Phone numbers added to the user object around a registration record.
fn numbers_added_near(ctx: &Context<'_>, a: &Activity) -> Vec<String> {
    ctx.evidence
        .activities
        .iter()
        .filter(|u| {
            u.subject_user_id == a.subject_user_id
                && (u.time - a.time).abs() <= Duration::minutes(REGISTRATION_LINK_MINUTES)
        })
        .filter_map(|u| match &u.kind {
            ActivityKind::MfaPhonesAdded { numbers } => Some(numbers.clone()),
            _ => None,
        })
        .flatten()
        .collect()
}

/// A security-info registration of the same user, itself from the attacker, around `a`.
fn registration_near(ctx: &Context<'_>, a: &Activity) -> bool {
    let Some(user_id) = &a.subject_user_id else {
        return false;
    };
    ctx.evidence.activities.iter().any(|r| {
        matches!(r.kind, ActivityKind::MfaRegistered { .. })
            && r.subject_user_id.as_ref() == Some(user_id)
            && (r.time - a.time).abs() <= Duration::minutes(REGISTRATION_LINK_MINUTES)
            && ctx.is_attacker_activity(user_id, r)
    })
}

/// The user's phone methods whose number is one of `numbers`: the number the audit shows being
/// added, which also keeps the user's own older phones out (Graph gives phone methods no
/// creation time).
fn phone_methods(ctx: &Context<'_>, a: &Activity, numbers: &[String]) -> Vec<ArtifactRef> {
    let Some(user_id) = &a.subject_user_id else {
        return Vec::new();
    };
    ctx.evidence
        .artifacts
        .iter()
        .filter(|x| x.kind == ArtifactType::AuthMethod && x.owner_user_id.as_ref() == Some(user_id))
        .filter(|x| match &x.detail {
            ArtifactDetail::AuthMethod {
                phone_number: Some(phone),
                ..
            } => numbers.iter().any(|n| same_phone(n, phone)),
            _ => false,
        })
        .map(|x| ArtifactRef {
            kind: x.kind,
            id: x.id.clone(),
        })
        .collect()
}

/// The phone slot a registration names ("User registered Mobile Phone SMS"): Graph keeps one
/// number per phone type, so after the registration that slot holds the number the attacker
/// chose, unless the number in it is one the user's own security-info changes (before or
/// after, not from the attacker) added.
fn phone_slot(ctx: &Context<'_>, a: &Activity, reason: &str) -> Vec<ArtifactRef> {
    let Some(slot) = phone_type_named(reason) else {
        return Vec::new();
    };
    let Some(user_id) = &a.subject_user_id else {
        return Vec::new();
    };
    let users_own: Vec<&String> = ctx
        .evidence
        .activities
        .iter()
        .filter(|u| {
            u.subject_user_id.as_ref() == Some(user_id)
                && (u.time - a.time).abs() > Duration::minutes(REGISTRATION_LINK_MINUTES)
                && !ctx.is_attacker_activity(user_id, u)
        })
        .filter_map(|u| match &u.kind {
            ActivityKind::MfaPhonesAdded { numbers } => Some(numbers),
            _ => None,
        })
        .flatten()
        .collect();
    ctx.evidence
        .artifacts
        .iter()
        .filter(|x| x.kind == ArtifactType::AuthMethod && x.owner_user_id.as_ref() == Some(user_id))
        .filter(|x| match &x.detail {
            ArtifactDetail::AuthMethod {
                phone_type: Some(t),
                phone_number,
                ..
            } => {
                t.eq_ignore_ascii_case(slot)
                    && !phone_number
                        .as_ref()
                        .is_some_and(|n| users_own.iter().any(|e| same_phone(e, n)))
            }
            _ => false,
        })
        .map(|x| ArtifactRef {
            kind: x.kind,
            id: x.id.clone(),
        })
        .collect()
}

/// The Graph `phoneType` a registration's result reason names, if it names a phone.
fn phone_type_named(reason: &str) -> Option<&'static str> {
    let r = reason.to_ascii_lowercase();
    if r.contains("alternate mobile phone") {
        Some("alternateMobile")
    } else if r.contains("office phone") {
        Some("office")
    } else if r.contains("mobile phone") {
        Some("mobile")
    } else {
        None
    }
}

/// Authentication methods of the user created within minutes of the registration record.
/// Authenticator and phone methods carry no creation time and cannot be matched this way.
fn auth_methods_near(ctx: &Context<'_>, a: &Activity) -> Vec<ArtifactRef> {
    let Some(user_id) = &a.subject_user_id else {
        return Vec::new();
    };
    ctx.evidence
        .artifacts
        .iter()
        .filter(|x| x.kind == ArtifactType::AuthMethod && x.owner_user_id.as_ref() == Some(user_id))
        .filter(|x| {
            x.created
                .is_some_and(|c| (c - a.time).abs() <= Duration::minutes(10))
        })
        .map(|x| ArtifactRef {
            kind: x.kind,
            id: x.id.clone(),
        })
        .collect()
}
