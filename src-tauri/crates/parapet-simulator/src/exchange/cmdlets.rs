//! The cmdlet table, mailboxes (forwarding) and inbox rules.

use super::objects::{find_named, get_permissions, remove_named, remove_permission, update_named};
use super::{cmdlet_error, Params};
use crate::http::SimResponse;
use crate::state::tenant::{str_field, Record, TenantData};
use serde_json::{json, Map, Value};

const NOT_FOUND: &str = "Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException";

pub fn run(d: &mut TenantData, name: &str, p: &Params) -> Result<Vec<Value>, SimResponse> {
    match name.to_ascii_lowercase().as_str() {
        "get-mailbox" | "get-exomailbox" => get_mailbox(d, p),
        "set-mailbox" => set_mailbox(d, p),
        "get-inboxrule" => get_inbox_rules(d, p),
        "remove-inboxrule" => change_inbox_rule(d, p, None),
        "disable-inboxrule" => change_inbox_rule(d, p, Some(false)),
        "enable-inboxrule" => change_inbox_rule(d, p, Some(true)),
        "get-inboundconnector" => Ok(find_named(&d.inbound_connectors, p, "Identity")?.into_iter().map(Value::Object).collect()),
        "set-inboundconnector" => update_named(&mut d.inbound_connectors, p, None),
        "remove-inboundconnector" => remove_named(&mut d.inbound_connectors, p),
        "get-transportrule" => Ok(find_named(&d.transport_rules, p, "Identity")?.into_iter().map(Value::Object).collect()),
        "disable-transportrule" => update_named(&mut d.transport_rules, p, Some(("State", json!("Disabled")))),
        "enable-transportrule" => update_named(&mut d.transport_rules, p, Some(("State", json!("Enabled")))),
        "remove-transportrule" => remove_named(&mut d.transport_rules, p),
        "get-mailboxpermission" => get_permissions(d, p, false),
        "remove-mailboxpermission" => remove_permission(d, p, false),
        "get-recipientpermission" => get_permissions(d, p, true),
        "remove-recipientpermission" => remove_permission(d, p, true),
        _ => Err(cmdlet_error(
            400,
            "BadRequest",
            &format!("The term '{name}' is not recognized as a name of a cmdlet, function, script file, or executable program."),
            Some("System.Management.Automation.CommandNotFoundException"),
        )),
    }
}

pub(super) fn not_found(identity: &str) -> SimResponse {
    cmdlet_error(
        400,
        "NotFound",
        &format!("The operation couldn't be performed because object '{identity}' couldn't be found on 'SIM01A001DC001.NAMPR01A001.PROD.OUTLOOK.COM'."),
        Some(NOT_FOUND),
    )
}

fn mailbox_matches(m: &Record, identity: &str) -> bool {
    [
        "identity",
        "userPrincipalName",
        "primarySmtpAddress",
        "userId",
        "exchangeGuid",
        "displayName",
        "alias",
    ]
    .iter()
    .any(|k| str_field(m, k).is_some_and(|v| v.eq_ignore_ascii_case(identity)))
}

pub(super) fn find_mailbox<'a>(d: &'a TenantData, identity: &str) -> Option<&'a Record> {
    d.mailboxes.iter().find(|m| mailbox_matches(m, identity))
}

/// Snapshot mailboxes are camelCase; Get-Mailbox answers PascalCase.
fn mailbox_out(m: &Record) -> Value {
    let mut out = Map::new();
    for (k, v) in m {
        let key = match k.as_str() {
            "userId" => "ExternalDirectoryObjectId".to_string(),
            "exchangeGuid" => "ExchangeGuid".to_string(),
            other => pascal(other),
        };
        out.insert(key, v.clone());
    }
    if let Some(id) = str_field(m, "identity") {
        out.entry("Name").or_insert(json!(id));
        out.entry("Alias").or_insert(json!(id));
    }
    if let Some(g) = str_field(m, "exchangeGuid") {
        out.entry("Guid").or_insert(json!(g));
    }
    Value::Object(out)
}

