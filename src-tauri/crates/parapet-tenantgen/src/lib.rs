//! Parapet's seeded tenant generator: realistic Microsoft 365 tenants as
//! [`parapet_snapshot::Snapshot`] values, with staged attacks, hard benign look-alikes and the
//! ground truth (`expected.json`) a correct scan must reproduce.
//!
//! Used by the demo workspace (served by the Graph simulator), by tests, and by benchmarks
//! (`examples/generate.rs`, e.g. 1,000 users over 180 days).
//!
//! What a tenant holds: staff with homes on real residential ISPs around one metro area, phones
//! on real mobile carriers, an office line, registered devices, Authenticator MFA, a few new
//! hires onboarded during the window; shared and room mailboxes with delegates; sampled
//! background sign-ins in the staff's working hours (mostly non-interactive token refreshes of
//! Outlook, Teams, OneDrive; interactive OfficeHome/OWA/SharePoint), mailbox, file and logon
//! audit records, routine directory changes, everyday mail and inbox rules; real SKUs,
//! first-party service principals, the MSP's admin account and app, Conditional Access (P1/P2)
//! and a transport rule. Attacks use real hosting/VPN networks and leave the trail the real
//! attack leaves (see [`AttackFamily`]); look-alikes are listed in [`LookalikeFamily`].
//!
//! Invariants:
//! - **Deterministic.** The same [`TenantSpec`] gives the same snapshot, byte for byte: all
//!   randomness comes from seeded per-concern streams, every collection is ordered, and no
//!   clock or environment is read.
//! - Records are built in Microsoft's JSON shapes and typed through the snapshot crate's own
//!   deserializers, and the result passes [`parapet_snapshot::validate`].
//! - Logs are newest first. Every per-user key and every ground-truth user and artifact exists
//!   in the snapshot.
//! - Without Entra ID P1 the snapshot has no `signIns.json` records (Microsoft keeps none the
//!   API can read); sign-ins then show only as `UserLoggedIn`/`UserLoginFailed` audit records.

mod activity;
mod assemble;
mod attacks;
mod catalog;
mod cross_tenant;
mod demo;
mod error;
mod lookalikes;
mod rng;
mod spec;
mod tenant;
mod time;
mod truth;
mod world;

use parapet_snapshot::Snapshot;

pub use catalog::networks::{all_networks, Kind as NetworkKind, Network};
pub use cross_tenant::{deliver_phish, DeliveredPhish};
pub use demo::{demo_specs, demo_tenants};
pub use error::TenantGenError;
pub use spec::{AttackFamily, Licences, LookalikeFamily, TenantSpec};
pub use truth::{Artifact, CompromiseState, Compromised, GroundTruth, LeftoverArtifact};

/// A generated tenant and what a correct scan of it reports.
#[derive(Debug, Clone, PartialEq)]
pub struct Generated {
    pub snapshot: Snapshot,
    pub truth: GroundTruth,
}

/// Generates the tenant `spec` describes.
pub fn generate(spec: &TenantSpec) -> Result<Generated, TenantGenError> {
    check(spec)?;
    let metro = catalog::networks::METROS[spec.metro % catalog::networks::METROS.len()];
    let mut world = world::World::new(spec, metro);
    tenant::people::add_people(&mut world);
    // Roles before the directory and background, which reflect them (a leaver's disabled
    // account, a spray victim exempt from MFA, a VPN user's exit address).
    let plan = attacks::cast(&mut world, spec)?;
    tenant::directory::add_directory(&mut world);
    let mut truth = GroundTruth::default();
    activity::benign::add_background(&mut world);
    activity::admin::add_admin_activity(&mut world);
    activity::mail::add_inbox_mail(&mut world);
    activity::mail::add_benign_rules(&mut world);
    attacks::stage(&mut world, &plan, &mut truth);
    lookalikes::stage(&mut world, &plan, &mut truth);
    truth.normalise();
    let snapshot = world.finish()?;
    Ok(Generated { snapshot, truth })
}

fn check(spec: &TenantSpec) -> Result<(), TenantGenError> {
    let invalid = |field, problem: &str| TenantGenError::InvalidSpec {
        tenant: spec.display_name.clone(),
        field,
        problem: problem.to_owned(),
    };
    if spec.days < 14 {
        return Err(invalid(
            "days",
            "must be at least 14 (attacks need a baseline before them)",
        ));
    }
    if !(0.0..=500.0).contains(&spec.sign_ins_per_user_week) || spec.sign_ins_per_user_week.is_nan()
    {
        return Err(invalid(
            "sign_ins_per_user_week",
            "must be between 0 and 500",
        ));
    }
    if !spec.domain.contains('.') || spec.domain.chars().any(|c| c.is_whitespace() || c == '@') {
        return Err(invalid(
            "domain",
            "must be a DNS name such as northwindtraders.com",
        ));
    }
    if spec.licences.entra_id_p2 && !spec.licences.entra_id_p1 {
        return Err(invalid("licences", "Entra ID P2 includes P1; set both"));
    }
    Ok(())
}
