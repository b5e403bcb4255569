//! The committed TypeScript bindings in `ui/src/lib/bindings/` must match the Rust IPC types.
//!
//! Run `UPDATE_BINDINGS=1 cargo test -p parapet-api --test bindings` to regenerate them after
//! changing a type in `parapet_api::dto`.

use parapet_api::dto::{
    ActionView, AppInfo, ArtifactAction, ArtifactRemoval, ArtifactStep, ArtifactView,
    ConsentRequest, CopyMatch, CustomerTenant, EntraLicence, IncidentDetail, IncidentSummary,
    MailEntry, MessageRef, ObjectResult, PartnerStatus, PhishCopy, PhishScope, PhishView,
    RemediationState, RemovalChoice, ScanProgress, ScanSummary, Settings, SignalView, StepRequest,
    StepResult, TargetedUserView, TenantCopies, TenantFlags, TenantOverview, TenantSummary,
};
use parapet_api::{ApiError, ErrorCode};
use std::path::{Path, PathBuf};
use ts_rs::TS;

fn rendered() -> Vec<(String, String)> {
    fn one<T: TS + 'static>() -> (String, String) {
        let text = T::export_to_string().expect("ts-rs renders the type");
        (format!("{}.ts", T::name()), text)
    }
    vec![
        one::<AppInfo>(),
        one::<TenantSummary>(),
        one::<TenantFlags>(),
        one::<EntraLicence>(),
        one::<TenantOverview>(),
        one::<PartnerStatus>(),
        one::<CustomerTenant>(),
        one::<ConsentRequest>(),
        one::<IncidentSummary>(),
        one::<IncidentDetail>(),
        one::<SignalView>(),
        one::<ArtifactView>(),
        one::<TargetedUserView>(),
        one::<ScanSummary>(),
        one::<ScanProgress>(),
        one::<StepRequest>(),
        one::<MailEntry>(),
        one::<PhishView>(),
        one::<PhishScope>(),
        one::<MessageRef>(),
        one::<TenantCopies>(),
        one::<PhishCopy>(),
        one::<CopyMatch>(),
        one::<ObjectResult>(),
        one::<StepResult>(),
        one::<ActionView>(),
        one::<RemediationState>(),
        one::<ArtifactStep>(),
        one::<ArtifactAction>(),
        one::<ArtifactRemoval>(),
        one::<RemovalChoice>(),
        one::<Settings>(),
        one::<ApiError>(),
        one::<ErrorCode>(),
    ]
}

fn bindings_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../ui/src/lib/bindings")
}

#[test]
fn committed_bindings_are_current() {
    let dir = bindings_dir();
    let update = std::env::var_os("UPDATE_BINDINGS").is_some();
    let mut stale = Vec::new();
    let expected = rendered();
    for (file, text) in &expected {
        let path = dir.join(file);
        if update {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(&path, text).unwrap();
        } else if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
            stale.push(file.clone());
        }
    }
    // A binding whose Rust type is gone is stale too.
    if let Ok(entries) = std::fs::read_dir(&dir) {
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().to_string();
            if name.ends_with(".ts") && !expected.iter().any(|(file, _)| *file == name) {
                if update {
                    std::fs::remove_file(entry.path()).unwrap();
                } else {
                    stale.push(name);
                }
            }
        }
    }
    assert!(
        stale.is_empty(),
        "stale TypeScript bindings {stale:?}: run UPDATE_BINDINGS=1 cargo test -p parapet-api --test bindings"
    );
}
