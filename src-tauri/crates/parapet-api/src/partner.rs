//! The technician's partner (MSP) tenant: desktop sign-in, the MSP's own multi-tenant app that
//! customers consent to, and the Partner Center customer list.

use crate::connection::PUBLIC_CLIENT_ID;
use crate::dto::{CustomerTenant, PartnerStatus};
use crate::loopback::LoopbackRedirect;
use crate::{ApiError, AppContext, ErrorCode};
use base64::Engine;
use parapet_graph::auth::pkce::{code_from_redirect, random_state};
use parapet_graph::{
    AuthorizeRequest, Credentials, ODataQuery, Pkce, Resource, TenantClient, TenantId,
};
use parapet_secrets::{SecretKey, Sensitive};
use parapet_store::SettingKey;
use serde_json::json;
use std::sync::Arc;
use std::time::Duration;

/// How long a sign-in or consent page may stay open before Parapet gives up waiting.
pub const BROWSER_TIMEOUT: Duration = Duration::from_secs(10 * 60);

pub(crate) fn refresh_token_key() -> SecretKey {
    SecretKey::new("partner:refresh-token")
}

pub(crate) fn msp_app_secret_key() -> SecretKey {
    SecretKey::new("msp-app:client-secret")
}

/// Who is signed in, and whether the MSP's app exists.
pub fn status(context: &AppContext) -> Result<PartnerStatus, ApiError> {
    let store = context.store();
    let tenant_id = store.setting(SettingKey::PartnerTenantId)?;
    Ok(PartnerStatus {
        signed_in: tenant_id.is_some() && context.keyring().get(&refresh_token_key())?.is_some(),
        partner_tenant_id: tenant_id,
        technician_upn: store.setting(SettingKey::TechnicianUpn)?,
        msp_app_id: store.setting(SettingKey::MspAppId)?,
    })
}

/// Signs the technician in to their partner tenant (authorization code + PKCE through the
/// browser and a loopback redirect; Parapet is a public client and sends no secret), keeps the
/// refresh token in the keyring, and on first sign-in creates the MSP's own multi-tenant app.
pub async fn sign_in(context: &AppContext) -> Result<PartnerStatus, ApiError> {
    let connection = context.connection();
    let pkce = Pkce::generate();
    let state = random_state();
    let redirect = LoopbackRedirect::bind().await?;
    let redirect_uri = redirect.redirect_uri().to_string();
    let scopes = [
        "openid",
        "profile",
        "offline_access",
        Resource::Graph.default_scope(),
    ];
    let url = connection.client.authorize_url(&AuthorizeRequest {
        tenant: "organizations",
        client_id: PUBLIC_CLIENT_ID,
        redirect_uri: &redirect_uri,
        scopes: &scopes,
        state: &state,
        code_challenge: &pkce.challenge,
        prompt: Some("select_account"),
        login_hint: None,
    })?;
    connection.opener.open(url.as_str()).await?;
    let back = redirect.wait(&state, BROWSER_TIMEOUT).await?;
    if let Some(error) = query_value(&back, "error") {
        let description = query_value(&back, "error_description").unwrap_or_default();
        return Err(ApiError::new(
            ErrorCode::NotSignedIn,
            format!("sign-in was not completed: {error}: {description}"),
        ));
    }
    let code = code_from_redirect(back.as_str(), &state)?;
    let issued = connection
        .client
        .exchange_code(
            "organizations",
            PUBLIC_CLIENT_ID,
            &redirect_uri,
            &code,
            &pkce,
            &scopes,
        )
        .await?;
    let refresh_token = issued.refresh_token.ok_or_else(|| {
        ApiError::new(
            ErrorCode::Microsoft,
            "the sign-in returned no refresh token (offline_access was not granted)",
        )
    })?;
    let claims = issued
        .id_token
        .as_ref()
        .map(id_token_claims)
        .transpose()?
        .ok_or_else(|| ApiError::new(ErrorCode::Microsoft, "the sign-in returned no id token"))?;
    let tenant_id = claims["tid"]
        .as_str()
        .ok_or_else(|| ApiError::new(ErrorCode::Microsoft, "the id token names no tenant"))?
        .to_string();
    context
        .keyring()
        .set(&refresh_token_key(), &refresh_token)?;
    // A new sign-in replaces the token every delegated client redeems from now on.
    *context.partner_token() = None;
    let previous_partner = context.store().setting(SettingKey::PartnerTenantId)?;
    if previous_partner.is_some_and(|previous| !previous.eq_ignore_ascii_case(&tenant_id)) {
        // Another partner tenant: its customers consent to its own app, never the old one's.
        let store = context.store();
        store.remove_setting(SettingKey::MspAppId)?;
        store.remove_setting(SettingKey::MspAppObjectId)?;
        drop(store);
        context.keyring().delete(&msp_app_secret_key())?;
    }
    {
        let store = context.store();
        store.set_setting(SettingKey::PartnerTenantId, &tenant_id)?;
        if let Some(upn) = claims["preferred_username"].as_str() {
            store.set_setting(SettingKey::TechnicianUpn, upn)?;
        }
    }
    ensure_msp_app(context, &partner_client(context)?).await?;
    status(context)
}

