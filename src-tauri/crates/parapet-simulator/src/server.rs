//! Binding, routing and the running-simulator handle.

use crate::clock::SimClock;
use crate::config::SimConfig;
use crate::control::SimControl;
use crate::faults::Faults;
use crate::http::graph_error;
use crate::state::partner::PUBLIC_CLIENT_ID;
use crate::state::tenant::TenantData;
use crate::state::SimState;
use crate::throttle::Throttle;
use crate::{admin, exchange, faults, graph, login, management, SimError};
use axum::routing::{any, get, post};
use axum::Router;
use chrono::{DateTime, Utc};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard};

/// Shared by every handler.
pub struct App {
    state: Mutex<SimState>,
    pub throttle: Throttle,
    faults: Mutex<Faults>,
    /// `http://127.0.0.1:PORT`.
    pub origin: String,
}

impl App {
    pub fn lock(&self) -> MutexGuard<'_, SimState> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn faults(&self) -> MutexGuard<'_, Faults> {
        self.faults.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.lock().clock.now()
    }

    pub fn graph_base(&self) -> String {
        format!("{}/graph", self.origin)
    }

    pub fn exchange_base(&self) -> String {
        format!("{}/exchange", self.origin)
    }

    pub fn management_base(&self) -> String {
        format!("{}/management", self.origin)
    }
}

/// Base URLs replacing Microsoft's hosts: `graph` replaces `https://graph.microsoft.com`,
/// `login` replaces `https://login.microsoftonline.com`, `exchange` replaces
/// `https://outlook.office365.com`, `management` replaces `https://manage.office.com`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct BaseUrls {
    pub login: String,
    pub graph: String,
    pub exchange: String,
    pub management: String,
    /// The simulator's own admin surface (`/_sim`).
    pub admin: String,
}

/// What the technician signs in with.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PartnerSignIn {
    pub tenant_id: String,
    pub tenant_domain: String,
    pub technician_upn: String,
    /// The public (desktop) client id; any loopback redirect URI is accepted for it.
    pub public_client_id: String,
}

pub struct RunningSimulator {
    app: Arc<App>,
    port: u16,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<()>,
}

/// Loads the tenants, binds 127.0.0.1 and serves until [`RunningSimulator::shutdown`].
pub async fn start(config: SimConfig) -> Result<RunningSimulator, SimError> {
    let mut tenants = BTreeMap::new();
    for snapshot in &config.snapshots {
        let data = crate::state::load::tenant_from_snapshot(snapshot).map_err(|message| {
            SimError::BadSnapshot {
                tenant_id: snapshot.tenant.id.clone(),
                message,
            }
        })?;
        insert_tenant(&mut tenants, data, config.consented)?;
    }
    start_with_tenants(config, tenants).await
}

pub(crate) fn insert_tenant(
    tenants: &mut BTreeMap<String, TenantData>,
    mut data: TenantData,
    consented: bool,
) -> Result<(), SimError> {
    if tenants.contains_key(&data.id) {
        return Err(SimError::DuplicateTenant { tenant_id: data.id });
    }
    data.consent_all = consented;
    tenants.insert(data.id.clone(), data);
    Ok(())
}

pub(crate) async fn start_with_tenants(
    config: SimConfig,
    tenants: BTreeMap<String, TenantData>,
) -> Result<RunningSimulator, SimError> {
    let port = config.port.unwrap_or(0);
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
        .await
        .map_err(|source| SimError::Bind { port, source })?;
    let bound = listener
        .local_addr()
        .map_err(|source| SimError::Bind { port, source })?
        .port();
    let clock_start = config
        .clock_start
        .or_else(|| tenants.values().filter_map(|t| t.snapshot_time).max())
        .unwrap_or_else(Utc::now);
    let state = SimState::new(
        tenants,
        SimClock::new(clock_start),
        config.retention,
        config.seed,
    );
    let app = Arc::new(App {
        state: Mutex::new(state),
        throttle: Throttle::new(config.throttle),
        faults: Mutex::new(Faults::new(config.fault_rate, config.seed)),
        origin: format!("http://127.0.0.1:{bound}"),
    });
    let router = router(app.clone());
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        let serve = axum::serve(listener, router).with_graceful_shutdown(async {
            let _ = rx.await;
        });
        if let Err(e) = serve.await {
            tracing::error!("simulator server stopped: {e}");
        }
    });
    Ok(RunningSimulator {
        app,
        port: bound,
        shutdown: Some(tx),
        task,
    })
}

