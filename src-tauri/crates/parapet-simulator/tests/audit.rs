//! Purview audit log queries and the Management Activity API.

mod common;
use chrono::{DateTime, Duration, DurationRound, Utc};
use common::*;
use serde_json::{json, Value};
use std::collections::HashSet;

fn t(v: &Value) -> DateTime<Utc> {
    let s = v.as_str().expect("time");
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .or_else(|_| {
            chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S").map(|n| n.and_utc())
        })
        .expect("time")
}

#[tokio::test]
async fn audit_log_query_progresses_and_pages_records() {
    let Some(shared) = shared_dir() else { return };
    let records = read_json(&scenario(&shared, "harborview-dental").join("auditRecords.json"));
    let records = records.as_array().expect("records");
    let op = records
        .iter()
        .map(|r| r["Operation"].as_str().expect("op"))
        .find(|o| *o != "MailItemsAccessed")
        .expect("an operation");
    let (lo, hi) = ("2026-05-01T00:00:00Z", "2026-11-21T00:00:00Z");
    let want: Vec<&Value> = records
        .iter()
        .filter(|r| r["Operation"] == json!(op))
        .collect();
    let sim = sim(&shared, |_| {}).await;
    let token = app_token(&sim, HARBORVIEW, GRAPH).await;
    let g = sim.base_urls().graph;
    let (status, _, q) = send("POST", &format!("{g}/v1.0/security/auditLog/queries"), &token, Some(json!({
        "displayName": "test", "filterStartDateTime": lo, "filterEndDateTime": hi, "operationFilters": [op],
    }))).await;
    assert_eq!(status, 201, "{q}");
    assert_eq!(q["status"], "notStarted");
    assert_eq!(q["@odata.type"], "#microsoft.graph.security.auditLogQuery");
    let id = q["id"].as_str().expect("id");
    let (status, _, _) = get(
        &format!("{g}/v1.0/security/auditLog/queries/{id}/records"),
        &token,
    )
    .await;
    assert_eq!(status, 400, "records before the query finished");
    let mut seen = Vec::new();
    for _ in 0..5 {
        let (_, _, polled) = get(&format!("{g}/v1.0/security/auditLog/queries/{id}"), &token).await;
        seen.push(polled["status"].as_str().expect("status").to_string());
        if polled["status"] == "succeeded" {
            break;
        }
    }
    assert_eq!(seen.first().map(String::as_str), Some("running"));
    assert_eq!(seen.last().map(String::as_str), Some("succeeded"));
    let (items, pages) = walk(
        &format!("{g}/v1.0/security/auditLog/queries/{id}/records?$top=3"),
        &token,
    )
    .await;
    assert_eq!(items.len(), want.len());
    assert_eq!(pages, want.len().div_ceil(3).max(1));
    let ids: HashSet<&str> = items
        .iter()
        .map(|r| r["id"].as_str().expect("id"))
        .collect();
    assert_eq!(ids.len(), items.len());
    let first = &items[0];
    assert_eq!(
        first["@odata.type"],
        "#microsoft.graph.security.auditLogRecord"
    );
    assert_eq!(first["operation"], json!(op));
    let original = want
        .iter()
        .find(|r| r["Id"] == first["id"])
        .expect("original record");
    for (k, v) in original.as_object().expect("record") {
        assert_eq!(&first["auditData"][k], v, "auditData.{k}");
    }
    sim.shutdown().await;
}

/// Creates an audit log query and polls it until it has succeeded; its id.
async fn finished_query(g: &str, token: &str, body: Value) -> String {
    let (status, _, q) = send(
        "POST",
        &format!("{g}/v1.0/security/auditLog/queries"),
        token,
        Some(body),
    )
    .await;
    assert_eq!(status, 201, "{q}");
    let id = q["id"].as_str().expect("id").to_string();
    for _ in 0..5 {
        let (_, _, polled) = get(&format!("{g}/v1.0/security/auditLog/queries/{id}"), token).await;
        if polled["status"] == "succeeded" {
            return id;
        }
    }
    panic!("query {id} never succeeded");
}

