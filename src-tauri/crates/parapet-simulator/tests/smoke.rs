mod common;
use common::*;

#[tokio::test]
async fn users_list_after_client_credentials() {
    let Some(shared) = shared_dir() else { return };
    let sim = sim(&shared, |_| {}).await;
    let token = app_token(&sim, HARBORVIEW, GRAPH).await;
    let (status, _, body) = get(&format!("{}/v1.0/users", sim.base_urls().graph), &token).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["value"].as_array().map(Vec::len), Some(25));
    println!("{}", sim.describe());
    sim.shutdown().await;
}
