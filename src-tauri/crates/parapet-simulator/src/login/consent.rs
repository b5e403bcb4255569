//! `/{tenant}/adminconsent`: a small consent page (GET) and its accept/cancel form (POST). On
//! accept the app gets a service principal in the customer tenant, so client credentials work.

use super::authorize::{is_loopback, with_query};
use super::errors::{aad_error_page, escape_html};
use crate::clock::graph_time;
use crate::http::SimResponse;
use crate::state::tenant::str_field;
use crate::state::SimState;
use chrono::{DateTime, Utc};
use serde_json::json;
use std::collections::HashMap;

/// GET: the consent page; for a tenant that already consents to the app (`consented: true`,
/// the admin surface, or an earlier accept) the admin is not asked again and the browser is
/// sent straight back, so a plain GET completes a pre-consented onboarding.
pub fn page(
    st: &mut SimState,
    tenant: &str,
    q: &HashMap<String, String>,
    now: DateTime<Utc>,
) -> SimResponse {
    let field = |k: &str| q.get(k).map(String::as_str).unwrap_or("");
    let (app_name, tenants) =
        match check(st, tenant, field("client_id"), field("redirect_uri"), now) {
            Ok(v) => v,
            Err(resp) => return resp,
        };
    let client_id = field("client_id");
    let pre_consented = match tenants.as_slice() {
        [(id, _)] => st
            .tenants
            .get(id)
            .is_some_and(|d| d.is_consented(client_id)),
        _ => false,
    };
    if pre_consented {
        let tenant_id = tenants[0].0.clone();
        record_consent(st, &tenant_id, client_id, now);
        return SimResponse::redirect(with_query(
            field("redirect_uri"),
            &[
                ("tenant", &tenant_id),
                ("state", field("state")),
                ("admin_consent", "True"),
            ],
        ));
    }
    let hidden = |k: &str| {
        format!(
            "<input type=\"hidden\" name=\"{k}\" value=\"{}\">",
            escape_html(field(k))
        )
    };
    let tenant_choice = if tenants.len() == 1 {
        format!(
            "<input type=\"hidden\" name=\"tenant\" value=\"{}\"><p>Organization: <b>{}</b></p>",
            escape_html(&tenants[0].0),
            escape_html(&tenants[0].1)
        )
    } else {
        let options: String = tenants
            .iter()
            .map(|(id, name)| {
                format!(
                    "<option value=\"{}\">{}</option>",
                    escape_html(id),
                    escape_html(name)
                )
            })
            .collect();
        format!("<label>Organization <select name=\"tenant\">{options}</select></label>")
    };
    let html = format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>Permissions requested</title></head><body>\
         <h1>Permissions requested</h1><p>Accept for your organization</p>\
         <p>App: <b id=\"app-name\">{}</b></p>\
         <form method=\"post\">{}{}{}{}{}\
         <button type=\"submit\" name=\"decision\" value=\"accept\" id=\"accept\">Accept</button>\
         <button type=\"submit\" name=\"decision\" value=\"cancel\" id=\"cancel\">Cancel</button>\
         </form></body></html>",
        escape_html(&app_name),
        hidden("client_id"),
        hidden("redirect_uri"),
        hidden("state"),
        hidden("scope"),
        tenant_choice,
    );
    SimResponse::html(200, html)
}

