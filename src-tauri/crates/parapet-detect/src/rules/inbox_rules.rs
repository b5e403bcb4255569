//! Inbox rules that hide, delete or forward mail: created through OWA/PowerShell (`New-InboxRule`,
//! `Set-InboxRule`), Outlook (`UpdateInboxRules`), or found in the mailbox at snapshot time.

use super::context::Context;
use super::{ArtifactRef, Signal, SignalKind, Strength};
use crate::evidence::{
    ActivityKind, ArtifactDetail, ArtifactType, Evidence, RuleChange, RuleSpec, TenantFacts,
};
use crate::knowledge::{
    is_detection_word, is_hiding_folder, is_meaningless_rule_name, watched_words,
};

/// How suspicious a rule definition is on its own, and why, in plain words.
pub fn judge(spec: &RuleSpec, tenant: &TenantFacts) -> Option<(Strength, Vec<String>)> {
    let mut why = Vec::new();
    let external: Vec<&String> = spec
        .forward_to
        .iter()
        .filter(|a| !a.is_empty() && !tenant.is_internal_address(a))
        .collect();
    let hides_in_folder = spec.move_to_folder.as_deref().is_some_and(is_hiding_folder);
    // Graph names the target folder only by an opaque id; moving to some folder then counts as
    // hiding only together with a meaningless name and watched words.
    let moves_somewhere = spec
        .move_to_folder
        .as_deref()
        .is_some_and(|f| !f.is_empty())
        && !hides_in_folder;
    let hides = hides_in_folder || spec.delete;
    let watched = watched_words(&spec.keywords);
    let detection = spec.keywords.iter().any(|k| is_detection_word(k));
    let meaningless = is_meaningless_rule_name(&spec.name);
    if !external.is_empty() {
        why.push(format!(
            "forwards mail outside the organisation (to {})",
            join(&external)
        ));
    }
    if spec.delete {
        why.push("deletes matching mail".to_string());
    }
    if hides_in_folder {
        why.push(format!(
            "moves matching mail to \"{}\", a folder people rarely look in",
            spec.move_to_folder.as_deref().unwrap_or_default()
        ));
    }
    if spec.mark_read && (hides || !external.is_empty()) {
        why.push("marks it as read".to_string());
    }
    if !watched.is_empty() {
        why.push(format!(
            "matches words attackers watch for ({})",
            watched.join(", ")
        ));
    }
    if meaningless {
        why.push(format!("has a meaningless name (\"{}\")", spec.name));
    }
    if moves_somewhere && meaningless && !watched.is_empty() {
        why.push("moves matching mail out of the inbox".to_string());
    }
    let strong = (moves_somewhere && meaningless && !watched.is_empty())
        || (!external.is_empty() && (meaningless || hides || !watched.is_empty()))
        || (hides
            && (meaningless || detection || (!watched.is_empty() && !spec.has_sender_condition)));
    let medium = !external.is_empty()
        || (hides && (!watched.is_empty() || spec.mark_read))
        || (meaningless && hides);
    let strength = if strong {
        Strength::Strong
    } else if medium {
        Strength::Medium
    } else if hides && !spec.has_sender_condition {
        Strength::Weak
    } else {
        return None;
    };
    Some((strength, why))
}