fn router(app: Arc<App>) -> Router {
    Router::new()
        .route(
            "/login/{tenant}/oauth2/v2.0/token",
            post(login::token_endpoint),
        )
        .route(
            "/login/{tenant}/oauth2/v2.0/authorize",
            get(login::authorize_endpoint),
        )
        .route(
            "/login/{tenant}/adminconsent",
            get(login::consent_page).post(login::consent_submit),
        )
        .route(
            "/login/{tenant}/v2.0/adminconsent",
            get(login::consent_page).post(login::consent_submit),
        )
        .route(
            "/login/{tenant}/v2.0/.well-known/openid-configuration",
            get(login::openid_configuration),
        )
        .route("/graph/{version}/{*rest}", any(graph::entry))
        .route(
            "/exchange/adminapi/beta/{tenant}/InvokeCommand",
            post(exchange::entry),
        )
        .route(
            "/management/api/{version}/{tenant}/activity/feed/{*rest}",
            any(management::entry),
        )
        .nest("/_sim", admin::router())
        .fallback(not_found)
        .layer(axum::middleware::from_fn_with_state(
            app.clone(),
            faults::layer,
        ))
        .with_state(app)
}

async fn not_found(
    axum::extract::State(app): axum::extract::State<Arc<App>>,
) -> crate::http::SimResponse {
    graph_error(
        404,
        "NotFound",
        "The requested resource does not exist on this simulator.",
        app.now(),
    )
}

impl RunningSimulator {
    pub fn port(&self) -> u16 {
        self.port
    }

    /// `http://127.0.0.1:PORT`: the one base every Microsoft prefix sits under.
    pub fn origin(&self) -> &str {
        &self.app.origin
    }

    pub fn base_urls(&self) -> BaseUrls {
        let o = &self.app.origin;
        BaseUrls {
            login: format!("{o}/login"),
            graph: format!("{o}/graph"),
            exchange: format!("{o}/exchange"),
            management: format!("{o}/management"),
            admin: format!("{o}/_sim"),
        }
    }

    pub fn partner(&self) -> PartnerSignIn {
        let st = self.app.lock();
        PartnerSignIn {
            tenant_id: st.partner.id.clone(),
            tenant_domain: st.partner.domain.clone(),
            technician_upn: st.partner.technician_upn.clone(),
            public_client_id: PUBLIC_CLIENT_ID.to_string(),
        }
    }

    pub fn control(&self) -> SimControl {
        SimControl::new(self.app.clone())
    }

    /// Human-readable endpoints and sign-in details, for the CLI to print.
    pub fn describe(&self) -> String {
        let b = self.base_urls();
        let p = self.partner();
        let st = self.app.lock();
        let mut out = format!(
            "Parapet Graph simulator on 127.0.0.1:{}\n  login       {}\n  graph       {}\n  exchange    {}\n  management  {}\n  admin       {}\n\
             Partner tenant {} ({})\n  technician  {}\n  public client id {}\nCustomer tenants:\n",
            self.port, b.login, b.graph, b.exchange, b.management, b.admin, p.tenant_id, p.tenant_domain,
            p.technician_upn, p.public_client_id
        );
        for t in st.tenants.values() {
            out.push_str(&format!(
                "  {}  {}  ({}, {})\n",
                t.id,
                t.display_name,
                t.default_domain,
                if t.consent_all || !t.consented_apps.is_empty() {
                    "consented"
                } else {
                    "not consented"
                }
            ));
        }
        out
    }

    pub async fn shutdown(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        let _ = (&mut self.task).await;
    }
}
