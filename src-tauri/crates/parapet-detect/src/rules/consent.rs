//! Illicit consent: a user granting a known rogue app, or an unfamiliar third-party app with
//! mail scopes, especially right after the attacker signed in. Also the app's own sign-ins
//! afterwards (it reads mail with the grant, whatever happens to the password).

use std::collections::BTreeSet;

use super::context::Context;
use super::data_access::MAX_EVIDENCE;
use super::{ArtifactRef, Signal, SignalKind, Strength};
use crate::evidence::{
    Activity, ActivityKind, ArtifactDetail, ArtifactType, Evidence, SignInEvent,
};
use crate::knowledge::{risky_scopes, rogue_app};

/// A consent, judged.
pub struct ConsentFinding {
    pub signal: Signal,
    pub app_id: Option<String>,
    pub app_name: String,
    pub malicious: bool,
}

pub fn findings(ctx: &Context<'_>) -> Vec<ConsentFinding> {
    let evidence = ctx.evidence;
    let mut out = Vec::new();
    for a in &evidence.activities {
        let ActivityKind::Consent {
            sp_id,
            app_name,
            scopes,
            admin,
            grant_id,
        } = &a.kind
        else {
            continue;
        };
        let Some(user_id) = a.subject_user_id.clone() else {
            continue;
        };
        let sp = service_principal(evidence, sp_id);
        let app_id = sp
            .map(|(app_id, _)| app_id.to_string())
            .or_else(|| app_id_from_added(evidence, sp_id));
        if sp.is_some_and(|(_, first_party)| first_party) {
            continue;
        }
        let rogue = app_id.as_deref().and_then(rogue_app);
        let risky = risky_scopes(scopes);
        let attacker = ctx.is_attacker_activity(&user_id, a)
            || (ctx.in_attack_window(&user_id, a.time)
                && !ctx
                    .access
                    .baselines
                    .get(&user_id)
                    .is_some_and(|b| b.knows_asn(a.network.asn)));
        let strength = if rogue.is_some() || (attacker && !risky.is_empty()) {
            Strength::Strong
        } else if !risky.is_empty() {
            Strength::Medium
        } else if attacker {
            Strength::Weak
        } else {
            continue;
        };
        let mut summary = format!(
            "{} {}consented to the app \"{app_name}\"{} from {}",
            a.actor,
            if *admin {
                "gave tenant-wide admin "
            } else {
                ""
            },
            app_id
                .as_deref()
                .map(|i| format!(" (app id {i})"))
                .unwrap_or_default(),
            ctx.where_(a)
        );
        if let Some(known) = rogue {
            summary.push_str(&format!(", a known mail-theft app ({known})"));
        }
        if !risky.is_empty() {
            summary.push_str(&format!(", granting {}", risky.join(", ")));
        }
        if attacker {
            summary.push_str(", while the attacker was signed in");
        }
        let malicious = strength == Strength::Strong;
        out.push(ConsentFinding {
            signal: Signal {
                kind: SignalKind::IllicitConsent,
                time: a.time,
                user_id: user_id.clone(),
                summary,
                evidence: related_records(evidence, sp_id, &a.record_id),
                strength,
                attacker_context: attacker,
                artifacts: grant_artifacts(
                    evidence,
                    sp_id,
                    &user_id,
                    grant_id.as_deref(),
                    &a.actor,
                ),
                until: None,
            },
            app_id,
            app_name: app_name.clone(),
            malicious,
        });
    }
    out
}

/// `(appId, first party)` of a service principal that exists now.
fn service_principal<'a>(evidence: &'a Evidence, sp_id: &str) -> Option<(&'a str, bool)> {
    evidence.artifacts.iter().find_map(|x| match &x.detail {
        ArtifactDetail::ServicePrincipal {
            app_id,
            first_party,
            ..
        } if x.id == sp_id => Some((app_id.as_str(), *first_party)),
        _ => None,
    })
}

fn app_id_from_added(evidence: &Evidence, sp_id: &str) -> Option<String> {
    evidence.activities.iter().find_map(|a| match &a.kind {
        ActivityKind::ServicePrincipalAdded {
            sp_id: id, app_id, ..
        } if id == sp_id => app_id.clone(),
        _ => None,
    })
}

/// The consent record plus the service-principal creation and grant records of the same app.
fn related_records(evidence: &Evidence, sp_id: &str, consent_record: &str) -> Vec<String> {
    let mut ids: Vec<String> = evidence
        .activities
        .iter()
        .filter(|a| matches!(&a.kind, ActivityKind::ServicePrincipalAdded { sp_id: id, .. } if id == sp_id))
        .map(|a| a.record_id.clone())
        .collect();
    ids.push(consent_record.to_string());
    ids
}

/// The grant(s) the consent left, and the app's service principal when this user's consent
/// created it (an app someone else brought into the tenant is not this user's artifact).
fn grant_artifacts(
    evidence: &Evidence,
    sp_id: &str,
    user_id: &str,
    grant_id: Option<&str>,
    actor: &str,
) -> Vec<ArtifactRef> {
    let mut out = BTreeSet::new();
    for x in &evidence.artifacts {
        if let ArtifactDetail::OauthGrant { client_sp_id, .. } = &x.detail {
            let by_id = grant_id.is_some_and(|g| g == x.id);
            let by_owner = client_sp_id == sp_id && x.owner_user_id.as_deref() == Some(user_id);
            if by_id || by_owner {
                out.insert(ArtifactRef {
                    kind: ArtifactType::OauthGrant,
                    id: x.id.clone(),
                });
            }
        }
    }
    let created_by_actor = evidence.activities.iter().any(|a| {
        a.actor == actor && matches!(&a.kind, ActivityKind::ServicePrincipalAdded { sp_id: id, .. } if id == sp_id)
    });
    if created_by_actor && service_principal(evidence, sp_id).is_some() {
        out.insert(ArtifactRef {
            kind: ArtifactType::ServicePrincipal,
            id: sp_id.to_string(),
        });
    }
    out.into_iter().collect()
}

