//! Step 3 per artifact: the technician's removal choices, and what the log shows for each
//! artifact, so the stepper can list them before running.

use std::collections::{BTreeMap, HashSet};

use parapet_remediate::{persistence_key, Artifact, LogRecord, Outcome, Removal};

use super::outcome_text;
use crate::dto::{ArtifactAction, ArtifactRemoval, ArtifactStep, RemovalChoice};

/// The request's choices by artifact id; [`parapet_remediate::plan()`] refuses those an
/// artifact's kind does not offer.
pub(super) fn chosen(removals: &[ArtifactRemoval]) -> BTreeMap<String, Removal> {
    removals
        .iter()
        .map(|r| (r.artifact_id.clone(), removal(r.removal)))
        .collect()
}

/// Every artifact once, in the incident's order, with one entry per removal its kind offers.
pub(super) fn steps(artifacts: &[Artifact], log: &[LogRecord]) -> Vec<ArtifactStep> {
    let mut seen = HashSet::new();
    artifacts
        .iter()
        .filter(|a| seen.insert((a.kind, a.id.clone())))
        .map(|a| ArtifactStep {
            kind: a.kind.as_str().to_string(),
            id: a.id.clone(),
            summary: a.summary.clone(),
            actions: a
                .kind
                .removals()
                .iter()
                .map(|r| action(persistence_key(a, *r), *r, log))
                .collect(),
        })
        .collect()
}

fn action(key: String, removal: Removal, log: &[LogRecord]) -> ArtifactAction {
    let last = log
        .iter()
        .rev()
        .filter(|r| r.action_key == key)
        .find_map(|r| r.result.as_ref());
    let (outcome, message) = match last {
        Some(o) => {
            let (name, message) = outcome_text(o);
            (Some(name.to_string()), message)
        }
        None => (None, None),
    };
    ArtifactAction {
        removal: choice(removal),
        needs_confirmation: matches!(
            last,
            Some(Outcome::Skipped { why }) if why == parapet_remediate::ONLY_METHOD_GUARD
        ),
        key,
        outcome,
        message,
    }
}

fn removal(choice: RemovalChoice) -> Removal {
    match choice {
        RemovalChoice::Disable => Removal::Disable,
        RemovalChoice::Delete => Removal::Delete,
    }
}

fn choice(removal: Removal) -> RemovalChoice {
    match removal {
        Removal::Disable => RemovalChoice::Disable,
        Removal::Delete => RemovalChoice::Delete,
    }
}
