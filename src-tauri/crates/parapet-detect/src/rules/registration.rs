//! Attacker-registered MFA methods and devices: a second factor or a joined device that keeps
//! working after the password is reset. Judged by where they were registered from.

use chrono::Duration;

use super::context::Context;
use super::{ArtifactRef, Signal, SignalKind, Strength};
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
                (
                    SignalKind::MfaMethodRegistered,
                    what,
                    auth_methods_near(ctx, a),
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

/// Authentication methods of the user created within minutes of the registration record.
/// Authenticator methods carry no creation time and cannot be matched this way.
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