/// The customer tenants of the partner (contracts and GDAP relationships), each marked when it
/// is already onboarded.
pub async fn customers(context: &AppContext) -> Result<Vec<CustomerTenant>, ApiError> {
    let client = partner_client(context)?;
    let contracts = client.contracts(&ODataQuery::new()).collect_all().await?;
    // GDAP needs its own permission; a partner without it still has contracts.
    let relationships = client
        .delegated_admin_relationships(&ODataQuery::new())
        .collect_all()
        .await
        .unwrap_or_default();
    let onboarded: std::collections::HashSet<String> = context
        .store()
        .tenants()?
        .into_iter()
        .map(|t| t.id.to_ascii_lowercase())
        .collect();
    let mut customers: Vec<CustomerTenant> = Vec::new();
    for contract in contracts {
        let Some(tenant_id) = contract.customer_id.clone() else {
            continue;
        };
        customers.push(CustomerTenant {
            onboarded: onboarded.contains(&tenant_id.to_ascii_lowercase()),
            tenant_id,
            display_name: contract.display_name.clone().unwrap_or_default(),
            default_domain: contract.default_domain_name.clone().unwrap_or_default(),
            gdap_status: None,
        });
    }
    for relationship in relationships {
        let Some(customer) = relationship.customer.as_ref() else {
            continue;
        };
        let Some(tenant_id) = customer.tenant_id.clone() else {
            continue;
        };
        match customers
            .iter_mut()
            .find(|c| c.tenant_id.eq_ignore_ascii_case(&tenant_id))
        {
            Some(existing) => existing.gdap_status = relationship.status.clone(),
            None => customers.push(CustomerTenant {
                onboarded: onboarded.contains(&tenant_id.to_ascii_lowercase()),
                display_name: customer.display_name.clone().unwrap_or_default(),
                tenant_id,
                default_domain: String::new(),
                gdap_status: relationship.status.clone(),
            }),
        }
    }
    customers.sort_by(|a, b| {
        a.display_name
            .to_lowercase()
            .cmp(&b.display_name.to_lowercase())
    });
    Ok(customers)
}

/// A Graph client for the partner tenant on the technician's delegated token.
pub(crate) fn partner_client(context: &AppContext) -> Result<TenantClient, ApiError> {
    let tenant_id = context
        .store()
        .setting(SettingKey::PartnerTenantId)?
        .ok_or_else(|| {
            ApiError::new(
                ErrorCode::NotSignedIn,
                "sign in to your partner tenant first",
            )
        })?;
    delegated_client(context, &tenant_id)
}

/// A Graph client for `tenant_id` on the technician's delegated token: the partner tenant, or
/// a customer reached through GDAP (for the calls Microsoft allows only delegated, such as
/// `resetPassword` with writeback).
pub(crate) fn delegated_client(
    context: &AppContext,
    tenant_id: &str,
) -> Result<TenantClient, ApiError> {
    Ok(context.connection().client.for_tenant(
        TenantId::new(tenant_id)?,
        Credentials::PartnerRefreshToken {
            client_id: PUBLIC_CLIENT_ID.to_string(),
            client_secret: None,
            token: partner_token(context)?,
        },
    ))
}

/// The process's one handle on the stored refresh token, read from the keyring on first use.
fn partner_token(context: &AppContext) -> Result<parapet_graph::PartnerToken, ApiError> {
    let mut slot = context.partner_token();
    if let Some(token) = slot.as_ref() {
        return Ok(token.clone());
    }
    let refresh_token = context
        .keyring()
        .get(&refresh_token_key())?
        .ok_or_else(|| {
            ApiError::new(
                ErrorCode::NotSignedIn,
                "sign in to your partner tenant first",
            )
        })?;
    let keyring = context.keyring().clone();
    // Entra rotates the refresh token on use; the newest must replace the stored one.
    let on_rotated: parapet_graph::RotationCallback = Arc::new(move |_tenant, rotated| {
        if let Err(error) = keyring.set(&refresh_token_key(), &rotated) {
            // The next start would present a spent token: say why sign-in will be asked again.
            tracing::warn!("the renewed partner sign-in could not be saved in the keyring ({error}); the next start may ask you to sign in again");
        }
    });
    let token = parapet_graph::PartnerToken::new(refresh_token, Some(on_rotated));
    *slot = Some(token.clone());
    Ok(token)
}

