//! IPC commands. Each is one line: argument plumbing to the `parapet_api` function of the same
//! name, so behaviour lives (and is tested) in the API layer.

use parapet_api::dto::{
    AppInfo, ConsentRequest, CustomerTenant, IncidentDetail, IncidentSummary, PartnerStatus,
    PhishScope, RemediationState, ScanProgress, ScanSummary, Settings, StepRequest, StepResult,
    TenantCopies, TenantFlags, TenantOverview, TenantSummary,
};
use parapet_api::{ApiError, AppContext};
use tauri::ipc::Channel;
use tauri::State;

#[tauri::command(async)]
pub fn app_info(context: State<'_, AppContext>) -> AppInfo {
    parapet_api::app::info(&context)
}

#[tauri::command(async)]
pub fn list_tenants(context: State<'_, AppContext>) -> Result<TenantOverview, ApiError> {
    parapet_api::tenants::list(&context)
}

#[tauri::command(async)]
pub fn set_tenant_flags(
    context: State<'_, AppContext>,
    tenant_id: String,
    flags: TenantFlags,
) -> Result<TenantSummary, ApiError> {
    parapet_api::tenants::set_flags(&context, &tenant_id, flags)
}

#[tauri::command(async)]
pub fn remove_tenant(context: State<'_, AppContext>, tenant_id: String) -> Result<(), ApiError> {
    parapet_api::tenants::remove(&context, &tenant_id)
}

#[tauri::command(async)]
pub fn get_settings(context: State<'_, AppContext>) -> Result<Settings, ApiError> {
    parapet_api::settings::get(&context)
}

#[tauri::command(async)]
pub fn update_settings(
    context: State<'_, AppContext>,
    settings: Settings,
) -> Result<Settings, ApiError> {
    parapet_api::settings::update(&context, &settings)
}

#[tauri::command(async)]
pub fn partner_status(context: State<'_, AppContext>) -> Result<PartnerStatus, ApiError> {
    parapet_api::partner::status(&context)
}

#[tauri::command]
pub async fn sign_in(context: State<'_, AppContext>) -> Result<PartnerStatus, ApiError> {
    parapet_api::partner::sign_in(&context).await
}

#[tauri::command]
pub async fn list_customers(
    context: State<'_, AppContext>,
) -> Result<Vec<CustomerTenant>, ApiError> {
    parapet_api::partner::customers(&context).await
}

#[tauri::command]
pub async fn request_consent(
    context: State<'_, AppContext>,
    tenant: String,
) -> Result<ConsentRequest, ApiError> {
    parapet_api::onboarding::request_consent(&context, &tenant).await
}

#[tauri::command]
pub async fn open_link(context: State<'_, AppContext>, url: String) -> Result<(), ApiError> {
    parapet_api::onboarding::open_link(&context, &url).await
}

#[tauri::command]
pub async fn complete_consent(
    context: State<'_, AppContext>,
    request_id: String,
) -> Result<TenantSummary, ApiError> {
    parapet_api::onboarding::complete_consent(&context, &request_id).await
}

#[tauri::command]
pub async fn onboard_tenant(
    context: State<'_, AppContext>,
    tenant_id: String,
) -> Result<TenantSummary, ApiError> {
    parapet_api::onboarding::onboard(&context, &tenant_id).await
}

#[tauri::command(async)]
pub fn list_incidents(
    context: State<'_, AppContext>,
    tenant_id: Option<String>,
) -> Result<Vec<IncidentSummary>, ApiError> {
    parapet_api::incidents::list(&context, tenant_id.as_deref())
}

#[tauri::command(async)]
pub fn recent_incident_count(context: State<'_, AppContext>) -> Result<u32, ApiError> {
    parapet_api::incidents::recent_count(&context, chrono::Utc::now())
}

#[tauri::command(async)]
pub fn incident_detail(
    context: State<'_, AppContext>,
    incident_id: String,
) -> Result<IncidentDetail, ApiError> {
    parapet_api::incidents::detail(&context, &incident_id)
}

#[tauri::command(async)]
pub fn publish_incident(
    context: State<'_, AppContext>,
    incident_id: String,
) -> Result<IncidentDetail, ApiError> {
    parapet_api::incidents::publish(&context, &incident_id)
}

#[tauri::command(async)]
pub fn last_scan(
    context: State<'_, AppContext>,
    tenant_id: String,
) -> Result<Option<ScanSummary>, ApiError> {
    parapet_api::scan::last(&context, &tenant_id)
}

#[tauri::command]
pub async fn run_remediation_step(
    context: State<'_, AppContext>,
    incident_id: String,
    request: StepRequest,
) -> Result<StepResult, ApiError> {
    parapet_api::remediation::run_step_as_technician(&context, &incident_id, &request).await
}

#[tauri::command]
pub async fn remediation_state(
    context: State<'_, AppContext>,
    incident_id: String,
) -> Result<RemediationState, ApiError> {
    parapet_api::remediation::state(&context, &incident_id).await
}

#[tauri::command]
pub async fn scan_tenant(
    context: State<'_, AppContext>,
    tenant_id: String,
    on_progress: Channel<ScanProgress>,
) -> Result<ScanSummary, ApiError> {
    let report = |progress| drop(on_progress.send(progress));
    parapet_api::live_scan::scan_tenant(&context, &tenant_id, &report).await
}

#[tauri::command(async)]
pub fn mark_phish(
    context: State<'_, AppContext>,
    incident_id: String,
    message_id: String,
) -> Result<IncidentDetail, ApiError> {
    parapet_api::incidents::mark_phish(&context, &incident_id, &message_id)
}

#[tauri::command]
pub async fn find_phish_copies(
    context: State<'_, AppContext>,
    incident_id: String,
    scope: PhishScope,
) -> Result<Vec<TenantCopies>, ApiError> {
    parapet_api::retraction::find_copies(&context, &incident_id, scope).await
}
