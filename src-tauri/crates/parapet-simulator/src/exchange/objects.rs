//! Connectors, transport rules and mailbox/recipient permissions: named Exchange objects.

use super::cmdlets::{find_mailbox, not_found};
use super::{cmdlet_error, Params};
use crate::http::SimResponse;
use crate::state::tenant::{str_field, Record, TenantData};
use serde_json::Value;

pub(super) fn named_matches(r: &Record, identity: &str) -> bool {
    ["Identity", "Name", "Guid"]
        .iter()
        .any(|k| str_field(r, k).is_some_and(|v| v.eq_ignore_ascii_case(identity)))
}

pub(super) fn find_named(
    items: &[Record],
    p: &Params,
    param: &str,
) -> Result<Vec<Record>, SimResponse> {
    match p.text(param) {
        None => Ok(items.to_vec()),
        Some(id) => {
            let found: Vec<Record> = items
                .iter()
                .filter(|r| named_matches(r, &id))
                .cloned()
                .collect();
            if found.is_empty() {
                Err(not_found(&id))
            } else {
                Ok(found)
            }
        }
    }
}

pub(super) fn update_named(
    items: &mut [Record],
    p: &Params,
    fixed: Option<(&str, Value)>,
) -> Result<Vec<Value>, SimResponse> {
    let id = p.text("Identity").ok_or_else(|| {
        cmdlet_error(
            400,
            "BadRequest",
            "Cannot process argument: Identity is required.",
            None,
        )
    })?;
    let r = items
        .iter_mut()
        .find(|r| named_matches(r, &id))
        .ok_or_else(|| not_found(&id))?;
    match fixed {
        Some((k, v)) => {
            r.insert(k.to_string(), v);
        }
        None => {
            for (k, v) in &p.0 {
                if !k.eq_ignore_ascii_case("Identity") && !k.eq_ignore_ascii_case("Confirm") {
                    let key = r
                        .keys()
                        .find(|e| e.eq_ignore_ascii_case(k))
                        .cloned()
                        .unwrap_or_else(|| k.clone());
                    r.insert(key, v.clone());
                }
            }
        }
    }
    Ok(Vec::new())
}

pub(super) fn remove_named(items: &mut Vec<Record>, p: &Params) -> Result<Vec<Value>, SimResponse> {
    let id = p.text("Identity").ok_or_else(|| {
        cmdlet_error(
            400,
            "BadRequest",
            "Cannot process argument: Identity is required.",
            None,
        )
    })?;
    let before = items.len();
    items.retain(|r| !named_matches(r, &id));
    if items.len() == before {
        return Err(not_found(&id));
    }
    Ok(Vec::new())
}

/// Every name the mailbox `identity` goes by; permission entries name mailboxes by UPN.
pub(super) fn identity_forms(d: &TenantData, identity: &str) -> Vec<String> {
    let mut forms = vec![identity.to_lowercase()];
    if let Some(m) = find_mailbox(d, identity) {
        for k in ["identity", "userPrincipalName", "primarySmtpAddress"] {
            if let Some(v) = str_field(m, k) {
                forms.push(v.to_lowercase());
            }
        }
    }
    forms
}

pub(super) fn entry_in(entry: &Record, forms: &[String]) -> bool {
    str_field(entry, "Identity").is_some_and(|e| forms.contains(&e.to_lowercase()))
}

pub(super) fn get_permissions(
    d: &TenantData,
    p: &Params,
    recipient: bool,
) -> Result<Vec<Value>, SimResponse> {
    let who = if recipient { "Trustee" } else { "User" };
    let forms = match p.text("Identity") {
        Some(id) if find_mailbox(d, &id).is_none() && !d.mailboxes.is_empty() => {
            return Err(not_found(&id))
        }
        Some(id) => Some(identity_forms(d, &id)),
        None => None,
    };
    let user = p.text(who);
    let list = if recipient {
        &d.recipient_permissions
    } else {
        &d.mailbox_permissions
    };
    Ok(list
        .iter()
        .filter(|e| forms.as_deref().is_none_or(|f| entry_in(e, f)))
        .filter(|e| {
            user.as_deref()
                .is_none_or(|u| str_field(e, who).is_some_and(|v| v.eq_ignore_ascii_case(u)))
        })
        .cloned()
        .map(Value::Object)
        .collect())
}

pub(super) fn remove_permission(
    d: &mut TenantData,
    p: &Params,
    recipient: bool,
) -> Result<Vec<Value>, SimResponse> {
    let who = if recipient { "Trustee" } else { "User" };
    let missing = |k: &str| {
        cmdlet_error(
            400,
            "BadRequest",
            &format!("Cannot process argument: {k} is required."),
            None,
        )
    };
    let identity = p.text("Identity").ok_or_else(|| missing("Identity"))?;
    let user = p.text(who).ok_or_else(|| missing(who))?;
    let rights: Vec<String> = match p.get("AccessRights") {
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(|v| v.as_str().map(str::to_lowercase))
            .collect(),
        Some(Value::String(s)) => s.split(',').map(|s| s.trim().to_lowercase()).collect(),
        _ => Vec::new(),
    };
    let forms = identity_forms(d, &identity);
    let list = if recipient {
        &mut d.recipient_permissions
    } else {
        &mut d.mailbox_permissions
    };
    let mut touched = false;
    for e in list.iter_mut() {
        let same =
            entry_in(e, &forms) && str_field(e, who).is_some_and(|v| v.eq_ignore_ascii_case(&user));
        if !same {
            continue;
        }
        touched = true;
        // No AccessRights given removes every right of that user on the mailbox.
        if let Some(Value::Array(have)) = e.get_mut("AccessRights") {
            have.retain(|r| {
                !rights.is_empty()
                    && !r
                        .as_str()
                        .is_some_and(|r| rights.contains(&r.to_lowercase()))
            });
        }
    }
    if !touched {
        return Err(not_found(&format!("{identity}|{user}")));
    }
    list.retain(|e| {
        e.get("AccessRights")
            .and_then(Value::as_array)
            .is_none_or(|a| !a.is_empty())
    });
    Ok(Vec::new())
}
