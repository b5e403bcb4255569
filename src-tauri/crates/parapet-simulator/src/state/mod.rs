//! All mutable simulator state behind one lock. Handlers take the lock briefly and never across
//! an await, so a `std::sync::Mutex` is enough.

pub mod load;
pub mod partner;
pub mod tenant;
pub mod tokens;

use crate::clock::SimClock;
use crate::config::RetentionMode;
use partner::PartnerTenant;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
use tenant::{Record, TenantData};
use tokens::TokenStore;

pub struct SimState {
    pub clock: SimClock,
    pub tenants: BTreeMap<String, TenantData>,
    pub partner: PartnerTenant,
    /// The partner tenant's own directory (the technician, Parapet's app registrations).
    pub partner_data: TenantData,
    pub tokens: TokenStore,
    pub retention: RetentionMode,
    pub audit_queries: HashMap<String, Vec<AuditQuery>>,
    /// tenant id → content type → subscription record (Management Activity API).
    pub subscriptions: HashMap<String, BTreeMap<String, Value>>,
    /// Whether advancing the clock generates background sign-ins (see `crate::activity`).
    pub background_activity: bool,
    pub synced_account_policy: SyncedAccountPolicy,
    rng: StdRng,
}

/// What a PATCH of `accountEnabled` does to a directory-synced user (API reference §5.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum SyncedAccountPolicy {
    /// Accepted and kept.
    Accept,
    /// Accepted, then silently reverted by the next sync this many sim seconds later.
    RevertAfter(u64),
    /// Refused with 400 `Request_BadRequest`.
    Reject,
}

pub struct AuditQuery {
    pub record: Record,
    pub created: chrono::DateTime<chrono::Utc>,
    pub polls: u32,
    /// When the query succeeded; its result holds the records logged up to then.
    pub completed: Option<chrono::DateTime<chrono::Utc>>,
}

impl SimState {
    pub fn new(
        tenants: BTreeMap<String, TenantData>,
        clock: SimClock,
        retention: RetentionMode,
        seed: u64,
    ) -> SimState {
        let mut rng = StdRng::seed_from_u64(seed);
        let partner_id = uuid_from(&mut rng);
        let technician_id = uuid_from(&mut rng);
        let app_object = uuid_from(&mut rng);
        let (partner, partner_data) = PartnerTenant::new(partner_id, technician_id, app_object);
        SimState {
            clock,
            tenants,
            partner,
            partner_data,
            tokens: TokenStore::default(),
            retention,
            audit_queries: HashMap::new(),
            subscriptions: HashMap::new(),
            background_activity: false,
            synced_account_policy: SyncedAccountPolicy::Accept,
            rng,
        }
    }

    /// Moves the clock forward and, when enabled, fills the gap with background sign-ins.
    pub fn advance(&mut self, by: chrono::Duration) {
        let from = self.clock.now();
        self.clock.advance(by);
        if !self.background_activity {
            return;
        }
        let to = self.clock.now();
        let ids: Vec<String> = self.tenants.keys().cloned().collect();
        for id in ids {
            let mut rng = StdRng::seed_from_u64(self.rng.gen());
            let mut id_rng = StdRng::seed_from_u64(self.rng.gen());
            let Some(data) = self.tenants.get(&id) else {
                continue;
            };
            let generated =
                crate::activity::generate(data, from, to, &mut rng, || uuid_from(&mut id_rng));
            if let Some(data) = self.tenants.get_mut(&id) {
                for r in generated {
                    data.insert_sign_in(r);
                }
            }
        }
    }

    pub fn new_uuid(&mut self) -> String {
        uuid_from(&mut self.rng)
    }

    /// An opaque random token of `bytes` random bytes, base64url without padding.
    pub fn new_opaque(&mut self, bytes: usize) -> String {
        use base64::Engine;
        let raw: Vec<u8> = (0..bytes).map(|_| self.rng.gen()).collect();
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(raw)
    }

    /// Resolves a tenant given as id or any verified/default domain (as the login URL allows).
    pub fn resolve_tenant(&self, tenant: &str) -> Option<String> {
        let t = tenant.to_ascii_lowercase();
        if t == self.partner.id || t == self.partner.domain {
            return Some(self.partner.id.clone());
        }
        self.tenants
            .values()
            .find(|d| {
                d.id == t
                    || d.default_domain.eq_ignore_ascii_case(&t)
                    || d.verified_domains
                        .iter()
                        .any(|v| v.eq_ignore_ascii_case(&t))
            })
            .map(|d| d.id.clone())
    }

    pub fn is_partner(&self, tenant_id: &str) -> bool {
        self.partner.id == tenant_id
    }

    /// The directory of a customer or of the partner tenant.
    pub fn data(&self, tenant_id: &str) -> Option<&TenantData> {
        if self.is_partner(tenant_id) {
            return Some(&self.partner_data);
        }
        self.tenants.get(tenant_id)
    }

    pub fn data_mut(&mut self, tenant_id: &str) -> Option<&mut TenantData> {
        if self.partner.id == tenant_id {
            return Some(&mut self.partner_data);
        }
        self.tenants.get_mut(tenant_id)
    }

    /// The partner-registered application with this app id (public client or Parapet's own).
    pub fn partner_app(&self, app_id: &str) -> Option<&Record> {
        self.partner_data
            .applications
            .iter()
            .find(|a| tenant::str_field(a, "appId").is_some_and(|v| v.eq_ignore_ascii_case(app_id)))
    }
}

fn uuid_from(rng: &mut StdRng) -> String {
    let bytes: [u8; 16] = rng.gen();
    uuid::Builder::from_random_bytes(bytes)
        .into_uuid()
        .to_string()
}
