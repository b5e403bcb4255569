//! The IPC contract: every type the UI sends or receives. Generated into
//! `ui/src/lib/bindings/` by `cargo test` (see `tests/bindings.rs`).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// What the app shows about itself (Settings view, demo banner).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AppInfo {
    /// Parapet's version.
    pub version: String,
    /// The workspace's data directory.
    pub data_dir: String,
    /// True on the demo workspace, which the UI marks with a banner.
    pub demo: bool,
}

/// One onboarded tenant in the tenant list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TenantSummary {
    /// Entra tenant id.
    pub id: String,
    /// Organisation name.
    pub display_name: String,
    /// Default domain.
    pub default_domain: String,
    /// The technician's switches.
    pub flags: TenantFlags,
    /// Entra ID licence level, which decides which logs exist.
    pub entra_licence: EntraLicence,
    /// Member accounts.
    pub member_users: u32,
    /// Enabled members with a paid licence (shared, room and equipment mailboxes excluded).
    pub billable_users: u32,
    /// ISO 8601 time of the last successful call with the tenant's credentials.
    pub last_verified_at: Option<String>,
}

/// Per-tenant switches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TenantFlags {
    /// Automatic Response: steps 1–3 run by themselves on high-confidence active compromises.
    pub response_enabled: bool,
    /// Data kept, nothing polled.
    pub paused: bool,
    /// The 6-month Scan plus 14 days of monitoring, then an automatic pause.
    pub scan_only: bool,
}

/// The tenant's Entra ID premium licence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum EntraLicence {
    /// No premium licence: 7 days of sign-ins, read from the audit log.
    None,
    /// Entra ID P1.
    P1,
    /// Entra ID P2.
    P2,
}

/// The Home view: every tenant plus the billable total across them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TenantOverview {
    /// Every onboarded tenant, by name.
    pub tenants: Vec<TenantSummary>,
    /// Billable users summed across tenants.
    pub billable_users: u32,
    /// The volume tier (1-based) that total falls into.
    pub volume_tier: u32,
}

/// The settings the technician edits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Settings {
    /// The MSP's name on white-labeled reports; empty when not set.
    pub msp_display_name: String,
    /// Upper bounds of the billable-user volume tiers, ascending.
    pub volume_tier_bounds: Vec<u32>,
}

/// The technician's partner-tenant sign-in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PartnerStatus {
    /// A refresh token for the partner tenant is in the keyring.
    pub signed_in: bool,
    /// The partner tenant's id.
    pub partner_tenant_id: Option<String>,
    /// Who signed in.
    pub technician_upn: Option<String>,
    /// The MSP's own multi-tenant app that customers consent to.
    pub msp_app_id: Option<String>,
}

/// A customer tenant from Partner Center (contracts and GDAP relationships).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CustomerTenant {
    /// Entra tenant id.
    pub tenant_id: String,
    /// Name as recorded when the relationship was created.
    pub display_name: String,
    /// Default domain as recorded then (may be empty for GDAP-only customers).
    pub default_domain: String,
    /// GDAP relationship status, when there is one (`active`, `approvalPending`, ...).
    pub gdap_status: Option<String>,
    /// Already onboarded in this workspace.
    pub onboarded: bool,
}

/// An admin-consent link waiting to be completed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ConsentRequest {
    /// Pass to `complete_consent` to wait for the tenant's answer.
    pub request_id: String,
    /// The link for the tenant's Global Admin.
    pub url: String,
}

/// An incident in a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct IncidentSummary {
    /// Stable id (the same evidence always gives the same id).
    pub id: String,
    /// The tenant.
    pub tenant_id: String,
    /// The tenant's name.
    pub tenant_name: String,
    /// The account concerned.
    pub user_principal_name: String,
    /// `active_compromise`, `past_compromise` or `leftover_persistence`.
    pub kind: String,
    /// `low`, `medium`, `high` or `critical`.
    pub severity: String,
    /// `low`, `medium` or `high`.
    pub confidence: String,
    /// `unpublished`, `active` or `remediated`.
    pub status: String,
    /// ISO 8601 time of the first attacker evidence.
    pub first_seen: String,
    /// ISO 8601 time of the last attacker evidence.
    pub last_seen: String,
    /// Persistence artifacts still present.
    pub persistence_count: u32,
}

/// One step of an incident's timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SignalView {
    /// Detection family.
    pub kind: String,
    /// ISO 8601 time.
    pub time: String,
    /// Plain-English summary (may quote attacker-controlled text: render as text).
    pub summary: String,
    /// Ids of the source records, for the technician to verify.
    pub evidence: Vec<String>,
}

