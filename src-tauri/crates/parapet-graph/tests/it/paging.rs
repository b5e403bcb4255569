//! Paging: Graph nextLink, Exchange re-POST, Management NextPageUri.

use std::collections::HashSet;

use chrono::{Duration as Days, TimeZone, Utc};
use parapet_graph::management::ContentType;
use parapet_graph::{GraphError, ODataQuery};
use serde_json::json;

use crate::support::*;

/// Page sizes with empty pages in the middle, as Microsoft documents.
const SIZES: &[usize] = &[3, 0, 17, 1, 0, 0, 25, 9, 1000, 2, 0, 40, 1];

fn sign_in(i: usize) -> serde_json::Value {
    json!({
        "id": format!("s{i:05}"), "createdDateTime": format!("2026-06-01T00:00:{:02}Z", i % 60),
        "userId": "u1", "userPrincipalName": "a@x", "status": {"errorCode": 0}
    })
}

#[tokio::test]
async fn graph_next_links_yield_every_item_once_in_order() {
    let server = serve(|seen, s| {
        let page_no: usize = url::form_urlencoded::parse(seen.query.as_bytes())
            .find(|(k, _)| k == "$skiptoken")
            .map(|(_, v)| v.parse().unwrap())
            .unwrap_or(0);
        let start: usize = SIZES[..page_no].iter().sum();
        let items = (start..start + SIZES[page_no]).map(sign_in).collect();
        let next = (page_no + 1 < SIZES.len()).then(|| {
            format!(
                "{}/graph/beta/auditLogs/signIns?$top=1000&$skiptoken={}",
                s.base,
                page_no + 1
            )
        });
        page(items, next)
    })
    .await;
    let client = tenant(&client_for(&server.base, fast_config()), "t1");
    let to = Utc.with_ymd_and_hms(2026, 6, 30, 0, 0, 0).unwrap();
    let mut pager = client.sign_ins(to - Days::days(180), to, None);
    let mut ids = Vec::new();
    let mut pages = 0;
    while let Some(page) = pager.next_page().await.unwrap() {
        assert_eq!(page.len(), SIZES[pages], "page {pages}");
        pages += 1;
        ids.extend(page.into_iter().map(|s| s.id));
    }
    let total: usize = SIZES.iter().sum();
    let expected: Vec<String> = (0..total).map(|i| format!("s{i:05}")).collect();
    assert_eq!(ids, expected);
    assert_eq!(ids.iter().collect::<HashSet<_>>().len(), total);
    let first = &server.api_requests()[0];
    assert_eq!(first.path, "/graph/beta/auditLogs/signIns");
    let query: std::collections::HashMap<String, String> =
        url::form_urlencoded::parse(first.query.as_bytes())
            .into_owned()
            .collect();
    assert_eq!(query["$top"], "1000");
    assert_eq!(
        query["$filter"],
        "createdDateTime ge 2026-01-01T00:00:00Z and createdDateTime lt 2026-06-30T00:00:00Z"
    );
    // The link is followed verbatim: the skiptoken is never rebuilt.
    assert!(server.api_requests()[1].query.contains("$skiptoken=1"));
}

#[tokio::test]
async fn callback_paging_and_resent_headers() {
    let server = serve(|seen, s| {
        assert_eq!(
            seen.headers.get("consistencylevel").unwrap(),
            "eventual",
            "ConsistencyLevel on every page"
        );
        let n = s.bump("p");
        let next = (n < 5).then(|| format!("{}/graph/v1.0/users?$skiptoken=x{n}", s.base));
        page(vec![json!({"id": format!("u{n}")})], next)
    })
    .await;
    let client = tenant(&client_for(&server.base, fast_config()), "t1");
    let mut seen_ids = Vec::new();
    let count = client
        .users(&ODataQuery::new().count().filter("endsWith(mail,'@x.com')"))
        .for_each_page(|page| {
            seen_ids.extend(page.into_iter().filter_map(|u| u.id));
            Ok(())
        })
        .await
        .unwrap();
    assert_eq!(count, 5);
    assert_eq!(seen_ids, ["u1", "u2", "u3", "u4", "u5"]);
}

#[tokio::test]
async fn a_next_link_that_repeats_is_an_error_not_a_loop() {
    let server = serve(|_, s| {
        page(
            vec![json!({"id": "u"})],
            Some(format!("{}/graph/v1.0/users?$skiptoken=same", s.base)),
        )
    })
    .await;
    let client = tenant(&client_for(&server.base, fast_config()), "t1");
    let error = client
        .users(&ODataQuery::new())
        .collect_all()
        .await
        .unwrap_err();
    assert!(matches!(error, GraphError::Decode { .. }), "{error:?}");
    assert!(server.api_requests().len() <= 3);
}

