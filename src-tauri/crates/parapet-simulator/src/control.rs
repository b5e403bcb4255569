//! The in-process handle tests and the demo workspace use to drive the simulator.

use crate::config::ThrottleMode;
use crate::events;
use crate::faults::FaultSettings;
use crate::server::App;
use crate::state::partner::PartnerSecret;
use crate::state::tenant::Record;
use crate::throttle::ThrottleLimits;
use crate::SimError;
use chrono::{DateTime, Duration, Utc};
use serde_json::{json, Value};
use std::sync::Arc;

#[derive(Clone)]
pub struct SimControl {
    app: Arc<App>,
}

/// Events to inject into one tenant, in Microsoft's shapes; missing ids and times are filled.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct TenantEvents {
    pub sign_ins: Vec<Record>,
    pub directory_audits: Vec<Record>,
    pub audit_records: Vec<Record>,
}

impl SimControl {
    pub(crate) fn new(app: Arc<App>) -> SimControl {
        SimControl { app }
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.app.now()
    }

    /// Moves the sim clock forward (and generates background sign-ins when enabled).
    pub fn advance_clock(&self, by: Duration) {
        self.app.lock().advance(by);
    }

    /// How PATCHes of `accountEnabled` on directory-synced users behave (default: accepted).
    pub fn set_synced_account_policy(&self, policy: crate::state::SyncedAccountPolicy) {
        self.app.lock().synced_account_policy = policy;
    }

    /// Turns background sign-in generation on clock advances on or off (off at start).
    pub fn set_background_activity(&self, enabled: bool) {
        self.app.lock().background_activity = enabled;
    }

    pub fn set_throttle(&self, mode: ThrottleMode) {
        self.app.throttle.set_mode(mode);
    }

    pub fn set_throttle_limits(&self, limits: ThrottleLimits) {
        self.app.throttle.set_limits(limits);
    }

    pub fn throttle_limits(&self) -> ThrottleLimits {
        self.app.throttle.limits()
    }

    pub fn set_faults(&self, settings: FaultSettings) {
        self.app.faults().settings = settings;
    }

    pub fn faults(&self) -> FaultSettings {
        self.app.faults().settings.clone()
    }

    /// Consent for every partner app in a tenant (true) or withdraws all consent (false).
    pub fn set_consent(&self, tenant: &str, consented: bool) -> Result<(), SimError> {
        let mut st = self.app.lock();
        let id = st
            .resolve_tenant(tenant)
            .filter(|id| st.tenants.contains_key(id));
        let data =
            id.and_then(|id| st.tenants.get_mut(&id))
                .ok_or_else(|| SimError::UnknownTenant {
                    tenant: tenant.to_string(),
                })?;
        data.consent_all = consented;
        if !consented {
            data.consented_apps.clear();
        }
        Ok(())
    }

    /// Registers a multi-tenant app with a client secret in the partner tenant, as Parapet's
    /// setup does over Graph; returns (client id, secret).
    pub fn register_partner_app(&self, display_name: &str) -> (String, String) {
        let mut st = self.app.lock();
        let (id, app_id, key_id) = (st.new_uuid(), st.new_uuid(), st.new_uuid());
        let secret = format!("sim~{}", st.new_opaque(27));
        let now = st.clock.now();
        if let Value::Object(app) = json!({
            "id": id, "appId": app_id, "displayName": display_name, "signInAudience": "AzureADMultipleOrgs",
            "createdDateTime": crate::clock::graph_time(now), "publicClient": {"redirectUris": []},
            "web": {"redirectUris": ["http://localhost"]}, "requiredResourceAccess": [],
            "passwordCredentials": [{"keyId": key_id, "displayName": "simulator", "hint": &secret[..3],
                "startDateTime": crate::clock::graph_time(now), "endDateTime": crate::clock::graph_time(now + Duration::days(730)),
                "customKeyIdentifier": null}],
            "keyCredentials": [],
        }) {
            st.partner_data.applications.push(app);
        }
        st.partner.secrets.push(PartnerSecret {
            app_id: app_id.clone(),
            key_id,
            secret: secret.clone(),
        });
        (app_id, secret)
    }

    /// A delegated Graph token for the technician in the partner tenant, as the desktop
    /// sign-in would yield, for tests that do not exercise the browser flow.
    pub fn technician_token(&self) -> String {
        let mut st = self.app.lock();
        let now = st.clock.now();
        let (tenant, upn) = (st.partner.id.clone(), st.partner.technician_upn.clone());
        crate::login::token::issue_access(
            &mut st,
            &tenant,
            crate::state::tokens::Resource::Graph,
            crate::PUBLIC_CLIENT_ID,
            Some(upn),
            now,
        )
    }

    /// Every access token expires now (tests of the client's 401 → refresh path).
    pub fn expire_tokens(&self) {
        let mut st = self.app.lock();
        let now = st.clock.now();
        st.tokens.expire_all_access(now);
    }

