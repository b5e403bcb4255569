//! Starting a simulator, a client of a consented partner app, a temporary store.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use chrono::{DateTime, TimeZone, Utc};
use parapet_collect::{collect, CollectOptions, CollectSummary, Progress};
use parapet_graph::{ClientConfig, Credentials, Endpoints, GraphClient, TenantClient, TenantId};
use parapet_secrets::Sensitive;
use parapet_simulator::{RetentionMode, RunningSimulator, SimConfig, ThrottleMode};
use parapet_snapshot::Snapshot;
use parapet_store::{EntraLicence, Store, TenantFacts, TenantFlags, TenantRow};

/// `<repo>/../shared`, or `PARAPET_SHARED_DIR`; `None` with a loud note when absent, a panic
/// when `CI` is set.
pub fn shared_dir() -> Option<PathBuf> {
    parapet_testkit::shared_dir("the scenario collection tests")
}

/// Every scenario snapshot under `shared/scenarios`.
pub fn scenarios(shared: &Path) -> Vec<(String, Snapshot)> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(shared.join("scenarios"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.join("tenant.json").is_file())
        .collect();
    dirs.sort();
    assert!(!dirs.is_empty(), "no scenarios found");
    dirs.iter()
        .map(|dir| {
            let name = dir.file_name().unwrap().to_string_lossy().into_owned();
            (name, parapet_snapshot::read(dir).unwrap())
        })
        .collect()
}

pub fn generated(seed: u64, users: usize, days: u32, p1: bool) -> Snapshot {
    let end = Utc.with_ymd_and_hms(2026, 11, 20, 17, 0, 0).unwrap();
    let mut spec = parapet_tenantgen::TenantSpec::new(
        seed,
        "Fabrikam Bakery",
        "fabrikambakery.com",
        users,
        days,
        end,
    )
    .with_everything();
    spec.licences.entra_id_p1 = p1;
    parapet_tenantgen::generate(&spec).unwrap().snapshot
}

pub struct Sim {
    pub sim: RunningSimulator,
    /// One app-wide client, so its transport counters cover every call of the test.
    graph: GraphClient,
    client_id: String,
    secret: String,
}

impl Sim {
    pub async fn start(
        snapshots: Vec<Snapshot>,
        retention: RetentionMode,
        throttle: ThrottleMode,
        fault_rate: f64,
    ) -> Sim {
        let tenants: Vec<String> = snapshots.iter().map(|s| s.tenant.id.clone()).collect();
        let sim = parapet_simulator::start(SimConfig {
            snapshots,
            consented: true,
            retention,
            throttle,
            fault_rate,
            ..SimConfig::default()
        })
        .await
        .unwrap();
        sim.control().set_background_activity(false);
        let (client_id, secret) = sim.control().register_partner_app("Parapet collect tests");
        for tenant in tenants {
            sim.control().set_consent(&tenant, true).unwrap();
        }
        let b = sim.base_urls();
        let endpoints = Endpoints::new(&b.login, &b.graph, &b.exchange, &b.management).unwrap();
        let graph = GraphClient::new(endpoints, ClientConfig::default()).unwrap();
        Sim {
            sim,
            graph,
            client_id,
            secret,
        }
    }

    pub fn client(&self, tenant: &str) -> TenantClient {
        self.graph.for_tenant(
            TenantId::new(tenant).unwrap(),
            Credentials::ClientSecret {
                client_id: self.client_id.clone(),
                secret: Sensitive::new(self.secret.clone()),
            },
        )
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.sim.control().now()
    }

    /// Options for a test run: the simulator's clock, the snapshot's licence, fast polling.
    pub fn options(&self, snapshot: &Snapshot) -> CollectOptions {
        let mut options = CollectOptions::new(self.now(), licence_of(snapshot));
        options.audit_query_poll = std::time::Duration::from_millis(5);
        options
    }

    pub async fn collect(
        &self,
        store: &Mutex<Store>,
        tenant: &str,
        options: &CollectOptions,
    ) -> (CollectSummary, Vec<Progress>) {
        let ticks = Mutex::new(Vec::new());
        let summary = collect(&self.client(tenant), store, tenant, options, &|p| {
            ticks.lock().unwrap().push(p)
        })
        .await
        .unwrap_or_else(|error| panic!("collection of {tenant} failed: {error}"));
        (summary, ticks.into_inner().unwrap())
    }
}

pub fn licence_of(snapshot: &Snapshot) -> EntraLicence {
    match (
        snapshot.tenant.licenses.entra_id_p1,
        snapshot.tenant.licenses.entra_id_p2,
    ) {
        (_, true) => EntraLicence::P2,
        (true, false) => EntraLicence::P1,
        (false, false) => EntraLicence::None,
    }
}

/// A store in `dir` with the snapshot's tenant onboarded.
pub fn store_for(dir: &Path, snapshot: &Snapshot) -> Mutex<Store> {
    let store = Store::open(&dir.join("parapet.sqlite")).unwrap();
    store
        .upsert_tenant(&TenantRow {
            id: snapshot.tenant.id.clone(),
            display_name: snapshot.tenant.display_name.clone(),
            default_domain: snapshot.tenant.default_domain_name.clone(),
            onboarded_at: snapshot.tenant.snapshot_time,
            flags: TenantFlags::default(),
            facts: TenantFacts::default(),
        })
        .unwrap();
    Mutex::new(store)
}

pub fn rebuilt(store: &Mutex<Store>, snapshot: &Snapshot) -> Snapshot {
    store
        .lock()
        .unwrap()
        .evidence_snapshot(&snapshot.tenant.id, snapshot.tenant.clone())
        .unwrap()
}

/// What must match between two scans: incident ids, kinds and persistence artifacts.
pub fn incidents(snapshot: &Snapshot) -> Vec<(String, String, Vec<String>)> {
    let report = parapet_detect::scan(
        snapshot,
        parapet_ipintel::IpIntel::embedded(),
        snapshot.tenant.snapshot_time,
    );
    let mut out: Vec<_> = report
        .incidents
        .iter()
        .map(|incident| {
            let mut persistence: Vec<String> = incident
                .persistence
                .iter()
                .map(|p| format!("{:?}:{}", p.kind, p.id))
                .collect();
            persistence.sort();
            (
                incident.id.clone(),
                format!("{:?}", incident.kind),
                persistence,
            )
        })
        .collect();
    out.sort();
    out
}
