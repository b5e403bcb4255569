//! Each typed call against the method, path, status and body Microsoft documents for it:
//! one table, one local server.

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use parapet_graph::graph::AuditLogQueryRequest;
use parapet_graph::management::ContentType;
use parapet_graph::{GraphError, ODataQuery, TenantClient};
use serde_json::{json, Value};

use crate::support::*;

type Call = fn(TenantClient) -> Pin<Box<dyn Future<Output = Result<Value, GraphError>> + Send>>;

struct Case {
    name: &'static str,
    method: &'static str,
    path: &'static str,
    status: u16,
    reply: Value,
    call: Call,
    /// What the call must return (as JSON).
    expect: Value,
}

fn ok<T: serde::Serialize>(r: Result<T, GraphError>) -> Result<Value, GraphError> {
    r.map(|v| serde_json::to_value(v).unwrap())
}

fn cases() -> Vec<Case> {
    vec![
        Case {
            name: "create application",
            method: "POST",
            path: "/graph/v1.0/applications",
            status: 201,
            reply: json!({"id": "obj-1", "appId": "app-1", "displayName": "Parapet"}),
            call: |c| {
                Box::pin(async move {
                    ok(
                        c.create_application("Parapet", json!({"signInAudience": "AzureADMyOrg"}))
                            .await
                            .map(|a| a.id),
                    )
                })
            },
            expect: json!("obj-1"),
        },
        Case {
            name: "add password",
            method: "POST",
            path: "/graph/v1.0/applications/obj-1/addPassword",
            status: 200,
            reply: json!({"keyId": "k1", "displayName": "p", "hint": "abc", "secretText": "abc~very-secret-text"}),
            call: |c| {
                Box::pin(async move {
                    let added = c.add_password("obj-1", "p", None).await?;
                    assert!(!format!("{added:?}").contains("very-secret"));
                    Ok(json!([added.key_id, added.secret.expose()]))
                })
            },
            expect: json!(["k1", "abc~very-secret-text"]),
        },
        Case {
            name: "remove password",
            method: "POST",
            path: "/graph/v1.0/applications/obj-1/removePassword",
            status: 204,
            reply: Value::Null,
            call: |c| Box::pin(async move { ok(c.remove_password("obj-1", "k1").await) }),
            expect: Value::Null,
        },
        Case {
            name: "delete oauth2PermissionGrant",
            method: "DELETE",
            path: "/graph/v1.0/oauth2PermissionGrants/AVs6",
            status: 204,
            reply: Value::Null,
            call: |c| Box::pin(async move { ok(c.delete_oauth2_permission_grant("AVs6").await) }),
            expect: Value::Null,
        },
        Case {
            name: "list appRoleAssignments",
            method: "GET",
            path: "/graph/v1.0/servicePrincipals/sp1/appRoleAssignments",
            status: 200,
            reply: json!({"value": [{"id": "a1", "appRoleId": "r", "principalId": "sp1", "resourceId": "graph"}]}),
            call: |c| {
                Box::pin(async move {
                    ok(c.app_role_assignments("sp1")
                        .collect_all()
                        .await
                        .map(|v| v.len()))
                })
            },
            expect: json!(1),
        },
        Case {
            name: "delete appRoleAssignment",
            method: "DELETE",
            path: "/graph/v1.0/servicePrincipals/sp1/appRoleAssignments/a1",
            status: 204,
            reply: Value::Null,
            call: |c| Box::pin(async move { ok(c.delete_app_role_assignment("sp1", "a1").await) }),
            expect: Value::Null,
        },
        Case {
            name: "disable service principal",
            method: "PATCH",
            path: "/graph/v1.0/servicePrincipals/sp1",
            status: 204,
            reply: Value::Null,
            call: |c| {
                Box::pin(async move { ok(c.set_service_principal_enabled("sp1", false).await) })
            },
            expect: Value::Null,
        },
        Case {
            name: "disable device",
            method: "PATCH",
            path: "/graph/v1.0/devices/dev1",
            status: 204,
            reply: Value::Null,
            call: |c| Box::pin(async move { ok(c.set_device_enabled("dev1", false).await) }),
            expect: Value::Null,
        },
        Case {
            name: "delete device",
            method: "DELETE",
            path: "/graph/v1.0/devices/dev1",
            status: 204,
            reply: Value::Null,
            call: |c| Box::pin(async move { ok(c.delete_device("dev1").await) }),
            expect: Value::Null,
        },
        Case {
            name: "registered devices",
            method: "GET",
            path: "/graph/v1.0/users/u1/registeredDevices",
            status: 200,
            reply: json!({"value": [{"@odata.type": "#microsoft.graph.device", "id": "dev1", "trustType": "Workplace"}]}),
            call: |c| {
                Box::pin(async move {
                    ok(c.registered_devices("u1")
                        .collect_all()
                        .await
                        .map(|v| v[0].id.clone()))
                })
            },
            expect: json!("dev1"),
        },
        Case {
            name: "update inbox rule (200 with the rule)",
            method: "PATCH",
            path: "/graph/v1.0/users/u1/mailFolders/inbox/messageRules/AQAAAJ5dZqA=",
            status: 200,
            reply: json!({"id": "AQAAAJ5dZqA=", "displayName": "Important from partner", "actions": {"markImportance": "high"}}),
            call: |c| {
                Box::pin(async move {
                    ok(
                        c.update_inbox_rule("u1", "AQAAAJ5dZqA=", json!({"isEnabled": false}))
                            .await
                            .map(|r| r.id),
                    )
                })
            },
            expect: json!("AQAAAJ5dZqA="),
        },
        Case {
            name: "delete inbox rule",
            method: "DELETE",
            path: "/graph/v1.0/users/u1/mailFolders/inbox/messageRules/AQAAAJ5dZp8=",
            status: 204,
            reply: Value::Null,
            call: |c| Box::pin(async move { ok(c.delete_inbox_rule("u1", "AQAAAJ5dZp8=").await) }),
            expect: Value::Null,
        },
        Case {
            name: "create audit log query",
            method: "POST",
            path: "/graph/v1.0/security/auditLog/queries",
            status: 201,
            reply: json!({"@odata.type": "#microsoft.graph.security.auditLogQuery", "id": "q1", "status": "notStarted"}),
            call: |c| {
                Box::pin(async move {
                    let request = AuditLogQueryRequest {
                        display_name: "Parapet scan".into(),
                        filter_start_date_time: "2026-06-01T00:00:00Z".into(),
                        filter_end_date_time: "2026-12-01T00:00:00Z".into(),
                        operation_filters: vec!["New-InboxRule".into()],
                        ..AuditLogQueryRequest::default()
                    };
                    ok(c.create_audit_log_query(&request).await.map(|q| q.status))
                })
            },
            expect: json!("notStarted"),
        },
        Case {
            name: "poll audit log query until succeeded",
            method: "GET",
            path: "/graph/v1.0/security/auditLog/queries/q1",
            status: 200,
            reply: json!({"id": "q1", "status": "succeeded"}),
            call: |c| {
                Box::pin(async move {
                    ok(c.wait_for_audit_log_query(
                        "q1",
                        Duration::from_millis(10),
                        Duration::from_secs(2),
                    )
                    .await
                    .map(|q| q.status))
                })
            },
            expect: json!("succeeded"),
        },
        Case {
            name: "audit log records",
            method: "GET",
            path: "/graph/v1.0/security/auditLog/queries/q1/records",
            status: 200,
            reply: json!({"value": [{"id": "r1", "operation": "New-InboxRule", "auditData": {"Parameters": []}}]}),
            call: |c| {
                Box::pin(async move {
                    ok(c.audit_log_records("q1")
                        .collect_all()
                        .await
                        .map(|v| v[0].operation.clone()))
                })
            },
            expect: json!("New-InboxRule"),
        },
        Case {
            name: "contracts",
            method: "GET",
            path: "/graph/v1.0/contracts",
            status: 200,
            reply: json!({"value": [{"id": "c1", "customerId": "t-cust", "contractType": "ResellerPartner"}]}),
            call: |c| {
                Box::pin(async move {
                    ok(c.contracts(&ODataQuery::new())
                        .collect_all()
                        .await
                        .map(|v| v[0].customer_id.clone()))
                })
            },
            expect: json!("t-cust"),
        },
        Case {
            name: "GDAP relationships",
            method: "GET",
            path: "/graph/v1.0/tenantRelationships/delegatedAdminRelationships",
            status: 200,
            reply: json!({"value": [{"id": "g1", "status": "active", "customer": {"tenantId": "t-cust", "displayName": "Contoso"}}]}),
            call: |c| {
                Box::pin(async move {
                    ok(c.delegated_admin_relationships(&ODataQuery::new())
                        .collect_all()
                        .await
                        .map(|v| v[0].status.clone()))
                })
            },
            expect: json!("active"),
        },
        Case {
            name: "organization",
            method: "GET",
            path: "/graph/v1.0/organization",
            status: 200,
            reply: json!({"value": [{"id": "t1", "displayName": "Contoso"}]}),
            call: |c| {
                Box::pin(
                    async move { ok(c.organization().await.map(|v| v[0].display_name.clone())) },
                )
            },
            expect: json!("Contoso"),
        },
        Case {
            name: "start management subscription",
            method: "POST",
            path: "/management/api/v1.0/t1/activity/feed/subscriptions/start",
            status: 200,
            reply: json!({"contentType": "Audit.Exchange", "status": "enabled", "webhook": null}),
            call: |c| {
                Box::pin(async move {
                    ok(c.start_subscription(ContentType::Exchange)
                        .await
                        .map(|s| s.status))
                })
            },
            expect: json!("enabled"),
        },
        Case {
            name: "set inbound connector",
            method: "POST",
            path: "/exchange/adminapi/beta/t1/InvokeCommand",
            status: 200,
            reply: json!({"value": []}),
            call: |c| {
                Box::pin(async move { ok(c.set_inbound_connector_enabled("relay", false).await) })
            },
            expect: Value::Null,
        },
        Case {
            name: "mailbox permissions",
            method: "POST",
            path: "/exchange/adminapi/beta/t1/InvokeCommand",
            status: 200,
            reply: json!({"value": [{"Identity": "alice", "User": "attacker@x", "AccessRights": ["FullAccess"], "IsInherited": false}]}),
            call: |c| {
                Box::pin(async move {
                    ok(c.mailbox_permissions("alice")
                        .await
                        .map(|v| v[0].user.clone()))
                })
            },
            expect: json!("attacker@x"),
        },
        Case {
            name: "remove mailbox permission",
            method: "POST",
            path: "/exchange/adminapi/beta/t1/InvokeCommand",
            status: 200,
            reply: json!({"value": []}),
            call: |c| {
                Box::pin(async move {
                    ok(
                        c.remove_mailbox_permission("alice", "attacker@x", &["FullAccess"])
                            .await,
                    )
                })
            },
            expect: Value::Null,
        },
    ]
}

