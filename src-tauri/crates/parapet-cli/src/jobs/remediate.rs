//! `parapet remediate` (one step of an incident, the same code as the app's stepper) and
//! `parapet phish` (the copies step 2 can move, here and in the other tenants).

use parapet_api::dto::{ArtifactRemoval, MessageRef, PhishScope, RemovalChoice, StepRequest};
use parapet_api::ContextOptions;
use std::io::Write;

use crate::args::Format;
use crate::terminal::{inert_for_terminal, json, one_line, write_inert};

/// What `parapet remediate` was asked to do.
pub(crate) struct StepArgs<'a> {
    pub incident: &'a str,
    pub step: u8,
    pub items: &'a [String],
    pub delete: bool,
    pub delete_artifacts: &'a [String],
    pub disable_artifacts: &'a [String],
    pub messages: &'a [String],
    pub override_guard: bool,
    pub fresh: bool,
    pub dry_run: bool,
    pub show_password: bool,
}

pub(crate) fn step(
    args: StepArgs<'_>,
    options: &ContextOptions,
    out: &mut dyn Write,
) -> Result<(), String> {
    // Without --show-password a reset would set a password nobody ever sees, locking the
    // user out: refuse before anything is sent.
    if args.step == 4 && !args.dry_run && !args.show_password {
        return Err("step 4 sets a new password that is shown only once: add --show-password (and give it to the user by phone)".into());
    }
    if !args.messages.is_empty() && args.step != 2 {
        return Err("--message selects copies of the phish: it belongs to step 2".into());
    }
    if args.fresh && args.step != 4 {
        return Err("--fresh asks for a new password: it belongs to step 4".into());
    }
    let request = StepRequest {
        step: args.step,
        items: args.items.to_vec(),
        messages: args
            .messages
            .iter()
            .map(|m| message_ref(m))
            .collect::<Result<_, _>>()?,
        delete_inbox_rules: args.delete,
        delete_devices: args.delete,
        remove_mail_flow_rules: args.delete,
        removals: artifact_removals(args.delete_artifacts, args.disable_artifacts)?,
        override_guard: args.override_guard,
        fresh_password_reset: args.fresh,
        dry_run: args.dry_run,
        ..Default::default()
    };
    let result = super::runtime()?.block_on(async {
        let context = super::workspace(options).await?;
        parapet_api::remediation::run_step_as_technician(&context, args.incident, &request)
            .await
            .map_err(|e| e.message)
    })?;
    let mut text = format!("Step {}:\n", result.step);
    for object in &result.objects {
        text.push_str(&format!("  {} [{}]", object.target, object.outcome));
        if let Some(message) = &object.message {
            text.push_str(&format!(": {message}"));
        }
        text.push('\n');
        if let Some(guidance) = &object.guidance {
            text.push_str(&format!("    {guidance}\n"));
        }
    }
    match (&result.new_password, args.show_password) {
        (Some(password), true) => text.push_str(&format!(
            "New password: {password}\nCall the user and give it to them by phone.\n"
        )),
        (Some(_), false) => {
            text.push_str("A new password was set; it is not shown without --show-password.\n")
        }
        (None, _) => {}
    }
    write_inert(out, &text)
}

