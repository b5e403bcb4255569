//! The demo workspace as `./dev run` opens it (without the window): three generated tenants
//! served by the built-in simulator, onboarded through the real sign-in and consent code,
//! scanned, with incidents to work, including a phish that reached a second tenant.

mod support;

use parapet_api::dto::PhishScope;
use parapet_api::{ContextOptions, UrlOpener, Workspace};
use support::keyring_available;

#[tokio::test(flavor = "multi_thread")]
async fn the_demo_workspace_opens_scans_and_has_a_cross_tenant_phish() {
    if !keyring_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let options = ContextOptions {
        data_dir: Some(dir.path().to_path_buf()),
        workspace: Workspace::Demo,
        microsoft_base: None,
        opener: UrlOpener::FollowInProcess,
    };
    let context = parapet_api::workspace::open(&options).await.unwrap();
    let tenants = parapet_api::tenants::list(&context).unwrap().tenants;
    assert_eq!(tenants.len(), 3, "{tenants:?}");
    let failures = parapet_api::workspace::scan_all(&context).await;
    assert!(failures.is_empty(), "{failures:?}");
    let incidents = parapet_api::incidents::list(&context, None).unwrap();
    let dental = tenants
        .iter()
        .find(|t| t.display_name == "Bayside Family Dental")
        .unwrap();
    let landscaping = tenants
        .iter()
        .find(|t| t.display_name == "Desert Bloom Landscaping")
        .unwrap();
    for tenant in &tenants {
        assert!(
            incidents.iter().any(|i| i.tenant_id == tenant.id),
            "every demo tenant has something to show: {}",
            tenant.display_name
        );
    }
    let victim = incidents
        .iter()
        .find(|i| i.tenant_id == dental.id && i.kind == "active_compromise")
        .expect("the dental group's taken-over account");
    let detail = parapet_api::incidents::detail(&context, &victim.id).unwrap();
    if detail.phish.is_none() {
        let widest = detail.mail.iter().max_by_key(|m| m.mailboxes).unwrap();
        parapet_api::incidents::mark_phish(&context, &victim.id, &widest.id).unwrap();
    }
    let elsewhere =
        parapet_api::retraction::find_copies(&context, &victim.id, PhishScope::OtherTenants)
            .await
            .unwrap();
    let at_landscaping = elsewhere
        .iter()
        .find(|t| t.tenant_id == landscaping.id)
        .unwrap();
    assert_eq!(at_landscaping.copies.len(), 3, "{at_landscaping:?}");
    assert!(elsewhere
        .iter()
        .filter(|t| t.tenant_id != landscaping.id)
        .all(|t| t.copies.is_empty() && t.error.is_none()));
}