#[tokio::test]
async fn typed_calls_use_documented_methods_paths_and_statuses() {
    let table = cases();
    let routes: Vec<(String, String, u16, Value)> = table
        .iter()
        .map(|c| {
            (
                c.method.to_string(),
                c.path.to_string(),
                c.status,
                c.reply.clone(),
            )
        })
        .collect();
    let server = serve(move |seen, s| {
        // Cases sharing a route (InvokeCommand) answer in table order.
        let matching: Vec<_> = routes
            .iter()
            .filter(|r| r.0 == seen.method.as_str() && r.1 == seen.path)
            .collect();
        if matching.is_empty() {
            return Reply::error(
                404,
                "Request_ResourceNotFound",
                &format!("{} {}", seen.method, seen.path),
            );
        }
        let n = s.bump(&format!("{} {}", seen.method, seen.path)) as usize;
        let (_, _, status, reply) = matching[(n - 1).min(matching.len() - 1)];
        if reply.is_null() {
            Reply::empty(*status)
        } else {
            Reply::json(*status, reply.clone())
        }
    })
    .await;
    let client = tenant(&client_for(&server.base, fast_config()), "t1");
    for case in table {
        let before = server.api_requests().len();
        let got = (case.call)(client.clone())
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", case.name));
        assert_eq!(got, case.expect, "{}", case.name);
        let sent = &server.api_requests()[before..];
        assert!(!sent.is_empty(), "{}: nothing sent", case.name);
        for request in sent {
            assert_eq!(
                (request.method.as_str(), request.path.as_str()),
                (case.method, case.path),
                "{}",
                case.name
            );
        }
    }
}
