//! Headless commands work without a display or keyring.

use crate::support::{parapet, parapet_binary};
use std::process::Command;

#[test]
fn help_works_without_a_display() {
    let output = Command::new(parapet_binary())
        .arg("--help")
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("Usage: parapet"), "{text}");
    assert!(text.contains("--data-dir"), "{text}");
}

#[test]
fn opening_the_app_without_a_display_says_how_to_get_one() {
    let dir = tempfile::tempdir().unwrap();
    let output = parapet(dir.path())
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .output()
        .unwrap();
    assert!(!output.status.success());
    let text = String::from_utf8(output.stderr).unwrap();
    assert!(text.contains("no display"), "{text}");
    assert!(text.contains("xvfb-run"), "{text}");
}

#[test]
fn tenants_of_a_fresh_data_directory_is_an_empty_list() {
    let dir = tempfile::tempdir().unwrap();
    let output = parapet(dir.path())
        .args(["tenants", "--format", "json"])
        .env_remove("DISPLAY")
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let tenants: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(tenants, serde_json::json!([]));
    assert!(
        dir.path().join("parapet.db").is_file(),
        "the store was created and migrated"
    );
}

#[test]
fn a_data_directory_that_cannot_be_created_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let blocker = dir.path().join("file");
    std::fs::write(&blocker, "not a directory").unwrap();
    let output = parapet(&blocker.join("workspace"))
        .args(["tenants"])
        .output()
        .unwrap();
    assert!(!output.status.success());
    let text = String::from_utf8(output.stderr).unwrap();
    assert!(text.contains("cannot create the data directory"), "{text}");
}

/// The scenarios in ../shared, when this checkout has them (CI always does).
fn scenarios() -> Vec<std::path::PathBuf> {
    let root = std::env::var_os("PARAPET_SHARED_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared"))
        .join("scenarios");
    let Ok(entries) = std::fs::read_dir(&root) else {
        assert!(
            !crate::support::in_ci(),
            "{} is missing in CI",
            root.display()
        );
        eprintln!("SCENARIO TESTS NOT RUN: {} is absent", root.display());
        return Vec::new();
    };
    let mut dirs: Vec<_> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.join("tenant.json").is_file())
        .collect();
    dirs.sort();
    dirs
}

#[test]
fn scan_prints_the_documented_json_for_every_scenario() {
    for dir in scenarios() {
        let output = Command::new(parapet_binary())
            .args(["scan", "--format", "json", "--snapshot"])
            .arg(&dir)
            .env_remove("DISPLAY")
            .env("PARAPET_DATA_DIR", "/nonexistent/never-created")
            .output()
            .unwrap();
        assert!(output.status.success(), "{}: {output:?}", dir.display());
        let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        for key in ["id", "displayName", "coverage"] {
            assert!(report["tenant"].get(key).is_some(), "tenant.{key} missing");
        }
        let incidents = report["incidents"].as_array().expect("incidents array");
        assert!(
            !incidents.is_empty(),
            "{}: the scenario holds attacks",
            dir.display()
        );
        for incident in incidents {
            for key in [
                "id",
                "userPrincipalName",
                "kind",
                "severity",
                "confidence",
                "firstSeen",
                "lastSeen",
                "signals",
                "persistence",
                "reasons",
            ] {
                assert!(
                    incident.get(key).is_some(),
                    "incident.{key} missing: {incident}"
                );
            }
        }
        assert!(report["targetedUsers"].is_array());
        // Re-scanning the same evidence gives the same incident ids.
        let again = Command::new(parapet_binary())
            .args(["scan", "--format", "json", "--snapshot"])
            .arg(&dir)
            .output()
            .unwrap();
        assert_eq!(output.stdout, again.stdout, "scan output is deterministic");
        let table = Command::new(parapet_binary())
            .args(["scan", "--format", "table", "--snapshot"])
            .arg(&dir)
            .output()
            .unwrap();
        assert!(table.status.success());
        assert!(!table.stdout.is_empty());
    }
}