fn join(items: &[&String]) -> String {
    items
        .iter()
        .map(|s| s.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

pub fn signals(ctx: &Context<'_>) -> Vec<Signal> {
    let evidence = ctx.evidence;
    let mut out = Vec::new();
    for a in &evidence.activities {
        let ActivityKind::InboxRule {
            change,
            mailbox,
            spec,
        } = &a.kind
        else {
            continue;
        };
        if !matches!(
            change,
            RuleChange::Create | RuleChange::Modify | RuleChange::Enable
        ) {
            continue;
        }
        let Some(user_id) = a.subject_user_id.clone() else {
            continue;
        };
        let attacker = ctx.is_attacker_activity(&user_id, a);
        let judged = judge(spec, &evidence.tenant);
        let strength = match (&judged, attacker) {
            (Some((s, _)), _) => *s,
            (None, true) => Strength::Weak,
            (None, false) => continue,
        };
        if strength == Strength::Weak && !attacker {
            continue;
        }
        let why = judged.map(|(_, w)| w).unwrap_or_default();
        let verb = match change {
            RuleChange::Create => "created",
            RuleChange::Enable => "enabled",
            _ => "changed",
        };
        let mut summary = format!(
            "Inbox rule \"{}\" {verb} on mailbox {mailbox} from {}",
            spec.name,
            ctx.where_(a)
        );
        if !why.is_empty() {
            summary.push_str(&format!(": it {}", why.join("; ")));
        }
        if attacker {
            summary.push_str(". The address belongs to the attacker's sign-ins");
        }
        out.push(Signal {
            kind: SignalKind::SuspiciousInboxRule,
            time: a.time,
            user_id: user_id.clone(),
            summary,
            evidence: vec![a.record_id.clone()],
            strength,
            attacker_context: attacker,
            artifacts: current_rules_named(evidence, &user_id, &spec.name),
            until: None,
        });
    }
    out
}

/// The rule objects of a mailbox that carry a given name now.
pub fn current_rules_named(evidence: &Evidence, user_id: &str, name: &str) -> Vec<ArtifactRef> {
    evidence
        .artifacts
        .iter()
        .filter(|x| x.kind == ArtifactType::InboxRule && x.owner_user_id.as_deref() == Some(user_id))
        .filter(|x| matches!(&x.detail, ArtifactDetail::InboxRule { spec, .. } if !name.is_empty() && spec.name == name))
        .map(|x| ArtifactRef { kind: x.kind, id: x.id.clone() })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tenant() -> TenantFacts {
        TenantFacts {
            verified_domains: vec!["contoso.com".into()],
            ..TenantFacts::default()
        }
    }

    /// `name; folder; delete; mark read; forward to; keywords; sender condition` → strength.
    fn check(
        name: &str,
        folder: Option<&str>,
        delete: bool,
        forward: &[&str],
        keywords: &[&str],
        sender: bool,
        want: Option<Strength>,
    ) {
        let spec = RuleSpec {
            name: name.into(),
            move_to_folder: folder.map(str::to_string),
            delete,
            mark_read: false,
            forward_to: forward.iter().map(|s| s.to_string()).collect(),
            keywords: keywords.iter().map(|s| s.to_string()).collect(),
            has_sender_condition: sender,
        };
        assert_eq!(
            judge(&spec, &tenant()).map(|(s, _)| s),
            want,
            "rule {name:?}"
        );
    }

    #[test]
    fn judges_rule_definitions() {
        use Strength::*;
        check(
            ",",
            Some("Archive"),
            false,
            &[],
            &["phish", "wire"],
            false,
            Some(Strong),
        );
        check(
            "..",
            None,
            true,
            &[],
            &["invoice", "payroll"],
            false,
            Some(Strong),
        );
        check(
            "a",
            Some("AAMkADM0YWYz"),
            false,
            &[],
            &["bank"],
            false,
            Some(Strong),
        );
        check(
            "sync",
            None,
            false,
            &["drop@gmail.com"],
            &["invoice"],
            false,
            Some(Strong),
        );
        check(
            "Backup",
            None,
            false,
            &["me@gmail.com"],
            &[],
            false,
            Some(Medium),
        );
        check(
            "Old stuff",
            Some("Archive"),
            false,
            &[],
            &[],
            false,
            Some(Weak),
        );
        check("Kill spam", None, true, &[], &["spam"], false, Some(Strong));
        check(
            "Invoices to AP",
            None,
            false,
            &["ap@contoso.com"],
            &["invoice"],
            false,
            None,
        );
        check("News", Some("Newsletters"), false, &[], &[], true, None);
        check("Receipts", Some("Receipts"), false, &[], &[], true, None);
        check(
            "Shop newsletters",
            Some("Archive"),
            false,
            &[],
            &[],
            true,
            None,
        );
        check(
            "Teams notifications",
            Some("AAMkAGIz"),
            false,
            &[],
            &[],
            true,
            None,
        );
    }
}
