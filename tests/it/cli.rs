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