/// A persistence artifact the attacker left.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ArtifactView {
    /// The snapshot spec's type (`inbox_rule`, `oauth_grant`, ...).
    #[serde(rename = "type")]
    #[ts(rename = "type")]
    pub kind: String,
    /// Its id in the source data.
    pub id: String,
    /// What it is (may quote attacker-controlled names: render as text).
    pub summary: String,
}

/// Everything shown on an incident.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct IncidentDetail {
    /// The list entry.
    pub summary: IncidentSummary,
    /// Plain-English reasons.
    pub reasons: Vec<String>,
    /// Timeline, oldest first.
    pub signals: Vec<SignalView>,
    /// Artifacts still present.
    pub persistence: Vec<ArtifactView>,
    /// The account's Exchange log: mail it sent, newest first.
    pub mail: Vec<MailEntry>,
    /// The phishing mail step 2 retracts, when known.
    pub phish: Option<PhishView>,
}

/// A message the compromised account sent (attacker-controlled text: render as text).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MailEntry {
    /// Graph message id of one copy.
    pub id: String,
    /// RFC 5322 Message-ID, the same in every copy.
    pub internet_message_id: Option<String>,
    /// From address.
    pub sender: String,
    /// Subject.
    pub subject: String,
    /// ISO 8601 time sent (or received).
    pub time: String,
    /// Mailboxes holding a copy.
    pub mailboxes: u32,
}

/// The incident's phishing mail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PhishView {
    /// RFC 5322 Message-ID, when known.
    pub internet_message_id: Option<String>,
    /// From address.
    pub sender: String,
    /// Subject.
    pub subject: String,
    /// ISO 8601 time it was sent, when known.
    pub sent: Option<String>,
    /// `evidence` (tagged automatically) or `technician` (Mark as Phish).
    pub tagged_by: String,
}

/// Which tenants a phish search covers: the incident's own (step 2) or every other onboarded
/// tenant (the Cross-Tenant Phish panel).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum PhishScope {
    Home,
    OtherTenants,
}

/// One copy of the phish for step 2 to move, as the search listed it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MessageRef {
    pub tenant_id: String,
    /// The mailbox owner's user object id.
    pub mailbox_id: String,
    /// The message's Graph id in that mailbox.
    pub message_id: String,
}

/// The copies of an incident's phish found in one tenant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TenantCopies {
    pub tenant_id: String,
    pub tenant_name: String,
    /// The incident's own tenant.
    pub home: bool,
    /// Copies outside Deleted Items and Sent Items.
    pub copies: Vec<PhishCopy>,
    /// Why this tenant, or some of its mailboxes, could not be searched (Microsoft's error
    /// text); the copies found elsewhere are still listed.
    pub error: Option<String>,
}

/// One copy of the phish in one mailbox (attacker-controlled text: render as text).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PhishCopy {
    /// What to send back in [`StepRequest::messages`] to move it.
    pub reference: MessageRef,
    /// The mailbox owner's UPN.
    pub mailbox: String,
    pub sender: String,
    pub subject: String,
    /// ISO 8601 time received, when known.
    pub received: Option<String>,
    /// `Inbox`, `Junk Email` or `another folder`.
    pub folder: String,
    /// Why it counts as a copy: the same Message-ID (certain), or the same sender and subject
    /// near the phish's time (likely: the technician confirms).
    pub matched_by: CopyMatch,
}

/// Why a message counts as a copy of the phish.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum CopyMatch {
    MessageId,
    SenderAndSubject,
}

/// A user attackers tried and failed to get into.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TargetedUserView {
    /// The account.
    pub user_principal_name: String,
    /// Failed attacker sign-ins.
    pub failed_attempts: u32,
}

/// What a tenant's latest scan covered and found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ScanSummary {
    /// The tenant.
    pub tenant_id: String,
    /// ISO 8601 time the scan finished.
    pub finished_at: String,
    /// Start of the evidence examined.
    pub coverage_from: Option<String>,
    /// End of the evidence examined.
    pub coverage_to: Option<String>,
    /// The evidence sources used (and notes on missing ones).
    pub sources: Vec<String>,
    /// Incidents found.
    pub incident_count: u32,
    /// Users attacked without success, most attempts first.
    pub targeted_users: Vec<TargetedUserView>,
}

/// Progress of a running scan, for the progress bar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ScanProgress {
    /// What is being done.
    pub phase: String,
    /// Steps done.
    pub done: u32,
    /// Steps in all.
    pub total: u32,
    /// Records collected so far (a JSON number: far below 2^53).
    #[ts(type = "number")]
    pub records: u64,
}

