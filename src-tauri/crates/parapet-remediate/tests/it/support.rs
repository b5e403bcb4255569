//! A generated tenant served by the simulator, the clients that reach it, and helpers.

use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};
use parapet_graph::{
    ClientConfig, Credentials, Endpoints, GraphClient, RetryPolicy, TenantClient, TenantId,
};
use parapet_remediate::{
    apply, plan, Actor, Artifact, ArtifactKind, Clients, IncidentTarget, MemorySink, Mode,
    PlanOptions, RunContext, Step, StepOutcome,
};
use parapet_secrets::Sensitive;
use parapet_simulator::{RunningSimulator, SimConfig, SimControl};
use parapet_tenantgen::{generate, AttackFamily, Generated, TenantSpec};
use serde_json::Value;

pub struct World {
    pub sim: RunningSimulator,
    pub generated: Generated,
    pub graph: GraphClient,
    pub app: TenantClient,
    client_id: String,
    secret: String,
}

pub fn fast_config() -> ClientConfig {
    ClientConfig {
        retry: RetryPolicy {
            max_attempts: 8,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_millis(1500),
            max_total_wait: Duration::from_secs(30),
        },
        request_timeout: Duration::from_secs(20),
        connect_timeout: Duration::from_secs(5),
        ..ClientConfig::default()
    }
}

pub fn end() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 20, 17, 0, 0).unwrap()
}

pub fn spec(seed: u64, attacks: &[AttackFamily], p1: bool) -> TenantSpec {
    let mut spec = TenantSpec::new(
        seed,
        "Remediation Test",
        "remediationtest.com",
        24,
        21,
        end(),
    );
    spec.attacks = attacks.to_vec();
    spec.licences.entra_id_p1 = p1;
    spec
}

pub async fn world_with(spec: &TenantSpec, config: impl FnOnce(&mut SimConfig)) -> World {
    let generated = generate(spec).unwrap();
    let mut sim_config = SimConfig {
        snapshots: vec![generated.snapshot.clone()],
        consented: true,
        ..SimConfig::default()
    };
    config(&mut sim_config);
    let sim = parapet_simulator::start(sim_config).await.unwrap();
    let (client_id, secret) = sim
        .control()
        .register_partner_app("Parapet remediation tests");
    let b = sim.base_urls();
    let endpoints = Endpoints::new(&b.login, &b.graph, &b.exchange, &b.management).unwrap();
    let graph = GraphClient::new(endpoints, fast_config()).unwrap();
    let tenant = TenantId::new(&generated.snapshot.tenant.id).unwrap();
    let app = graph.for_tenant(
        tenant,
        Credentials::ClientSecret {
            client_id: client_id.clone(),
            secret: Sensitive::new(secret.clone()),
        },
    );
    World {
        sim,
        generated,
        graph,
        app,
        client_id,
        secret,
    }
}

pub async fn world(seed: u64, attacks: &[AttackFamily]) -> World {
    world_with(&spec(seed, attacks, true), |_| {}).await
}

impl World {
    pub fn tenant_id(&self) -> String {
        self.generated.snapshot.tenant.id.clone()
    }

    pub fn control(&self) -> SimControl {
        self.sim.control()
    }

    /// Another app-only client of the same tenant, for changes "out of band".
    pub fn other_app_client(&self) -> TenantClient {
        self.graph.for_tenant(
            TenantId::new(&self.tenant_id()).unwrap(),
            Credentials::ClientSecret {
                client_id: self.client_id.clone(),
                secret: Sensitive::new(self.secret.clone()),
            },
        )
    }

    /// The technician's delegated (GDAP-style) client of the customer tenant, from a PKCE
    /// sign-in at the simulator.
    pub async fn delegated_client(&self) -> TenantClient {
        let partner = self.sim.partner();
        let pkce = parapet_graph::Pkce::generate();
        let redirect = "http://127.0.0.1:53682/callback";
        let scopes = [
            "openid",
            "offline_access",
            parapet_graph::Resource::Graph.default_scope(),
        ];
        let url = self
            .graph
            .authorize_url(&parapet_graph::AuthorizeRequest {
                tenant: &partner.tenant_id,
                client_id: &partner.public_client_id,
                redirect_uri: redirect,
                scopes: &scopes,
                state: "s1",
                code_challenge: &pkce.challenge,
                prompt: None,
                login_hint: None,
            })
            .unwrap();
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        let answer = http.get(url.as_str()).send().await.unwrap();
        let location = url::Url::parse(answer.headers()["location"].to_str().unwrap()).unwrap();
        let code = location
            .query_pairs()
            .find(|(k, _)| k == "code")
            .map(|(_, v)| v.to_string())
            .unwrap();
        let issued = self
            .graph
            .exchange_code(
                &partner.tenant_id,
                &partner.public_client_id,
                redirect,
                &Sensitive::new(code),
                &pkce,
                &scopes,
            )
            .await
            .unwrap();
        self.graph.for_tenant(
            TenantId::new(&self.tenant_id()).unwrap(),
            Credentials::PartnerRefreshToken {
                client_id: partner.public_client_id.clone(),
                client_secret: None,
                token: parapet_graph::PartnerToken::new(issued.refresh_token.unwrap(), None),
            },
        )
    }

