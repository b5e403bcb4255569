//! Illicit consent in a tenant without Entra ID P1: the rogue app's own sign-ins are not in any
//! log the tenant keeps, so its use of the grant shows only as `MailItemsAccessed` records
//! carrying its app id. Use up to the snapshot is an active compromise; use that stopped long
//! ago, or was followed by remediation, leaves the grant as leftover persistence.

use serde_json::json;

use crate::fixture::*;

const EM_CLIENT: &str = "e9a7fea1-1cc0-4cd9-a31b-9137ca5deedd";
const OUTLOOK_WEB: &str = "9199bf20-a13f-4107-85dc-02114787ef48";

/// Alice, on the audit log alone, consents from home on day 40 to a known mail-theft app.
fn free_tenant_with_consent() -> Tenant {
    let mut t = Tenant::with_users(&["alice", "admin"]);
    t.raw.sign_ins.clear();
    for d in 0..40 {
        t.ual_logon("alice", at(d, 0), "73.0.0.1", true);
    }
    t.raw.service_principals.push(json!({"id": "sp-em", "appId": EM_CLIENT, "displayName": "eM Client", "appOwnerOrganizationId": "44444444-4444-4444-4444-444444444444"}));
    t.raw.oauth2_permission_grants.push(json!({"id": "GRANT-EM", "clientId": "sp-em", "principalId": user_id("alice"), "consentType": "Principal", "scope": "Mail.ReadWrite offline_access"}));
    let sp = json!({"id": "sp-em", "displayName": "eM Client", "type": "ServicePrincipal", "modifiedProperties": [{"displayName": "AppId", "newValue": format!("[\"{EM_CLIENT}\"]")}]});
    t.directory(
        at(40, 0),
        "Add service principal",
        "alice",
        "73.0.0.1",
        sp,
        json!([]),
    );
    let consent = json!({"id": "sp-em", "displayName": "eM Client", "type": "ServicePrincipal", "modifiedProperties": [
        {"displayName": "ConsentAction.Permissions", "newValue": "[Id: GRANT-EM, ClientId: sp-em, Scope: Mail.ReadWrite offline_access, ]"}]});
    t.directory(
        at(40, 0),
        "Consent to application",
        "alice",
        "73.0.0.1",
        consent,
        json!([]),
    );
    t
}

/// A `MailItemsAccessed` record of Alice's mailbox by `app` from `ip`.
fn mail_read(t: &mut Tenant, day: i64, app: &str, ip: &str) {
    let id = format!("mia-{day}-{app}");
    t.raw.audit_records.push(json!({"Id": id, "CreationTime": at(day, 3).to_rfc3339(), "Operation": "MailItemsAccessed",
        "RecordType": 50, "Workload": "Exchange", "UserId": upn("alice"), "MailboxOwnerUPN": upn("alice"),
        "ClientIP": ip, "ClientIPAddress": ip, "AppId": app, "OperationCount": 40}));
}

/// `(case, days the app reads mail, app id reading, remediated the day after, expected kind)`.
type Case = (
    &'static str,
    &'static [i64],
    &'static str,
    bool,
    &'static str,
);

const CASES: &[Case] = &[
    (
        "reading mail up to the snapshot",
        &[41, 45, 50, 58],
        EM_CLIENT,
        false,
        "active_compromise",
    ),
    (
        "stopped reading weeks ago",
        &[41, 45],
        EM_CLIENT,
        false,
        "leftover_persistence",
    ),
    (
        "reads before the consent are not the grant's",
        &[20, 30],
        EM_CLIENT,
        false,
        "leftover_persistence",
    ),
    (
        "another app reading is not this one",
        &[41, 50, 58],
        OUTLOOK_WEB,
        false,
        "leftover_persistence",
    ),
    (
        "reset and revoked after the last read, grant still there",
        &[41, 50],
        EM_CLIENT,
        true,
        "leftover_persistence",
    ),
];

#[test]
fn a_rogue_app_still_reading_mail_is_an_active_compromise_without_p1() {
    for (case, days, app, remediated, kind) in CASES {
        let mut t = free_tenant_with_consent();
        for d in *days {
            mail_read(&mut t, *d, app, "3.3.3.3");
        }
        if *remediated {
            let last = days.iter().max().copied().unwrap_or(40);
            crate::persistence_cases::remediate(&mut t, last + 1);
        }
        let r = check(case, &t, &[("alice", kind)]);
        assert_eq!(
            persistence_of(&r, "alice"),
            vec![
                ("oauth_grant".to_string(), "GRANT-EM".to_string()),
                ("service_principal".to_string(), "sp-em".to_string())
            ],
            "{case}"
        );
        let app_used = signal_kinds(&r, "alice").contains(&"malicious_app_activity".to_string());
        assert_eq!(
            app_used,
            *app == EM_CLIENT && days.iter().any(|d| *d >= 40),
            "{case}"
        );
    }
}

#[test]
fn a_snapshot_reviewed_weeks_later_still_shows_the_app_active_when_it_was_taken() {
    let mut t = free_tenant_with_consent();
    for d in [41, 50, 58] {
        mail_read(&mut t, d, EM_CLIENT, "3.3.3.3");
    }
    for (now, kind) in [
        (at(60, 0), "active_compromise"),
        (at(95, 0), "active_compromise"),
    ] {
        let r = parapet_detect::scan_raw(&t.raw, &lookup(), now);
        let kinds: Vec<&str> = r.incidents.iter().map(|i| i.kind.as_str()).collect();
        assert_eq!(kinds, vec![kind], "scanned at {now}");
    }
    // Without a snapshot time the scan's own clock is the reference.
    t.raw.tenant["snapshotTime"] = serde_json::Value::Null;
    let r = parapet_detect::scan_raw(&t.raw, &lookup(), at(95, 0));
    let kinds: Vec<&str> = r.incidents.iter().map(|i| i.kind.as_str()).collect();
    assert_eq!(kinds, vec!["leftover_persistence"]);
}
