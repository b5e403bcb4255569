//! Step 1 and step 5 on cloud-only and synced users: the tenant's state afterwards.

use parapet_graph::{ApiVersion, ODataQuery, TenantClient};
use parapet_remediate::{
    block_policy_name, verify_chain, ActionSink, MemorySink, PlanOptions, Step,
};
use serde_json::Value;

use crate::support::{app_only, kinds, run_step, spec, world, world_with};

async fn policies(client: &TenantClient) -> Vec<Value> {
    client
        .graph_collection::<Value>(
            ApiVersion::V1,
            "identity/conditionalAccess/policies",
            &ODataQuery::new(),
        )
        .collect_all()
        .await
        .unwrap()
}

#[tokio::test]
async fn cloud_user_is_revoked_and_disabled_then_reenabled() {
    let w = world(11, &[]).await;
    let user = w.plain_user(false, &[]).clone();
    let target = w.target_of(&user.user_principal_name);
    let before = w.user_state(&user.id);
    let policies_before = policies(&w.app).await.len();
    let mut sink = MemorySink::new();
    let options = PlanOptions::default();

    let first = run_step(app_only(&w), &target, Step::Contain, &options, &mut sink).await;
    assert_eq!(
        kinds(&first),
        vec![
            ("1:disable_account".to_string(), "succeeded"),
            ("1:revoke_sessions".to_string(), "succeeded"),
        ],
        "{first}"
    );
    let after = w.user_state(&user.id);
    assert_eq!(after["accountEnabled"], false);
    assert_ne!(
        after["signInSessionsValidFromDateTime"], before["signInSessionsValidFromDateTime"],
        "sessions were not revoked"
    );
    assert_eq!(
        policies(&w.app).await.len(),
        policies_before,
        "no CA policy for cloud users"
    );

    // Running the step again sends nothing and reports AlreadyDone.
    let requests = w.app.stats();
    let again = run_step(app_only(&w), &target, Step::Contain, &options, &mut sink).await;
    assert!(
        kinds(&again).iter().all(|(_, k)| *k == "already_done"),
        "{again}"
    );
    assert_eq!(
        w.app.stats().attempts,
        requests.attempts,
        "a finished step sent requests"
    );

    let back = run_step(app_only(&w), &target, Step::Reenable, &options, &mut sink).await;
    assert_eq!(
        kinds(&back),
        vec![("5:enable_account".to_string(), "succeeded")],
        "{back}"
    );
    assert_eq!(w.user_state(&user.id)["accountEnabled"], true);
    verify_chain(&sink.records(&target.incident_id).unwrap()).unwrap();
}

#[tokio::test]
async fn synced_user_gets_a_block_policy_that_step_5_removes() {
    let w = world(12, &[]).await;
    let user = w.plain_user(true, &[]).clone();
    let break_glass = w.plain_user(false, &[]).id.clone();
    let mut target = w.target_of(&user.user_principal_name);
    target.break_glass = vec![break_glass.clone(), user.id.clone()];
    assert!(target.on_premises_synced && target.entra_p1);
    let mut sink = MemorySink::new();
    let options = PlanOptions::default();

    let outcome = run_step(app_only(&w), &target, Step::Contain, &options, &mut sink).await;
    assert_eq!(
        kinds(&outcome),
        vec![
            ("1:disable_account".to_string(), "succeeded"),
            ("1:revoke_sessions".to_string(), "succeeded"),
            ("1:ca_block".to_string(), "succeeded"),
            ("1:on_premises_disable".to_string(), "skipped"),
        ],
        "{outcome}"
    );
    assert_eq!(w.user_state(&user.id)["accountEnabled"], false);
    let name = block_policy_name(&target);
    let ours: Vec<Value> = policies(&w.app)
        .await
        .into_iter()
        .filter(|p| p["displayName"] == name.as_str())
        .collect();
    assert_eq!(ours.len(), 1, "{ours:?}");
    let users = &ours[0]["conditions"]["users"];
    assert_eq!(users["includeUsers"], serde_json::json!([user.id]));
    // The user is never excluded from their own block, break-glass accounts always are.
    assert_eq!(users["excludeUsers"], serde_json::json!([break_glass]));
    assert_eq!(
        ours[0]["grantControls"]["builtInControls"],
        serde_json::json!(["block"])
    );
    assert_eq!(ours[0]["state"], "enabled");

    let back = run_step(app_only(&w), &target, Step::Reenable, &options, &mut sink).await;
    assert_eq!(
        kinds(&back),
        vec![
            ("5:enable_account".to_string(), "succeeded"),
            ("5:ca_block_removed".to_string(), "succeeded"),
            ("5:on_premises_enable".to_string(), "skipped"),
        ],
        "{back}"
    );
    assert!(policies(&w.app)
        .await
        .iter()
        .all(|p| p["displayName"] != name.as_str()));
    assert_eq!(w.user_state(&user.id)["accountEnabled"], true);
    verify_chain(&sink.records(&target.incident_id).unwrap()).unwrap();
}

#[tokio::test]
async fn synced_user_without_p1_is_disabled_with_guidance_and_no_policy() {
    let w = world_with(&spec(13, &[], false), |_| {}).await;
    let user = w.plain_user(true, &[]).clone();
    let target = w.target_of(&user.user_principal_name);
    assert!(!target.entra_p1);
    let count = policies(&w.app).await.len();
    let mut sink = MemorySink::new();
    let outcome = run_step(
        app_only(&w),
        &target,
        Step::Contain,
        &PlanOptions::default(),
        &mut sink,
    )
    .await;
    assert_eq!(
        kinds(&outcome),
        vec![
            ("1:disable_account".to_string(), "succeeded"),
            ("1:revoke_sessions".to_string(), "succeeded"),
            ("1:ca_block".to_string(), "skipped"),
            ("1:on_premises_disable".to_string(), "skipped"),
        ],
        "{outcome}"
    );
    let text = outcome.to_string();
    assert!(text.contains("no Entra ID P1"), "{text}");
    assert!(text.contains("disable the account there too"), "{text}");
    assert_eq!(policies(&w.app).await.len(), count);
    assert_eq!(w.user_state(&user.id)["accountEnabled"], false);
    // Again: the guidance is shown again but neither re-sent nor re-logged.
    let logged = sink.records(&target.incident_id).unwrap().len();
    let again = run_step(
        app_only(&w),
        &target,
        Step::Contain,
        &PlanOptions::default(),
        &mut sink,
    )
    .await;
    assert_eq!(
        kinds(&again).iter().map(|(_, k)| *k).collect::<Vec<_>>(),
        vec!["already_done", "already_done", "skipped", "skipped"],
        "{again}"
    );
    assert_eq!(sink.records(&target.incident_id).unwrap().len(), logged);
}
