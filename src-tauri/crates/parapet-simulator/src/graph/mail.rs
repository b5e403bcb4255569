//! Outlook resources: inbox rules and messages of one mailbox.

use super::collection::{entity, list, ListSpec};
use super::users::method_not_allowed;
use super::Ctx;
use crate::http::{GraphRequest, SimResponse};
use crate::state::tenant::{str_field, Record};
use crate::state::SimState;
use serde_json::{json, Value};

pub fn route(
    st: &mut SimState,
    ctx: &Ctx,
    req: &GraphRequest,
    user_id: &str,
    rest: &[&str],
) -> Option<SimResponse> {
    let data = st.data(&ctx.tenant_id)?;
    let has_mailbox = data.mailboxes.is_empty()
        || data
            .mailboxes
            .iter()
            .any(|m| str_field(m, "userId").is_some_and(|u| u.eq_ignore_ascii_case(user_id)));
    if !has_mailbox {
        return Some(ctx.error(
            404,
            "MailboxNotEnabledForRESTAPI",
            "The mailbox is either inactive, soft-deleted, or is hosted on-premise.",
        ));
    }
    let m = req.method.as_str();
    if let ["mailboxSettings", rest @ ..] = rest {
        return Some(mailbox_settings(st, ctx, req, user_id, rest));
    }
    Some(match (m, rest) {
        (_, ["mailFolders", folder, "messageRules", rule @ ..])
            if folder.eq_ignore_ascii_case("inbox") =>
        {
            rules(st, ctx, req, user_id, rule)
        }
        ("GET", ["mailFolders", folder, "messages"]) => {
            messages(st, ctx, req, user_id, Some(folder))
        }
        ("GET", ["mailFolders", folder]) => match well_known_folder(st, ctx, user_id, folder) {
            Some(record) => entity(
                ctx,
                req,
                &record,
                &format!("users('{user_id}')/mailFolders"),
                None,
            ),
            None => item_not_found(ctx),
        },
        ("GET", ["messages"]) => messages(st, ctx, req, user_id, None),
        ("GET", ["messages", id]) => match find_message(st, ctx, user_id, id) {
            Some(msg) => entity(
                ctx,
                req,
                &msg,
                &format!("users('{user_id}')/messages"),
                None,
            ),
            None => item_not_found(ctx),
        },
        ("DELETE", ["messages", id]) => {
            if find_message(st, ctx, user_id, id).is_none() {
                return Some(item_not_found(ctx));
            }
            if let Some(list) = st
                .data_mut(&ctx.tenant_id)
                .and_then(|d| d.messages.get_mut(user_id))
            {
                list.retain(|r| str_field(r, "id") != Some(*id));
            }
            SimResponse::empty(204)
        }
        ("POST", ["messages", id, "move"]) => move_message(st, ctx, req, user_id, id),
        (_, ["messages"] | ["messages", _] | ["messages", _, "move"]) => method_not_allowed(ctx),
        _ => return None,
    })
}

/// Graph returns every message property; snapshots hold the ones that matter. Missing ones get
/// Microsoft's empty values so clients see the real shape.
fn with_message_defaults(m: &Record) -> Record {
    let mut out = Record::new();
    let id = str_field(m, "id").unwrap_or_default().to_string();
    let tag = format!(
        "CQAAABYAAAB{}",
        &id.chars().rev().take(8).collect::<String>()
    );
    out.insert("@odata.etag".into(), json!(format!("W/\"{tag}\"")));
    out.extend(m.clone());
    let defaults = [
        ("categories", json!([])), ("changeKey", json!(tag)), ("bodyPreview", json!("")),
        ("body", json!({"contentType": "html", "content": ""})), ("ccRecipients", json!([])),
        ("bccRecipients", json!([])), ("replyTo", json!([])), ("isDeliveryReceiptRequested", json!(false)),
        ("isReadReceiptRequested", json!(false)), ("isDraft", json!(false)), ("inferenceClassification", json!("focused")),
        ("flag", json!({"flagStatus": "notFlagged"})), ("conversationId", json!(format!("AAQkAD{}", tag.chars().take(12).collect::<String>()))),
        ("webLink", json!(format!("https://outlook.office365.com/owa/?ItemID={id}&exvsurl=1&viewmodel=ReadMessageItem"))),
    ];
    for (k, v) in defaults {
        out.entry(k).or_insert(v);
    }
    if let Some(from) = m.get("from").cloned() {
        out.entry("sender").or_insert(from);
    }
    out
}

