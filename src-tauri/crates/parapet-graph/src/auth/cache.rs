use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use parapet_secrets::Sensitive;

use crate::endpoints::{Resource, TenantId};

/// In-memory access tokens per (tenant, resource); a token counts as fresh until `margin`
/// before it expires, so no request goes out with a token about to lapse in flight.
#[derive(Debug)]
pub struct TokenCache {
    margin: Duration,
    entries: Mutex<HashMap<(TenantId, Resource), Entry>>,
}

#[derive(Debug)]
struct Entry {
    token: Sensitive<String>,
    refresh_at: Instant,
}

impl TokenCache {
    pub fn new(margin: Duration) -> Self {
        TokenCache {
            margin,
            entries: Mutex::new(HashMap::new()),
        }
    }

    pub fn fresh(&self, tenant: &TenantId, resource: Resource) -> Option<Sensitive<String>> {
        let entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        entries
            .get(&(tenant.clone(), resource))
            .filter(|e| Instant::now() < e.refresh_at)
            .map(|e| e.token.clone())
    }

    pub fn store(
        &self,
        tenant: &TenantId,
        resource: Resource,
        token: Sensitive<String>,
        lifetime: Duration,
    ) {
        // A token shorter-lived than the margin would never count as fresh; use half its life.
        let early = self.margin.min(lifetime / 2);
        let refresh_at = Instant::now() + lifetime.saturating_sub(early);
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        entries.insert((tenant.clone(), resource), Entry { token, refresh_at });
    }

    /// Drops a token Microsoft rejected (401) so the next call fetches a new one.
    pub fn invalidate(&self, tenant: &TenantId, resource: Resource, rejected: &str) {
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        let key = (tenant.clone(), resource);
        if entries
            .get(&key)
            .is_some_and(|e| e.token.expose() == rejected)
        {
            entries.remove(&key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refreshes_margin_before_expiry_and_keys_by_tenant() {
        let cache = TokenCache::new(Duration::from_secs(300));
        let a = TenantId::new("a").unwrap();
        let b = TenantId::new("b").unwrap();
        cache.store(
            &a,
            Resource::Graph,
            Sensitive::new("ta".into()),
            Duration::from_secs(3599),
        );
        assert_eq!(cache.fresh(&a, Resource::Graph).unwrap().expose(), "ta");
        assert!(cache.fresh(&b, Resource::Graph).is_none());
        assert!(cache.fresh(&a, Resource::Exchange).is_none());
        // A 200 s token is shorter than the margin: it stays usable for half its life.
        cache.store(
            &b,
            Resource::Graph,
            Sensitive::new("tb".into()),
            Duration::from_secs(200),
        );
        std::thread::sleep(Duration::from_millis(5));
        assert!(
            cache.fresh(&b, Resource::Graph).is_some(),
            "half-life rule for short tokens"
        );
        // A token whose lifetime is all margin is never fresh.
        cache.store(
            &b,
            Resource::Graph,
            Sensitive::new("tb".into()),
            Duration::ZERO,
        );
        assert!(cache.fresh(&b, Resource::Graph).is_none());
        cache.invalidate(&a, Resource::Graph, "other");
        assert!(cache.fresh(&a, Resource::Graph).is_some());
        cache.invalidate(&a, Resource::Graph, "ta");
        assert!(cache.fresh(&a, Resource::Graph).is_none());
    }
}