pub fn submit(
    st: &mut SimState,
    tenant: &str,
    form: &HashMap<String, String>,
    now: DateTime<Utc>,
) -> SimResponse {
    let field = |k: &str| form.get(k).map(String::as_str).unwrap_or("");
    let client_id = field("client_id").to_string();
    let redirect_uri = field("redirect_uri").to_string();
    let tenants = match check(st, tenant, &client_id, &redirect_uri, now) {
        Ok((_, t)) => t,
        Err(resp) => return resp,
    };
    let chosen = tenants
        .iter()
        .find(|(id, _)| tenants.len() == 1 || *id == field("tenant").to_ascii_lowercase());
    let Some((tenant_id, _)) = chosen.cloned() else {
        return aad_error_page(400, 90002, "Choose an organization to consent for.", now);
    };
    let state = field("state");
    if field("decision") != "accept" {
        return SimResponse::redirect(with_query(
            &redirect_uri,
            &[
                ("error", "permission_denied"),
                ("error_description", "The admin canceled the request"),
                ("state", state),
            ],
        ));
    }
    record_consent(st, &tenant_id, &client_id, now);
    SimResponse::redirect(with_query(
        &redirect_uri,
        &[
            ("tenant", &tenant_id),
            ("state", state),
            ("admin_consent", "True"),
        ],
    ))
}

/// Grants consent and creates the app's service principal in the tenant (idempotent).
pub fn record_consent(st: &mut SimState, tenant_id: &str, client_id: &str, now: DateTime<Utc>) {
    let app = st.partner_app(client_id).cloned();
    let partner_id = st.partner.id.clone();
    let sp_id = st.new_uuid();
    let Some(data) = st.tenants.get_mut(tenant_id) else {
        return;
    };
    data.consented_apps.insert(client_id.to_ascii_lowercase());
    let has_sp = data
        .service_principals
        .iter()
        .any(|sp| str_field(sp, "appId").is_some_and(|a| a.eq_ignore_ascii_case(client_id)));
    if has_sp {
        return;
    }
    let name = app
        .as_ref()
        .and_then(|a| str_field(a, "displayName"))
        .unwrap_or("Parapet")
        .to_string();
    if let serde_json::Value::Object(sp) = json!({
        "id": sp_id, "appId": client_id, "displayName": name, "accountEnabled": true,
        "appOwnerOrganizationId": partner_id, "servicePrincipalType": "Application",
        "signInAudience": "AzureADMultipleOrgs", "createdDateTime": graph_time(now),
        "servicePrincipalNames": [client_id], "tags": ["WindowsAzureActiveDirectoryIntegratedApp"],
        "replyUrls": [], "homepage": null, "publisherName": st.partner.display_name,
    }) {
        data.service_principals.push(sp);
    }
}

/// Validates client and redirect URI; returns the app name and the tenants one may consent for.
fn check(
    st: &SimState,
    tenant: &str,
    client_id: &str,
    redirect_uri: &str,
    now: DateTime<Utc>,
) -> Result<(String, Vec<(String, String)>), SimResponse> {
    let tenants: Vec<(String, String)> = match tenant.to_ascii_lowercase().as_str() {
        "common" | "organizations" => st
            .tenants
            .values()
            .map(|d| (d.id.clone(), d.display_name.clone()))
            .collect(),
        _ => match st.resolve_tenant(tenant).and_then(|id| st.tenants.get(&id)) {
            Some(d) => vec![(d.id.clone(), d.display_name.clone())],
            None => {
                return Err(aad_error_page(
                    400,
                    90002,
                    &format!("Tenant '{tenant}' not found."),
                    now,
                ))
            }
        },
    };
    let Some(app) = st.partner_app(client_id) else {
        return Err(aad_error_page(
            400,
            700016,
            &format!("Application with identifier '{client_id}' was not found in the directory."),
            now,
        ));
    };
    if !is_loopback(redirect_uri) {
        return Err(aad_error_page(
            400,
            50011,
            &format!("The redirect URI '{redirect_uri}' specified in the request does not match the redirect URIs configured for the application '{client_id}'."),
            now,
        ));
    }
    let multi =
        str_field(app, "signInAudience").is_some_and(|a| a.starts_with("AzureADMultipleOrgs"));
    if !multi {
        return Err(aad_error_page(
            400,
            50194,
            &format!("Application '{client_id}' is not configured as a multi-tenant application."),
            now,
        ));
    }
    let name = str_field(app, "displayName")
        .unwrap_or_default()
        .to_string();
    Ok((name, tenants))
}