/// `mailboxSettings` (read-only here); `userPurpose` comes from Exchange's RecipientTypeDetails.
fn mailbox_settings(
    st: &SimState,
    ctx: &Ctx,
    req: &GraphRequest,
    user_id: &str,
    rest: &[&str],
) -> SimResponse {
    if req.method != "GET" {
        return method_not_allowed(ctx);
    }
    let details = st
        .data(&ctx.tenant_id)
        .and_then(|d| {
            d.mailboxes
                .iter()
                .find(|m| str_field(m, "userId").is_some_and(|u| u.eq_ignore_ascii_case(user_id)))
        })
        .and_then(|m| str_field(m, "recipientTypeDetails"))
        .unwrap_or("UserMailbox");
    let purpose = match details {
        "UserMailbox" => "user",
        "SharedMailbox" => "shared",
        "RoomMailbox" => "room",
        "EquipmentMailbox" => "equipment",
        "LinkedMailbox" => "linked",
        _ => "others",
    };
    let fragment = format!("users('{user_id}')/mailboxSettings");
    match rest {
        [] => SimResponse::json(
            200,
            json!({
                "@odata.context": ctx.context(req, &fragment),
                "timeZone": "UTC", "dateFormat": "M/d/yyyy", "timeFormat": "h:mm tt",
                "language": {"locale": "en-US", "displayName": "English (United States)"},
                "automaticRepliesSetting": {"status": "disabled", "externalAudience": "all"},
                "delegateMeetingMessageDeliveryOptions": "sendToDelegateOutlookOnly",
                "userPurpose": purpose,
            }),
        ),
        ["userPurpose"] => SimResponse::json(
            200,
            json!({"@odata.context": ctx.context(req, &format!("{fragment}/userPurpose")), "value": purpose}),
        ),
        _ => ctx.error(
            400,
            "BadRequest",
            "Resource not found for the segment in mailboxSettings.",
        ),
    }
}

fn item_not_found(ctx: &Ctx) -> SimResponse {
    ctx.error(
        404,
        "ErrorItemNotFound",
        "The specified object was not found in the store.",
    )
}

fn rule_is_hidden(r: &Record) -> bool {
    r.get("isHidden").and_then(Value::as_bool) == Some(true)
}

