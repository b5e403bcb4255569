//! What Parapet's tests share, so every crate applies the same rule: a prerequisite that is
//! missing (the `../shared` reference directory, the OS keyring, a display) fails the run
//! under CI and is skipped loudly elsewhere, so a fresh clone without `../shared` still passes
//! while CI never passes by skipping. A dev-dependency only; nothing in the product uses it.

use std::path::{Path, PathBuf};

/// True under CI (`CI` set to anything but empty, `false` or `0`).
pub fn in_ci() -> bool {
    matches!(std::env::var("CI").as_deref(), Ok(v) if !v.is_empty() && v != "false" && v != "0")
}

/// Fails under CI, otherwise prints a note that `what` was not run and why.
pub fn missing(what: &str, why: &str) {
    assert!(!in_ci(), "{what} cannot run in CI: {why}; run ./dev test");
    eprintln!("\n*** NOTE: {what} NOT RUN (outside CI): {why}; run ./dev test ***\n");
}

/// The shared reference directory (`scenarios/`, `reference/`, `spec/`): `PARAPET_SHARED_DIR`,
/// else `../shared` beside the repository. `None` (after [`missing`]) when it is absent.
pub fn shared_dir(what: &str) -> Option<PathBuf> {
    let dir = std::env::var_os("PARAPET_SHARED_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../../shared"));
    if dir.join("scenarios").is_dir() || dir.join("reference").is_dir() {
        return Some(dir);
    }
    missing(
        what,
        &format!(
            "the shared reference directory {} is missing (set PARAPET_SHARED_DIR)",
            dir.display()
        ),
    );
    None
}