fn ids(items: &[Value]) -> Vec<String> {
    items
        .iter()
        .map(|r| r["id"].as_str().expect("id").to_string())
        .collect()
}

#[tokio::test]
async fn audit_log_query_records_page_one_fixed_newest_first_result() {
    let Some(shared) = shared_dir() else { return };
    let file = read_json(&scenario(&shared, "lonestar-title").join("auditRecords.json"));
    let (lo, hi) = ("2026-06-01T00:00:00Z", "2026-11-01T00:00:00Z");
    let (lo_t, hi_t) = (t(&json!(lo)), t(&json!(hi)));
    // Newest first, ties by id, inside [lo, hi): (time, id, operation).
    let mut want: Vec<(DateTime<Utc>, String, String)> = file
        .as_array()
        .expect("records")
        .iter()
        .map(|r| {
            (
                t(&r["CreationTime"]),
                r["Id"].as_str().expect("Id").to_string(),
                r["Operation"].as_str().expect("Operation").to_string(),
            )
        })
        .filter(|(c, _, _)| *c >= lo_t && *c < hi_t)
        .collect();
    want.sort();
    want.reverse();
    let want_ids: Vec<String> = want.iter().map(|(_, id, _)| id.clone()).collect();
    assert!(want_ids.len() > 150 && want_ids.len() < file.as_array().map_or(0, Vec::len));

    let sim = sim(&shared, |_| {}).await;
    let token = app_token(&sim, LONESTAR, GRAPH).await;
    let g = sim.base_urls().graph;
    let id = finished_query(
        &g,
        &token,
        json!({"displayName": "all", "filterStartDateTime": lo, "filterEndDateTime": hi}),
    )
    .await;
    let records = format!("{g}/v1.0/security/auditLog/queries/{id}/records");

    // (query, records per page): default 150, maximum 1,000, larger $top clamped.
    for (query, per_page) in [
        ("", 150),
        ("?$top=1", 1),
        ("?$top=7", 7),
        ("?$top=1000", 1000),
        ("?$top=5000", 1000),
    ] {
        let (items, pages) = walk(&format!("{records}{query}"), &token).await;
        assert_eq!(ids(&items), want_ids, "{query}");
        assert_eq!(pages, want_ids.len().div_ceil(per_page), "{query}");
    }
    let (_, _, page) = get(&format!("{records}?$top=7&$select=id,operation"), &token).await;
    let next = page["@odata.nextLink"].as_str().expect("nextLink");
    assert!(next.starts_with(&format!("{records}?")), "{next}");
    assert!(
        next.contains("$top=7") && next.contains("$skiptoken="),
        "{next}"
    );
    assert_eq!(
        page["value"][0].as_object().map(|o| o.len()),
        Some(3),
        "@odata.type, id, operation"
    );
    let (rest, _) = walk(next, &token).await;
    assert_eq!(rest.len(), want_ids.len() - 7);
    assert_eq!(rest[0]["operation"], json!(want[7].2));

    // $filter and $count: the count on the first page only, the same order.
    let send_ids: Vec<String> = want
        .iter()
        .filter(|w| w.2 == "Send")
        .map(|w| w.1.clone())
        .collect();
    let (_, _, first) = get(
        &format!("{records}?$filter=operation eq 'Send'&$count=true&$top=10"),
        &token,
    )
    .await;
    assert_eq!(first["@odata.count"], json!(send_ids.len()));
    let next = first["@odata.nextLink"].as_str().expect("nextLink");
    let (_, _, second) = get(next, &token).await;
    assert!(second.get("@odata.count").is_none());
    let (mut items, _) = walk(next, &token).await;
    items.splice(
        0..0,
        first["value"].as_array().expect("value").iter().cloned(),
    );
    assert_eq!(ids(&items), send_ids);

    for (query, code) in [
        ("?$top=0", "Request_BadRequest"),
        ("?$top=many", "Request_BadRequest"),
        ("?$skiptoken=garbage", "Request_BadRequest"),
        ("?$filter=operation eq", "BadRequest"),
    ] {
        let (status, _, err) = get(&format!("{records}{query}"), &token).await;
        assert_eq!(
            (status, err["error"]["code"].as_str()),
            (400, Some(code)),
            "{query}"
        );
    }

    // A record logged after the query succeeded is not in its result; a new query has it.
    let open = json!({"displayName": "open", "filterStartDateTime": lo, "filterEndDateTime": "2027-01-01T00:00:00Z"});
    let before = finished_query(&g, &token, open.clone()).await;
    let (old, _) = walk(
        &format!("{g}/v1.0/security/auditLog/queries/{before}/records?$top=1000"),
        &token,
    )
    .await;
    sim.control().advance_clock(Duration::minutes(5));
    let late = json!({"Operation": "New-InboxRule", "RecordType": 1, "Workload": "Exchange", "UserId": "x@lonestartitleco.com"});
    sim.control()
        .inject(
            LONESTAR,
            serde_json::from_value(json!({"auditRecords": [late]})).expect("events"),
        )
        .expect("inject");
    let (again, _) = walk(
        &format!("{g}/v1.0/security/auditLog/queries/{before}/records?$top=1000"),
        &token,
    )
    .await;
    assert_eq!(ids(&again), ids(&old));
    let token = app_token(&sim, LONESTAR, GRAPH).await;
    let after = finished_query(&g, &token, open).await;
    let (new, _) = walk(
        &format!("{g}/v1.0/security/auditLog/queries/{after}/records?$top=1000"),
        &token,
    )
    .await;
    assert_eq!(new.len(), old.len() + 1);
    assert_eq!(
        new[0]["operation"], "New-InboxRule",
        "the newest record comes first"
    );
    sim.shutdown().await;
}