fn pascal(k: &str) -> String {
    let mut c = k.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

fn get_mailbox(d: &TenantData, p: &Params) -> Result<Vec<Value>, SimResponse> {
    match p.text("Identity") {
        Some(id) => find_mailbox(d, &id)
            .map(|m| vec![mailbox_out(m)])
            .ok_or_else(|| not_found(&id)),
        None => Ok(d.mailboxes.iter().map(mailbox_out).collect()),
    }
}

fn set_mailbox(d: &mut TenantData, p: &Params) -> Result<Vec<Value>, SimResponse> {
    let id = p.text("Identity").ok_or_else(|| {
        cmdlet_error(
            400,
            "BadRequest",
            "Cannot process argument: Identity is required.",
            None,
        )
    })?;
    let m = d
        .mailboxes
        .iter_mut()
        .find(|m| mailbox_matches(m, &id))
        .ok_or_else(|| not_found(&id))?;
    for (param, field) in [
        ("ForwardingSmtpAddress", "forwardingSmtpAddress"),
        ("ForwardingAddress", "forwardingAddress"),
        ("DeliverToMailboxAndForward", "deliverToMailboxAndForward"),
    ] {
        if p.has(param) {
            let v = p.get(param).cloned().unwrap_or(Value::Null);
            // Exchange stores the SMTP forward with its proxy prefix.
            let v = match (field, v) {
                ("forwardingSmtpAddress", Value::String(s))
                    if !s.is_empty() && !s.to_ascii_lowercase().starts_with("smtp:") =>
                {
                    json!(format!("smtp:{s}"))
                }
                ("forwardingSmtpAddress" | "forwardingAddress", Value::String(s))
                    if s.is_empty() =>
                {
                    Value::Null
                }
                (_, v) => v,
            };
            m.insert(field.to_string(), v);
        }
    }
    Ok(Vec::new())
}

fn owner_upn(d: &TenantData, user_id: &str) -> String {
    d.user(user_id)
        .and_then(|u| str_field(u, "userPrincipalName"))
        .unwrap_or(user_id)
        .to_string()
}

fn mailbox_user_id(d: &TenantData, mailbox: &str) -> Option<String> {
    find_mailbox(d, mailbox)
        .and_then(|m| str_field(m, "userId"))
        .map(str::to_ascii_lowercase)
        .or_else(|| d.user_id(mailbox))
}

fn recipients(v: Option<&Value>) -> Value {
    let list = v.and_then(Value::as_array).cloned().unwrap_or_default();
    if list.is_empty() {
        return Value::Null;
    }
    Value::Array(
        list.iter()
            .map(|r| {
                let e = r.get("emailAddress");
                let addr = e
                    .and_then(|e| e.get("address"))
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                let name = e
                    .and_then(|e| e.get("name"))
                    .and_then(Value::as_str)
                    .unwrap_or(addr);
                json!(format!("\"{name}\" [SMTP:{addr}]"))
            })
            .collect(),
    )
}

/// An Exchange view of a Graph messageRule.
fn inbox_rule_out(d: &TenantData, user_id: &str, r: &Record) -> Value {
    let upn = owner_upn(d, user_id);
    let id = str_field(r, "id").unwrap_or_default();
    let c = r.get("conditions");
    let a = r.get("actions");
    let x = r.get("exceptions");
    let get = |o: Option<&Value>, k: &str| o.and_then(|o| o.get(k)).cloned().unwrap_or(Value::Null);
    let flag = |o: Option<&Value>, k: &str| {
        o.and_then(|o| o.get(k))
            .and_then(Value::as_bool)
            .unwrap_or(false)
    };
    json!({
        "Identity": format!("{upn}\\{id}"),
        "RuleIdentity": id,
        "Name": get(Some(&Value::Object(r.clone())), "displayName"),
        "Enabled": r.get("isEnabled").cloned().unwrap_or(json!(true)),
        "Priority": r.get("sequence").cloned().unwrap_or(Value::Null),
        "InError": r.get("hasError").cloned().unwrap_or(json!(false)),
        "MailboxOwnerId": upn,
        "SubjectContainsWords": get(c, "subjectContains"),
        "BodyContainsWords": get(c, "bodyContains"),
        "SubjectOrBodyContainsWords": get(c, "bodyOrSubjectContains"),
        "FromAddressContainsWords": get(c, "senderContains"),
        "From": recipients(c.and_then(|c| c.get("fromAddresses"))),
        "HeaderContainsWords": get(c, "headerContains"),
        "ExceptIfSubjectContainsWords": get(x, "subjectContains"),
        "ForwardTo": recipients(a.and_then(|a| a.get("forwardTo"))),
        "ForwardAsAttachmentTo": recipients(a.and_then(|a| a.get("forwardAsAttachmentTo"))),
        "RedirectTo": recipients(a.and_then(|a| a.get("redirectTo"))),
        "DeleteMessage": flag(a, "delete"),
        "SoftDeleteMessage": flag(a, "delete"),
        "PermanentDelete": flag(a, "permanentDelete"),
        "MoveToFolder": get(a, "moveToFolder"),
        "CopyToFolder": get(a, "copyToFolder"),
        "MarkAsRead": flag(a, "markAsRead"),
        "MarkImportance": get(a, "markImportance"),
        "StopProcessingRules": flag(a, "stopProcessingRules"),
    })
}

fn get_inbox_rules(d: &TenantData, p: &Params) -> Result<Vec<Value>, SimResponse> {
    let include_hidden = p.flag("IncludeHidden");
    let users: Vec<String> = match p.text("Mailbox") {
        Some(mb) => vec![mailbox_user_id(d, &mb).ok_or_else(|| not_found(&mb))?],
        None => d.message_rules.keys().cloned().collect(),
    };
    let wanted = p.text("Identity");
    let mut out = Vec::new();
    for user in users {
        for r in d.message_rules.get(&user).map_or(&[][..], Vec::as_slice) {
            let hidden = r.get("isHidden").and_then(Value::as_bool) == Some(true);
            if hidden && !include_hidden {
                continue;
            }
            let v = inbox_rule_out(d, &user, r);
            if wanted
                .as_deref()
                .is_none_or(|w| rule_identity_matches(&v, w))
            {
                out.push(v);
            }
        }
    }
    if let (Some(w), true) = (&wanted, out.is_empty()) {
        return Err(not_found(w));
    }
    Ok(out)
}

fn rule_identity_matches(rule: &Value, wanted: &str) -> bool {
    let w = wanted.rsplit('\\').next().unwrap_or(wanted);
    ["Identity", "RuleIdentity", "Name"].iter().any(|k| {
        rule.get(k)
            .and_then(Value::as_str)
            .is_some_and(|v| v.eq_ignore_ascii_case(wanted) || v.eq_ignore_ascii_case(w))
    })
}

/// Remove (`enable` None) or enable/disable one inbox rule given by Identity (+ Mailbox).
fn change_inbox_rule(
    d: &mut TenantData,
    p: &Params,
    enable: Option<bool>,
) -> Result<Vec<Value>, SimResponse> {
    let identity = p.text("Identity").ok_or_else(|| {
        cmdlet_error(
            400,
            "BadRequest",
            "Cannot process argument: Identity is required.",
            None,
        )
    })?;
    let mailbox = p
        .text("Mailbox")
        .or_else(|| identity.split_once('\\').map(|(m, _)| m.to_string()));
    let users: Vec<String> = match &mailbox {
        Some(mb) => vec![mailbox_user_id(d, mb).ok_or_else(|| not_found(mb))?],
        None => d.message_rules.keys().cloned().collect(),
    };
    let mut target = None;
    for user in users {
        for r in d.message_rules.get(&user).map_or(&[][..], Vec::as_slice) {
            if rule_identity_matches(&inbox_rule_out(d, &user, r), &identity) {
                target = str_field(r, "id").map(|id| (user.clone(), id.to_string()));
            }
        }
    }
    let (user, id) = target.ok_or_else(|| not_found(&identity))?;
    let list = d.message_rules.entry(user).or_default();
    match enable {
        None => list.retain(|r| str_field(r, "id") != Some(id.as_str())),
        Some(on) => {
            for r in list
                .iter_mut()
                .filter(|r| str_field(r, "id") == Some(id.as_str()))
            {
                r.insert("isEnabled".into(), json!(on));
            }
        }
    }
    Ok(Vec::new())
}