#[test]
fn scan_of_a_broken_snapshot_fails_with_a_message_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("tenant.json"), "{ not json").unwrap();
    let output = Command::new(parapet_binary())
        .args(["scan", "--format", "json", "--snapshot"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(output.stdout.is_empty(), "no half report on stdout");
    let text = String::from_utf8(output.stderr).unwrap();
    assert!(text.contains("tenant.json"), "{text}");

    let missing = Command::new(parapet_binary())
        .args(["scan", "--snapshot", "/nonexistent/snapshot"])
        .output()
        .unwrap();
    assert!(!missing.status.success());
    assert!(!missing.stderr.is_empty());
}

#[test]
fn importing_a_snapshot_raises_unpublished_incidents_once() {
    let mut spec = parapet_tenantgen::TenantSpec::new(
        42,
        "Import Test Ltd",
        "importtest.example",
        12,
        30,
        chrono::Utc::now(),
    );
    spec.attacks = vec![parapet_tenantgen::AttackFamily::AitmInboxRulePhish];
    let generated = parapet_tenantgen::generate(&spec).unwrap();
    let snapshots = tempfile::tempdir().unwrap();
    let snapshot_dir = snapshots.path().join("tenant");
    parapet_snapshot::write(&generated.snapshot, &snapshot_dir).unwrap();
    let workspace = tempfile::tempdir().unwrap();

    let incidents = || {
        let output = parapet(workspace.path())
            .args(["incidents", "--format", "json"])
            .output()
            .unwrap();
        assert!(output.status.success(), "{output:?}");
        serde_json::from_slice::<serde_json::Value>(&output.stdout).unwrap()
    };
    for _ in 0..2 {
        let output = parapet(workspace.path())
            .args(["import", "--snapshot"])
            .arg(&snapshot_dir)
            .output()
            .unwrap();
        assert!(output.status.success(), "{output:?}");
    }
    let listed = incidents();
    let listed = listed.as_array().unwrap();
    let victim = &generated.truth.compromised[0].user_principal_name;
    let hits: Vec<_> = listed
        .iter()
        .filter(|i| i["userPrincipalName"].as_str() == Some(victim.as_str()))
        .collect();
    assert_eq!(
        hits.len(),
        1,
        "one incident for {victim}, not one per import: {listed:?}"
    );
    assert_eq!(
        hits[0]["status"], "unpublished",
        "Response is off for imports"
    );
    assert_eq!(hits[0]["kind"], "active_compromise");
}

/// `parapet phish --other-tenants` lists the copies of an incident's phish in the technician's
/// other tenants, and `parapet remediate --step 2 --message` moves exactly the ones named.
#[tokio::test(flavor = "multi_thread")]
async fn phish_copies_in_other_tenants_are_listed_and_moved_from_the_command_line() {
    let now = chrono::Utc::now();
    let mut home =
        parapet_tenantgen::TenantSpec::new(31, "Cli Home", "clihome.example", 10, 30, now);
    home.attacks = vec![parapet_tenantgen::AttackFamily::AitmInboxRulePhish];
    let home = parapet_tenantgen::generate(&home).unwrap();
    let other = parapet_tenantgen::TenantSpec::new(32, "Cli Other", "cliother.example", 8, 30, now);
    let mut other = parapet_tenantgen::generate(&other).unwrap();
    let victim = home.truth.compromised[0].user_principal_name.clone();
    let delivered =
        parapet_tenantgen::deliver_phish(&home.snapshot, &victim, &mut other.snapshot, 2)
            .unwrap()
            .unwrap();
    let (home_id, other_id) = (
        home.snapshot.tenant.id.clone(),
        other.snapshot.tenant.id.clone(),
    );
    let simulator = parapet_simulator::start(parapet_simulator::SimConfig {
        snapshots: vec![home.snapshot, other.snapshot],
        consented: true,
        ..parapet_simulator::SimConfig::default()
    })
    .await
    .unwrap();
    let origin = simulator.origin().to_string();
    let workspace = tempfile::tempdir().unwrap();
    let context = parapet_api::AppContext::open(&parapet_api::ContextOptions {
        data_dir: Some(workspace.path().to_path_buf()),
        workspace: parapet_api::Workspace::Real,
        microsoft_base: Some(origin.clone()),
        opener: parapet_api::UrlOpener::FollowInProcess,
    })
    .unwrap();
    if let Err(error) = parapet_api::partner::sign_in(&context).await {
        let missing = error.code == parapet_api::ErrorCode::KeyringUnavailable;
        assert!(
            missing && !crate::support::in_ci(),
            "sign-in failed: {}",
            error.message
        );
        eprintln!(
            "KEYRING TEST NOT RUN (outside CI): {}; run ./dev test",
            error.message
        );
        return;
    }
    for tenant in [&home_id, &other_id] {
        parapet_api::onboarding::onboard(&context, tenant)
            .await
            .unwrap();
    }
    parapet_api::live_scan::scan_tenant(&context, &home_id, &|_| {})
        .await
        .unwrap();
    let incident = parapet_api::incidents::list(&context, Some(&home_id))
        .unwrap()
        .into_iter()
        .find(|i| i.user_principal_name == victim)
        .unwrap();
    let detail = parapet_api::incidents::publish(&context, &incident.id).unwrap();
    let row = detail
        .mail
        .iter()
        .find(|m| m.internet_message_id.as_deref() == Some(&delivered.internet_message_id))
        .unwrap();
    parapet_api::incidents::mark_phish(&context, &incident.id, &row.id).unwrap();
    drop(context);

    let cli = |args: &[&str]| {
        let output = parapet(workspace.path())
            .env("PARAPET_MICROSOFT_BASE", &origin)
            .args(args)
            .output()
            .unwrap();
        assert!(output.status.success(), "{args:?}: {output:?}");
        String::from_utf8(output.stdout).unwrap()
    };
    let listed = cli(&["phish", "--incident", &incident.id, "--other-tenants"]);
    let copies: Vec<&str> = listed
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .filter(|first| first.starts_with(&format!("{other_id}:")))
        .collect();
    assert_eq!(copies.len(), 2, "{listed}");
    // Move one of the two; the other stays listed.
    let moved = cli(&[
        "remediate",
        "--incident",
        &incident.id,
        "--step",
        "2",
        "--message",
        copies[0],
    ]);
    assert!(moved.contains("[succeeded]"), "{moved}");
    let left = cli(&[
        "phish",
        "--incident",
        &incident.id,
        "--other-tenants",
        "--format",
        "json",
    ]);
    let left: serde_json::Value = serde_json::from_str(&left).unwrap();
    let left = left[0]["copies"].as_array().unwrap();
    assert_eq!(left.len(), 1, "{left:?}");
    let moved_mailbox = copies[0].split(':').nth(1).unwrap();
    assert_ne!(left[0]["reference"]["mailboxId"], moved_mailbox);
    let folders: Vec<serde_json::Value> = simulator
        .control()
        .messages(&other_id, moved_mailbox)
        .into_iter()
        .filter(|m| m["internetMessageId"] == delivered.internet_message_id.as_str())
        .map(|m| m["parentFolderId"].clone())
        .collect();
    assert_eq!(folders, vec![serde_json::json!("deleteditems")]);
    simulator.shutdown().await;
}
