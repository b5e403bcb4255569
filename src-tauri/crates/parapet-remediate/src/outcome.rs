//! What happened to each object of a step, as the UI stepper shows it.

use parapet_secrets::Sensitive;
use serde::{Deserialize, Serialize};

use crate::model::Step;

/// The `why` of the [`Outcome::Skipped`] that stops deleting a user's only multifactor
/// method; running step 3 again with `confirm_remove_only_method` deletes it.
pub const ONLY_METHOD_GUARD: &str = "this is the user's only multifactor method besides the password; deleting it needs the technician's explicit confirmation";

/// The result for one object. `Failed` keeps Microsoft's own error code and message text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Outcome {
    Succeeded,
    /// The object was already in the desired state (or an earlier run finished the action).
    AlreadyDone {
        why: String,
    },
    Failed {
        code: String,
        message: String,
    },
    /// Not done by Parapet; `why` says why and what the technician should do instead.
    Skipped {
        why: String,
    },
    /// A dry run: what would be sent.
    DryRun {
        would: String,
    },
}

impl Outcome {
    /// Succeeded or AlreadyDone: nothing left to do for this object.
    pub fn is_done(&self) -> bool {
        matches!(self, Outcome::Succeeded | Outcome::AlreadyDone { .. })
    }
}

/// One object's line in the stepper.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ObjectOutcome {
    /// The action's stable key (step + object).
    pub key: String,
    /// The object, e.g. `inbox rule AQAAAJ5dZqA= of jane@contoso.com`.
    pub target: String,
    /// Method and path of the write, e.g. `DELETE /v1.0/oauth2PermissionGrants/{id}`.
    pub request: String,
    pub outcome: Outcome,
    /// Advice for the technician (on-premises steps, missing permissions).
    pub guidance: Option<String>,
}

/// The result of applying one step.
#[derive(Debug, Serialize)]
pub struct StepOutcome {
    pub step: Step,
    pub objects: Vec<ObjectOutcome>,
    /// The password set in step 4, handed out exactly once: never serialized, logged or
    /// stored; `Debug` shows `<redacted>`.
    #[serde(skip)]
    pub new_password: Option<Sensitive<String>>,
}

impl StepOutcome {
    /// No object failed (skipped objects need the technician but are not failures).
    pub fn without_failures(&self) -> bool {
        !self
            .objects
            .iter()
            .any(|o| matches!(o.outcome, Outcome::Failed { .. }))
    }

    /// The outcome for the action with `key`.
    pub fn of(&self, key: &str) -> Option<&Outcome> {
        self.objects
            .iter()
            .find(|o| o.key == key)
            .map(|o| &o.outcome)
    }
}

impl std::fmt::Display for StepOutcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "Step {}:", self.step.number())?;
        for o in &self.objects {
            let what = match &o.outcome {
                Outcome::Succeeded => "succeeded".to_string(),
                Outcome::AlreadyDone { why } => format!("already done ({why})"),
                Outcome::Failed { code, message } => format!("failed: {code}: {message}"),
                Outcome::Skipped { why } => format!("skipped: {why}"),
                Outcome::DryRun { would } => format!("would {would}"),
            };
            writeln!(f, "  {}: {what}", o.target)?;
            if let Some(g) = &o.guidance {
                writeln!(f, "    {g}")?;
            }
        }
        if self.new_password.is_some() {
            writeln!(f, "  A new password was set; it is shown once.")?;
        }
        Ok(())
    }
}
