//! Step 4: the password reset.

use super::{Draft, Operation};
use crate::model::{IncidentTarget, PlanOptions};

/// Well-known id of the password authentication method (API reference §6.2).
pub const PASSWORD_METHOD_ID: &str = "28c10230-6103-485e-b985-444c60001490";

pub(super) fn reset(t: &IncidentTarget, options: &PlanOptions) -> Draft {
    let user = &t.user_id;
    let request = if t.on_premises_synced {
        format!("POST /v1.0/users/{user}/authentication/methods/{PASSWORD_METHOD_ID}/resetPassword (delegated)")
    } else {
        format!("PATCH /v1.0/users/{user} passwordProfile")
    };
    Draft {
        object: "password".into(),
        target: format!("password of {}", t.upn),
        request,
        operation: Operation::ResetPassword {
            user_id: user.clone(),
            synced: t.on_premises_synced,
            fresh: options.fresh_password_reset,
        },
    }
}
