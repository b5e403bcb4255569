//! Adding a customer tenant: the admin-consent link (opened in the browser or copied to the
//! tenant's Global Admin), detecting that consent was given, and a first verifying call that
//! records the tenant's name, licence and user counts.

use crate::billing::billable_users;
use crate::dto::{ConsentRequest, TenantSummary};
use crate::loopback::LoopbackRedirect;
use crate::partner::{msp_app_secret_key, query_value, BROWSER_TIMEOUT};
use crate::{ApiError, AppContext, ErrorCode};
use parapet_graph::auth::pkce::random_state;
use parapet_graph::{Credentials, ODataQuery, TenantClient, TenantId};
use parapet_store::{EntraLicence, SettingKey, TenantFacts, TenantFlags, TenantRow};

/// The user properties onboarding needs (the default projection lacks most of them).
const USER_FIELDS: &[&str] = &[
    "id",
    "displayName",
    "userPrincipalName",
    "accountEnabled",
    "assignedLicenses",
    "userType",
];

/// A consent link waiting for the browser's redirect.
#[derive(Debug)]
pub(crate) struct PendingConsent {
    tenant: String,
    redirect: LoopbackRedirect,
}

/// Builds the admin-consent link for a tenant (id or domain) and starts listening for its
/// redirect. Nothing is opened: the UI offers Open and Copy.
pub async fn request_consent(
    context: &AppContext,
    tenant: &str,
) -> Result<ConsentRequest, ApiError> {
    let tenant = tenant.trim();
    TenantId::new(tenant)
        .map_err(|_| ApiError::invalid_input(format!("{tenant:?} is not a tenant id or domain")))?;
    let app_id = msp_app_id(context)?;
    let redirect = LoopbackRedirect::bind().await?;
    let state = random_state();
    let mut url = url::Url::parse(&format!(
        "{}/{}/adminconsent",
        context.connection().endpoints.login(),
        tenant
    ))
    .map_err(|e| ApiError::invalid_input(e.to_string()))?;
    url.query_pairs_mut()
        .append_pair("client_id", &app_id)
        .append_pair("redirect_uri", redirect.redirect_uri())
        .append_pair("state", &state);
    context.pending_consents().insert(
        state.clone(),
        PendingConsent {
            tenant: tenant.to_string(),
            redirect,
        },
    );
    Ok(ConsentRequest {
        request_id: state,
        url: url.to_string(),
    })
}

/// Opens a link through the workspace's URL opener (the system browser in the app).
pub async fn open_link(context: &AppContext, url: &str) -> Result<(), ApiError> {
    // Same scheme, host, port and path prefix as the sign-in endpoint, and no user-info: a
    // prefix check would let `https://login.microsoftonline.com@evil.example/` through.
    let refuse = || ApiError::invalid_input("only Microsoft sign-in links are opened");
    let link = url::Url::parse(url).map_err(|_| refuse())?;
    let login = url::Url::parse(context.connection().endpoints.login()).map_err(|_| refuse())?;
    let same_origin = link.scheme() == login.scheme()
        && link.host_str() == login.host_str()
        && link.port_or_known_default() == login.port_or_known_default()
        && link.username().is_empty()
        && link.password().is_none()
        && link.path().starts_with(login.path().trim_end_matches('/'));
    if !same_origin {
        return Err(refuse());
    }
    context.connection().opener.open(url).await
}

/// Waits for the consent redirect of a request, then verifies access and onboards the tenant.
pub async fn complete_consent(
    context: &AppContext,
    request_id: &str,
) -> Result<TenantSummary, ApiError> {
    let pending = context
        .pending_consents()
        .remove(request_id)
        .ok_or_else(|| {
            ApiError::new(
                ErrorCode::NotFound,
                "this consent request is unknown or already finished; start again",
            )
        })?;
    let back = pending.redirect.wait(request_id, BROWSER_TIMEOUT).await?;
    if let Some(error) = query_value(&back, "error") {
        let description = query_value(&back, "error_description").unwrap_or_default();
        return Err(ApiError::new(
            ErrorCode::NotConsented,
            format!(
                "consent for {} was not given: {error}: {description}",
                pending.tenant
            ),
        ));
    }
    if !query_value(&back, "admin_consent").is_some_and(|v| v.eq_ignore_ascii_case("true")) {
        return Err(ApiError::new(
            ErrorCode::NotConsented,
            "the consent page returned without admin consent",
        ));
    }
    let tenant_id = query_value(&back, "tenant").unwrap_or(pending.tenant);
    onboard(context, &tenant_id).await
}

