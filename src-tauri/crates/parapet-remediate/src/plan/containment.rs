//! Steps 1 (contain) and 5 (re-enable).

use super::{block_policy_name, Draft, Operation};
use crate::log::{key_detail, LogRecord};
use crate::model::IncidentTarget;

pub(super) const BLOCK_POLICY_OBJECT: &str = "ca_block";

pub(super) fn contain(t: &IncidentTarget) -> Vec<Draft> {
    let user = &t.user_id;
    // Disabled first, so the attacker cannot mint new sessions between the two calls.
    let mut drafts = vec![
        Draft {
            object: "disable_account".into(),
            target: format!("account {}", t.upn),
            request: format!("PATCH /v1.0/users/{user} accountEnabled=false"),
            operation: Operation::DisableAccount {
                user_id: user.clone(),
            },
        },
        Draft {
            object: "revoke_sessions".into(),
            target: format!("sign-in sessions of {}", t.upn),
            request: format!("POST /v1.0/users/{user}/revokeSignInSessions"),
            operation: Operation::RevokeSessions {
                user_id: user.clone(),
            },
        },
    ];
    if !t.on_premises_synced {
        return drafts;
    }
    if t.entra_p1 {
        let mut exclude: Vec<String> = t
            .break_glass
            .iter()
            .filter(|id| *id != user)
            .cloned()
            .collect();
        exclude.sort();
        exclude.dedup();
        drafts.push(Draft {
            object: BLOCK_POLICY_OBJECT.into(),
            target: format!("Conditional Access block of {}", t.upn),
            request: "POST /v1.0/identity/conditionalAccess/policies".into(),
            operation: Operation::CreateBlockPolicy {
                user_id: user.clone(),
                exclude,
                display_name: block_policy_name(t),
            },
        });
    } else {
        drafts.push(Draft {
            object: BLOCK_POLICY_OBJECT.into(),
            target: format!("Conditional Access block of {}", t.upn),
            request: "none".into(),
            operation: Operation::Manual {
                instruction: "The tenant has no Entra ID P1 licence, so no Conditional Access policy can block this synced account; it was disabled in Entra ID only".into(),
            },
        });
    }
    drafts.push(Draft {
        object: "on_premises_disable".into(),
        target: format!("on-premises account of {}", t.upn),
        request: "none".into(),
        operation: Operation::Manual {
            instruction: format!(
                "{} is synchronised from on-premises Active Directory: disable the account there too (Active Directory Users and Computers or Disable-ADAccount), otherwise the next directory sync may enable it again",
                t.upn
            ),
        },
    });
    drafts
}

pub(super) fn reenable(t: &IncidentTarget, log: &[LogRecord]) -> Vec<Draft> {
    let user = &t.user_id;
    let mut drafts = vec![Draft {
        object: "enable_account".into(),
        target: format!("account {}", t.upn),
        request: format!("PATCH /v1.0/users/{user} accountEnabled=true"),
        operation: Operation::EnableAccount {
            user_id: user.clone(),
        },
    }];
    let created_key = format!("1:{BLOCK_POLICY_OBJECT}");
    let policy_id = key_detail(log, &created_key)
        .and_then(|d| d.get("policyId"))
        .and_then(|v| v.as_str())
        .map(str::to_string);
    if policy_id.is_some() || (t.on_premises_synced && t.entra_p1) {
        let request = match &policy_id {
            Some(id) => format!("DELETE /v1.0/identity/conditionalAccess/policies/{id}"),
            None => "DELETE /v1.0/identity/conditionalAccess/policies/{id}".into(),
        };
        drafts.push(Draft {
            object: "ca_block_removed".into(),
            target: format!("Conditional Access block of {}", t.upn),
            request,
            operation: Operation::DeleteBlockPolicy {
                policy_id,
                display_name: block_policy_name(t),
            },
        });
    }
    if t.on_premises_synced {
        drafts.push(Draft {
            object: "on_premises_enable".into(),
            target: format!("on-premises account of {}", t.upn),
            request: "none".into(),
            operation: Operation::Manual {
                instruction: format!(
                    "{} is synchronised from on-premises Active Directory: enable the account there as well once it is safe",
                    t.upn
                ),
            },
        });
    }
    drafts
}