/// Creates the MSP's multi-tenant app and its client secret once; later sign-ins reuse them.
async fn ensure_msp_app(context: &AppContext, partner: &TenantClient) -> Result<(), ApiError> {
    let existing = context.store().setting(SettingKey::MspAppId)?;
    let object_id = context.store().setting(SettingKey::MspAppObjectId)?;
    if existing.is_some() && context.keyring().get(&msp_app_secret_key())?.is_some() {
        return Ok(());
    }
    if let (Some(_), Some(object_id)) = (&existing, &object_id) {
        // The secret is gone from the keyring but the app exists and every customer consented
        // to it: give it a new secret rather than a new app that nobody consented to.
        let password = partner
            .add_password(object_id, "Parapet desktop", None)
            .await?;
        context
            .keyring()
            .set(&msp_app_secret_key(), &password.secret)?;
        return Ok(());
    }
    let name = {
        let msp = context
            .store()
            .setting(SettingKey::MspDisplayName)?
            .unwrap_or_default();
        if msp.is_empty() {
            "Parapet".to_string()
        } else {
            format!("Parapet for {msp}")
        }
    };
    let application = partner
        .create_application(&name, msp_app_manifest())
        .await?;
    let (Some(object_id), Some(app_id)) = (application.id.clone(), application.app_id.clone())
    else {
        return Err(ApiError::new(
            ErrorCode::Microsoft,
            "the new application has no id",
        ));
    };
    let password = partner
        .add_password(&object_id, "Parapet desktop", None)
        .await?;
    context
        .keyring()
        .set(&msp_app_secret_key(), &password.secret)?;
    let store = context.store();
    store.set_setting(SettingKey::MspAppObjectId, &object_id)?;
    store.set_setting(SettingKey::MspAppId, &app_id)?;
    Ok(())
}

/// The app-only permissions Parapet needs in each customer tenant (Microsoft Graph, Exchange
/// Online, Office 365 Management APIs). Role ids are Microsoft's published permission ids.
fn msp_app_manifest() -> serde_json::Value {
    const GRAPH: &str = "00000003-0000-0000-c000-000000000000";
    let graph_roles = [
        "7ab1d382-f21e-4acd-a863-ba3e13f7da61", // Directory.Read.All
        "741f803b-c850-494e-b5df-cde7c675a1ca", // User.ReadWrite.All
        "b0afded3-3588-46d8-8b3d-9842eff778da", // AuditLog.Read.All
        "5e1e9171-754d-478c-812c-f1755a9a4c2d", // AuditLogsQuery.Read.All
        "e2a3a72e-5f79-4c64-b1b1-878b674786c9", // Mail.ReadWrite
        "6931bccd-447a-43d1-b442-00a195474933", // MailboxSettings.ReadWrite
        "01c0a623-fc9b-48e9-b794-0756f8e8f067", // Policy.ReadWrite.ConditionalAccess
        "246dd0d5-5bd0-4def-940b-0421030a5b68", // Policy.Read.All
        "1bfefb4e-e0b5-418b-a88f-73c46d2cc8e9", // Application.ReadWrite.All
        "1138cb37-bd11-4084-a2b7-9f71582aeddb", // Device.ReadWrite.All
        "50483e42-d915-4231-9639-7fdb7fd190e5", // UserAuthenticationMethod.ReadWrite.All
    ];
    let role = |id: &str| json!({ "id": id, "type": "Role" });
    json!({
        "signInAudience": "AzureADMultipleOrgs",
        "web": { "redirectUris": ["http://localhost"] },
        "requiredResourceAccess": [
            { "resourceAppId": GRAPH, "resourceAccess": graph_roles.iter().map(|id| role(id)).collect::<Vec<_>>() },
            // Exchange.ManageAsApp
            { "resourceAppId": "00000002-0000-0ff1-ce00-000000000000", "resourceAccess": [role("dc50a0fb-09a3-484d-be87-e023b12c6440")] },
            // ActivityFeed.Read
            { "resourceAppId": "c5393580-f805-4401-95e8-94b7a6ef2fc2", "resourceAccess": [role("594c1fb6-4f81-4475-ae41-0c394909246c")] },
        ],
    })
}

/// The claims of an id token received directly from the token endpoint (over TLS, so its
/// signature needs no check per OpenID Connect §3.1.3.7).
fn id_token_claims(token: &Sensitive<String>) -> Result<serde_json::Value, ApiError> {
    let payload = token
        .expose()
        .split('.')
        .nth(1)
        .ok_or_else(|| ApiError::new(ErrorCode::Microsoft, "the id token is not a JWT"))?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .map_err(|_| ApiError::new(ErrorCode::Microsoft, "the id token is not valid base64"))?;
    serde_json::from_slice(&bytes)
        .map_err(|_| ApiError::new(ErrorCode::Microsoft, "the id token's claims are not JSON"))
}

pub(crate) fn query_value(url: &url::Url, key: &str) -> Option<String> {
    url.query_pairs()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.into_owned())
}
