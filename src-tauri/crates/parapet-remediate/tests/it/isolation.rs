//! An action for tenant A never goes out with tenant B's client: refused before any HTTP.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use axum::Router;
use parapet_graph::{Credentials, Endpoints, GraphClient, TenantId};
use parapet_remediate::{
    apply, plan, Actor, Artifact, ArtifactKind, Clients, IncidentTarget, MemorySink, Mode,
    PlanOptions, RemediateError, RunContext, Step,
};
use parapet_secrets::Sensitive;

use crate::support::{clock, fast_config};

fn target(tenant: &str) -> IncidentTarget {
    IncidentTarget {
        tenant_id: tenant.into(),
        incident_id: "inc-1".into(),
        user_id: "11111111-1111-1111-1111-111111111111".into(),
        upn: "jane@contoso.com".into(),
        on_premises_synced: true,
        entra_p1: true,
        break_glass: vec![],
        artifacts: vec![Artifact {
            kind: ArtifactKind::OauthGrant,
            id: "grant-1".into(),
            summary: String::new(),
        }],
        phish: None,
    }
}

#[tokio::test]
async fn a_mismatched_tenant_sends_no_request_at_all() {
    let hits = Arc::new(AtomicUsize::new(0));
    let counter = hits.clone();
    let app = Router::new().fallback(move || {
        let counter = counter.clone();
        async move {
            counter.fetch_add(1, Ordering::SeqCst);
            (axum::http::StatusCode::OK, "{}")
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });

    let graph = GraphClient::new(Endpoints::under_prefix(&base).unwrap(), fast_config()).unwrap();
    let credentials = || Credentials::ClientSecret {
        client_id: "app".into(),
        secret: Sensitive::new("tenant-b-secret".into()),
    };
    let tenant_b = graph.for_tenant(
        TenantId::new("tenant-b.onmicrosoft.com").unwrap(),
        credentials(),
    );
    let tenant_a = graph.for_tenant(
        TenantId::new("tenant-a.onmicrosoft.com").unwrap(),
        credentials(),
    );
    let a = target("tenant-a.onmicrosoft.com");
    let run = RunContext {
        actor: Actor::AutomaticResponse,
        mode: Mode::Execute,
        clock: &clock,
    };
    for step in [
        Step::Contain,
        Step::RemovePersistence,
        Step::ResetPassword,
        Step::Reenable,
    ] {
        let planned = plan(step, &a, &PlanOptions::default(), &[]).unwrap();
        let mut sink = MemorySink::new();
        // B's app client, and A's app client with B's delegated client: both refused.
        for clients in [
            Clients {
                app: &tenant_b,
                delegated: None,
            },
            Clients {
                app: &tenant_a,
                delegated: Some(&tenant_b),
            },
        ] {
            let refused = apply(clients, &a, &planned, &mut sink, &run).await;
            assert!(
                matches!(refused, Err(RemediateError::TenantMismatch { .. })),
                "{refused:?}"
            );
        }
        // Actions planned for B, applied with a target of A: refused too.
        let planned_b = plan(
            step,
            &target("tenant-b.onmicrosoft.com"),
            &PlanOptions::default(),
            &[],
        )
        .unwrap();
        let refused = apply(
            Clients {
                app: &tenant_a,
                delegated: None,
            },
            &a,
            &planned_b,
            &mut sink,
            &run,
        )
        .await;
        assert!(
            matches!(refused, Err(RemediateError::TenantMismatch { .. })),
            "{refused:?}"
        );
        assert!(parapet_remediate::ActionSink::records(&sink, "inc-1")
            .unwrap()
            .is_empty());
    }
    assert_eq!(hits.load(Ordering::SeqCst), 0, "a request went out");

    // The same server does see requests when tenants match, so the counter can fail.
    let planned = plan(Step::Contain, &a, &PlanOptions::default(), &[]).unwrap();
    let mut sink = MemorySink::new();
    let _ = apply(
        Clients {
            app: &tenant_a,
            delegated: None,
        },
        &a,
        &planned,
        &mut sink,
        &run,
    )
    .await;
    assert!(hits.load(Ordering::SeqCst) > 0);
}