    pub fn user_by_upn(&self, upn: &str) -> &parapet_snapshot::model::User {
        self.generated
            .snapshot
            .users
            .iter()
            .find(|u| u.user_principal_name.eq_ignore_ascii_case(upn))
            .unwrap()
    }

    /// A staff user (with a mailbox) that is synced or not, other than `avoid`.
    pub fn plain_user(&self, synced: bool, avoid: &[&str]) -> &parapet_snapshot::model::User {
        let victims: Vec<&str> = self
            .generated
            .truth
            .compromised
            .iter()
            .map(|c| c.user_principal_name.as_str())
            .collect();
        self.generated
            .snapshot
            .users
            .iter()
            .filter(|u| u.on_premises_sync_enabled.unwrap_or(false) == synced)
            .filter(|u| u.account_enabled.unwrap_or(true))
            .filter(|u| u.user_type.as_deref() != Some("Guest"))
            .filter(|u| {
                !u.user_principal_name.starts_with("admin")
                    && !u.user_principal_name.contains("breakglass")
            })
            .find(|u| {
                !victims.contains(&u.user_principal_name.as_str())
                    && !avoid.contains(&u.user_principal_name.as_str())
            })
            .expect("a user of the wanted kind")
    }

    /// The incident of one compromised user, artifacts from the ground truth.
    pub fn target_of_victim(&self, upn: &str) -> IncidentTarget {
        let victim = self
            .generated
            .truth
            .compromised
            .iter()
            .find(|c| c.user_principal_name == upn)
            .unwrap();
        let artifacts = victim
            .persistence
            .iter()
            .map(|a| Artifact {
                kind: a.kind.parse::<ArtifactKind>().unwrap(),
                id: a.id.clone(),
                summary: format!("{} from the ground truth", a.kind),
            })
            .collect();
        let mut t = self.target_of(upn);
        t.artifacts = artifacts;
        t
    }

    pub fn target_of(&self, upn: &str) -> IncidentTarget {
        let user = self.user_by_upn(upn);
        IncidentTarget {
            tenant_id: self.tenant_id(),
            incident_id: format!("inc-{}", user.id),
            user_id: user.id.clone(),
            upn: user.user_principal_name.clone(),
            on_premises_synced: user.on_premises_sync_enabled.unwrap_or(false),
            entra_p1: self.generated.snapshot.tenant.licenses.entra_id_p1,
            break_glass: vec![],
            artifacts: vec![],
            phish: None,
        }
    }

    pub fn victim(&self, family_artifact: &str) -> String {
        self.generated
            .truth
            .compromised
            .iter()
            .find(|c| c.persistence.iter().any(|a| a.kind == family_artifact))
            .map(|c| c.user_principal_name.clone())
            .unwrap_or_else(|| panic!("no victim with a {family_artifact}"))
    }

    /// The simulator's current record of a user.
    pub fn user_state(&self, user_id: &str) -> Value {
        self.control().user(&self.tenant_id(), user_id).unwrap()
    }
}

pub fn clock() -> DateTime<Utc> {
    end()
}

pub fn technician() -> Actor {
    Actor::Technician("tech@msp.example".into())
}

/// Plans and applies one step for real.
pub async fn run_step(
    clients: Clients<'_>,
    target: &IncidentTarget,
    step: Step,
    options: &PlanOptions,
    sink: &mut MemorySink,
) -> StepOutcome {
    let log = parapet_remediate::ActionSink::records(sink, &target.incident_id).unwrap();
    let planned = plan(step, target, options, &log).unwrap();
    let run = RunContext {
        actor: technician(),
        mode: Mode::Execute,
        clock: &clock,
    };
    apply(clients, target, &planned, sink, &run).await.unwrap()
}

pub fn app_only(world: &World) -> Clients<'_> {
    Clients {
        app: &world.app,
        delegated: None,
    }
}

/// Every object's outcome name, by key.
pub fn kinds(outcome: &StepOutcome) -> Vec<(String, &'static str)> {
    outcome
        .objects
        .iter()
        .map(|o| {
            let kind = match o.outcome {
                parapet_remediate::Outcome::Succeeded => "succeeded",
                parapet_remediate::Outcome::AlreadyDone { .. } => "already_done",
                parapet_remediate::Outcome::Failed { .. } => "failed",
                parapet_remediate::Outcome::Skipped { .. } => "skipped",
                parapet_remediate::Outcome::DryRun { .. } => "dry_run",
            };
            (o.key.clone(), kind)
        })
        .collect()
}