    pub fn inject(&self, tenant: &str, events: TenantEvents) -> Result<usize, SimError> {
        let mut st = self.app.lock();
        let unknown = || SimError::UnknownTenant {
            tenant: tenant.to_string(),
        };
        let id = st
            .resolve_tenant(tenant)
            .filter(|id| st.tenants.contains_key(id))
            .ok_or_else(unknown)?;
        let now = st.clock.now();
        let mut n = 0;
        for r in events.sign_ins {
            let new_id = st.new_uuid();
            let data = st.tenants.get(&id).ok_or_else(unknown)?;
            let prepared = events::prepare_sign_in(data, r, new_id, now);
            st.tenants
                .get_mut(&id)
                .ok_or_else(unknown)?
                .insert_sign_in(prepared);
            n += 1;
        }
        for r in events.directory_audits {
            let new_id = st.new_uuid();
            let prepared = events::prepare_directory_audit(r, new_id, now);
            st.tenants
                .get_mut(&id)
                .ok_or_else(unknown)?
                .insert_directory_audit(prepared);
            n += 1;
        }
        for r in events.audit_records {
            let new_id = st.new_uuid();
            let data = st.tenants.get(&id).ok_or_else(unknown)?;
            let prepared = events::prepare_audit_record(data, r, new_id, now);
            st.tenants
                .get_mut(&id)
                .ok_or_else(unknown)?
                .insert_audit_record(prepared);
            n += 1;
        }
        Ok(n)
    }

    /// The simulator's state as JSON: clock, partner, and per tenant consent and record counts.
    pub fn state(&self) -> Value {
        let st = self.app.lock();
        let tenants: Vec<Value> = st
            .tenants
            .values()
            .map(|t| {
                json!({
                    "id": t.id, "displayName": t.display_name, "defaultDomainName": t.default_domain,
                    "entraIdP1": t.p1, "entraIdP2": t.p2,
                    "consented": t.consent_all || !t.consented_apps.is_empty(),
                    "consentedApps": t.consented_apps,
                    "counts": {
                        "users": t.users.len(), "signIns": t.sign_ins.len(), "directoryAudits": t.directory_audits.len(),
                        "auditRecords": t.audit_records.len(), "mailboxes": t.mailboxes.len(),
                        "messageRules": t.message_rules.values().map(Vec::len).sum::<usize>(),
                        "messages": t.messages.values().map(Vec::len).sum::<usize>(),
                        "authenticationMethods": t.auth_methods.values().map(Vec::len).sum::<usize>(),
                        "servicePrincipals": t.service_principals.len(), "applications": t.applications.len(),
                        "oauth2PermissionGrants": t.oauth2_grants.len(), "appRoleAssignments": t.app_role_assignments.len(),
                        "devices": t.devices.len(), "inboundConnectors": t.inbound_connectors.len(),
                        "transportRules": t.transport_rules.len(), "conditionalAccessPolicies": t.ca_policies.len(),
                        "mailboxPermissions": t.mailbox_permissions.len(),
                    },
                })
            })
            .collect();
        json!({
            "clock": crate::clock::graph_time(st.clock.now()),
            "retention": st.retention,
            "throttle": self.app.throttle.mode(),
            "backgroundActivity": st.background_activity,
            "partner": {"id": st.partner.id, "domain": st.partner.domain, "technician": st.partner.technician_upn,
                        "applications": st.partner_data.applications.len()},
            "tenants": tenants,
        })
    }

    /// One tenant's record of a user (by id or UPN), as the simulator currently holds it.
    pub fn user(&self, tenant: &str, user: &str) -> Option<Value> {
        let st = self.app.lock();
        let id = st.resolve_tenant(tenant)?;
        st.data(&id)?.user(user).cloned().map(Value::Object)
    }

    /// The object ids of one tenant's users.
    pub fn user_ids(&self, tenant: &str) -> Vec<String> {
        let st = self.app.lock();
        st.resolve_tenant(tenant)
            .and_then(|id| st.data(&id))
            .map(|data| {
                data.users
                    .iter()
                    .filter_map(|u| u.get("id").and_then(Value::as_str).map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The messages of one mailbox (owner by id or UPN), as the simulator currently holds them.
    pub fn messages(&self, tenant: &str, user: &str) -> Vec<Value> {
        let st = self.app.lock();
        let Some(data) = st.resolve_tenant(tenant).and_then(|id| st.data(&id)) else {
            return Vec::new();
        };
        let Some(id) = data
            .user(user)
            .and_then(|u| u.get("id"))
            .and_then(Value::as_str)
        else {
            return Vec::new();
        };
        data.messages
            .get(id)
            .map(|m| m.iter().cloned().map(Value::Object).collect())
            .unwrap_or_default()
    }
}