/// A malicious app using its grant for the consenting user: its sign-ins (Entra sign-in log)
/// and the mail it read (`MailItemsAccessed` carrying its app id, which is all a tenant without
/// Entra ID P1 keeps). Use after the consent, up to the snapshot, is a compromise in progress.
pub fn app_activity(ctx: &Context<'_>, consents: &[ConsentFinding]) -> Vec<Signal> {
    let mut out = Vec::new();
    for c in consents.iter().filter(|c| c.malicious) {
        let Some(app_id) = &c.app_id else { continue };
        let user = c.signal.user_id.as_str();
        let since = c.signal.time;
        let sign_ins: Vec<&SignInEvent> = ctx
            .evidence
            .sign_ins
            .iter()
            .filter(|s| {
                s.succeeded() && &s.app_id == app_id && s.user_id == user && s.time >= since
            })
            .collect();
        let reads: Vec<(&Activity, u32)> = ctx
            .evidence
            .activities
            .iter()
            .filter(|a| a.time >= since)
            .filter(|a| {
                a.subject_user_id.as_deref() == Some(user)
                    || ctx.user_id_of(&a.actor).as_deref() == Some(user)
            })
            .filter_map(|a| match &a.kind {
                ActivityKind::MailItemsAccessed {
                    count,
                    app_id: Some(id),
                } if id == app_id => Some((a, *count)),
                _ => None,
            })
            .collect();
        let times = sign_ins
            .iter()
            .map(|s| s.time)
            .chain(reads.iter().map(|(a, _)| a.time));
        let (Some(first), Some(last)) = (times.clone().min(), times.max()) else {
            continue;
        };
        let network = sign_ins
            .first()
            .map(|s| s.network.describe())
            .or_else(|| reads.first().map(|(a, _)| ctx.where_(a)))
            .unwrap_or_default();
        let mut used = Vec::new();
        if !sign_ins.is_empty() {
            used.push(format!("signed in {} times", sign_ins.len()));
        }
        if !reads.is_empty() {
            let items: u64 = reads.iter().map(|(_, n)| u64::from(*n)).sum();
            used.push(format!("read mail {} times ({items} items)", reads.len()));
        }
        let mut evidence: Vec<String> = sign_ins.iter().map(|s| s.record_id.clone()).collect();
        evidence.extend(reads.iter().map(|(a, _)| a.record_id.clone()));
        evidence.truncate(MAX_EVIDENCE);
        out.push(Signal {
            kind: SignalKind::MaliciousAppActivity,
            time: first,
            user_id: user.to_string(),
            summary: format!(
                "The app \"{}\" used its grant for {}: {} between {} and {}, from {network}",
                c.app_name,
                ctx.upn(user),
                used.join(" and "),
                first.format("%Y-%m-%d %H:%M"),
                last.format("%Y-%m-%d %H:%M"),
            ),
            evidence,
            strength: Strength::Strong,
            attacker_context: true,
            artifacts: Vec::new(),
            until: Some(last),
        });
    }
    out
}

/// Grants to known rogue apps that exist now but whose consent is not in the logs (older than
/// the audit retention, or granted by an admin for the user): the grant itself is the evidence.
pub fn rogue_grants(ctx: &Context<'_>, consents: &[ConsentFinding]) -> Vec<ConsentFinding> {
    let evidence = ctx.evidence;
    let covered: BTreeSet<&str> = consents
        .iter()
        .flat_map(|c| c.signal.artifacts.iter().map(|a| a.id.as_str()))
        .collect();
    let mut out = Vec::new();
    for grant in &evidence.artifacts {
        let ArtifactDetail::OauthGrant {
            client_sp_id,
            scopes,
            ..
        } = &grant.detail
        else {
            continue;
        };
        let Some(user_id) = &grant.owner_user_id else {
            continue;
        };
        if covered.contains(grant.id.as_str()) {
            continue;
        }
        let Some((sp, app_id, name, created)) =
            evidence.artifacts.iter().find_map(|x| match &x.detail {
                ArtifactDetail::ServicePrincipal { app_id, name, .. } if x.id == *client_sp_id => {
                    Some((x, app_id, name, x.created))
                }
                _ => None,
            })
        else {
            continue;
        };
        let Some(known) = rogue_app(app_id) else {
            continue;
        };
        let Some(time) = created.or(evidence.tenant.snapshot_time) else {
            continue;
        };
        out.push(ConsentFinding {
            signal: Signal {
                kind: SignalKind::IllicitConsent,
                time,
                user_id: user_id.clone(),
                summary: format!(
                    "{} has granted the known mail-theft app \"{name}\" ({known}, app id {app_id}) {}; no consent record is in the logs",
                    ctx.upn(user_id),
                    scopes.join(" ")
                ),
                evidence: vec![grant.id.clone(), sp.id.clone()],
                strength: Strength::Strong,
                attacker_context: false,
                artifacts: vec![
                    ArtifactRef { kind: ArtifactType::OauthGrant, id: grant.id.clone() },
                    ArtifactRef { kind: ArtifactType::ServicePrincipal, id: sp.id.clone() },
                ],
                until: None,
            },
            app_id: Some(app_id.clone()),
            app_name: name.clone(),
            malicious: true,
        });
    }
    out
}
