//! JSON batching: per-item statuses, dependsOn → 424, limits.

mod common;
use common::*;
use serde_json::{json, Value};

#[tokio::test]
async fn batch_runs_items_with_their_own_statuses_and_dependencies() {
    let Some(shared) = shared_dir() else { return };
    let users = read_json(&scenario(&shared, "harborview-dental").join("users.json"));
    let uid = users[1]["id"].as_str().expect("id");
    let sim = sim(&shared, |_| {}).await;
    let token = app_token(&sim, HARBORVIEW, GRAPH).await;
    let g = sim.base_urls().graph;
    let batch = json!({"requests": [
        {"id": "1", "method": "GET", "url": format!("/users/{uid}?$select=id")},
        {"id": "2", "method": "GET", "url": "/users/nobody@nowhere.example"},
        {"id": "3", "method": "PATCH", "url": format!("/users/{uid}"), "headers": {"Content-Type": "application/json"}, "body": {"accountEnabled": false}, "dependsOn": ["1"]},
        {"id": "4", "method": "POST", "url": format!("/users/{uid}/revokeSignInSessions"), "dependsOn": ["2"]},
        {"id": "5", "method": "GET", "url": "users?$top=2&$select=id"},
    ]});
    let (status, _, body) = send("POST", &format!("{g}/v1.0/$batch"), &token, Some(batch)).await;
    assert_eq!(status, 200);
    let by_id: std::collections::HashMap<String, Value> = body["responses"]
        .as_array()
        .expect("responses")
        .iter()
        .map(|r| (r["id"].as_str().expect("id").to_string(), r.clone()))
        .collect();
    let statuses: Vec<u64> = ["1", "2", "3", "4", "5"]
        .iter()
        .map(|i| by_id[*i]["status"].as_u64().expect("status"))
        .collect();
    assert_eq!(statuses, vec![200, 404, 204, 424, 200]);
    assert!(by_id["5"]["body"]["@odata.nextLink"]
        .as_str()
        .is_some_and(|l| l.starts_with(&g)));
    assert!(by_id["1"]["headers"].is_object());
    assert_eq!(
        get(
            &format!("{g}/v1.0/users/{uid}?$select=accountEnabled"),
            &token
        )
        .await
        .2["accountEnabled"],
        json!(false)
    );

    let too_many: Vec<Value> = (0..21)
        .map(|i| json!({"id": i.to_string(), "method": "GET", "url": "/users"}))
        .collect();
    assert_eq!(
        send(
            "POST",
            &format!("{g}/v1.0/$batch"),
            &token,
            Some(json!({"requests": too_many}))
        )
        .await
        .0,
        400
    );
    let dup = json!({"requests": [{"id": "1", "method": "GET", "url": "/users"}, {"id": "1", "method": "GET", "url": "/users"}]});
    assert_eq!(
        send("POST", &format!("{g}/v1.0/$batch"), &token, Some(dup))
            .await
            .0,
        400
    );
    sim.shutdown().await;
}