/// Verifies access with the MSP app's own credentials and records (or refreshes) the tenant.
/// Fails with `not_consented` when the tenant never consented.
pub async fn onboard(context: &AppContext, tenant_id: &str) -> Result<TenantSummary, ApiError> {
    let client = tenant_client(context, tenant_id)?;
    let organization = client
        .organization()
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| {
            ApiError::new(ErrorCode::Microsoft, "the tenant returned no organization")
        })?;
    let default_domain = organization
        .verified_domains
        .iter()
        .flatten()
        .find(|d| d["isDefault"].as_bool() == Some(true))
        .or_else(|| organization.verified_domains.iter().flatten().next())
        .and_then(|d| d["name"].as_str())
        .unwrap_or_default()
        .to_string();
    let users = client
        .users(&ODataQuery::new().select(USER_FIELDS).top(999))
        .collect_all()
        .await?;
    let skus = client.subscribed_skus().await?;
    // Without Exchange access the mailbox types are unknown; counting then includes shared
    // mailboxes, which over-counts rather than hides a person.
    let mailboxes = client.mailboxes().collect_all().await.unwrap_or_default();
    let facts = facts(&users, &skus, &mailboxes);
    let row = TenantRow {
        id: organization.id.clone(),
        display_name: organization
            .display_name
            .clone()
            .unwrap_or_else(|| default_domain.clone()),
        default_domain,
        onboarded_at: chrono::Utc::now(),
        flags: TenantFlags::default(),
        facts,
    };
    let store = context.store();
    store.upsert_tenant(&row)?;
    Ok(crate::tenants::summary(store.tenant(&row.id)?))
}

/// The facts of a tenant given as a snapshot (offline import).
pub(crate) fn facts_from_snapshot(snapshot: &parapet_snapshot::Snapshot) -> TenantFacts {
    let mut facts = snapshot_facts(
        &snapshot.users,
        &snapshot.subscribed_skus,
        &snapshot.mailboxes,
    );
    facts.last_verified_at = None;
    facts
}

fn facts(
    users: &[parapet_graph::model::directory::User],
    skus: &[parapet_snapshot::model::SubscribedSku],
    mailboxes: &[parapet_graph::model::exchange::Mailbox],
) -> TenantFacts {
    // The billing rule reads snapshot-shaped records: both are Microsoft's JSON.
    let users: Vec<parapet_snapshot::model::User> = users
        .iter()
        .filter_map(|u| serde_json::to_value(u).ok())
        .filter_map(|v| serde_json::from_value(v).ok())
        .collect();
    let mailboxes: Vec<parapet_snapshot::model::Mailbox> = mailboxes
        .iter()
        .filter_map(|m| {
            let user_id = m.external_directory_object_id.clone()?;
            serde_json::from_value(serde_json::json!({
                "userId": user_id,
                "recipientTypeDetails": m.recipient_type_details,
            }))
            .ok()
        })
        .collect();
    snapshot_facts(&users, skus, &mailboxes)
}

fn snapshot_facts(
    users: &[parapet_snapshot::model::User],
    skus: &[parapet_snapshot::model::SubscribedSku],
    mailboxes: &[parapet_snapshot::model::Mailbox],
) -> TenantFacts {
    let plans: Vec<&str> = skus
        .iter()
        .flat_map(|sku| sku.service_plans.iter().flatten())
        .filter_map(|plan| plan.service_plan_name.as_deref())
        .collect();
    let entra_licence = if plans.contains(&"AAD_PREMIUM_P2") {
        EntraLicence::P2
    } else if plans.contains(&"AAD_PREMIUM") {
        EntraLicence::P1
    } else {
        EntraLicence::None
    };
    let members = users
        .iter()
        .filter(|u| {
            u.user_type
                .as_deref()
                .is_none_or(|t| t.eq_ignore_ascii_case("Member"))
        })
        .count();
    TenantFacts {
        entra_licence,
        member_users: u32::try_from(members).unwrap_or(u32::MAX),
        billable_users: u32::try_from(billable_users(users, skus, mailboxes)).unwrap_or(u32::MAX),
        last_verified_at: Some(chrono::Utc::now()),
    }
}

fn msp_app_id(context: &AppContext) -> Result<String, ApiError> {
    context
        .store()
        .setting(SettingKey::MspAppId)?
        .ok_or_else(|| {
            ApiError::new(
                ErrorCode::NotSignedIn,
                "sign in to your partner tenant first: it sets up the app tenants consent to",
            )
        })
}

/// A client for one customer tenant with the MSP app's credentials, and only that tenant's.
pub(crate) fn tenant_client(
    context: &AppContext,
    tenant_id: &str,
) -> Result<TenantClient, ApiError> {
    let app_id = msp_app_id(context)?;
    let secret = context
        .keyring()
        .get(&msp_app_secret_key())?
        .ok_or_else(|| {
            ApiError::new(
                ErrorCode::NotSignedIn,
                "the MSP app's client secret is missing from the keyring; sign in again",
            )
        })?;
    Ok(context.connection().client.for_tenant(
        TenantId::new(tenant_id)?,
        Credentials::ClientSecret {
            client_id: app_id,
            secret,
        },
    ))
}
