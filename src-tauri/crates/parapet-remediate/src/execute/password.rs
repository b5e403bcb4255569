//! Step 4: cloud users get `passwordProfile` (app-only, §6.1); synced users get
//! `resetPassword` with writeback, which only a delegated caller may use (§6.2).

use std::time::Duration;

use parapet_graph::model::identity::MethodKind;
use parapet_graph::{GraphError, TenantClient};
use parapet_secrets::Sensitive;
use serde_json::json;

use super::{get_object, seg, Executed};
use crate::apply::Clients;
use crate::model::IncidentTarget;
use crate::outcome::Outcome;
use crate::password::generate_password;
use crate::plan::PASSWORD_METHOD_ID;

const OPERATION_TIMEOUT: Duration = Duration::from_secs(120);

const DELEGATED_GUIDANCE: &str = "Sign in as a technician whose GDAP roles include Authentication Administrator (Privileged Authentication Administrator for admins) so Parapet can use resetPassword with writeback, or reset the password in on-premises Active Directory and let it sync";

pub(super) async fn reset(
    clients: Clients<'_>,
    target: &IncidentTarget,
    user: &str,
    synced: bool,
) -> Executed {
    let evidence = match get_object(
        clients.app,
        format!(
            "/users/{}?$select=id,userPrincipalName,onPremisesSyncEnabled,lastPasswordChangeDateTime",
            seg(user)
        ),
    )
    .await
    {
        Ok(Some(v)) => Some(v),
        Ok(None) => {
            return Executed::new(Outcome::Failed {
                code: "Request_ResourceNotFound".into(),
                message: format!("the user {} no longer exists", target.upn),
            })
        }
        Err(e) => return Executed::failed(&e),
    };
    let password = generate_password();
    let result = if synced {
        match clients.delegated {
            Some(delegated) => via_reset_method(delegated, user, password).await,
            None => {
                return Executed::new(Outcome::Skipped {
                    why: format!("{} is synchronised from on-premises; Microsoft allows resetting such a password only through resetPassword with a delegated sign-in, and none is available", target.upn),
                })
                .guidance(DELEGATED_GUIDANCE)
                .evidence(evidence)
            }
        }
    } else {
        match clients.app.set_password(user, &password, true).await {
            Ok(()) => Ok(("passwordProfile", password)),
            Err(e @ (GraphError::Forbidden { .. } | GraphError::BadRequest { .. })) => {
                match clients.delegated {
                    Some(delegated) => via_reset_method(delegated, user, password).await,
                    None => Err((e, Some(app_guidance()))),
                }
            }
            Err(e) => Err((e, None)),
        }
    };
    match result {
        Ok((method, password)) => {
            let mut done = Executed::succeeded().evidence(evidence).detail(json!({
                "passwordSet": true,
                "method": method,
                "forceChangePasswordNextSignIn": true,
            }));
            done.password = Some(password);
            done
        }
        Err((e, guidance)) => {
            let failed = Executed::failed(&e).evidence(evidence);
            match guidance {
                Some(g) => failed.guidance(g),
                None => failed,
            }
        }
    }
}

fn app_guidance() -> String {
    format!("Setting passwordProfile app-only needs the User Administrator role for the Parapet app (Privileged Authentication Administrator for admin accounts). {DELEGATED_GUIDANCE}")
}

type ResetResult = Result<(&'static str, Sensitive<String>), (GraphError, Option<String>)>;

async fn via_reset_method(
    delegated: &TenantClient,
    user: &str,
    password: Sensitive<String>,
) -> ResetResult {
    let method_id = match delegated.authentication_methods(user).await {
        Ok(methods) => methods
            .into_iter()
            .find(|m| m.kind() == MethodKind::Password)
            .map_or_else(|| PASSWORD_METHOD_ID.to_string(), |m| m.id),
        Err(e) => return Err((e, Some(DELEGATED_GUIDANCE.into()))),
    };
    let reset = match delegated
        .reset_password(user, &method_id, Some(&password))
        .await
    {
        Ok(r) => r,
        Err(e @ GraphError::Forbidden { .. }) => return Err((e, Some(DELEGATED_GUIDANCE.into()))),
        Err(e) => return Err((e, None)),
    };
    if let Some(url) = &reset.operation_url {
        let every = reset.retry_after.unwrap_or(Duration::from_secs(1));
        if let Err(e) = delegated
            .wait_for_operation(url, every, OPERATION_TIMEOUT)
            .await
        {
            return Err((e, Some("The reset was accepted but did not finish; a password may have been set. Offer a fresh reset".into())));
        }
    }
    Ok(("resetPassword", password))
}
