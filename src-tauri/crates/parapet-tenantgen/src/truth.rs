//! Ground truth in the shape of `expected.json` (spec/tenant-snapshot.md).

use serde::{Deserialize, Serialize};

/// What a correct scan of the generated tenant reports.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GroundTruth {
    pub compromised: Vec<Compromised>,
    pub leftover_persistence: Vec<LeftoverArtifact>,
    /// UPNs of users attacked without success.
    pub targeted: Vec<String>,
    /// UPNs of users whose activity looks unusual but is legitimate.
    pub benign: Vec<String>,
}

/// A compromised user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Compromised {
    pub user_principal_name: String,
    pub state: CompromiseState,
    pub persistence: Vec<Artifact>,
}

/// Whether the attacker still has access at `snapshotTime`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CompromiseState {
    Active,
    Remediated,
}

/// A persistence artifact: its type (`inbox_rule`, `mailbox_forwarding`, `oauth_grant`,
/// `service_principal`, `device`, `auth_method`, ...) and its id in its snapshot file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Artifact {
    #[serde(rename = "type")]
    pub kind: String,
    pub id: String,
}

/// An artifact left behind after remediation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LeftoverArtifact {
    pub user_principal_name: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub id: String,
}

impl GroundTruth {
    /// `expected.json` text: pretty, one-space indent like the example scenarios.
    pub fn to_json(&self) -> String {
        let formatter = serde_json::ser::PrettyFormatter::with_indent(b" ");
        let mut out = Vec::new();
        let mut serializer = serde_json::Serializer::with_formatter(&mut out, formatter);
        // Serializing plain strings and enums into memory cannot fail.
        if self.serialize(&mut serializer).is_err() {
            return String::new();
        }
        String::from_utf8(out).unwrap_or_default()
    }

    /// Keeps every list sorted so the truth is as deterministic as the snapshot.
    pub(crate) fn normalise(&mut self) {
        self.compromised
            .sort_by(|a, b| a.user_principal_name.cmp(&b.user_principal_name));
        self.leftover_persistence
            .sort_by(|a, b| (&a.user_principal_name, &a.id).cmp(&(&b.user_principal_name, &b.id)));
        self.targeted.sort();
        self.targeted.dedup();
        self.benign.sort();
        self.benign.dedup();
    }
}