fn rules(
    st: &mut SimState,
    ctx: &Ctx,
    req: &GraphRequest,
    user_id: &str,
    rest: &[&str],
) -> SimResponse {
    let fragment = format!("users('{user_id}')/mailFolders('inbox')/messageRules");
    let all: Vec<Record> = st
        .data(&ctx.tenant_id)
        .and_then(|d| d.message_rules.get(user_id).cloned())
        .unwrap_or_default();
    // Rules hidden with MAPI tricks do not appear in Graph (API reference §8.3).
    let visible: Vec<Record> = all
        .into_iter()
        .filter(|r| !rule_is_hidden(r))
        .map(strip_sim_fields)
        .collect();
    let find = |id: &str| {
        visible
            .iter()
            .find(|r| str_field(r, "id") == Some(id))
            .cloned()
    };
    match (req.method.as_str(), rest) {
        ("GET", []) => list(
            ctx,
            req,
            visible.clone(),
            &ListSpec::new(&fragment, 200, 200),
        ),
        ("POST", []) => {
            let Some(Value::Object(mut rule)) = req.body.clone() else {
                return ctx.error(400, "ErrorInvalidRequest", "Cannot read the request body.");
            };
            let id = format!("AQAAA{}=", &st.new_opaque(6)[..7]);
            rule.insert("id".into(), json!(id));
            rule.entry("isEnabled").or_insert(json!(true));
            rule.entry("hasError").or_insert(json!(false));
            rule.entry("isReadOnly").or_insert(json!(false));
            if let Some(d) = st.data_mut(&ctx.tenant_id) {
                d.message_rules
                    .entry(user_id.to_string())
                    .or_default()
                    .push(rule.clone());
            }
            let mut out = rule;
            out.insert(
                "@odata.context".into(),
                json!(ctx.context(req, &format!("{fragment}/$entity"))),
            );
            SimResponse::json(201, Value::Object(out))
        }
        ("GET", [id]) => match find(id) {
            Some(r) => entity(ctx, req, &r, &fragment, None),
            None => item_not_found(ctx),
        },
        ("PATCH", [id]) => {
            let Some(Value::Object(patch)) = req.body.clone() else {
                return ctx.error(400, "ErrorInvalidRequest", "Cannot read the request body.");
            };
            if find(id).is_none() {
                return item_not_found(ctx);
            }
            let mut updated = None;
            if let Some(list) = st
                .data_mut(&ctx.tenant_id)
                .and_then(|d| d.message_rules.get_mut(user_id))
            {
                if let Some(r) = list.iter_mut().find(|r| str_field(r, "id") == Some(*id)) {
                    for (k, v) in patch {
                        if k != "id" {
                            r.insert(k, v);
                        }
                    }
                    updated = Some(strip_sim_fields(r.clone()));
                }
            }
            match updated {
                Some(r) => entity(ctx, req, &r, &fragment, None),
                None => item_not_found(ctx),
            }
        }
        ("DELETE", [id]) => {
            if find(id).is_none() {
                return item_not_found(ctx);
            }
            if let Some(list) = st
                .data_mut(&ctx.tenant_id)
                .and_then(|d| d.message_rules.get_mut(user_id))
            {
                list.retain(|r| str_field(r, "id") != Some(*id));
            }
            SimResponse::empty(204)
        }
        _ => method_not_allowed(ctx),
    }
}

/// Snapshot-only markers (`isHidden`) are not Graph properties.
fn strip_sim_fields(mut r: Record) -> Record {
    r.remove("isHidden");
    r
}

fn find_message(st: &SimState, ctx: &Ctx, user_id: &str, id: &str) -> Option<Record> {
    st.data(&ctx.tenant_id)?
        .messages
        .get(user_id)?
        .iter()
        .find(|r| str_field(r, "id") == Some(id))
        .cloned()
}

fn messages(
    st: &SimState,
    ctx: &Ctx,
    req: &GraphRequest,
    user_id: &str,
    folder: Option<&str>,
) -> SimResponse {
    if req.option("search").is_some() && req.option("filter").is_some() {
        return ctx.error(
            400,
            "ErrorInvalidUrlQuery",
            "The query parameter 'Filter' is not supported with 'Search'.",
        );
    }
    let mut all: Vec<Record> = st
        .data(&ctx.tenant_id)
        .and_then(|d| d.messages.get(user_id).cloned())
        .unwrap_or_default();
    if let Some(folder) = folder {
        all.retain(|r| {
            str_field(r, "parentFolderId").is_some_and(|f| f.eq_ignore_ascii_case(folder))
        });
    }
    if let Some(search) = req.option("search") {
        all.retain(|r| search_matches(r, search));
    }
    // Newest first, like Outlook's default view.
    all.sort_by(|a, b| str_field(b, "receivedDateTime").cmp(&str_field(a, "receivedDateTime")));
    let fragment = match folder {
        Some(f) => format!("users('{user_id}')/mailFolders('{f}')/messages"),
        None => format!("users('{user_id}')/messages"),
    };
    let all = all.iter().map(with_message_defaults).collect();
    list(ctx, req, all, &ListSpec::new(&fragment, 10, 1000))
}