/// What the technician chose for a remediation step.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
pub struct StepRequest {
    /// 1 to 6.
    pub step: u8,
    /// Only these action keys (empty: every action of the step).
    pub items: Vec<String>,
    /// Step 2: move only these copies of the phish, in any of the technician's tenants
    /// (empty: every copy in the incident's tenant).
    pub messages: Vec<MessageRef>,
    /// Delete inbox rules instead of disabling them (only deletion clears leftover persistence).
    pub delete_inbox_rules: bool,
    /// Delete devices instead of disabling them.
    pub delete_devices: bool,
    /// Remove inbound connectors and transport rules instead of disabling them.
    pub remove_mail_flow_rules: bool,
    /// Step 3: per artifact, a removal overriding the three switches above. A removal the
    /// artifact's kind does not offer (disabling a consent grant) is refused as invalid input.
    pub removals: Vec<ArtifactRemoval>,
    /// Allow deleting the user's only MFA method.
    pub confirm_remove_only_method: bool,
    /// Reset the password although step 3 has unresolved items.
    pub override_guard: bool,
    /// Reset again after an interrupted reset.
    pub fresh_password_reset: bool,
    /// Plan and report only; nothing is sent or logged.
    pub dry_run: bool,
}

/// Disable or delete one step-3 artifact.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ArtifactRemoval {
    /// The artifact's id, as in [`ArtifactView::id`].
    pub artifact_id: String,
    /// What to do with it.
    pub removal: RemovalChoice,
}

/// Disable (reversible) or delete (gone for good; "remove" for mail-flow rules).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum RemovalChoice {
    Disable,
    Delete,
}

/// One object's result in a step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ObjectResult {
    /// The action's stable key.
    pub key: String,
    /// The object acted on.
    pub target: String,
    /// Method and path of the call.
    pub request: String,
    /// `succeeded`, `already_done`, `failed`, `skipped` or `dry_run`.
    pub outcome: String,
    /// Microsoft's error text on failure, or why it was skipped / already done.
    pub message: Option<String>,
    /// What the technician should do by hand, if anything.
    pub guidance: Option<String>,
}

/// The result of one remediation step. Its `Debug` withholds the password.
#[derive(Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct StepResult {
    /// 1 to 6.
    pub step: u8,
    /// One line per object.
    pub objects: Vec<ObjectResult>,
    /// Step 4 only: the new password, shown once and never stored.
    pub new_password: Option<String>,
}

impl std::fmt::Debug for StepResult {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StepResult")
            .field("step", &self.step)
            .field("objects", &self.objects)
            .field(
                "new_password",
                &self.new_password.as_ref().map(|_| "<redacted>"),
            )
            .finish()
    }
}

/// One line of an incident's action log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ActionView {
    /// Position in the chain.
    pub sequence: u32,
    /// ISO 8601 time.
    pub time: String,
    /// Technician or "Automatic Response".
    pub actor: String,
    /// The tenant the action touched: the incident's, or another one for a cross-tenant
    /// phish retraction.
    pub tenant_id: String,
    /// Step number; 0 for the marker a scan writes when it reopens the incident.
    pub step: u8,
    /// The object.
    pub target: String,
    /// Method and path (the marker: why the incident was reopened).
    pub request: String,
    /// `started`, `reopened` (the marker: later steps start a new round) or the outcome.
    pub result: String,
}

/// Where an incident's remediation stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RemediationState {
    /// Steps whose every action finished (succeeded or already done).
    pub completed_steps: Vec<u8>,
    /// Step 3 actions not yet done (step 4 warns while there are any).
    pub unresolved_persistence: u32,
    /// The log, oldest first.
    pub actions: Vec<ActionView>,
    /// `None` when the hash chain verifies, else where it was altered.
    pub tampered: Option<String>,
    /// Every persistence artifact of the incident, as step 3 would treat it.
    pub persistence: Vec<ArtifactStep>,
}

/// One persistence artifact in the step-3 list, with what the log shows for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ArtifactStep {
    /// The snapshot spec's type (`inbox_rule`, `oauth_grant`, ...).
    #[serde(rename = "type")]
    #[ts(rename = "type")]
    pub kind: String,
    /// Its id in the source data.
    pub id: String,
    /// What it is (may quote attacker-controlled names: render as text).
    pub summary: String,
    /// One per removal its kind offers: two when the technician chooses between disabling
    /// and deleting, else the one thing step 3 does to it.
    pub actions: Vec<ArtifactAction>,
}

/// One way of removing an artifact: its action key for `items`, and its latest logged result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ArtifactAction {
    /// What this action does to the artifact.
    pub removal: RemovalChoice,
    /// The step-3 action key.
    pub key: String,
    /// The latest finished result in the log (`succeeded`, `already_done`, `failed`,
    /// `skipped`); `None` when it never ran.
    pub outcome: Option<String>,
    /// Microsoft's error, or why it was skipped or already done.
    pub message: Option<String>,
    /// The only-method guard stopped it: it runs with `confirmRemoveOnlyMethod`.
    pub needs_confirmation: bool,
}