#[tokio::test]
async fn exchange_pages_repost_the_same_cmdlet() {
    let server = serve(|seen, s| {
        assert_eq!(seen.method, "POST");
        assert_eq!(seen.path, "/exchange/adminapi/beta/t1/InvokeCommand");
        assert_eq!(seen.json()["CmdletInput"]["CmdletName"], "Get-Mailbox");
        assert!(seen.headers.get("x-anchormailbox").unwrap().to_str().unwrap().ends_with("@t1"));
        let n = s.bump("exo");
        let mut body = json!({"@odata.context": "x", "value": [{"Identity": format!("mb{n}"), "ForwardingSmtpAddress": null}]});
        if n == 2 {
            body["@adminapi.warnings"] = json!(["The command completed successfully but no settings of 'mb2' have been modified."]);
        }
        if n < 3 {
            body["@odata.nextLink"] = json!(format!("{}/exchange/adminapi/beta/t1/InvokeCommand?$skiptoken={n}", s.base));
        }
        Reply::json(200, body)
    })
    .await;
    let client = tenant(&client_for(&server.base, fast_config()), "t1");
    let mut pager = client.mailboxes();
    let mut all = Vec::new();
    while let Some(page) = pager.next_page().await.unwrap() {
        all.extend(page);
    }
    assert_eq!(pager.warnings().len(), 1);
    assert!(pager.warnings()[0].contains("no settings of 'mb2'"));
    let names: Vec<_> = all.iter().filter_map(|m| m.identity.clone()).collect();
    assert_eq!(names, ["mb1", "mb2", "mb3"]);
    let bodies: Vec<_> = server.api_requests().iter().map(|s| s.json()).collect();
    assert!(
        bodies.windows(2).all(|w| w[0] == w[1]),
        "same body on every page"
    );
}

#[tokio::test]
async fn management_pages_by_next_page_uri_header_and_fetches_blobs() {
    let server = serve(|seen, s| {
        let tenant_root = format!("{}/management/api/v1.0/t1/activity/feed", s.base);
        if seen.path.ends_with("/subscriptions/content") {
            let n = s.bump("content");
            let blob = json!([{
                "contentType": "Audit.Exchange", "contentId": format!("c{n}"),
                "contentUri": format!("{tenant_root}/audit/c{n}"),
                "contentCreated": "2026-06-01T00:00:00.000Z", "contentExpiration": "2026-06-08T00:00:00.000Z"
            }]);
            let mut reply = Reply::json(200, blob);
            if n < 3 {
                // Microsoft's sample NextPageUri uses /api/v1/ without ".0".
                reply = reply.header(
                    "NextPageUri",
                    &format!("{}/management/api/v1/t1/activity/feed/subscriptions/content?contentType=Audit.Exchange&nextPage=p{n}", s.base),
                );
            }
            reply
        } else if seen.path.contains("/audit/") {
            let id = seen.path.rsplit('/').next().unwrap().to_string();
            assert!(seen.query.contains("PublisherIdentifier=partner-guid"));
            Reply::json(200, json!([{"Id": format!("{id}-r1"), "CreationTime": "2026-06-01T00:00:00", "Operation": "New-InboxRule", "RecordType": 1, "UserId": "admin@x", "ClientIP": "203.0.113.9", "Parameters": [{"Name": "ForwardTo", "Value": "x@evil.example"}]}]))
        } else {
            Reply::error(404, "AF20050", "The specified content does not exist.")
        }
    })
    .await;
    let mut config = fast_config();
    config.publisher_identifier = Some("partner-guid".into());
    let client = tenant(&client_for(&server.base, config), "t1");
    let end = Utc.with_ymd_and_hms(2026, 6, 2, 0, 0, 0).unwrap();
    let blobs = client
        .list_content(ContentType::Exchange, end - Days::hours(24), end)
        .collect_all()
        .await
        .unwrap();
    let ids: Vec<_> = blobs.iter().map(|b| b.content_id.as_str()).collect();
    assert_eq!(ids, ["c1", "c2", "c3"]);
    let first = &server.api_requests()[0];
    assert!(
        first.query.contains("startTime=2026-06-01T00%3A00%3A00Z"),
        "{}",
        first.query
    );
    assert!(first.query.contains("PublisherIdentifier=partner-guid"));
    let records = client.fetch_content(&blobs[1]).await.unwrap();
    assert_eq!(records[0].id, "c2-r1");
    assert_eq!(records[0].client_ip.as_deref(), Some("203.0.113.9"));
    assert_eq!(records[0].parameter("ForwardTo"), Some("x@evil.example"));
}

#[tokio::test]
async fn a_record_that_does_not_decode_is_named() {
    let server = serve(|_, s| {
        if s.bump("p") == 1 {
            page(
                vec![sign_in(0)],
                Some(format!(
                    "{}/graph/beta/auditLogs/signIns?$skiptoken=2",
                    s.base
                )),
            )
        } else {
            // Microsoft always sends userId on a sign-in; a record without it is reported.
            page(
                vec![
                    sign_in(1),
                    json!({"id": "odd-one", "createdDateTime": "2026-06-01T00:00:00Z"}),
                ],
                None,
            )
        }
    })
    .await;
    let client = tenant(&client_for(&server.base, fast_config()), "t1");
    let to = Utc.with_ymd_and_hms(2026, 6, 30, 0, 0, 0).unwrap();
    let error = client
        .sign_ins(to - Days::days(1), to, None)
        .collect_all()
        .await
        .unwrap_err();
    let text = error.to_string();
    assert!(text.contains("record 1 (odd-one) on page 2"), "{text}");
    assert!(text.contains("userId"), "{text}");
}