async fn content_pages(url: &str, token: &str) -> (Vec<Value>, usize) {
    let mut next = Some(url.to_string());
    let (mut blobs, mut pages) = (Vec::new(), 0);
    while let Some(u) = next {
        let resp = client()
            .get(&u)
            .bearer_auth(token)
            .send()
            .await
            .expect("content");
        assert_eq!(resp.status(), 200, "{u}");
        next = resp
            .headers()
            .get("NextPageUri")
            .map(|v| v.to_str().expect("header").to_string());
        let page: Value = resp.json().await.expect("json");
        blobs.extend(page.as_array().expect("bare array").iter().cloned());
        pages += 1;
    }
    (blobs, pages)
}

#[tokio::test]
async fn management_activity_feed_serves_blobs_as_they_arrive() {
    let Some(shared) = shared_dir() else { return };
    let dir = scenario(&shared, "harborview-dental");
    let now0 = t(&read_json(&dir.join("tenant.json"))["snapshotTime"]);
    let sim = sim(&shared, |c| c.clock_start = Some(now0)).await;
    let token = app_token(&sim, HARBORVIEW, MANAGEMENT).await;
    let root = format!(
        "{}/api/v1.0/{HARBORVIEW}/activity/feed",
        sim.base_urls().management
    );
    let (status, _, err) = get(
        &format!("{root}/subscriptions/content?contentType=Audit.Exchange"),
        &token,
    )
    .await;
    assert_eq!(
        (status, err["error"]["code"].as_str()),
        (400, Some("AF20022"))
    );
    let (status, _, sub) = send("POST", &format!("{root}/subscriptions/start?contentType=Audit.Exchange&PublisherIdentifier={HARBORVIEW}"), &token, None).await;
    assert_eq!(status, 200);
    assert_eq!(
        sub,
        json!({"contentType": "Audit.Exchange", "status": "enabled", "webhook": null})
    );
    let (_, _, list) = get(&format!("{root}/subscriptions/list"), &token).await;
    assert_eq!(list.as_array().map(Vec::len), Some(1));

    // 48 records in 48 consecutive hours, so a 24 h window needs more than one page.
    let base = now0 - Duration::hours(50);
    let injected: Vec<Value> = (0..48)
        .map(|h| json!({"CreationTime": (base + Duration::hours(h)).format("%Y-%m-%dT%H:%M:%S").to_string(), "Operation": "Send", "RecordType": 2, "Workload": "Exchange", "UserId": "x@harborviewdental.com"}))
        .collect();
    sim.control()
        .inject(
            HARBORVIEW,
            serde_json::from_value(json!({"auditRecords": injected})).expect("events"),
        )
        .expect("inject");

    let records = read_json(&dir.join("auditRecords.json"));
    let start0 = now0 - Duration::days(7) + Duration::minutes(5);
    let mut expected: Vec<DateTime<Utc>> = records
        .as_array()
        .expect("records")
        .iter()
        .filter(|r| r["Workload"] == "Exchange")
        .map(|r| t(&r["CreationTime"]))
        .chain((0..48).map(|h| base + Duration::hours(h)))
        .filter(|c| {
            let created =
                c.duration_trunc(Duration::hours(1)).expect("trunc") + Duration::minutes(90);
            created >= start0 && created <= now0
        })
        .collect();
    expected.sort();
    let mut blobs = Vec::new();
    let mut max_pages = 0;
    let mut start = start0;
    while start < now0 {
        let end = (start + Duration::hours(24)).min(now0 + Duration::minutes(1));
        let fmt = |d: DateTime<Utc>| d.format("%Y-%m-%dT%H:%M:%SZ").to_string();
        let (b, pages) = content_pages(
            &format!(
                "{root}/subscriptions/content?contentType=Audit.Exchange&startTime={}&endTime={}",
                fmt(start),
                fmt(end)
            ),
            &token,
        )
        .await;
        max_pages = max_pages.max(pages);
        blobs.extend(b);
        start = end;
    }
    assert!(max_pages >= 2, "a busy day pages with NextPageUri");
    let mut got = Vec::new();
    for blob in &blobs {
        assert!(blob["contentUri"].as_str().expect("uri").starts_with(&root));
        let (status, _, recs) = get(blob["contentUri"].as_str().expect("uri"), &token).await;
        assert_eq!(status, 200);
        got.extend(
            recs.as_array()
                .expect("records")
                .iter()
                .map(|r| t(&r["CreationTime"])),
        );
    }
    got.sort();
    assert_eq!(got, expected);

    let fmt = |d: DateTime<Utc>| d.format("%Y-%m-%dT%H:%M:%SZ").to_string();
    for (q, code) in [
        (
            format!(
                "contentType=Audit.Exchange&startTime={}&endTime={}",
                fmt(now0 - Duration::hours(30)),
                fmt(now0)
            ),
            "AF20030",
        ),
        (
            format!(
                "contentType=Audit.Exchange&startTime={}&endTime={}",
                fmt(now0 - Duration::days(9)),
                fmt(now0 - Duration::days(8))
            ),
            "AF20030",
        ),
        (
            format!(
                "contentType=Audit.Exchange&startTime={}",
                fmt(now0 - Duration::hours(3))
            ),
            "AF20030",
        ),
        ("contentType=Audit.Nonsense".to_string(), "AF20020"),
        (
            "contentType=Audit.Exchange&nextPage=garbage".to_string(),
            "AF20031",
        ),
    ] {
        let (status, _, err) = get(&format!("{root}/subscriptions/content?{q}"), &token).await;
        assert_eq!(
            (status, err["error"]["code"].as_str()),
            (400, Some(code)),
            "{q}"
        );
    }
    // Content older than 7 days expires.
    let old = blobs.first().expect("a blob")["contentUri"]
        .as_str()
        .expect("uri")
        .to_string();
    sim.control().advance_clock(Duration::days(8));
    let token = app_token(&sim, HARBORVIEW, MANAGEMENT).await;
    let (status, _, err) = get(&old, &token).await;
    assert_eq!(
        (status, err["error"]["code"].as_str()),
        (400, Some("AF20051"))
    );
    sim.shutdown().await;
}