/// A small KQL subset: `"from:x"`, `"subject:x"`, or a bare term over from/subject/body.
fn search_matches(r: &Record, search: &str) -> bool {
    let term = search.trim().trim_matches('"').to_lowercase();
    let from = r
        .get("from")
        .map(Value::to_string)
        .unwrap_or_default()
        .to_lowercase();
    let subject = str_field(r, "subject").unwrap_or_default().to_lowercase();
    let body = r
        .get("body")
        .map(Value::to_string)
        .unwrap_or_default()
        .to_lowercase()
        + &str_field(r, "bodyPreview")
            .unwrap_or_default()
            .to_lowercase();
    match term.split_once(':') {
        Some(("from", t)) => from.contains(t.trim()),
        Some(("subject", t)) => subject.contains(t.trim()),
        Some(("body", t)) => body.contains(t.trim()),
        _ => from.contains(&term) || subject.contains(&term) || body.contains(&term),
    }
}

fn move_message(
    st: &mut SimState,
    ctx: &Ctx,
    req: &GraphRequest,
    user_id: &str,
    id: &str,
) -> SimResponse {
    let dest = req
        .body
        .as_ref()
        .and_then(|b| b.get("destinationId"))
        .and_then(Value::as_str)
        .map(String::from);
    let Some(dest) = dest.filter(|d| !d.is_empty()) else {
        return ctx.error(
            400,
            "ErrorInvalidRequest",
            "The destinationId parameter is required.",
        );
    };
    let new_id = format!("AAMkAD{}", st.new_opaque(60));
    let Some(list) = st
        .data_mut(&ctx.tenant_id)
        .and_then(|d| d.messages.get_mut(user_id))
    else {
        return item_not_found(ctx);
    };
    let Some(pos) = list.iter().position(|r| str_field(r, "id") == Some(id)) else {
        return item_not_found(ctx);
    };
    // A move is a copy with a new id in the destination; the original disappears.
    let mut moved = list.remove(pos);
    moved.insert("id".into(), json!(new_id));
    let well_known = [
        "inbox",
        "sentitems",
        "deleteditems",
        "junkemail",
        "archive",
        "drafts",
        "outbox",
    ];
    let folder = if well_known.contains(&dest.to_ascii_lowercase().as_str()) {
        dest.to_ascii_lowercase()
    } else {
        dest
    };
    moved.insert("parentFolderId".into(), json!(folder));
    moved.insert(
        "lastModifiedDateTime".into(),
        json!(crate::clock::graph_time(ctx.now)),
    );
    list.push(moved.clone());
    let mut out = serde_json::Map::new();
    out.insert("@odata.context".into(), json!(ctx.context(req, "message")));
    out.insert("@odata.type".into(), json!("#microsoft.graph.message"));
    out.extend(with_message_defaults(&moved));
    SimResponse::json(201, Value::Object(out))
}

/// A well-known folder as a mailFolder resource. Its `id` is the well-known name, the same
/// value this simulator keeps in messages' `parentFolderId` (Microsoft's ids are opaque, and
/// clients resolve them through this call either way).
fn well_known_folder(st: &SimState, ctx: &Ctx, user_id: &str, folder: &str) -> Option<Record> {
    let name = folder.to_ascii_lowercase();
    let display = match name.as_str() {
        "inbox" => "Inbox",
        "sentitems" => "Sent Items",
        "deleteditems" => "Deleted Items",
        "junkemail" => "Junk Email",
        "archive" => "Archive",
        "drafts" => "Drafts",
        "outbox" => "Outbox",
        _ => return None,
    };
    let held = st
        .data(&ctx.tenant_id)
        .and_then(|d| d.messages.get(user_id))
        .map(|list| {
            list.iter()
                .filter(|r| {
                    str_field(r, "parentFolderId").is_some_and(|f| f.eq_ignore_ascii_case(&name))
                })
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    let unread = held
        .iter()
        .filter(|r| r.get("isRead").and_then(Value::as_bool) == Some(false))
        .count();
    let json = json!({
        "id": name,
        "displayName": display,
        "parentFolderId": "msgfolderroot",
        "childFolderCount": 0,
        "unreadItemCount": unread,
        "totalItemCount": held.len(),
        "isHidden": false,
    });
    json.as_object().cloned()
}