/// Lists the copies of the incident's phish, one `TENANT:MAILBOX:MESSAGE` line per copy.
pub(crate) fn phish(
    incident: &str,
    other_tenants: bool,
    format: Format,
    options: &ContextOptions,
    out: &mut dyn Write,
) -> Result<(), String> {
    let scope = if other_tenants {
        PhishScope::OtherTenants
    } else {
        PhishScope::Home
    };
    let tenants = super::runtime()?.block_on(async {
        let context = super::workspace(options).await?;
        parapet_api::retraction::find_copies(&context, incident, scope)
            .await
            .map_err(|e| e.message)
    })?;
    let text = match format {
        Format::Json => json(&tenants)?,
        Format::Table => {
            let mut text = String::new();
            for tenant in &tenants {
                text.push_str(&format!(
                    "{} ({}): {} cop{}\n",
                    tenant.tenant_name,
                    tenant.tenant_id,
                    tenant.copies.len(),
                    if tenant.copies.len() == 1 { "y" } else { "ies" }
                ));
                if let Some(error) = &tenant.error {
                    text.push_str(&format!("  not searched in full: {error}\n"));
                }
                for copy in &tenant.copies {
                    let r = &copy.reference;
                    text.push_str(&format!(
                        "  {}:{}:{}  {}  {}  {}  \"{}\"\n",
                        r.tenant_id,
                        r.mailbox_id,
                        r.message_id,
                        one_line(&copy.mailbox),
                        copy.folder,
                        copy.received.as_deref().unwrap_or("-"),
                        one_line(&copy.subject)
                    ));
                }
            }
            if tenants.is_empty() {
                text.push_str("No other tenants are onboarded.\n");
            }
            text
        }
    };
    write_inert(out, &text)
}

/// `TENANT_ID:MAILBOX_ID:MESSAGE_ID` as `parapet phish` prints it (message ids never hold a
/// colon; base64 has none).
fn message_ref(text: &str) -> Result<MessageRef, String> {
    let mut parts = text.splitn(3, ':');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(tenant), Some(mailbox), Some(message))
            if !tenant.is_empty() && !mailbox.is_empty() && !message.is_empty() =>
        {
            Ok(MessageRef {
                tenant_id: tenant.to_string(),
                mailbox_id: mailbox.to_string(),
                message_id: message.to_string(),
            })
        }
        _ => Err(format!(
            "--message {} is not TENANT_ID:MAILBOX_ID:MESSAGE_ID (as `parapet phish` lists it)",
            inert_for_terminal(text)
        )),
    }
}

/// `--delete-artifact` and `--disable-artifact` as the api's per-artifact choices; an id given
/// to both is refused rather than guessed.
fn artifact_removals(
    delete: &[String],
    disable: &[String],
) -> Result<Vec<ArtifactRemoval>, String> {
    if let Some(both) = delete.iter().find(|id| disable.contains(id)) {
        return Err(format!(
            "artifact {} is given to both --delete-artifact and --disable-artifact",
            inert_for_terminal(both)
        ));
    }
    let choose = |ids: &[String], removal: RemovalChoice| {
        ids.iter()
            .map(|id| ArtifactRemoval {
                artifact_id: id.clone(),
                removal,
            })
            .collect::<Vec<_>>()
    };
    let mut removals = choose(delete, RemovalChoice::Delete);
    removals.extend(choose(disable, RemovalChoice::Disable));
    Ok(removals)
}

#[cfg(test)]
mod tests {
    #[test]
    fn artifact_flags_become_per_artifact_choices_and_may_not_disagree() {
        use parapet_api::dto::RemovalChoice;
        let ids = |list: &[&str]| list.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let removals = super::artifact_removals(&ids(&["r1"]), &ids(&["dev-1", "r2"])).unwrap();
        let got: Vec<(&str, RemovalChoice)> = removals
            .iter()
            .map(|r| (r.artifact_id.as_str(), r.removal))
            .collect();
        assert_eq!(
            got,
            vec![
                ("r1", RemovalChoice::Delete),
                ("dev-1", RemovalChoice::Disable),
                ("r2", RemovalChoice::Disable)
            ]
        );
        let refused = super::artifact_removals(&ids(&["r1"]), &ids(&["r1"])).unwrap_err();
        assert!(refused.contains("r1"), "{refused}");
    }

    #[test]
    fn message_copies_are_read_as_parapet_phish_prints_them() {
        let copy = super::message_ref("t-1:u-2:AAMkAD+/x==").unwrap();
        assert_eq!(
            (
                copy.tenant_id.as_str(),
                copy.mailbox_id.as_str(),
                copy.message_id.as_str()
            ),
            ("t-1", "u-2", "AAMkAD+/x==")
        );
        for bad in ["t-1:u-2", "t-1::m", ":u:m", "plain"] {
            assert!(super::message_ref(bad).is_err(), "{bad}");
        }
    }
}
